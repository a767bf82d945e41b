"""An operator imports the pegawai master file in a real browser."""

import pytest
from playwright.sync_api import expect

from asn.models import UnitKerja
from talenta.tabular import write_csv
from tests.asn.test_import_pegawai import HEADERS, row
from tests.e2e.conftest import login
from tests.factories import PegawaiFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _upload(page, live_server, path):
    page.goto(f"{live_server.url}/asn/impor/")
    page.get_by_label("Jenis data").select_option("pegawai")
    page.get_by_label("Berkas (.xlsx atau .csv)").set_input_files(str(path))
    page.get_by_role("button", name="Unggah dan periksa").click()


def test_operator_fixes_a_bad_row_imports_and_finds_the_pegawai(page, live_server, operator, tmp_path):
    new_nip = "199105172019032004"
    bad = tmp_path / "pegawai.csv"
    bad.write_bytes(write_csv(HEADERS, [row(), row(nip="19910517201903300", nama="Lilis Kilat")]))
    good = tmp_path / "pegawai-perbaikan.csv"
    good.write_bytes(write_csv(HEADERS, [row(), row(nip=new_nip, nama="Lilis Kilat")]))

    login(page, live_server, operator.username)
    _upload(page, live_server, bad)
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("NIP harus 18 digit, bukan 17 digit.")
    expect(errors.locator("tbody tr")).to_have_count(1)
    expect(errors.locator("tbody tr td").first).to_have_text("3")
    expect(page.get_by_role("button", name="Konfirmasi dan simpan")).to_have_count(0)

    _upload(page, live_server, good)
    expect(page.get_by_test_id("plan-baru")).to_have_text("2")
    expect(page.get_by_test_id("import-structure")).to_contain_text("1 unit kerja, 1 jabatan")
    page.get_by_label("Saya sudah memeriksa 1 unit kerja dan 1 jabatan baru").check()
    page.get_by_role("button", name="Konfirmasi dan simpan").click()
    expect(page.get_by_test_id("import-done")).to_contain_text("2 data pegawai baru")

    page.get_by_role("link", name="Pegawai", exact=True).click()
    page.get_by_label("Cari NIP atau nama").fill("19910517 201903 2 004")
    page.get_by_role("button", name="Terapkan").click()
    expect(page.get_by_test_id("result-count")).to_have_text("1 pegawai")
    page.get_by_role("link", name="Lilis Kilat").click()
    expect(page.get_by_test_id("pegawai-name")).to_have_text("Lilis Kilat, S.Kom., M.T.")
    expect(page.get_by_test_id("nip-decoded")).to_contain_text("17 Mei 1991")
    expect(page.get_by_test_id("nip-decoded")).to_contain_text("Perempuan")
    page.screenshot(path=str(tmp_path / "profil.png"), full_page=True)


def test_a_typo_in_a_unit_name_is_shown_beside_the_existing_name_and_needs_explicit_consent(
    page, live_server, operator, sambas, tmp_path
):
    existing = PegawaiFactory(jabatan__unit_kerja__instansi=sambas, jabatan__unit_kerja__nama="Dinas Kesehatan")
    jabatan = existing.jabatan
    typo = tmp_path / "pegawai-salah-ketik.csv"
    typo.write_bytes(
        write_csv(
            HEADERS,
            [row(unit_kerja="Dinas Kesehatn", jabatan=jabatan.nama, jenjang=jabatan.jenjang.nama)],
        )
    )
    fixed = tmp_path / "pegawai-benar.csv"
    fixed.write_bytes(
        write_csv(HEADERS, [row(unit_kerja="Dinas Kesehatan", jabatan=jabatan.nama, jenjang=jabatan.jenjang.nama)])
    )

    login(page, live_server, operator.username)
    _upload(page, live_server, typo)
    structure = page.get_by_test_id("import-structure")
    expect(structure).to_contain_text("1 unit kerja, 1 jabatan")
    typo_row = structure.locator("tbody tr", has_text="Dinas Kesehatn").first
    expect(typo_row).to_contain_text("mirip dengan “Dinas Kesehatan” (sudah ada)")
    expect(page.get_by_test_id("import-structure-near")).to_contain_text("1 nama mirip dengan nama lain")

    # Without the consent the browser keeps the form (the box is required) and nothing is written.
    page.get_by_role("button", name="Konfirmasi dan simpan").click()
    consent = page.get_by_label("Saya sudah memeriksa 1 unit kerja dan 1 jabatan baru")
    assert consent.evaluate("box => box.validity.valueMissing") is True
    assert page.get_by_test_id("import-status").get_attribute("data-status") == "valid"
    assert UnitKerja.objects.filter(nama="Dinas Kesehatn").count() == 0

    # The operator sees the typo, fixes the file and uploads it again: nothing new to accept.
    _upload(page, live_server, fixed)
    expect(page.get_by_test_id("plan-baru")).to_have_text("1")
    expect(page.get_by_test_id("import-structure")).to_have_count(0)
    page.get_by_role("button", name="Konfirmasi dan simpan").click()
    expect(page.get_by_test_id("import-done")).to_contain_text("0 unit kerja dan 0 jabatan baru")
    assert list(UnitKerja.objects.filter(instansi=sambas).values_list("nama", flat=True)) == ["Dinas Kesehatan"]
