"""A BKN monitor reads the provincial dashboard, moves an instansi along the pipeline, drills down."""

import pytest
from playwright.sync_api import expect

from talenta import pipeline
from tests.e2e.conftest import login
from tests.factories import PegawaiFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_bkn_dashboard_pipeline_and_drill_down(page, live_server, bkn, periode_2026, sambas):
    PegawaiFactory(nama="Yohanes Apui", jabatan__unit_kerja__instansi=sambas)
    pipeline.refresh_now(periode_id=periode_2026.pk)

    login(page, live_server, bkn.username)
    page.get_by_role("link", name="Provinsi", exact=True).click()

    table = page.get_by_test_id("dashboard")
    expect(table.locator("tbody tr")).to_have_count(15)
    expect(page.get_by_test_id("row-total")).to_contain_text("Provinsi Kalimantan Barat (semua instansi)")
    chart = page.get_by_test_id("chart-sebaran")
    expect(chart).to_be_visible()
    assert chart.evaluate("canvas => canvas.width") > 0

    row = page.get_by_test_id("row-6101")
    expect(page.get_by_test_id("tahap-6101")).to_contain_text("Belum memulai")
    row.locator("summary", has_text="Ubah tahapan").click()
    row.get_by_label("Tahapan Kabupaten Sambas").select_option(label="Ekspose ke BKN")
    row.get_by_label("Catatan").fill("Ekspose dijadwalkan di Kanreg V")
    row.get_by_role("button", name="Simpan tahapan").click()
    expect(page.get_by_test_id("tahap-6101")).to_contain_text("Ekspose ke BKN")
    expect(page.get_by_test_id("tahap-6101")).to_contain_text("Ekspose dijadwalkan di Kanreg V")

    page.get_by_test_id("row-6101").get_by_role("link", name="peta").click()
    expect(page.get_by_role("heading", name="Peta Talenta Kabupaten Sambas")).to_be_visible()
    expect(page.get_by_test_id("holding-count")).to_have_text("1")
