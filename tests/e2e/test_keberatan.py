"""The objection loop in a browser: an ASN reads their box and objects to their SKP with a PDF, the
operator reviews, the Tim Talenta accepts, the operator corrects the SKP through the normal form,
and the ASN sees their new box and the decision."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from asn.models import Jenjang, Role
from asn.reference import KOMPETENSI_FIELDS
from assessment.models import Asesmen, Periode, SkpResult
from assessment.services import record_save
from portal.services import jendela_save
from talenta import pipeline
from tests.e2e.conftest import login
from tests.factories import JabatanFactory, PegawaiFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NIP = "198001012005012001"


def _logout(page):
    page.get_by_role("button", name="Keluar").click()


@pytest.fixture
def world(operator, sambas):
    periode = Periode.objects.create(tahun=2026, tanggal_acuan=dt.date(2026, 1, 31))
    jabatan = JabatanFactory(unit_kerja__instansi=sambas, jenjang=Jenjang.objects.get(nama="Pengawas"))
    pegawai = PegawaiFactory(nip=NIP, nama="Agnes Daeng", jabatan=jabatan, golongan_id="III/d", pendidikan_id="S2")
    for tahun, predikat in ((2025, "Baik"), (2024, "Baik")):
        record_save(user=operator, record=SkpResult(pegawai=pegawai), data={"tahun": tahun, "predikat": predikat})
    record_save(
        user=operator,
        record=Asesmen(pegawai=pegawai),
        data={
            "tanggal_asesmen": dt.date(2024, 3, 10),
            "lembaga": "UPT Penilaian Kompetensi",
            "skor_potensi": Decimal(72),
        }
        | dict(zip(KOMPETENSI_FIELDS, (4, 3, 3, 3, 4, 3, 3, 3, 3), strict=True)),
    )
    pipeline.refresh_now(periode_id=periode.pk)
    today = timezone.localdate()
    jendela_save(user=operator, periode=periode, instansi=sambas, dibuka=today, ditutup=today + dt.timedelta(days=14))
    UserFactory(username=NIP, role=Role.PEGAWAI, instansi=sambas, pegawai=pegawai)
    return {"tim": UserFactory(username="tim-sambas", role=Role.TIM_TALENTA, instansi=sambas)}


def test_an_objection_accepted_and_corrected_changes_the_asn_box(page, live_server, operator, world, tmp_path):
    evidence = tmp_path / "sk-skp-2025.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    login(page, live_server, NIP)
    page.get_by_role("link", name="Buka profil talenta saya").click()
    expect(page.get_by_test_id("my-boxes")).to_contain_text(
        "Periode 2026: kotak 8 (Sesuai Ekspektasi · potensial Tinggi)"
    )
    page.get_by_role("link", name="Keberatan saya").first.click()
    page.get_by_role("link", name="Ajukan keberatan").click()
    page.get_by_label("Komponen").select_option("skp")
    page.get_by_label("Kategori").select_option("data_tidak_sesuai")
    page.get_by_label("Uraian keberatan").fill("Predikat SKP 2025 saya Sangat Baik menurut SK, bukan Baik.")
    page.get_by_label("Berkas bukti").set_input_files(str(evidence))
    page.get_by_role("button", name="Ajukan").click()
    expect(page.get_by_test_id("keberatan-status")).to_have_text("Diajukan")
    expect(page.get_by_role("link", name="sk-skp-2025.pdf")).to_be_visible()
    detail = page.url
    _logout(page)

    login(page, live_server, operator.username)
    page.get_by_role("link", name="Daftar keberatan").click()
    page.get_by_test_id("keberatan-inbox").get_by_role("link").first.click()
    page.get_by_label("Catatan tinjauan").fill("SK SKP 2025 memang menyebut Sangat Baik.")
    page.get_by_role("button", name="Simpan tinjauan").click()
    expect(page.get_by_test_id("keberatan-status")).to_have_text("Ditinjau operator")
    _logout(page)

    login(page, live_server, world["tim"].username)
    page.goto(detail)
    page.get_by_label("Diterima").check()
    page.get_by_label("Alasan keputusan").fill("Predikat dikoreksi sesuai SK penilaian kinerja 2025.")
    page.get_by_role("button", name="Simpan keputusan").click()
    expect(page.get_by_test_id("keberatan-status")).to_have_text("Diterima")
    _logout(page)

    login(page, live_server, operator.username)
    page.goto(detail)
    page.get_by_role("link", name="Buka data Kinerja (SKP) pegawai").click()
    page.get_by_test_id("skp-table").get_by_role("row", name="2025").get_by_role("link", name="Ubah").click()
    page.get_by_label("Predikat").select_option("Sangat Baik")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_test_id("skp-table")).to_contain_text("Sangat Baik")
    _logout(page)

    login(page, live_server, NIP)
    page.goto(f"{live_server.url}/saya/")
    expect(page.get_by_test_id("my-boxes")).to_contain_text(
        "Periode 2026: kotak 9 (Di Atas Ekspektasi · potensial Tinggi)"
    )
    page.goto(detail)
    expect(page.get_by_test_id("keberatan-alasan")).to_have_text(
        "Alasan: Predikat dikoreksi sesuai SK penilaian kinerja 2025."
    )
