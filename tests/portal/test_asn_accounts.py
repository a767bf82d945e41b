"""ASN accounts opened in bulk by the instansi's operator: username the NIP, a one-time password
shown once and downloadable once, a new password at the first sign-in, and then only the portal."""

import io
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from openpyxl import load_workbook

from api.services import token_create
from asn.models import Role, User
from tests.factories import PegawaiFactory, UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/pengguna/akun-asn/"
SHEET = "/pengguna/akun-asn/lembar-sandi/"


@pytest.fixture
def sambas_pegawai(sambas):
    return [
        PegawaiFactory(nip="198609262015051001", nama="Agnes Daeng", jabatan__unit_kerja__instansi=sambas),
        PegawaiFactory(nip="199001012015011002", nama="Budi Santoso", jabatan__unit_kerja__instansi=sambas),
    ]


def _credentials(html: str) -> dict[str, str]:
    """NIP → one-time password, read off the page the operator sees once."""
    table = html.split('data-testid="one-time-passwords"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<td class="font-monospace">(\d{18})</td>.*?<td class="font-monospace">(\w+)</td>', table)
    return dict(rows)


def _sign_in(nip: str, password: str) -> Client:
    client = Client()
    response = client.post("/masuk/", {"username": nip, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def test_operator_opens_accounts_once_and_downloads_the_sheet_once(operator_client, sambas, sambas_pegawai, bengkayang):
    PegawaiFactory(nip="198501012010011001", jabatan__unit_kerja__instansi=bengkayang)
    page = operator_client.get(PAGE).content.decode()
    assert "Pegawai yang belum memiliki akun: <strong>2</strong>" in page

    response = operator_client.post(PAGE)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "2 akun ASN Kabupaten Sambas dibuat." in html
    credentials = _credentials(html)
    assert set(credentials) == {"198609262015051001", "199001012015011002"}
    assert all(len(password) == 12 for password in credentials.values())

    accounts = User.objects.filter(role=Role.PEGAWAI).order_by("username")
    assert [(a.username, a.nip, a.instansi.kode, a.pegawai.nama, a.wajib_ganti_sandi) for a in accounts] == [
        ("198609262015051001", "198609262015051001", "6101", "Agnes Daeng", True),
        ("199001012015011002", "199001012015011002", "6101", "Budi Santoso", True),
    ]
    # The hash is stored, never the password; the account history names the operator.
    assert all(password not in a.password for a, password in zip(accounts, credentials.values(), strict=True))
    assert accounts[0].history.get().history_user.username == "operator-sambas"

    sheet = operator_client.post(SHEET)
    assert sheet["Content-Disposition"] == 'attachment; filename="akun-asn-6101.xlsx"'
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("NIP (nama pengguna)", "Nama", "Unit kerja", "Sandi sekali pakai")
    assert {row[0]: row[3] for row in rows[1:]} == credentials
    # Once: the second download finds nothing and says what to do instead.
    again = operator_client.post(SHEET, follow=True)
    assert "Lembar sandi sekali pakai sudah diunduh atau tidak ada." in again.content.decode()

    # A second run opens nothing new: everyone has an account.
    assert "Semua pegawai instansi ini sudah memiliki akun." in operator_client.get(PAGE).content.decode()
    assert "0 akun ASN Kabupaten Sambas dibuat." in operator_client.post(PAGE).content.decode()
    assert User.objects.filter(role=Role.PEGAWAI).count() == 2


def test_a_nip_already_used_as_a_username_is_reported_not_merged(operator_client, sambas, sambas_pegawai):
    UserFactory(username="199001012015011002", role=Role.PPK, instansi=sambas)
    page = operator_client.get(PAGE).content.decode()
    assert "sudah dipakai sebagai nama pengguna akun lain" in page
    assert "199001012015011002." in page
    credentials = _credentials(operator_client.post(PAGE).content.decode())
    assert set(credentials) == {"198609262015051001"}
    assert User.objects.get(username="199001012015011002").role == Role.PPK


def test_weaker_roles_cannot_open_accounts_and_an_outsider_opens_only_its_own(
    ppk_client, outsider_client, sambas_pegawai
):
    assert ppk_client.get(PAGE).status_code == 403
    assert ppk_client.post(PAGE).status_code == 403
    assert ppk_client.post(SHEET).status_code == 403
    # The operator of 6102 opens the accounts of 6102: Sambas's pegawai stay without one.
    assert "0 akun ASN Kabupaten Bengkayang dibuat." in outsider_client.post(PAGE).content.decode()
    assert not User.objects.filter(role=Role.PEGAWAI).exists()


def test_province_admin_picks_the_instansi(admin_client_province, sambas, sambas_pegawai):
    assert "Pegawai yang belum memiliki akun" not in admin_client_province.get(PAGE).content.decode()
    page = admin_client_province.get(PAGE, {"instansi": sambas.pk}).content.decode()
    assert "Pegawai yang belum memiliki akun: <strong>2</strong>" in page
    html = admin_client_province.post(PAGE, {"instansi": sambas.pk}).content.decode()
    assert "2 akun ASN Kabupaten Sambas dibuat." in html


def test_first_sign_in_requires_a_new_password_then_only_the_portal(operator_client, sambas_pegawai):
    credentials = _credentials(operator_client.post(PAGE).content.decode())
    asn = _sign_in("198609262015051001", credentials["198609262015051001"])

    # Every page leads to the password change first.
    for path in ("/", "/saya/", "/asn/pegawai/"):
        response = asn.get(path)
        assert (response.status_code, response["Location"]) == (302, "/sandi/ganti/"), path
    page = asn.get("/sandi/ganti/").content.decode()
    assert "Anda masuk dengan sandi sekali pakai." in page
    wrong = asn.post(
        "/sandi/ganti/",
        {"old_password": "salah", "new_password1": "Kapuas-Sambas-2026", "new_password2": "Kapuas-Sambas-2026"},
    )
    assert "Sandi lama Anda yang dimasukkan salah. Masukkan sekali lagi." in wrong.content.decode()
    done = asn.post(
        "/sandi/ganti/",
        {
            "old_password": credentials["198609262015051001"],
            "new_password1": "Kapuas-Sambas-2026",
            "new_password2": "Kapuas-Sambas-2026",
        },
    )
    assert (done.status_code, done["Location"]) == (302, "/sandi/ganti/selesai/")
    account = User.objects.get(username="198609262015051001")
    assert not account.wajib_ganti_sandi
    assert account.history.first().history_change_reason == "Sandi diganti oleh pemiliknya"

    # Now the ASN has their portal; every staff page is 404, even about themselves.
    assert asn.get("/").status_code == 200
    assert asn.get("/saya/").status_code == 200
    own = sambas_pegawai[0]
    for path in (
        "/asn/pegawai/",
        f"/asn/pegawai/{own.pk}/",
        "/penilaian/periode/",
        "/pengguna/",
        "/admin/",
        "/api/v1/pegawai/",
    ):
        assert asn.get(path).status_code == 404, path
    # And the new password is the one that works.
    _sign_in("198609262015051001", "Kapuas-Sambas-2026")


def test_an_asn_account_has_no_api_token(operator, sambas_pegawai):
    account = User.objects.create_user(
        username=sambas_pegawai[0].nip, role=Role.PEGAWAI, instansi=operator.instansi, pegawai=sambas_pegawai[0]
    )
    with pytest.raises(PermissionDenied, match="Anda tidak berhak membuat token untuk pengguna ini."):
        token_create(actor=account, owner=account, nama="coba")
