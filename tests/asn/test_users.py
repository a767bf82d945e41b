"""Account management in the product (/pengguna/) and the one-time password link an admin hands over."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from api.services import token_create
from asn.models import Instansi, Role, User
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _create(client, **fields):
    data = {"username": "", "first_name": "", "last_name": "", "nip": "", "email": "", "role": "", "instansi": ""}
    return client.post(reverse("users:create"), {**data, **fields})


def _link_path(response) -> str:
    link = re.search(r'data-testid="password-link"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*data-testid="password-link"',
                     response.text)  # fmt: skip
    assert link, "the page shows the link"
    url = link.group(1) or link.group(2)
    return url.removeprefix("http://testserver")


def _log_in(username, password) -> Client:
    """Through the login page, as a person does (axes sees the request)."""
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code in (200, 302)
    return client


def _set_password(link_path, password, confirmation=None):
    client = Client()
    form_page = client.get(link_path, follow=True)
    return client, client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link_path,
        {"new_password1": password, "new_password2": confirmation or password},
    )


def test_admin_creates_an_operator_who_sets_a_password_through_the_link_once(admin_client_province, province_admin):
    response = _create(
        admin_client_province, username="operator-bengkayang-2", first_name="Rina", last_name="Wati",
        role=Role.OPERATOR, instansi=Instansi.objects.get(kode="6102").pk,
    )  # fmt: skip
    assert response.status_code == 200
    assert "Akun operator-bengkayang-2 (Operator BKD/BKPSDM, Kabupaten Bengkayang) dibuat." in response.text
    assert "no-store" in response["Cache-Control"]
    account = User.objects.get(username="operator-bengkayang-2")
    assert (account.role, account.instansi.kode, account.has_usable_password()) == (Role.OPERATOR, "6102", False)
    created = account.history.get()
    assert (created.history_type, created.history_user, created.history_change_reason) == (
        "+", province_admin, "Akun dibuat",
    )  # fmt: skip

    link = _link_path(response)
    _, saved = _set_password(link, "Kapuas-Hulu-2026")
    assert saved.status_code == 302 and saved["Location"] == reverse("password-set-done")
    signed_in = _log_in("operator-bengkayang-2", "Kapuas-Hulu-2026")
    assert int(signed_in.session[SESSION_KEY]) == account.pk
    assert account.history.latest().history_change_reason == "Sandi diatur lewat tautan sekali pakai"

    again = Client().get(link, follow=True)
    assert again.context["validlink"] is False
    assert "Tautan atur sandi ini sudah dipakai, kedaluwarsa, atau tidak lengkap." in again.text


def test_a_weak_password_is_refused_with_django_validators_in_indonesian(admin_client_province, sambas):
    response = _create(admin_client_province, username="ppk-baru", role=Role.PPK, instansi=sambas.pk)
    _, refused = _set_password(_link_path(response), "12345678")
    assert refused.status_code == 200
    assert "Kata sandi ini terlalu umum." in refused.text
    assert "Kata sandi ini seluruhnya terdiri dari angka." in refused.text
    assert not User.objects.get(username="ppk-baru").has_usable_password()


@pytest.mark.parametrize(
    ("role", "instansi_kode", "error"),
    [
        (Role.OPERATOR, None, "Peran Operator BKD/BKPSDM wajib memilih instansi."),
        (Role.PPK, None, "Peran PPK wajib memilih instansi."),
        (Role.TIM_TALENTA, None, "Peran Tim Talenta wajib memilih instansi."),
        (Role.BKN, "6101", "Monitor BKN tidak terikat pada satu instansi; kosongkan instansi."),
    ],
)
def test_the_role_rules_refuse_an_inconsistent_instansi_and_write_nothing(
    admin_client_province, role, instansi_kode, error
):
    instansi = Instansi.objects.get(kode=instansi_kode).pk if instansi_kode else ""
    response = _create(admin_client_province, username="salah", role=role, instansi=instansi)
    assert response.status_code == 200
    assert response.context["form"].errors == {"instansi": [error]}
    assert not User.objects.filter(username="salah").exists()


@pytest.mark.parametrize(("role", "instansi_kode"), [(Role.BKN, None), (Role.ADMIN, None), (Role.ADMIN, "6101")])
def test_bkn_and_admin_accounts_follow_the_database_constraint(admin_client_province, role, instansi_kode):
    instansi = Instansi.objects.get(kode=instansi_kode).pk if instansi_kode else ""
    _create(admin_client_province, username="akun", role=role, instansi=instansi)
    account = User.objects.get(username="akun")
    assert (account.role, account.instansi and account.instansi.kode) == (role, instansi_kode)


def test_the_django_admin_shows_an_accounts_history(tim):
    superuser = UserFactory(username="root", role=Role.ADMIN, instansi=None, is_staff=True, is_superuser=True)
    client = client_for(superuser)
    assert client.get(reverse("admin:asn_user_change", args=[tim.pk])).status_code == 200
    history = client.get(reverse("admin:asn_user_history", args=[tim.pk]))
    assert history.status_code == 200


def test_the_django_admin_uses_the_same_role_rules(sambas):
    superuser = UserFactory(username="root", role=Role.ADMIN, instansi=None, is_staff=True, is_superuser=True)
    response = client_for(superuser).post(
        reverse("admin:asn_user_add"),
        {"username": "tanpa-instansi", "usable_password": "false", "role": Role.PPK, "instansi": ""},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["instansi"] == ["Peran PPK wajib memilih instansi."]
    assert not User.objects.filter(username="tanpa-instansi").exists()


def test_operator_opens_tim_and_ppk_accounts_of_their_own_instansi_only(operator_client, operator, bengkayang):
    response = _create(operator_client, username="tim-baru", role=Role.TIM_TALENTA, instansi=bengkayang.pk)
    assert response.status_code == 200
    # The instansi field is fixed to the operator's own; a posted one is ignored.
    assert User.objects.get(username="tim-baru").instansi == operator.instansi
    refused = _create(operator_client, username="operator-baru", role=Role.OPERATOR)
    assert "role" in refused.context["form"].errors
    assert not User.objects.filter(username="operator-baru").exists()


def test_list_filters_by_instansi_and_role(admin_client_province, operator, ppk, tim, outsider, bkn):
    def usernames(query):
        return [u.username for u in admin_client_province.get(reverse("users:list"), query).context["page"]]

    assert usernames({"instansi": operator.instansi_id}) == ["operator-sambas", "ppk-sambas", "tim-sambas"]
    assert usernames({"role": Role.OPERATOR}) == ["operator-sambas", "operator-bengkayang"]
    assert usernames({"role": Role.BKN}) == ["monitor-bkn"]
    assert usernames({"q": "sambas", "role": Role.PPK}) == ["ppk-sambas"]


def test_operator_lists_only_the_accounts_they_manage(operator_client, operator, ppk, tim, outsider):
    page = operator_client.get(reverse("users:list")).context["page"]
    assert [u.username for u in page] == ["ppk-sambas", "tim-sambas"]
    assert "instansi" not in operator_client.get(reverse("users:list")).context["form"].fields


def test_personas_outsider_404_read_only_403_anonymous_to_login(outsider_client, ppk_client, bkn_client, tim):
    pages = [
        ("get", reverse("users:detail", args=[tim.pk])),
        ("post", reverse("users:set-active", args=[tim.pk])),
        ("post", reverse("users:password-link", args=[tim.pk])),
    ]
    for method, url in pages:
        data = {"aktif": "0"} if method == "post" else {}
        assert getattr(outsider_client, method)(url, data).status_code == 404
        for client in (ppk_client, bkn_client):
            assert getattr(client, method)(url, data).status_code == 403
        anonymous = getattr(Client(), method)(url, data)
        assert (anonymous.status_code, anonymous["Location"]) == (302, f"{reverse('login')}?next={url}")
    for url in (reverse("users:list"), reverse("users:create")):
        assert ppk_client.get(url).status_code == 403
    tim.refresh_from_db()
    assert tim.is_active


def test_operator_cannot_manage_a_fellow_operator_or_an_admin_of_their_instansi(operator_client, sambas):
    fellow = UserFactory(username="operator-lain", role=Role.OPERATOR, instansi=sambas)
    instansi_admin = UserFactory(username="admin-sambas", role=Role.ADMIN, instansi=sambas)
    for account in (fellow, instansi_admin):
        assert operator_client.get(reverse("users:detail", args=[account.pk])).status_code == 403
        assert operator_client.post(reverse("users:set-active", args=[account.pk]), {"aktif": "0"}).status_code == 403
    assert User.objects.filter(pk__in=[fellow.pk, instansi_admin.pk], is_active=True).count() == 2


def test_an_admin_who_is_not_superuser_cannot_touch_a_superuser(admin_client_province):
    root = UserFactory(username="root", role=Role.ADMIN, instansi=None, is_staff=True, is_superuser=True)
    assert admin_client_province.post(reverse("users:password-link", args=[root.pk])).status_code == 403
    assert "root" not in [u.username for u in admin_client_province.get(reverse("users:list")).context["page"]]


def test_a_deactivated_account_cannot_sign_in_and_its_session_ends(admin_client_province, province_admin, tim):
    session = client_for(tim)
    assert session.get(reverse("home")).status_code == 200
    response = admin_client_province.post(reverse("users:set-active", args=[tim.pk]), {"aktif": "0"}, follow=True)
    assert "Akun tim-sambas dinonaktifkan; akun ini tidak dapat masuk lagi." in response.text
    tim.refresh_from_db()
    assert not tim.is_active
    assert session.get(reverse("home"))["Location"] == f"{reverse('login')}?next=/"
    refused = _log_in("tim-sambas", "rahasia-uji")
    assert SESSION_KEY not in refused.session
    record = tim.history.latest()
    assert (record.history_user, record.history_change_reason) == (province_admin, "Dinonaktifkan")

    admin_client_province.post(reverse("users:set-active", args=[tim.pk]), {"aktif": "1"})
    assert SESSION_KEY in _log_in("tim-sambas", "rahasia-uji").session


def test_a_deactivated_accounts_api_token_stops_working(admin_client_province, tim):
    _, key = token_create(actor=tim, owner=tim, nama="uji")
    api = Client(headers={"Authorization": f"Token {key}"})
    assert api.get(reverse("api:pegawai-list")).status_code == 200
    admin_client_province.post(reverse("users:set-active", args=[tim.pk]), {"aktif": "0"})
    assert api.get(reverse("api:pegawai-list")).status_code == 401


def test_a_login_adds_no_history_row(tim):
    before = tim.history.count()
    _log_in("tim-sambas", "rahasia-uji")
    assert tim.history.count() == before


def test_an_unknown_status_and_self_deactivation_are_refused(admin_client_province, province_admin, tim):
    response = admin_client_province.post(reverse("users:set-active", args=[tim.pk]), {"aktif": "ya"}, follow=True)
    assert "Status akun tidak dikenal; pilih aktifkan atau nonaktifkan." in response.text
    response = admin_client_province.post(
        reverse("users:set-active", args=[province_admin.pk]), {"aktif": "0"}, follow=True
    )
    assert "Anda tidak dapat menonaktifkan akun Anda sendiri." in response.text
    assert User.objects.filter(pk__in=[tim.pk, province_admin.pk], is_active=True).count() == 2


def test_no_link_for_a_deactivated_account(admin_client_province, tim):
    tim.is_active = False
    tim.save()
    response = admin_client_province.post(reverse("users:password-link", args=[tim.pk]), follow=True)
    assert "Akun ini nonaktif; aktifkan kembali sebelum membuat tautan atur sandi." in response.text
    assert "password-link" not in response.text


def test_a_reset_link_for_an_existing_account_replaces_the_password_once(operator_client, operator, tim):
    link = _link_path(operator_client.post(reverse("users:password-link", args=[tim.pk])))
    _, saved = _set_password(link, "Sungai-Kapuas-88")
    assert saved["Location"] == reverse("password-set-done")
    assert SESSION_KEY not in _log_in("tim-sambas", "rahasia-uji").session
    assert SESSION_KEY in _log_in("tim-sambas", "Sungai-Kapuas-88").session
    assert Client().get(link, follow=True).context["validlink"] is False


def test_signing_in_with_the_current_password_voids_an_unused_link(operator_client, tim):
    """Django's token covers the last login: a link the owner no longer needs stops working."""
    link = _link_path(operator_client.post(reverse("users:password-link", args=[tim.pk])))
    assert SESSION_KEY in _log_in("tim-sambas", "rahasia-uji").session
    assert Client().get(link, follow=True).context["validlink"] is False


def test_edit_changes_role_within_the_managers_rights_and_records_who(operator_client, operator, tim):
    url = reverse("users:detail", args=[tim.pk])
    data = {"username": "tim-sambas", "first_name": "Budi", "last_name": "", "nip": "", "email": "", "role": Role.PPK}
    response = operator_client.post(url, data, follow=True)
    assert "Akun tim-sambas diperbarui." in response.text
    tim.refresh_from_db()
    assert (tim.role, tim.first_name, tim.instansi) == (Role.PPK, "Budi", operator.instansi)
    assert tim.history.latest().history_user == operator
    assert "peran" in response.context["history"][0]["changed"]


def test_an_admin_cannot_change_their_own_role(admin_client_province, province_admin):
    response = admin_client_province.post(
        reverse("users:detail", args=[province_admin.pk]),
        {"username": province_admin.username, "role": Role.BKN, "instansi": ""},
    )
    assert "Anda tidak dapat mengubah peran atau instansi akun Anda sendiri." in response.text
    province_admin.refresh_from_db()
    assert province_admin.role == Role.ADMIN
