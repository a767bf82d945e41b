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
    page.get_by_label("Cari pegawai (nama atau NIP)").fill(meeting.periode.penempatan.get(kotak=9).pegawai.nip)
    page.get_by_role("button", name="Cari", exact=True).click()
    form = page.locator("#move-form")
    expect(form.get_by_label("Theresia Lanting")).to_be_checked()  # the only match
    form.get_by_label("Pindahkan ke kotak").select_option("8")
    form.get_by_role("button", name="Pindahkan").click()
    expect(page.locator(".alert-danger")).to_contain_text("Justifikasi tertulis wajib diisi")
    # Refused: the same match is offered again.
    form = page.locator("#move-form")
    form.get_by_label("Theresia Lanting").check()
    form.get_by_label("Pindahkan ke kotak").select_option("8")
    form.get_by_label("Alasan").select_option(label="Koreksi data")
    form.get_by_label("Justifikasi tertulis").fill("Kalibrasi tanpa JavaScript.")
    form.get_by_role("button", name="Pindahkan").click()
    expect(page.locator(".alert-success")).to_contain_text("dipindahkan dari kotak 9 ke kotak 8")
    assert Kalibrasi.objects.get().oleh == tim


def test_without_javascript_two_people_of_one_name_are_found_by_name(no_js_page, live_server, sambas, ppk, meeting):
    lindas = [
        PegawaiFactory(nama="Linda Santoso", jabatan__nama=jabatan, jabatan__unit_kerja__instansi=sambas)
        for jabatan in ("Kepala Seksi Gizi", "Kepala Seksi Irigasi")
    ]
    for pegawai in lindas:
        _box9(pegawai)
    pipeline.refresh_now(periode_id=meeting.periode_id)
    page = no_js_page
    login(page, live_server, ppk.username)
    page.goto(f"{live_server.url}/penilaian/rapat/{meeting.pk}/")
    page.get_by_label("Cari pegawai (nama atau NIP)").fill("linda santoso")
    page.get_by_role("button", name="Cari", exact=True).click()
    results = page.get_by_test_id("hasil-cari")
    expect(results).to_contain_text('2 pegawai cocok dengan "linda santoso"')
    second = results.get_by_label(f"NIP {lindas[1].nip_formatted}", exact=False)
    expect(second).not_to_be_checked()
    expect(results).to_contain_text(f"Linda Santoso · NIP {lindas[1].nip_formatted} · Kepala Seksi Irigasi")
    second.check()
    page.locator("#move-form").get_by_label("Pindahkan ke kotak").select_option("7")
    page.locator("#move-form").get_by_label("Alasan").select_option(label="Hasil asesmen baru")
    page.locator("#move-form").get_by_label("Justifikasi tertulis").fill("Belum pernah memimpin unit.")
    page.locator("#move-form").get_by_role("button", name="Pindahkan").click()
    expect(page.locator(".alert-success")).to_contain_text("Linda Santoso dipindahkan dari kotak 9 ke kotak 7")
    assert Kalibrasi.objects.get().penempatan.pegawai == lindas[1]


