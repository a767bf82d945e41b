"""The provincial dashboard: one row per instansi and the province total, and the trends over periods.

It rolls up assessment's figures (`assessment.selectors.dashboard_*`) and succession's own
(`succession.selectors.dashboard_*`), so it is composed here, in the app that may read both. Each
instansi's row is cached under `assessment.selectors.dashboard_row_key` and dropped by
`dashboard_invalidate` there, which the pipeline calls once that instansi's refresh commits.
"""

import datetime as dt

from django.core.cache import cache
from django.utils import timezone

from asn.models import Instansi
from assessment import selectors as assessment_selectors
from assessment.models import Periode, TahapanInstansi

from . import selectors

# Traffic-light thresholds shown on the page: (green from, yellow from), in percent.
DASHBOARD_THRESHOLDS = {
    "terpetakan": (80, 50),
    "kualitas_data": (95, 80),
    "cakupan_suksesi": (75, 40),
}
INACTIVE_DAYS = 60
CACHE_SECONDS = 10 * 60
# The counts the province total adds up over the instansi rows.
SUMMED = (
    "asn",
    "penempatan",
    "lengkap",
    "krs",
    "kalibrasi",
    "kualitas",
    "target",
    "target_tercakup",
    "rencana_selesai",
    "rencana_terlambat",
    "rencana_total",
)

DASHBOARD_SORTS = {
    "kode": lambda r: r["kode"],
    "asn": lambda r: r["asn"],
    "terpetakan": lambda r: r["terpetakan_persen"] or 0,
    "kualitas": lambda r: r["kualitas_persen"] or 0,
    "krs": lambda r: r["krs"],
    "target": lambda r: r["target"],
    "cakupan": lambda r: r["cakupan_persen"] or 0,
    "kalibrasi": lambda r: r["kalibrasi_persen"] or 0,
    "aktivitas": lambda r: r["aktivitas_terakhir"] or dt.date.min,
    "tahap": lambda r: list(TahapanInstansi.Tahap.values).index(r["tahap"]),
}


def dashboard_rows(*, periode: Periode) -> dict:
    """One row per instansi and the province total.

    Each instansi's row is cached on its own and dropped when that instansi's refresh commits, so a
    refresh of one instansi recomputes one row. The rows missing from the cache are computed
    together with grouped queries: the same number of queries for one missing row or fifteen.
    """
    instansi_list = list(Instansi.objects.order_by("kode"))
    keys = {instansi.pk: assessment_selectors.dashboard_row_key(periode.pk, instansi.pk) for instansi in instansi_list}
    cached = cache.get_many(list(keys.values()))
    missing = [instansi for instansi in instansi_list if keys[instansi.pk] not in cached]
    if missing:
        computed = {keys[instansi_id]: row for instansi_id, row in _instansi_rows(periode, missing).items()}
        cache.set_many(computed, CACHE_SECONDS)
        cached.update(computed)
    today = timezone.localdate()
    # Ratios depend on today (days inactive, days in a stage): applied on reading, never cached.
    rows = [_with_ratios(dict(cached[keys[instansi.pk]]), today) for instansi in instansi_list]
    total = {key: sum(r[key] for r in rows) for key in SUMMED}
    total.update(
        {
            "kode": "",
            # Not "Provinsi Kalimantan Barat": that is also instansi 61, one of the rows above it.
            "nama": f"Total provinsi ({len(rows)} instansi)",
            "kotak": [sum(r["kotak"][i] for r in rows) for i in range(9)],
        }
    )
    total = _with_ratios(total, today)
    computed_at = max((row.pop("dibuat") for row in rows), default=timezone.now())
    province = next((i for i in instansi_list if i.jenis == Instansi.Jenis.PROVINSI), None)
    return {
        "rows": rows,
        "total": total,
        "tahapan": _stage_counts(rows),
        # The print view's letterhead and signatory: the province's own HR agency (BKD).
        "kop": {"pemerintah": province.nama.upper(), "nama_bkd": province.nama_bkd} if province else None,
        "dibuat": computed_at,
    }


def _stage_counts(rows: list[dict]) -> list[dict]:
    """How many instansi stand at each stage of BKN's pipeline, in the pipeline's order (zeros kept)."""
    return [
        {"tahap": value, "label": label, "jumlah": sum(r["tahap"] == value for r in rows)}
        for value, label in TahapanInstansi.Tahap.choices
    ]


def _shares(counts: list[int]) -> list[float]:
    """Each box's share of the placed pegawai, so instansi of different sizes compare (100 % bars)."""
    placed = sum(counts)
    return [_pct(n, placed) or 0.0 for n in counts]


