"""Login throttling: one account from one address is locked, not the whole office behind that address."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

OFFICE_IP = "10.61.1.20"
PASSWORD = "rahasia-uji"


def _office_client(ip=OFFICE_IP) -> Client:
    return Client(REMOTE_ADDR=ip)


def _log_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_five_failures_lock_one_account_from_one_address_and_an_admin_unlocks_it(
    operator, ppk, tim, admin_client_province
):
    # The PPK mistypes five times on the office's shared address.
    for _ in range(5):
        response = _log_in(_office_client(), ppk.username, "salah")
    assert response.status_code == 429

    # Locked, even with the right password, with the Indonesian message.
    locked = _log_in(_office_client(), ppk.username, PASSWORD)
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan masuk yang gagal" in locked.text
    assert (
        f"Demi keamanan, akun {ppk.username} dikunci sementara dari alamat jaringan ini setelah 5 kali gagal masuk. "
        "Coba lagi setelah 30 menit, atau minta admin BKD/BKPSDM membuka kuncinya di menu Pengguna."
    ) in locked.text
    assert SESSION_KEY not in _office_client().session

    # A colleague behind the same address still signs in.
    colleague = _office_client()
    assert _log_in(colleague, tim.username, PASSWORD).status_code == 302
    assert int(colleague.session[SESSION_KEY]) == tim.pk

    # The admin sees the lock on the account page and opens it.
    detail = reverse("users:detail", args=[ppk.pk])
    page = admin_client_province.get(detail)
    assert "Akun ini terkunci sementara karena terlalu banyak percobaan masuk yang gagal." in page.text
    response = admin_client_province.post(reverse("users:unlock", args=[ppk.pk]), follow=True)
    assert response.redirect_chain == [(detail, 302)]
    assert [str(m) for m in response.context["messages"]] == [
        f"Kunci masuk akun {ppk.username} dibuka; pemiliknya dapat masuk lagi."
    ]
    assert 'data-testid="lockout"' not in response.text
    assert ppk.history.latest().history_change_reason == "Kunci masuk dibuka"
    assert ppk.history.latest().history_user.username == "admin-provinsi"

    client = _office_client()
    assert _log_in(client, ppk.username, PASSWORD).status_code == 302
    assert int(client.session[SESSION_KEY]) == ppk.pk


def test_the_same_account_from_another_address_is_not_locked(ppk):
    for _ in range(5):
        _log_in(_office_client(), ppk.username, "salah")
    elsewhere = _office_client("10.61.2.30")
    assert _log_in(elsewhere, ppk.username, PASSWORD).status_code == 302


def test_unlocking_an_account_that_is_not_locked_says_so(admin_client_province, ppk):
    before = ppk.history.count()
    response = admin_client_province.post(reverse("users:unlock", args=[ppk.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [f"Akun {ppk.username} tidak sedang terkunci."]
    assert ppk.history.count() == before


def test_only_who_manages_the_account_may_unlock_it(operator_client, outsider_client, ppk_client, operator, ppk):
    for _ in range(5):
        _log_in(_office_client(), ppk.username, "salah")
    url = reverse("users:unlock", args=[ppk.pk])
    assert outsider_client.post(url).status_code == 404
    assert ppk_client.post(url).status_code == 403
    assert _log_in(_office_client(), ppk.username, PASSWORD).status_code == 429
    # The instansi's operator manages its PPK accounts (as for deactivating them).
    assert operator_client.post(url).status_code == 302
    assert _log_in(_office_client(), ppk.username, PASSWORD).status_code == 302


def test_a_failed_login_says_nama_pengguna_once(operator):
    response = _log_in(_office_client(), operator.username, "salah")
    assert response.status_code == 200
    assert "Nama pengguna atau sandi salah. Huruf besar dan kecil dibedakan." in response.text
    assert "nama pengguna nama pengguna" not in response.text.lower()
