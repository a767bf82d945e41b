"""An operator nominates successors, the PPK approves one, and the target shows its bench strength."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.succession.test_views import world  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_nominate_two_approve_one_bench_strength_and_plan(page, live_server, operator, ppk, world):  # noqa: F811
    login(page, live_server, operator.username)
    page.get_by_role("link", name="Suksesi").click()
    page.get_by_role("link", name="Kepala Bidang Mutasi").click()
    expect(page.get_by_test_id("bench-strength")).to_have_text("Bench strength 0")
    page.get_by_test_id("pilih-1").check()
    page.get_by_test_id("pilih-3").check()
    page.get_by_role("button", name="Usulkan kandidat terpilih").click()
    expect(page.locator(".alert-success")).to_contain_text("2 kandidat diusulkan")
    nominations = page.get_by_test_id("nominations")
    expect(nominations.locator("tbody tr")).to_have_count(2)

    nominations.locator("tr", has_text=world["ready"].nama).get_by_role("link", name="Kelola").click()
    page.locator("summary", has_text="Tambah item rencana").click()
    page.get_by_label("Judul").fill("Penugasan sebagai Plt. Kepala Bidang")
    page.get_by_label("Jenis").select_option("rotasi")
    page.get_by_label("Target selesai").fill("2026-12-31")
    page.get_by_role("button", name="Tambah", exact=True).click()
    expect(page.get_by_test_id("plan")).to_contain_text("Penugasan sebagai Plt. Kepala Bidang")
    page.get_by_role("button", name="Keluar").click()

    login(page, live_server, ppk.username)
    page.goto(f"{live_server.url}/suksesi/2026/jabatan/{world['target'].pk}/")
    page.get_by_test_id(f"setujui-{world['ready'].pk}").click()
    expect(page.get_by_test_id(f"status-{world['ready'].pk}")).to_have_text("Disetujui")
    expect(page.get_by_test_id(f"status-{world['later'].pk}")).to_have_text("Diusulkan")
    expect(page.get_by_test_id("bench-strength")).to_have_text("Bench strength 1")
    expect(page.get_by_test_id("nominations")).to_contain_text("Penugasan sebagai Plt. Kepala Bidang")