def _bar(shares: list[float]) -> list[dict]:
    """The segments of a row's 100 % bar, box 1 to 9 left to right (drawn as SVG: the CSP allows no style="")."""
    segments, start = [], 0.0
    for box, share in enumerate(shares, start=1):
        if share:
            segments.append({"kotak": box, "x": start, "lebar": share, "warna": assessment_selectors.BOX_COLOURS[box]})
        start += share
    return segments


def _instansi_rows(periode: Periode, instansi_list: list[Instansi]) -> dict[int, dict]:
    """The uncached rows of the given instansi in one period: each figure's selector, once for all of them."""
    ids = [instansi.pk for instansi in instansi_list]
    asn = assessment_selectors.dashboard_asn(instansi_ids=ids)
    placements = assessment_selectors.dashboard_placements(periode=periode, instansi_ids=ids)
    calibrated = assessment_selectors.dashboard_calibrated(periode=periode, instansi_ids=ids)
    coverage = selectors.dashboard_coverage(periode=periode, instansi_ids=ids)
    plans = selectors.dashboard_plans(periode=periode, instansi_ids=ids)
    activity = (
        assessment_selectors.dashboard_last_activity(instansi_ids=ids),
        selectors.dashboard_last_nomination(instansi_ids=ids),
    )
    stages = assessment_selectors.dashboard_stages(instansi_ids=ids)
    computed_at = timezone.now()
    rows = {}
    for instansi in instansi_list:
        last = max((moments[instansi.pk] for moments in activity if moments[instansi.pk]), default=None)
        rows[instansi.pk] = {
            "instansi_id": instansi.pk,
            "kode": instansi.kode,
            "nama": instansi.nama,
            "asn": asn[instansi.pk],
            **placements[instansi.pk],
            "kalibrasi": calibrated[instansi.pk],
            **coverage[instansi.pk],
            **plans[instansi.pk],
            "aktivitas_terakhir": timezone.localtime(last).date() if last else None,
            **stages[instansi.pk],
            "dibuat": computed_at,
        }
    return rows


def _pct(part, whole):
    return round(100 * part / whole, 1) if whole else None


def _light(value, metric):
    if value is None:
        return "secondary"
    green, yellow = DASHBOARD_THRESHOLDS[metric]
    return "success" if value >= green else "warning" if value >= yellow else "danger"


def _with_ratios(row: dict, today) -> dict:
    row["terpetakan_persen"] = _pct(row["lengkap"], row["asn"])
    row["kualitas_persen"] = _pct(row["kualitas"], row["asn"])
    row["cakupan_persen"] = _pct(row["target_tercakup"], row["target"])
    row["kalibrasi_persen"] = _pct(row["kalibrasi"], row["penempatan"])
    row["kotak_persen"] = _shares(row["kotak"])
    row["kotak_rinci"] = [
        {"kotak": box, "jumlah": n, "persen": share}
        for box, (n, share) in enumerate(zip(row["kotak"], row["kotak_persen"], strict=True), start=1)
    ]
    row["kotak_batang"] = _bar(row["kotak_persen"])
    row["warna_terpetakan"] = _light(row["terpetakan_persen"], "terpetakan")
    row["warna_kualitas"] = _light(row["kualitas_persen"], "kualitas_data")
    row["warna_cakupan"] = _light(row["cakupan_persen"], "cakupan_suksesi")
    last = row.get("aktivitas_terakhir")
    row["tidak_aktif"] = bool(row.get("kode")) and (last is None or (today - last).days > INACTIVE_DAYS)
    since = row.get("tahap_sejak")
    row["hari_di_tahap"] = (today - since).days if since else None
    return row


def dashboard_trends(*, periods) -> dict:
    """Per instansi and period: share mapped, pool size and succession coverage (cached, grouped queries)."""
    cached = cache.get(assessment_selectors.DASHBOARD_TRENDS_CACHE_KEY)
    if cached is not None:
        return cached
    instansi_list = list(Instansi.objects.order_by("kode"))
    asn = assessment_selectors.dashboard_asn(instansi_ids=[instansi.pk for instansi in instansi_list])
    mapped = assessment_selectors.dashboard_trend_placements()
    coverage = selectors.dashboard_trend_coverage()
    years = sorted(p.tahun for p in periods)
    series = []
    for instansi in instansi_list:
        cells = []
        for year in years:
            placed = mapped.get((year, instansi.pk), {})
            targets = coverage.get((year, instansi.pk), {})
            cells.append(
                {
                    "tahun": year,
                    "terpetakan": _pct(placed.get("lengkap", 0), asn[instansi.pk]),
                    "krs": placed.get("krs", 0),
                    "cakupan": _pct(targets.get("target_tercakup", 0), targets.get("target", 0)),
                }
            )
        series.append({"kode": instansi.kode, "nama": instansi.nama, "cells": cells})
    result = {"tahun": years, "instansi": series}
    cache.set(assessment_selectors.DASHBOARD_TRENDS_CACHE_KEY, result, CACHE_SECONDS)
    return result
