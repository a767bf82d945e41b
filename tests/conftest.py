"""The shared test world: three personas around instansi 6101 (Kabupaten Sambas).

- `operator`: HR officer of 6101, reads and writes its data (the right role);
- `ppk`: PPK of 6101, reads only (a weaker role: 403 on writes);
- `outsider`: operator of 6102 (Bengkayang), must never see 6101's data (404);
- `tim`, `bkn`, `province_admin`: the talent team of 6101, the BKN monitor, the province's admin.

Each has a session client here (`operator_client`, ...) and a token client in tests/api/conftest.py.
"""

import os
from collections.abc import Callable

import pytest
from django.apps import apps as django_apps
from django.test import Client

from asn.models import Instansi, Role
from asn.reference import load_reference_data
from assessment.defaults import load_default_scheme
from assessment.models import Skema

from .factories import PegawaiFactory, PeriodeFactory, UserFactory


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
def tim(sambas):
    return UserFactory(username="tim-sambas", role=Role.TIM_TALENTA, instansi=sambas)


@pytest.fixture
def bkn(reference_data):
    return UserFactory(username="monitor-bkn", role=Role.BKN, instansi=None)


@pytest.fixture
def province_admin(reference_data):
    return UserFactory(username="admin-provinsi", role=Role.ADMIN, instansi=None)


def client_for(user) -> Client:
    """A browser session logged in as `user`."""
    client = Client()
    client.force_login(user)
    return client


def persona_client(persona: str, log_in: Callable):
    """A fixture: the user of the persona fixture named `persona`, logged in by `log_in`.

    The personas are built above only; a session and an API token are two ways to log them in.
    """

    @pytest.fixture
    def logged_in(request):
        return log_in(request.getfixturevalue(persona))

    return logged_in


operator_client = persona_client("operator", client_for)
ppk_client = persona_client("ppk", client_for)
outsider_client = persona_client("outsider", client_for)
bkn_client = persona_client("bkn", client_for)
admin_client_province = persona_client("province_admin", client_for)


@pytest.fixture
def pegawai_sambas(sambas):
    return PegawaiFactory(jabatan__unit_kerja__instansi=sambas)


@pytest.fixture
def periode_2026(reference_data):
    return PeriodeFactory(tahun=2026)
