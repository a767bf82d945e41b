"""A BKN monitor reads the provincial dashboard, moves an instansi along the pipeline, drills down."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessment.models import Penempatan
from assessment.services import tahapan_set
from talenta import pipeline
from tests.assessment.test_placements import seed
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
    # The total is labelled as the total: "Provinsi Kalimantan Barat" is instansi 61, one of the rows.
    expect(page.get_by_test_id("row-total").locator("td").first).to_have_text("Total provinsi (15 instansi)")
    expect(page.get_by_test_id("row-61").locator("td").first).to_have_text("61 Provinsi Kalimantan Barat")
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


def test_all_15_instansi_fit_a_laptop_screen_with_the_headline_first(page, live_server, bkn, periode_2026, sambas):
    seed(150, seed=5)
    pipeline.refresh_now(periode_id=periode_2026.pk)
    # The widest stage cell a monitor writes: the longest stage, months in it, and a long note.
    tahapan_set(
        user=bkn,
        instansi=sambas,
        tahap="ekspose",
        sejak=timezone.localdate() - dt.timedelta(days=400),
        catatan="Ekspose dijadwalkan di Kanreg V Banjarmasin setelah data SKP 2025 dilengkapi seluruh OPD",
    )
    page.set_viewport_size({"width": 1366, "height": 768})
    login(page, live_server, bkn.username)
    page.goto(f"{live_server.url}/penilaian/provinsi/")

    headline = page.get_by_test_id("headline")
    expect(headline).to_contain_text("ASN terpetakan")
    expect(page.get_by_test_id("headline-tahapan")).to_contain_text("14 Belum memulai")
    expect(page.get_by_test_id("headline-tahapan")).to_contain_text("1 Ekspose ke BKN")
    rows = page.get_by_test_id("dashboard").locator("tbody tr")
    expect(rows).to_have_count(15)
    # Every row and the total lie wholly inside the 1366×768 viewport without scrolling, and the page
    # is no wider than the screen (no sideways scrolling either).
    assert page.evaluate("() => [window.scrollX, window.scrollY]") == [0, 0]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1366
    headline_box = headline.bounding_box()
    for index in range(15):
        box = rows.nth(index).bounding_box()
        assert box["y"] >= headline_box["y"] + headline_box["height"]
        assert box["y"] + box["height"] <= 768, f"row {index + 1} ends at {box['y'] + box['height']}"
        assert box["x"] >= 0 and box["x"] + box["width"] <= 1366
    total = page.get_by_test_id("row-total").bounding_box()
    assert total["y"] + total["height"] <= 768

    # Box distribution as shares: each instansi's bar is 100 % wide whatever its size, and its
    # segments are the shares of the box table below (e.g. 12,5% there, a segment 12.50 wide here).
    for kode, counts in placed_boxes(periode_2026).items():
        segments = page.get_by_test_id(f"row-{kode}").locator("svg.batang-kotak rect")
        widths = [float(w) for w in segments.evaluate_all("rects => rects.map(r => r.getAttribute('width'))")]
        shares = [round(100 * n / sum(counts), 1) for n in counts if n]
        assert widths == pytest.approx(shares, abs=0.01)
        assert sum(widths) == pytest.approx(100, abs=0.5)

    # Drill-down by Kemendagri code: the instansi's name opens /penilaian/provinsi/6101/.
    page.get_by_test_id("row-6101").get_by_role("link", name="Kabupaten Sambas").click()
    expect(page).to_have_url(f"{live_server.url}/penilaian/provinsi/6101/?tahun=2026")
    expect(page.get_by_role("heading", name="Kabupaten Sambas (6101)")).to_be_visible()
    expect(page.get_by_test_id("angka-instansi")).to_contain_text("ASN")
    # The stage's note, a mark on the compact row, is written out whole here.
    expect(page.get_by_test_id("tahap-instansi")).to_contain_text("Ekspose ke BKN")
    expect(page.get_by_test_id("tahap-instansi")).to_contain_text("setelah data SKP 2025 dilengkapi seluruh OPD")


def placed_boxes(periode):
    """Per Kemendagri code, the count of placed pegawai in boxes 1–9, counted from the placements."""
    counts = {}
    for kode, box in Penempatan.objects.filter(periode=periode, kotak__isnull=False).values_list(
        "instansi__kode", "kotak"
    ):
        counts.setdefault(kode, [0] * 9)[box - 1] += 1
    assert len(counts) > 1
    return counts
