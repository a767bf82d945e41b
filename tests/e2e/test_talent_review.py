"""A PPK calibrates the nine-box map in a talent-review meeting, with and without JavaScript."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from asn.models import Role
from assessment.models import Kalibrasi, Periode
from assessment.services import rapat_create
from talenta import pipeline
from tests.assessment.test_talent_review import _box9
from tests.e2e.conftest import login
from tests.factories import PegawaiFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def meeting(sambas, ppk):
    periode = Periode.objects.create(tahun=2026, tanggal_acuan=dt.date(2026, 1, 31))
    star = PegawaiFactory(nama="Theresia Lanting", jabatan__unit_kerja__instansi=sambas)
    _box9(star)
    PegawaiFactory(nama="Budi Santoso", jabatan__unit_kerja__instansi=sambas)  # incomplete
    pipeline.refresh_now(periode_id=periode.pk)
    rapat = rapat_create(
        user=ppk, periode=periode, instansi=sambas,
        data={"tanggal": dt.date(2026, 3, 12), "tempat": "Aula BKPSDM", "ketua": "Sekretaris Daerah"},
    )  # fmt: skip
    return rapat


def test_ppk_filters_the_map_calibrates_by_drag_and_drop_and_downloads_the_berita_acara(
    page, live_server, ppk, meeting, tmp_path
):
    login(page, live_server, ppk.username)
    page.get_by_role("link", name="Peta Talenta").click()
    expect(page.get_by_test_id("count-9")).to_have_text("1")
    expect(page.get_by_test_id("holding-count")).to_have_text("1")
    page.get_by_label("Jenjang").select_option(label="Administrator")
    page.get_by_role("button", name="Terapkan").click()
    expect(page.get_by_test_id("holding-count")).to_have_text("0")
    page.get_by_test_id("count-9").click()
    expect(page.get_by_test_id("box-list")).to_contain_text("Theresia Lanting")

    page.goto(f"{live_server.url}/penilaian/rapat/{meeting.pk}/")
    person = page.locator(".draggable-person", has_text="Theresia Lanting")
    person.drag_to(page.get_by_test_id("zona-8"))
    dialog = page.locator("#move-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("kotak 9 → kotak 8")
    dialog.get_by_label("Alasan").select_option(label="Konteks penugasan")
    dialog.get_by_label("Justifikasi tertulis").fill("Perlu penugasan lintas bidang sebelum promosi.")
    dialog.get_by_role("button", name="Simpan pemindahan").click()
    expect(page.get_by_role("alert").or_(page.locator(".alert-success"))).to_contain_text(
        "dipindahkan dari kotak 9 ke kotak 8"
    )
    expect(page.get_by_test_id("zona-8")).to_contain_text("Theresia Lanting")
    expect(page.get_by_test_id("moves")).to_contain_text("Perlu penugasan lintas bidang sebelum promosi.")

    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Finalkan rapat").click()
    expect(page.get_by_test_id("rapat-status")).to_have_text("Final")
    with page.expect_download() as download_info:
        page.get_by_test_id("berita-acara").click()
    download = download_info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert download.suggested_filename.endswith(".pdf")
    assert path.read_bytes().startswith(b"%PDF")
    assert Kalibrasi.objects.get().kotak_baru == 8


@pytest.fixture
def no_js_page(browser, live_server):
    context = browser.new_context(java_script_enabled=False, locale="id-ID", timezone_id="Asia/Pontianak")
    yield context.new_page()
    context.close()


def test_the_same_move_works_without_javascript(no_js_page, live_server, sambas, meeting):
    tim = UserFactory(username="tim-sambas", role=Role.TIM_TALENTA, instansi=sambas)
    meeting.anggota.create(user=tim, nama="Tim Talenta")
    page = no_js_page
    login(page, live_server, tim.username)
    page.goto(f"{live_server.url}/penilaian/rapat/{meeting.pk}/")
    form = page.locator("#move-form")
    form.get_by_label("NIP pegawai").fill(meeting.periode.penempatan.get(kotak=9).pegawai.nip)
    form.get_by_label("Pindahkan ke kotak").select_option("8")
    form.get_by_role("button", name="Pindahkan").click()
    expect(page.locator(".alert-danger")).to_contain_text("Justifikasi tertulis wajib diisi")
    form = page.locator("#move-form")
    form.get_by_label("NIP pegawai").fill(meeting.periode.penempatan.get(kotak=9).pegawai.nip)
    form.get_by_label("Pindahkan ke kotak").select_option("8")
    form.get_by_label("Alasan").select_option(label="Koreksi data")
    form.get_by_label("Justifikasi tertulis").fill("Kalibrasi tanpa JavaScript.")
    form.get_by_role("button", name="Pindahkan").click()
    expect(page.locator(".alert-success")).to_contain_text("dipindahkan dari kotak 9 ke kotak 8")
    assert Kalibrasi.objects.get().oleh == tim


def test_a_draft_calibration_leaves_the_live_pool_untouched_until_finalisation(page, live_server, ppk, meeting):
    login(page, live_server, ppk.username)
    nip = meeting.periode.penempatan.get(kotak=9).pegawai.nip
    page.goto(f"{live_server.url}/penilaian/rapat/{meeting.pk}/")
    form = page.locator("#move-form")
    form.get_by_label("NIP pegawai").fill(nip)
    form.get_by_label("Pindahkan ke kotak").select_option("8")
    form.get_by_label("Alasan").select_option(label="Bukti kinerja terbaru")
    form.get_by_label("Justifikasi tertulis").fill("ok")
    form.get_by_role("button", name="Pindahkan").click()
    expect(page.locator(".alert-danger")).to_contain_text(
        "Justifikasi harus berupa kalimat: sekurang-kurangnya 20 karakter dan 3 kata."
    )
    form = page.locator("#move-form")
    form.get_by_label("NIP pegawai").fill(nip)
    form.get_by_label("Pindahkan ke kotak").select_option("8")
    form.get_by_label("Alasan").select_option(label="Bukti kinerja terbaru")
    form.get_by_label("Justifikasi tertulis").fill("Dua keluhan layanan tercatat tahun ini.")
    form.get_by_role("button", name="Pindahkan").click()
    expect(page.locator(".alert-success")).to_contain_text("(usulan; berlaku setelah rapat difinalkan)")
    expect(page.get_by_test_id("zona-8")).to_contain_text("Theresia Lanting 9 → 8")

    # The live pool still has her in box 9 as KRS Instansi/Nasional.
    page.goto(f"{live_server.url}/penilaian/krs/2026/")
    members = page.get_by_test_id("krs-members")
    expect(members.locator("tr", has_text="Theresia Lanting")).to_contain_text("KRS Instansi/Nasional")
    expect(members.locator("tr", has_text="Theresia Lanting").locator("td").nth(2)).to_have_text("9")

    page.goto(f"{live_server.url}/penilaian/rapat/{meeting.pk}/")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Finalkan rapat").click()
    expect(page.get_by_test_id("rapat-status")).to_have_text("Final")

    page.goto(f"{live_server.url}/penilaian/krs/2026/")
    row = page.get_by_test_id("krs-members").locator("tr", has_text="Theresia Lanting")
    expect(row.locator("td").nth(2)).to_have_text(re.compile(r"^8\s*dikalibrasi \(hitung 9\)$"))
    expect(row).to_contain_text("KRS Instansi")
    expect(row).not_to_contain_text("KRS Instansi/Nasional")
