"""API personas (a token client each) and a small world: Sambas (6101) with placements and a
succession target, Bengkayang (6102) with one pegawai of its own."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.test import APIClient

from api.services import token_create
from api.throttling import AnonymousThrottle, PerUserThrottle
from asn.models import Jenjang
from asn.reference import KOMPETENSI_FIELDS
from assessment.models import Asesmen, SkpResult
from talenta import pipeline
from tests.factories import JabatanFactory, PegawaiFactory


@pytest.fixture(autouse=True)
def _fresh_throttle(monkeypatch, request):
    """Throttle counters live in a cache and user ids repeat between tests: give each test its own,
    without clearing the shared cache (in CI a Redis database other tests may use)."""
    counters = LocMemCache(f"throttle-{request.node.nodeid}", {})
    counters.clear()
    for throttle in (PerUserThrottle, AnonymousThrottle):
        monkeypatch.setattr(throttle, "cache", counters)


def token_client(user) -> APIClient:
    _, key = token_create(actor=user, owner=user, nama="uji")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


@pytest.fixture
def api_operator(operator):
    return token_client(operator)


@pytest.fixture
def api_ppk(ppk):
    return token_client(ppk)


@pytest.fixture
def api_outsider(outsider):
    return token_client(outsider)


@pytest.fixture
def api_bkn(bkn):
    return token_client(bkn)


@pytest.fixture
def api_admin(province_admin):
    return token_client(province_admin)


def talent(jabatan, nip, *, levels=(3,) * 9, golongan="III/d", skor=Decimal(90)):
    """A pegawai with two SKP years and an assessment: complete, high in the map."""
    pegawai = PegawaiFactory(nip=nip, jabatan=jabatan, golongan_id=golongan, pendidikan_id="S2")
    SkpResult.objects.create(pegawai=pegawai, tahun=2025, predikat="Sangat Baik")
    SkpResult.objects.create(pegawai=pegawai, tahun=2024, predikat="Sangat Baik")
    Asesmen.objects.create(
        pegawai=pegawai, tanggal_asesmen=dt.date(2024, 6, 1), lembaga="UPT Penilaian", skor_potensi=skor,
        **dict(zip(KOMPETENSI_FIELDS, levels, strict=True)),
    )  # fmt: skip
    return pegawai


@pytest.fixture
def world(periode_2026, sambas, bengkayang, pegawai_sambas):
    """Sambas: a critical Administrator target fed by two Pengawas talents, plus one pegawai without
    data (incomplete). Bengkayang: one pegawai with an SKP. Placements and candidates computed."""
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
    ready = talent(feeding, "198001012005011001")
    later = talent(feeding, "198201012007011001", levels=(2,) * 9)
    other = PegawaiFactory(nip="198703152010012002", jabatan__unit_kerja__instansi=bengkayang)
    other_skp = SkpResult.objects.create(pegawai=other, tahun=2025, predikat="Baik")
    pipeline.refresh_now(periode_id=periode_2026.pk)
    return {
        "periode": periode_2026,
        "target": target,
        "ready": ready,
        "later": later,
        "incomplete": pegawai_sambas,
        "other": other,
        "other_skp": other_skp,
        "sambas_skp": SkpResult.objects.get(pegawai=ready, tahun=2025),
    }
