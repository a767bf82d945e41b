"""An admin opens an operator account for Bengkayang and hands over the one-time link; the new
operator sets a password and signs in."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_admin_creates_an_operator_who_sets_a_password_and_signs_in(page, live_server, province_admin, bengkayang):
    login(page, live_server, province_admin.username)
    page.get_by_role("link", name="Pengguna").click()
    page.get_by_role("link", name="Tambah pengguna").click()
    page.get_by_label("Nama pengguna").fill("operator-bengkayang-baru")
    page.get_by_label("Nama depan").fill("Rina")
    page.get_by_label("Peran").select_option(label="Operator BKD/BKPSDM")
    page.get_by_label("Instansi").select_option(label="Kabupaten Bengkayang")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator(".alert-success")).to_contain_text("Akun operator-bengkayang-baru")
    link = page.get_by_test_id("password-link").input_value()
    assert link.startswith(f"{live_server.url}/sandi/")
    page.get_by_role("button", name="Keluar").click()

    page.goto(link)
    expect(page.get_by_role("heading", name="Atur sandi baru")).to_be_visible()
    page.get_by_label("Sandi baru*", exact=True).fill("12345678")
    page.get_by_label("Konfirmasi sandi baru").fill("12345678")
    page.get_by_role("button", name="Simpan sandi").click()
    expect(page.locator("form")).to_contain_text("Kata sandi ini seluruhnya terdiri dari angka.")
    page.get_by_label("Sandi baru*", exact=True).fill("Sungai-Sambas-77")
    page.get_by_label("Konfirmasi sandi baru").fill("Sungai-Sambas-77")
    page.get_by_role("button", name="Simpan sandi").click()
    expect(page.get_by_role("heading", name="Sandi disimpan")).to_be_visible()
    page.get_by_role("link", name="Masuk").click()

    login(page, live_server, "operator-bengkayang-baru", password="Sungai-Sambas-77")
    expect(page.get_by_test_id("current-user")).to_contain_text("Kabupaten Bengkayang")

    page.goto(link)
    expect(page.get_by_test_id("invalid-link")).to_be_visible()
