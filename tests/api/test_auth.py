"""Authentication: personal tokens (hashed, revocable, last used), session with CSRF, throttling."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken, hash_key
from api.services import token_create
from asn.models import Role
from tests.factories import UserFactory

from .conftest import token_client

pytestmark = pytest.mark.django_db

PEGAWAI = "/api/v1/pegawai/"
TOKENS = "/api/v1/token/"


def _with_key(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_without_credentials_401_names_the_token_scheme(reference_data):
    response = APIClient().get(PEGAWAI)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Data autentikasi tidak diberikan."}


def test_only_a_hash_of_the_key_is_stored_and_the_key_works(operator):
    token, key = token_create(actor=operator, owner=operator, nama="SIMPEG")
    stored = ApiToken.objects.get()
    assert stored.kunci_hash == hash_key(key) != key
    assert stored.awalan == key[:8]
    assert key not in str(ApiToken.objects.values().get())
    assert _with_key(key).get(PEGAWAI).status_code == 200


@pytest.mark.parametrize("header", ["Token salah", "Token", "Token a b", "token " + "0" * 40])
def test_a_wrong_or_malformed_token_is_401(reference_data, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get(PEGAWAI)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_revoked_token_is_rejected_at_once(operator):
    token, key = token_create(actor=operator, owner=operator, nama="SIMPEG")
    client = _with_key(key)
    assert client.get(PEGAWAI).status_code == 200
    assert client.delete(f"{TOKENS}{token.pk}/").status_code == 204
    response = client.get(PEGAWAI)
    assert response.status_code == 401
    assert response.json()["detail"] == "Token tidak valid atau sudah dicabut."


def test_a_deactivated_user_token_is_rejected(operator):
    client = token_client(operator)
    operator.is_active = False
    operator.save()
    assert client.get(PEGAWAI).status_code == 401


def test_last_used_is_written_at_most_once_a_minute(operator):
    token, key = token_create(actor=operator, owner=operator, nama="SIMPEG")
    client = _with_key(key)
    assert token.terakhir_dipakai is None
    client.get(TOKENS)
    first = ApiToken.objects.get().terakhir_dipakai
    assert first is not None
    client.get(TOKENS)
    assert ApiToken.objects.get().terakhir_dipakai == first
    # A minute later the next request moves it.
    ApiToken.objects.update(terakhir_dipakai=first - dt.timedelta(minutes=2))
    client.get(TOKENS)
    assert ApiToken.objects.get().terakhir_dipakai > first


def test_user_creates_a_token_in_the_browser_and_sees_the_key_once(operator, operator_client):
    response = operator_client.post(TOKENS, {"nama": "SIMPEG Sambas"}, content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["pengguna"] == "operator-sambas" and body["aktif"] is True
    assert len(body["kunci"]) == 40 and body["awalan"] == body["kunci"][:8]
    assert "kunci" not in operator_client.get(f"{TOKENS}{body['id']}/").json()
    assert "kunci" not in operator_client.get(TOKENS).json()["results"][0]
    assert _with_key(body["kunci"]).get(PEGAWAI).status_code == 200


def test_a_token_cannot_create_another_token(api_operator):
    response = api_operator.post(TOKENS, {"nama": "lagi"}, format="json")
    assert response.status_code == 403
    assert ApiToken.objects.count() == 1


def test_session_writes_need_the_csrf_token(operator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(operator)
    response = client.post(TOKENS, {"nama": "tanpa CSRF"}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not ApiToken.objects.exists()


def test_users_see_and_revoke_only_their_own_tokens(operator, ppk, api_operator):
    theirs, _ = token_create(actor=ppk, owner=ppk, nama="milik PPK")
    listed = api_operator.get(TOKENS).json()["results"]
    assert [t["pengguna"] for t in listed] == ["operator-sambas"]
    assert api_operator.get(f"{TOKENS}{theirs.pk}/").status_code == 404
    assert api_operator.delete(f"{TOKENS}{theirs.pk}/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.aktif


def test_user_cannot_create_a_token_for_someone_else(operator_client, ppk):
    response = operator_client.post(TOKENS, {"nama": "x", "pengguna": ppk.username}, content_type="application/json")
    assert response.status_code == 403
    assert not ApiToken.objects.filter(user=ppk).exists()


def test_admin_creates_and_revokes_a_token_for_anyone(admin_client_province, province_admin, operator):
    response = admin_client_province.post(
        TOKENS, {"nama": "SIMPEG", "pengguna": operator.username}, content_type="application/json"
    )
    assert response.status_code == 201
    token = ApiToken.objects.get(pk=response.json()["id"])
    assert (token.user, token.dibuat_oleh) == (operator, province_admin)
    assert admin_client_province.delete(f"{TOKENS}{token.pk}/").status_code == 204
    token.refresh_from_db()
    assert token.dicabut is not None and token.dicabut_oleh == province_admin
    revoked_at = token.dicabut
    # Revoking again keeps the first time.
    assert admin_client_province.delete(f"{TOKENS}{token.pk}/").status_code == 204
    token.refresh_from_db()
    assert token.dicabut == revoked_at


def test_instansi_admin_manages_only_their_instansi(sambas, bengkayang):
    admin = UserFactory(role=Role.ADMIN, instansi=sambas)
    client = Client()
    client.force_login(admin)
    stranger = UserFactory(role=Role.OPERATOR, instansi=bengkayang)
    response = client.post(TOKENS, {"nama": "x", "pengguna": stranger.username}, content_type="application/json")
    assert response.status_code == 404
    own = UserFactory(role=Role.OPERATOR, instansi=sambas)
    response = client.post(TOKENS, {"nama": "x", "pengguna": own.username}, content_type="application/json")
    assert response.status_code == 201


def test_token_list_filters_active(operator, api_operator):
    revoked, _ = token_create(actor=operator, owner=operator, nama="lama")
    revoked.dicabut = timezone.now()
    revoked.save()
    assert api_operator.get(TOKENS, {"aktif": "true"}).json()["count"] == 1
    assert api_operator.get(TOKENS, {"aktif": "false"}).json()["count"] == 1
    assert api_operator.get(TOKENS).json()["count"] == 2


def test_requests_are_throttled_per_user(settings, operator, api_operator, api_ppk):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"user": "3/minute", "anon": None}}
    # A second token of the same user shares the budget.
    second = token_client(operator)
    assert [api_operator.get(TOKENS).status_code for _ in range(2)] == [200, 200]
    assert second.get(TOKENS).status_code == 200
    response = second.get(TOKENS)
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Terlalu banyak permintaan; coba lagi dalam ")
    # Another user has their own budget.
    assert api_ppk.get(TOKENS).status_code == 200


def test_server_admin_creates_a_token_from_the_command_line(operator, capsys):
    call_command("create_api_token", "operator-sambas", "--nama", "SIMPEG")
    key = capsys.readouterr().out.strip()
    assert ApiToken.objects.get().nama == "SIMPEG"
    assert _with_key(key).get(PEGAWAI).status_code == 200
    with pytest.raises(CommandError):
        call_command("create_api_token", "tidak-ada")


def test_admin_site_lists_tokens_without_their_hash_and_revokes_them(operator, reference_data):
    token, _ = token_create(actor=operator, owner=operator, nama="SIMPEG")
    superuser = UserFactory(role=Role.ADMIN, instansi=None, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(superuser)
    page = client.get("/admin/api/apitoken/")
    assert page.status_code == 200 and "SIMPEG" in page.text
    assert token.kunci_hash not in client.get(f"/admin/api/apitoken/{token.pk}/change/").text
    response = client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.dicabut_oleh == superuser
