"""API personas (a token client for each persona of tests/conftest.py) and a small world: Sambas
(6101) with placements and a succession target, Bengkayang (6102) with one pegawai of its own."""

import pytest
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.test import APIClient

from api.services import token_create
from api.throttling import AnonymousThrottle, PerUserThrottle
from asn.models import Jenjang
from assessment.models import SkpResult
from talenta import pipeline
from tests.conftest import persona_client
from tests.factories import JabatanFactory, PegawaiFactory, SkpResultFactory, talent


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


# The personas of tests/conftest.py, each holding an API token instead of a session.
api_operator = persona_client("operator", token_client)
api_ppk = persona_client("ppk", token_client)
api_outsider = persona_client("outsider", token_client)
api_bkn = persona_client("bkn", token_client)
api_admin = persona_client("province_admin", token_client)


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
    ready = talent(feeding, "198001012005011001", lembaga="UPT Penilaian")
    later = talent(feeding, "198201012007011001", levels=(2,) * 9, lembaga="UPT Penilaian")
    other = PegawaiFactory(nip="198703152010012002", jabatan__unit_kerja__instansi=bengkayang)
    other_skp = SkpResultFactory(pegawai=other, tahun=2025, predikat="Baik")
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
