"""The shared test world: three personas around instansi 6101 (Kabupaten Sambas).

- `operator`: HR officer of 6101, reads and writes its data (the right role);
- `ppk`: PPK of 6101, reads only (a weaker role: 403 on writes);
- `outsider`: operator of 6102 (Bengkayang), must never see 6101's data (404).
"""

import datetime as dt
import os

import pytest
from django.apps import apps as django_apps
from django.test import Client

from asn.models import Instansi, Role
from asn.reference import load_reference_data
from assessment.defaults import load_default_scheme
from assessment.models import Periode, Skema

from .factories import PegawaiFactory, UserFactory


def require_service(name: str, available: bool) -> None:
    """Skip locally when a real service is not configured; in CI a missing service fails the run."""
    if available:
        return
    message = f"{name} tidak dikonfigurasi untuk pengujian ini"
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI wajib memakai layanan sungguhan)")
    pytest.skip(message)


@pytest.fixture
def reference_data(db):
    """The migrations' reference rows; a transactional test's flush removes them, so reload."""
    if not Instansi.objects.exists():
        load_reference_data(django_apps)
    if not Skema.objects.filter(bawaan=True).exists():
        load_default_scheme(django_apps)


@pytest.fixture
def sambas(reference_data):
    return Instansi.objects.get(kode="6101")


@pytest.fixture
def bengkayang(reference_data):
    return Instansi.objects.get(kode="6102")


@pytest.fixture
def operator(sambas):
    return UserFactory(username="operator-sambas", role=Role.OPERATOR, instansi=sambas)


@pytest.fixture
def ppk(sambas):
    return UserFactory(username="ppk-sambas", role=Role.PPK, instansi=sambas)


@pytest.fixture
def outsider(bengkayang):
    return UserFactory(username="operator-bengkayang", role=Role.OPERATOR, instansi=bengkayang)


@pytest.fixture
def bkn(reference_data):
    return UserFactory(username="monitor-bkn", role=Role.BKN, instansi=None)


@pytest.fixture
def province_admin(reference_data):
    return UserFactory(username="admin-provinsi", role=Role.ADMIN, instansi=None)


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def operator_client(operator):
    return _client_for(operator)


@pytest.fixture
def ppk_client(ppk):
    return _client_for(ppk)


@pytest.fixture
def outsider_client(outsider):
    return _client_for(outsider)


@pytest.fixture
def bkn_client(bkn):
    return _client_for(bkn)


@pytest.fixture
def admin_client_province(province_admin):
    return _client_for(province_admin)


@pytest.fixture
def pegawai_sambas(sambas):
    return PegawaiFactory(jabatan__unit_kerja__instansi=sambas)


@pytest.fixture
def periode_2026(reference_data):
    return Periode.objects.create(tahun=2026, tanggal_acuan=dt.date(2026, 1, 31))
