"""The provincial dashboard: figures from the exported placements, access, pipeline, query count."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from asn.models import Instansi, Pegawai
from assessment.models import SkpResult, TahapanInstansi
from assessment.selectors import EXPORT_COLUMNS, talent_map_export_rows
from talenta import pipeline
from tests.assessment.test_placements import seed
from tests.factories import PegawaiFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def _pct(part, whole):
    return round(100 * part / whole, 1) if whole else None


def test_every_figure_equals_the_one_computed_from_the_export(bkn_client, periode_2026):
    seed(1200, seed=8)
    Pegawai.objects.filter(pk__in=Pegawai.objects.order_by("pk").values("pk")[:100]).update(tmt_jabatan=None)
    pipeline.refresh_now(periode_id=periode_2026.pk)
    exported = [
        dict(zip(EXPORT_COLUMNS, r, strict=True)) for r in talent_map_export_rows(user=None, periode=periode_2026)
    ]
    both_skp = {
        pegawai_id
        for pegawai_id in SkpResult.objects.filter(tahun=2025).values_list("pegawai_id", flat=True)
        if SkpResult.objects.filter(pegawai_id=pegawai_id, tahun=2024).exists()
    }
    quality_nips = set(Pegawai.objects.filter(pk__in=both_skp, tmt_jabatan__isnull=False).values_list("nip", flat=True))
    response = bkn_client.get(reverse("assessment:provinsi"))
    rows = {r["kode"]: r for r in response.context["rows"]}
    assert len(rows) == 15
    for kode in Instansi.objects.values_list("kode", flat=True):
        mine = [r for r in exported if r["instansi"] == kode]
        asn = Pegawai.objects.filter(instansi__kode=kode).count()
        row = rows[kode]
        assert row["asn"] == asn == len(mine)
        assert row["lengkap"] == sum(r["lengkap"] == "ya" for r in mine)
        assert row["terpetakan_persen"] == _pct(row["lengkap"], asn)
        assert row["krs"] == sum(r["krs"] == "ya" for r in mine)
        assert row["kotak"] == [sum(r["kotak"] == str(box) for r in mine) for box in range(1, 10)]
        quality = sum(1 for r in mine if r["jpm"] and r["nip"] in quality_nips)
        assert row["kualitas_persen"] == _pct(quality, asn)
    total = response.context["total"]
    assert total["asn"] == len(exported)
    assert total["krs"] == sum(r["krs"] == "ya" for r in exported)
    assert total["kotak"] == [sum(r["kotak"] == str(box) for r in exported) for box in range(1, 10)]
    assert total["terpetakan_persen"] == _pct(sum(r["lengkap"] == "ya" for r in exported), len(exported))


def test_kabupaten_operator_gets_404_and_province_staff_see_the_roll_up(operator_client, periode_2026, reference_data):
    assert operator_client.get(reverse("assessment:provinsi")).status_code == 404
    province_ppk = UserFactory(username="ppk-prov", role="ppk", instansi=Instansi.objects.get(kode="61"))
    client = Client()
    client.force_login(province_ppk)
    assert client.get(reverse("assessment:provinsi")).status_code == 200
    # …but they cannot move the pipeline.
    response = client.post(
        reverse("assessment:tahapan", args=[Instansi.objects.get(kode="6101").pk]), {"tahap": "ekspose"}
    )
    assert response.status_code == 403
    assert "Anda tidak berhak melakukan tindakan ini" in response.text
    assert not TahapanInstansi.objects.exists()


def test_bkn_moves_an_instansi_along_the_pipeline(bkn_client, bkn, periode_2026, sambas):
    bkn_client.post(
        reverse("assessment:tahapan", args=[sambas.pk]),
        {"tahap": "ekspose", "sejak": "2026-11-01", "catatan": "Ekspose di Kanreg V"},
    )
    stage = TahapanInstansi.objects.get()
    assert (stage.tahap, stage.sejak, stage.dicatat_oleh) == ("ekspose", dt.date(2026, 11, 1), bkn)
    row = next(r for r in bkn_client.get(reverse("assessment:provinsi")).context["rows"] if r["kode"] == "6101")
    assert (row["tahap_label"], row["tahap_catatan"]) == ("Ekspose ke BKN", "Ekspose di Kanreg V")
    assert stage.history.get().history_user == bkn


def test_bkn_cannot_change_anything_else(bkn_client, pegawai_sambas, periode_2026):
    assert bkn_client.post(reverse("asn:pegawai-update", args=[pegawai_sambas.pk]), {}).status_code == 403
    assert bkn_client.post(reverse("assessment:periode-recompute", args=[2026])).status_code == 403
    assert (
        bkn_client.post(reverse("assessment:periode-list"), {"tahun": 2030, "tanggal_acuan": "2030-01-31"}).status_code
        == 403
    )


def test_dashboard_runs_a_constant_number_of_queries(bkn_client, periode_2026):
    seed(60, seed=2)
    pipeline.refresh_now(periode_id=periode_2026.pk)
    cache.clear()
    with CaptureQueriesContext(connection) as small:
        bkn_client.get(reverse("assessment:provinsi"))
    seed(600, seed=3)
    pipeline.refresh_now(periode_id=periode_2026.pk)
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        bkn_client.get(reverse("assessment:provinsi"))
    assert len(large.captured_queries) == len(small.captured_queries)


def test_dashboard_is_cached_and_a_recompute_invalidates_it(
    bkn_client, periode_2026, pegawai_sambas, django_capture_on_commit_callbacks
):
    pipeline.refresh_now(periode_id=periode_2026.pk)
    first = bkn_client.get(reverse("assessment:provinsi")).context["dibuat"]
    assert bkn_client.get(reverse("assessment:provinsi")).context["dibuat"] == first
    # The cached figures are dropped once the refresh commits, not before (a reader could cache stale ones).
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.refresh_now(periode_id=periode_2026.pk, instansi_ids=[pegawai_sambas.instansi_id])
        assert bkn_client.get(reverse("assessment:provinsi")).context["dibuat"] == first
    assert bkn_client.get(reverse("assessment:provinsi")).context["dibuat"] > first


def test_excel_export(bkn_client, periode_2026):
    response = bkn_client.get(reverse("assessment:provinsi"), {"format": "xlsx"})
    assert response["Content-Disposition"] == 'attachment; filename="dasbor-provinsi-2026.xlsx"'


def test_a_refresh_of_one_instansi_recomputes_only_its_row(
    bkn_client, periode_2026, sambas, bengkayang, django_capture_on_commit_callbacks
):
    for instansi in (sambas, bengkayang):
        PegawaiFactory.create_batch(2, jabatan__unit_kerja__instansi=instansi)
    pipeline.refresh_now(periode_id=periode_2026.pk)

    def asn_per_kode():
        rows = bkn_client.get(reverse("assessment:provinsi")).context["rows"]
        return {row["kode"]: row["asn"] for row in rows if row["kode"] in ("6101", "6102")}

    assert asn_per_kode() == {"6101": 2, "6102": 2}  # both rows now cached
    # A third pegawai in each instansi, written past the pipeline, then a refresh of Sambas only:
    # Sambas's row is computed again, Bengkayang's is still served from the cache.
    for instansi in (sambas, bengkayang):
        PegawaiFactory(jabatan__unit_kerja__instansi=instansi)
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.refresh_now(periode_id=periode_2026.pk, instansi_ids=[sambas.pk])
    assert asn_per_kode() == {"6101": 3, "6102": 2}
    with django_capture_on_commit_callbacks(execute=True):
        pipeline.refresh_now(periode_id=periode_2026.pk, instansi_ids=[bengkayang.pk])
    assert asn_per_kode() == {"6101": 3, "6102": 3}


def test_headline_figures_stage_counts_shares_and_the_total_labelled_as_the_total(bkn_client, periode_2026, sambas):
    seed(150, seed=5)
    pipeline.refresh_now(periode_id=periode_2026.pk)
    bkn_client.post(reverse("assessment:tahapan", args=[sambas.pk]), {"tahap": "ekspose", "sejak": "2026-11-01"})
    response = bkn_client.get(reverse("assessment:provinsi"))
    total, rows = response.context["total"], response.context["rows"]
    # "Provinsi Kalimantan Barat" is instansi 61, one of the rows; the total says it is the total.
    assert total["nama"] == "Total provinsi (15 instansi)"
    assert [r["nama"] for r in rows if r["kode"] == "61"] == ["Provinsi Kalimantan Barat"]
    assert [(t["label"], t["jumlah"]) for t in response.context["tahapan"]] == [
        ("Belum memulai", 14),
        ("Berproses", 0),
        ("Ekspose ke BKN", 1),
        ("Disetujui BKN", 0),
        ("Berjalan", 0),
    ]
    page = response.text
    headline = page[page.index('data-testid="headline"') : page.index('data-testid="dashboard"')]
    assert f"{total['lengkap']} dari 150" in headline
    assert f'data-testid="headline-krs">{total["krs"]}<' in headline
    for row in [*rows, total]:
        placed = sum(row["kotak"])
        assert row["kotak_persen"] == [_pct(n, placed) or 0.0 for n in row["kotak"]]
        # The 100 % bar: segments of the non-empty boxes, side by side from 0 to 100.
        assert [s["kotak"] for s in row["kotak_batang"]] == [box for box in range(1, 10) if row["kotak"][box - 1]]
        if placed:
            last = row["kotak_batang"][-1]
            assert last["x"] + last["lebar"] == pytest.approx(100, abs=0.5)


def test_drill_down_by_kemendagri_code(bkn_client, operator_client, periode_2026, sambas, reference_data):
    PegawaiFactory.create_batch(2, jabatan__unit_kerja__instansi=sambas)
    pipeline.refresh_now(periode_id=periode_2026.pk)
    response = bkn_client.get("/penilaian/provinsi/6101/")
    assert response.status_code == 200
    assert (response.context["r"]["kode"], response.context["r"]["asn"]) == ("6101", 2)
    assert 'Kabupaten Sambas <span class="text-muted">(6101)</span>' in response.text
    assert f'href="/penilaian/peta/2026/?instansi={sambas.pk}"' in response.text
    assert bkn_client.get("/penilaian/provinsi/61/").context["r"]["nama"] == "Provinsi Kalimantan Barat"
    # Each dashboard row links to it by code.
    assert 'href="/penilaian/provinsi/6101/?tahun=2026"' in bkn_client.get(reverse("assessment:provinsi")).text
    assert bkn_client.get("/penilaian/provinsi/6199/").status_code == 404
    assert bkn_client.get("/penilaian/provinsi/6101/", {"tahun": 1999}).status_code == 404
    # An instansi's own staff have no provincial dashboard, so no drill-down either.
    assert operator_client.get("/penilaian/provinsi/6101/").status_code == 404
    province_ppk = UserFactory(username="ppk-prov", role="ppk", instansi=Instansi.objects.get(kode="61"))
    client = Client()
    client.force_login(province_ppk)
    assert client.get("/penilaian/provinsi/6101/").status_code == 200


def test_drill_down_runs_a_constant_number_of_queries(bkn_client, periode_2026):
    seed(60, seed=2)
    pipeline.refresh_now(periode_id=periode_2026.pk)
    cache.clear()
    with CaptureQueriesContext(connection) as small:
        bkn_client.get("/penilaian/provinsi/6101/")
    seed(600, seed=3)
    pipeline.refresh_now(periode_id=periode_2026.pk)
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        bkn_client.get("/penilaian/provinsi/6101/")
    assert len(large.captured_queries) == len(small.captured_queries)


def test_print_view_has_the_letterhead_and_a_signature_block(bkn_client, periode_2026):
    response = bkn_client.get(reverse("assessment:provinsi"), {"cetak": 1})
    kop = response.text[response.text.index('data-testid="kop"') : response.text.index("</header>")]
    assert "PEMERINTAH PROVINSI KALIMANTAN BARAT" in kop
    assert "BADAN KEPEGAWAIAN DAERAH PROVINSI KALIMANTAN BARAT" in kop
    assert "LAPORAN DASBOR MANAJEMEN TALENTA ASN KALIMANTAN BARAT" in response.text
    assert "Periode 2026" in response.text
    signature = response.text[response.text.index('data-testid="tanda-tangan"') : response.text.index("</section>")]
    assert "Kepala Badan Kepegawaian Daerah Provinsi Kalimantan Barat," in signature
    assert "Pontianak, " in signature and "NIP" in signature
    assert "Total provinsi (15 instansi)" in response.text
