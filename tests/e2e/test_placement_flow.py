"""An operator imports the four files of an instansi and reads the placement on a profile."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from assessment.models import Periode
from talenta.tabular import write_xlsx
from tests.asn.test_import_pegawai import HEADERS, row
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NIP = "198609262015051001"
COMPETENCIES = [
    "integritas", "kerja_sama", "komunikasi", "orientasi_pada_hasil", "pelayanan_publik",
    "pengembangan_diri_dan_orang_lain", "mengelola_perubahan", "pengambilan_keputusan", "perekat_bangsa",
]  # fmt: skip


def _import(page, live_server, kind, path, expected_new):
    page.goto(f"{live_server.url}/asn/impor/")
    page.get_by_label("Jenis data").select_option(kind)
    page.get_by_label("Berkas (.xlsx atau .csv)").set_input_files(str(path))
    page.get_by_role("button", name="Unggah dan periksa").click()
    expect(page.get_by_test_id("plan-baru")).to_have_text(expected_new)
    if kind == "pegawai":
        # The file creates its unit kerja and jabatan: the operator accepts them explicitly.
        page.get_by_label("Saya sudah memeriksa").check()
    page.get_by_role("button", name="Konfirmasi dan simpan").click()
    expect(page.get_by_test_id("import-done")).to_be_visible()


def test_four_imports_then_the_box_and_its_explanation(page, live_server, operator, tmp_path):
    Periode.objects.create(tahun=2026, tanggal_acuan=dt.date(2026, 1, 31))
    files = {
        "pegawai": (HEADERS, [row(), row(nip="199001012020122001", nama="Maria Ngadan", jenjang="Pelaksana")]),
        "kinerja": (
            ["nip", "tahun", "predikat", "rating_hasil_kerja", "rating_perilaku"],
            [[NIP, 2025, "Sangat Baik", "", ""], [NIP, 2024, "", "Sesuai Ekspektasi", "Sesuai Ekspektasi"]],
        ),
        "asesmen": (
            ["nip", "tanggal_asesmen", "lembaga", "skor_potensi", *COMPETENCIES],
            [[NIP, dt.datetime(2024, 3, 10), "UPT Penilaian Kompetensi BKD Kalbar", 72, 4, 3, 3, 3, 4, 3, 3, 3, 3]],
        ),
        "disiplin": (
            ["nip", "tingkat", "tanggal_sk", "keterangan"],
            [["199001012020122001", "Ringan", "2025-06-02", "Teguran lisan"]],
        ),
    }
    login(page, live_server, operator.username)
    expected_new = {"pegawai": "2", "kinerja": "2", "asesmen": "1", "disiplin": "1"}
    for kind, (headers, rows) in files.items():
        path = tmp_path / f"{kind}.xlsx"
        path.write_bytes(write_xlsx(headers, rows, sheet_title=kind))
        _import(page, live_server, kind, path, expected_new[kind])

    page.goto(f"{live_server.url}/asn/pegawai/?q={NIP}")
    page.get_by_role("link", name="Yohanes Apui").click()
    box = page.get_by_test_id("box")
    expect(box).to_contain_text("9")
    expect(box).to_contain_text("Di Atas Ekspektasi · potensial Tinggi")
    expect(page.get_by_test_id("krs")).to_have_text("KRS Instansi/Nasional")
    expect(page.get_by_test_id("potensial-explanation")).to_contain_text("83,22")
    expect(page.get_by_test_id("kinerja-explanation")).to_contain_text("90,00")
    expect(page.get_by_test_id("jpm")).to_contain_text("107,41 · Optimal")
    expect(page.locator("#radar-kompetensi")).to_be_visible()

    page.goto(f"{live_server.url}/asn/pegawai/?q=199001012020122001")
    page.get_by_role("link", name="Maria Ngadan").click()
    expect(page.get_by_test_id("incomplete")).to_contain_text("Data asesmen tidak ada")
    page.screenshot(path=str(tmp_path / "tidak-lengkap.png"), full_page=True)
