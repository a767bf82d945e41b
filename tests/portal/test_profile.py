"""Profil talenta saya: the ASN's own box explained, what would change it, their development plan
and whether they are a successor candidate, with nobody else's data on the page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from asn.models import Jenjang, Role
from asn.reference import KOMPETENSI_FIELDS
from assessment.models import Asesmen, SkpResult
from assessment.services import record_save
from succession.models import ItemRencana
from succession.services import nomination_create, plan_item_save
from talenta import pipeline
from tests.factories import JabatanFactory, PegawaiFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/saya/"


def _asn_client(pegawai) -> Client:
    client = Client()
    client.force_login(UserFactory(username=pegawai.nip, role=Role.PEGAWAI, instansi=pegawai.instansi, pegawai=pegawai))
    return client


def _assessed(jabatan, nip, nama, *, user, predikat=("Sangat Baik", "Baik")):
    pegawai = PegawaiFactory(nip=nip, nama=nama, jabatan=jabatan, golongan_id="III/d", pendidikan_id="S2")
    for tahun, value in zip((2025, 2024), predikat, strict=True):
        record_save(user=user, record=SkpResult(pegawai=pegawai), data={"tahun": tahun, "predikat": value})
    record_save(
        user=user,
        record=Asesmen(pegawai=pegawai),
        data={
            "tanggal_asesmen": dt.date(2024, 3, 10),
            "lembaga": "UPT Penilaian Kompetensi",
            "skor_potensi": Decimal(72),
        }
        | dict(zip(KOMPETENSI_FIELDS, (4, 3, 3, 3, 4, 3, 3, 3, 3), strict=True)),
    )
    return pegawai


@pytest.fixture
def world(operator, periode_2026, sambas):
    target = JabatanFactory(
        unit_kerja__instansi=sambas,
        nama="Kepala Bidang Mutasi",
        jenjang=Jenjang.objects.get(nama="Administrator"),
        kritikal=True,
        dalam_struktur=True,
    )
    feeding = JabatanFactory(
        unit_kerja=target.unit_kerja, nama="Kepala Seksi", jenjang=Jenjang.objects.get(nama="Pengawas")
    )
    agnes = _assessed(feeding, "198001012005012001", "Agnes Daeng", user=operator)
    budi = _assessed(feeding, "198201012007011001", "Budi Rivaldi", user=operator, predikat=("Baik", "Baik"))
    lain = _assessed(feeding, "198101012006011001", "Yohanes Kalis", user=operator)
    incomplete = PegawaiFactory(nip="199001012015011001", nama="Citra Ayu", jabatan=feeding)
    record_save(user=operator, record=SkpResult(pegawai=incomplete), data={"tahun": 2025, "predikat": "Baik"})
    pipeline.refresh_now(periode_id=periode_2026.pk)
    (nomination,) = nomination_create(user=operator, periode=periode_2026, jabatan=target, pegawai_ids=[agnes.pk])
    plan_item_save(
        user=operator,
        item=ItemRencana(nominasi=nomination),
        data={"judul": "Rotasi ke bidang mutasi", "jenis": "rotasi", "tanggal_target": dt.date(2026, 12, 31)},
    )
    return {"agnes": agnes, "budi": budi, "lain": lain, "incomplete": incomplete}


def test_asn_reads_their_box_plan_and_candidacy_without_anyone_else(world):
    page = _asn_client(world["agnes"]).get(PAGE).content.decode()
    assert "Agnes Daeng" in page
    assert "Periode 2026</a>:\n      kotak <strong>9</strong> (Di Atas Ekspektasi · potensial Tinggi)" in page
    # The profile's own explanation, without the operator's edit links.
    assert "Skor kinerja (K) → Di Atas Ekspektasi" in page
    assert "UPT Penilaian Kompetensi" in page
    assert "/penilaian/catatan/" not in page and "Tambah</a>" not in page
    # Box 9 with both scores at the top: nothing to reach for.
    assert 'data-testid="what-would-change"' not in page
    assert "Rotasi ke bidang mutasi" in page
    assert "Dinominasikan untuk <strong>Kepala Bidang Mutasi</strong>, periode 2026: diusulkan" in page
    assert "Kandidat suksesor untuk <strong>Kepala Bidang Mutasi</strong>" in page
    # The other candidates of the same target stay hidden.
    for other in ("Yohanes Kalis", "198101012006011001", "Budi Rivaldi", "Citra Ayu"):
        assert other not in page


def test_the_distance_to_the_next_category_is_said_in_the_asn_words(world):
    page = _asn_client(world["budi"]).get(PAGE).content.decode()
    assert "Skor kinerja Anda 80; kategori Di Atas Ekspektasi mulai 90 (rata-rata SKP)." in page
    assert "Skor potensial Anda" not in page  # already Tinggi
    assert "Belum ada rencana pengembangan untuk Anda." in page
    assert "Dinominasikan untuk" not in page
    assert "Agnes Daeng" not in page


def test_an_incomplete_placement_says_what_is_missing(world):
    page = _asn_client(world["incomplete"]).get(PAGE).content.decode()
    notes = page.split('data-testid="what-would-change"', 1)[1].split("</section>", 1)[0]
    assert notes.count("<li>") == 1
    assert (
        "<li>Anda belum memiliki hasil asesmen kompetensi sampai tanggal acuan 31-01-2026; "
        "tanpa asesmen, potensial Anda tidak dapat dihitung.</li>"
    ) in notes


def test_staff_and_outsiders_have_no_own_profile(operator_client, ppk_client, outsider_client, world):
    for client in (operator_client, ppk_client, outsider_client):
        assert client.get(PAGE).status_code == 404
