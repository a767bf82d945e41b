"""Unduh data saya (UU 27/2022): an ASN downloads what Talenta holds about them, and nothing else."""

import json

import pytest

from asn.models import Role, User
from tests.factories import PegawaiFactory

pytestmark = pytest.mark.django_db

URL = "/saya/data-saya/unduh/"


def _asn_client(client_factory, pegawai):
    user = User.objects.create_user(
        username=pegawai.nip, password="rahasia-123", role=Role.PEGAWAI, instansi=pegawai.instansi, pegawai=pegawai
    )
    client_factory.force_login(user)
    return client_factory


def test_asn_downloads_own_data(client, sambas, pegawai_sambas):
    _asn_client(client, pegawai_sambas)
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="data-saya-{pegawai_sambas.nip}.json"'
    data = json.loads(response.content)
    assert data["pegawai"]["nip"] == pegawai_sambas.nip
    assert data["akun"] == {"username": pegawai_sambas.nip, "role": Role.PEGAWAI}
    assert set(data) == {"akun", "pegawai", "skp", "asesmen", "hukuman_disiplin", "penempatan", "usulan_portofolio"}


def test_other_asn_of_same_instansi_gets_only_own_data(client, sambas, pegawai_sambas):
    colleague = PegawaiFactory(jabatan__unit_kerja__instansi=sambas)
    _asn_client(client, colleague)
    data = json.loads(client.get(URL).content)
    assert data["pegawai"]["nip"] == colleague.nip
    assert pegawai_sambas.nip not in json.dumps(data)


def test_staff_and_outsider_get_404(operator_client, outsider_client):
    assert operator_client.get(URL).status_code == 404
    assert outsider_client.get(URL).status_code == 404


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")


def test_home_offers_the_download_to_asn_only(client, operator_client, sambas, pegawai_sambas):
    _asn_client(client, pegawai_sambas)
    assert 'href="/saya/data-saya/unduh/"' in client.get("/").content.decode()
    assert 'href="/saya/data-saya/unduh/"' not in operator_client.get("/").content.decode()