def _tab_to(page, locator, limit=60):
    """Press Tab until `locator` has the focus, as a keyboard user reaches it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{locator} not reached with {limit} Tab presses")


def test_a_keyboard_only_move_with_the_live_distribution(page, live_server, sambas, ppk, meeting):
    second = PegawaiFactory(nama="Linda Santoso", jabatan__unit_kerja__instansi=sambas)
    _box9(second)
    pipeline.refresh_now(periode_id=meeting.periode_id)
    star = meeting.periode.penempatan.get(pegawai__nama="Theresia Lanting")
    login(page, live_server, ppk.username)
    page.goto(f"{live_server.url}/penilaian/rapat/{meeting.pk}/")
    card = page.get_by_test_id(f"kartu-{star.pk}")
    expect(card).to_contain_text(star.pegawai.nip_formatted)
    expect(card).to_contain_text("K 90,00 · P 83,22 · JPM 107,41")
    panel = page.get_by_test_id("sebaran-rapat")
    expect(panel.get_by_test_id("sebaran-baris-9").locator("td")).to_have_text(["2", "100,0%", "melebihi"])

    _tab_to(page, card)
    page.keyboard.press("Enter")
    expect(card).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("papan-status")).to_contain_text("Theresia Lanting")
    # The focus goes to the first box on the grid (4); the live distribution previews the move there.
    expect(page.get_by_test_id("pilih-kotak-4")).to_be_focused()
    expect(page.get_by_test_id("sebaran-pratinjau")).to_have_text(
        "Setelah pemindahan: kotak 9 menjadi 1 orang, kotak 4 menjadi 1 orang (50,0%), melebihi pedoman 30%."
    )
    page.keyboard.press("ArrowDown")  # box 2, below 4
    page.keyboard.press("ArrowRight")  # box 5
    page.keyboard.press("ArrowRight")  # box 8
    expect(page.get_by_test_id("pilih-kotak-8")).to_be_focused()
    expect(panel.get_by_test_id("sebaran-baris-8").locator("td")).to_have_text(["0 → 1", "0,0% → 50,0%", "melebihi"])
    expect(panel.get_by_test_id("sebaran-baris-9").locator("td")).to_have_text(["2 → 1", "100,0% → 50,0%", "melebihi"])
    expect(panel.get_by_test_id("sebaran-baris-4").locator("td")).to_have_text(["0", "0,0%", "sesuai"])
    page.keyboard.press("Escape")  # changed my mind: back to the card, distribution as it is
    expect(card).to_be_focused()
    expect(card).to_have_attribute("aria-pressed", "false")
    expect(page.get_by_test_id("sebaran-pratinjau")).to_have_text("")
    expect(panel.get_by_test_id("sebaran-baris-8").locator("td")).to_have_text(["0", "0,0%", "sesuai"])

    page.keyboard.press("Enter")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    dialog = page.locator("#move-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(f"Theresia Lanting (NIP {star.pegawai.nip_formatted}): kotak 9 → kotak 8")
    # The dialog's first field, the reason, has the focus; the arrow picks one, Tab leads on.
    expect(dialog.get_by_label("Alasan")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(dialog.get_by_label("Alasan")).to_have_value("bukti_kinerja")
    page.keyboard.press("Tab")
    expect(dialog.get_by_label("Justifikasi tertulis")).to_be_focused()
    page.keyboard.type("Perlu penugasan lintas bidang sebelum promosi.")
    page.keyboard.press("Tab")  # Batal
    page.keyboard.press("Tab")  # Simpan pemindahan
    page.keyboard.press("Enter")
    expect(page.locator(".alert-success")).to_contain_text("Theresia Lanting dipindahkan dari kotak 9 ke kotak 8")
    expect(page.get_by_test_id(f"tanda-kalibrasi-{star.pk}")).to_have_text("Dikalibrasi: hitung 9 → 8")
    expect(page.get_by_test_id("zona-8")).to_contain_text("Theresia Lanting")
    expect(panel.get_by_test_id("sebaran-baris-8").locator("td")).to_have_text(["1", "50,0%", "melebihi"])
    kalibrasi = Kalibrasi.objects.get()
    assert (kalibrasi.penempatan_id, kalibrasi.kotak_baru, kalibrasi.oleh) == (star.pk, 8, ppk)
    assert kalibrasi.jenis_alasan == "bukti_kinerja"


def test_on_touch_a_tap_selects_the_card_and_a_tap_chooses_the_box(browser, live_server, ppk, meeting):
    context = browser.new_context(
        has_touch=True, is_mobile=True, viewport={"width": 820, "height": 1180}, locale="id-ID"
    )
    page = context.new_page()
    login(page, live_server, ppk.username)
    page.goto(f"{live_server.url}/penilaian/rapat/{meeting.pk}/")
    star = meeting.periode.penempatan.get(pegawai__nama="Theresia Lanting")
    page.get_by_test_id(f"kartu-{star.pk}").tap()
    page.get_by_test_id("zona-7").tap()
    dialog = page.locator("#move-dialog")
    expect(dialog).to_contain_text("kotak 9 → kotak 7")
    expect(page.get_by_test_id("sebaran-pratinjau")).to_have_text(
        "Setelah pemindahan: kotak 9 menjadi 0 orang, kotak 7 menjadi 1 orang (100,0%), melebihi pedoman 30%."
    )
    dialog.get_by_label("Alasan").select_option(label="Koreksi data")
    dialog.get_by_label("Justifikasi tertulis").fill("Kalibrasi dari tablet.")
    dialog.get_by_role("button", name="Simpan pemindahan").tap()
    expect(page.locator(".alert-success")).to_contain_text("dipindahkan dari kotak 9 ke kotak 7")
    assert Kalibrasi.objects.get().kotak_baru == 7
    context.close()


def test_a_draft_calibration_leaves_the_live_pool_untouched_until_finalisation(page, live_server, ppk, meeting):
    login(page, live_server, ppk.username)
    star = meeting.periode.penempatan.get(kotak=9)
    page.goto(f"{live_server.url}/penilaian/rapat/{meeting.pk}/")
    page.get_by_label("Cari pegawai (nama atau NIP)").fill(star.pegawai.nip)
    page.get_by_role("button", name="Cari", exact=True).click()
    form = page.locator("#move-form")
    form.get_by_label("Theresia Lanting").check()
    form.get_by_label("Pindahkan ke kotak").select_option("8")
    form.get_by_label("Alasan").select_option(label="Bukti kinerja terbaru")
    form.get_by_label("Justifikasi tertulis").fill("ok")
    form.get_by_role("button", name="Pindahkan").click()
    expect(page.locator(".alert-danger")).to_contain_text(
        "Justifikasi harus berupa kalimat: sekurang-kurangnya 20 karakter dan 3 kata."
    )
    form = page.locator("#move-form")
    expect(form.get_by_label("Theresia Lanting")).to_be_checked()  # refused: the same match is offered again
    form.get_by_label("Pindahkan ke kotak").select_option("8")
    form.get_by_label("Alasan").select_option(label="Bukti kinerja terbaru")
    form.get_by_label("Justifikasi tertulis").fill("Dua keluhan layanan tercatat tahun ini.")
    form.get_by_role("button", name="Pindahkan").click()
    expect(page.locator(".alert-success")).to_contain_text("(usulan; berlaku setelah rapat difinalkan)")
    expect(page.get_by_test_id("zona-8").get_by_test_id(f"kartu-{star.pk}")).to_contain_text("Theresia Lanting")
    expect(page.get_by_test_id("zona-8").get_by_test_id(f"usulan-{star.pk}")).to_have_text("9 → 8")

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
