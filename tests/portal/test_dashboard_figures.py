"""ASN accounts activated, per instansi: a portal selector and its block on the provincial dashboard."""

import pytest
from django.utils import timezone

from asn.models import Role, User
from portal.selectors import asn_accounts_activated
from tests.factories import PegawaiFactory

pytestmark = pytest.mark.django_db


def _asn(pegawai, *, logged_in):
    return User.objects.create_user(
        username=pegawai.nip,
        password="rahasia-123",
        role=Role.PEGAWAI,
        instansi=pegawai.instansi,
        pegawai=pegawai,
        last_login=timezone.now() if logged_in else None,
    )


def test_accounts_and_logins_are_counted_per_instansi(sambas, bengkayang, bkn, operator, outsider):
    _asn(PegawaiFactory(jabatan__unit_kerja__instansi=sambas), logged_in=True)
    _asn(PegawaiFactory(jabatan__unit_kerja__instansi=sambas), logged_in=False)
    _asn(PegawaiFactory(jabatan__unit_kerja__instansi=bengkayang), logged_in=False)
    expected_sambas = {"instansi__kode": sambas.kode, "instansi__nama": sambas.nama, "akun": 2, "aktif": 1}
    expected_bengkayang = {"instansi__kode": bengkayang.kode, "instansi__nama": bengkayang.nama, "akun": 1, "aktif": 0}
    assert asn_accounts_activated(user=bkn) == [expected_sambas, expected_bengkayang]
    # An instansi's own staff see their instansi only; the outsider sees none of 6101's.
    assert asn_accounts_activated(user=operator) == [expected_sambas]
    assert asn_accounts_activated(user=outsider) == [expected_bengkayang]


def test_provincial_dashboard_shows_the_block(bkn_client, sambas, periode_2026):
    _asn(PegawaiFactory(jabatan__unit_kerja__instansi=sambas), logged_in=True)
    page = bkn_client.get("/penilaian/provinsi/").content.decode()
    assert 'data-testid="portal-asn-accounts"' in page
    assert f'<td>{sambas.nama}</td><td class="text-end">1</td><td class="text-end">1</td>' in page
