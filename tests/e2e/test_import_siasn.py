"""An operator imports a SIASN download in a real browser: answers the mapping once, then never again."""

import pytest
from playwright.sync_api import expect

from asn.models import Pegawai, PemetaanSiasn
from asn.siasn_sample import siasn_csv
from tests.asn.test_import_siasn import record
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _upload(page, live_server, path):
    page.goto(f"{live_server.url}/asn/impor/")
    page.get_by_label("Jenis data").select_option("siasn")
    page.get_by_label("Berkas (.xlsx atau .csv)").set_input_files(str(path))
    page.get_by_role("button", name="Unggah dan periksa").click()


def test_operator_maps_the_siasn_values_once_and_the_next_download_asks_nothing(page, live_server, operator, tmp_path):
    path = tmp_path / "Export Data ASN.csv"
    path.write_bytes(siasn_csv([record()]))

    login(page, live_server, operator.username)
    _upload(page, live_server, path)
    expect(page.get_by_test_id("import-mapping")).to_contain_text("Berkas SIASN memuat 4 nilai yang belum dipetakan.")
    # Every question comes with its best guess already chosen.
    expect(page.get_by_label("Nilai Talenta untuk Pemerintah Kab. Sambas")).to_have_value("6101")
    expect(page.get_by_label("Nilai Talenta untuk PNS Daerah Kabupaten/Kota")).to_have_value("PNS")
    expect(page.get_by_label("Nilai Talenta untuk Kepala Bidang Pengembangan Kompetensi")).to_have_value(
        "Administrator"
    )
    pendidikan = page.get_by_label("Nilai Talenta untuk S-2")
    expect(pendidikan).to_have_value("S2")
    expect(page.get_by_role("button", name="Konfirmasi dan simpan")).to_have_count(0)

    # The operator knows better for one value: SIASN's "S-2" is read as S3 in this instansi.
    pendidikan.select_option("S3")
    page.get_by_role("button", name="Simpan pemetaan dan periksa ulang").click()
    expect(page.get_by_test_id("plan-baru")).to_have_text("1")
    assert Pegawai.objects.count() == 0
    page.get_by_role("button", name="Konfirmasi dan simpan").click()
    expect(page.get_by_test_id("import-done")).to_contain_text("1 data pegawai (siasn) baru")

    pegawai = Pegawai.objects.get()
    assert (pegawai.pns_id, pegawai.pendidikan_id) == (record()["PNS ID"], "S3")
    assert PemetaanSiasn.objects.get(jenis="pendidikan").nilai_talenta == "S3"

    # Next month's download with the same values: straight to the preview, nothing asked.
    _upload(page, live_server, path)
    expect(page.get_by_test_id("import-status")).to_have_attribute("data-status", "valid")
    expect(page.get_by_test_id("mapping-form")).to_have_count(0)
    expect(page.get_by_test_id("plan-baru")).to_have_text("0")
    page.screenshot(path=str(tmp_path / "siasn-kedua.png"), full_page=True)
