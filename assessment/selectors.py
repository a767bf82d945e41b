"""Reads of the assessment domain; every instansi-owned query starts from `for_user`."""

import datetime as dt
from collections import defaultdict

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, FilteredRelation, Max, OuterRef, Q, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
from django.shortcuts import get_object_or_404
from django.utils import timezone

from asn.models import ImportJob, Instansi, Pegawai
from asn.reference import KOMPETENSI
from talenta import params, pipeline, progress
from talenta.tabular import format_score

from . import scoring
from .models import (
    Asesmen,
    ExportJob,
    HukumanDisiplin,
    Kalibrasi,
    Penempatan,
    Perhitungan,
    Periode,
    PilihanSkema,
    RapatTalentReview,
    Simulasi,
    SimulasiPenempatan,
    Skema,
    SkpResult,
    TahapanInstansi,
)

EXPORT_COLUMNS = [
    "nip",
    "nama",
    "instansi",
    "jenjang",
    "skor_kinerja",
    "kategori_kinerja",
    "skor_potensial",
    "kategori_potensial",
    "jpm",
    "jpm_berikutnya",
    "kotak_hitung",
    "kotak",
    "krs",
    "label_krs",
    "alasan_krs",
    "lengkap",
    "alasan",
]


def _ya(value: bool) -> str:
    return "ya" if value else "tidak"


def periode_latest() -> Periode | None:
    return Periode.objects.order_by("-tahun").first()


def periode_get(*, tahun: int) -> Periode:
    return get_object_or_404(Periode, tahun=tahun)


def format_export_row(values: dict) -> list[str]:
    """One export row in the documented formats, from raw values keyed by `EXPORT_COLUMNS`."""
    return [
        values["nip"],
        values["nama"],
        values["instansi"],
        values["jenjang"],
        format_score(values["skor_kinerja"]),
        values["kategori_kinerja"],
        format_score(values["skor_potensial"]),
        values["kategori_potensial"],
        format_score(values["jpm"]),
        format_score(values["jpm_berikutnya"]),
        "" if values["kotak_hitung"] is None else str(values["kotak_hitung"]),
        "" if values["kotak"] is None else str(values["kotak"]),
        _ya(values["krs"]),
        values["label_krs"],
        values["alasan_krs"],
        _ya(values["lengkap"]),
        values["alasan"],
    ]


def talent_map_export_rows(*, user, periode: Periode, instansi=None):
    """The placements of a period as export rows (strings), ordered by instansi code and NIP.

    `user=None` is the command line, which sees every instansi.
    """
    values = (
        _export_placements(user=user, periode=periode, instansi=instansi)
        .order_by("instansi__kode", "pegawai__nip")
        .annotate(
            export_nip=F("pegawai__nip"),
            export_nama=F("pegawai__nama"),
            export_instansi=F("instansi__kode"),
            export_jenjang=F("jenjang__nama"),
        )
        .values(*[f"export_{c}" if c in _JOINED else c for c in EXPORT_COLUMNS])
    )
    for row in values.iterator(chunk_size=5000):
        yield format_export_row({c: row[f"export_{c}" if c in _JOINED else c] for c in EXPORT_COLUMNS})


def talent_map_export_count(*, user, periode: Periode, instansi=None) -> int:
    return _export_placements(user=user, periode=periode, instansi=instansi).count()


def _export_placements(*, user, periode: Periode, instansi):
    placements = Penempatan.objects.all() if user is None else Penempatan.objects.for_user(user)
    placements = placements.filter(periode=periode)
    return placements if instansi is None else placements.filter(instansi=instansi)


_JOINED = {"nip", "nama", "instansi", "jenjang"}


SIMATA_FIELDS = ["pns_id", "nip", "box", "sumbu_x", "sumbu_y", "total_sumbu"]


def simata_records(*, user, periode: Periode, instansi=None) -> list[dict]:
    """The talent mapping SIASN/SIMATA take back (siasn-format.md §3), one record per complete placement.

    box = final kotak, sumbu_x = skor potensial, sumbu_y = skor kinerja, total_sumbu = their sum.
    `user=None` is the command line, which sees every instansi. Ordered by instansi code and NIP.
    """
    placements = Penempatan.objects.all() if user is None else Penempatan.objects.for_user(user)
    placements = placements.filter(periode=periode, lengkap=True)
    if instansi is not None:
        placements = placements.filter(instansi=instansi)
    rows = placements.order_by("instansi__kode", "pegawai__nip").values_list(
        "pegawai__pns_id", "pegawai__nip", "kotak", "skor_potensial", "skor_kinerja"
    )
    return [
        {
            "pns_id": pns_id,
            "nip": nip,
            "box": kotak,
            "sumbu_x": potensial,
            "sumbu_y": kinerja,
            "total_sumbu": potensial + kinerja,
        }
        for pns_id, nip, kotak, potensial, kinerja in rows.iterator(chunk_size=5000)
    ]


def periode_summary(*, user, periode: Periode):
    """Per visible instansi: pegawai, placements, complete, talent pool, boxes, last computed (one query)."""
    counts = {
        row["instansi_id"]: row
        for row in Penempatan.objects.for_user(user)
        .filter(periode=periode)
        .values("instansi_id")
        .annotate(
            jumlah=Count("id"),
            lengkap_count=Count("id", filter=Q(lengkap=True)),
            krs_count=Count("id", filter=Q(krs=True)),
        )
    }
    # The last finished refresh of the instansi: a refresh that changes nothing writes no placement.
    finished = Perhitungan.objects.filter(periode=periode, instansi=OuterRef("pk")).values("selesai")[:1]
    instansi = Instansi.objects.for_user(user).annotate(jumlah_pegawai=Count("pegawai"), terakhir=Subquery(finished))
    return [
        {"instansi": i, "pegawai": i.jumlah_pegawai, "terakhir": i.terakhir, **counts.get(i.pk, {})} for i in instansi
    ]


def freshness(*, user, periode: Periode, instansi=None) -> dict:
    """When the derived data this user sees was computed, and whether a refresh is queued or running.

    `dihitung` is the oldest finish among the instansi in view (None while one was never computed);
    `progress` is the running step of a single instansi, read from the cache when it is up.
    """
    # One query: every instansi in view, with its state in this period where it has one.
    scope = Instansi.objects.for_user(user)
    if instansi is not None:
        scope = scope.filter(pk=instansi.pk)
    state = FilteredRelation("perhitungan", condition=Q(perhitungan__periode=periode))
    rows = list(
        scope.annotate(state=state).values(
            "pk", diantrekan=F("state__diantrekan"), dimulai=F("state__dimulai"), selesai=F("state__selesai"),
            galat=F("state__galat"),
        )
    )  # fmt: skip
    in_view = len(rows)
    now = timezone.now()
    running = [r for r in rows if r["dimulai"] and r["dimulai"] >= now - pipeline.running_stale_after()]
    queued = [r for r in rows if r["diantrekan"] and r not in running]
    finished = [r["selesai"] for r in rows if r["selesai"]]
    current = None
    if instansi is not None and running:
        current = progress.read(pipeline.progress_name(periode.pk, instansi.pk))
    return {
        "periode": periode,
        "instansi": instansi,
        "dihitung": min(finished) if len(finished) == in_view else None,
        "terbaru": max(finished, default=None),
        "jumlah_instansi": in_view,
        "berjalan": len(running),
        "antre": len(queued),
        "aktif": bool(running or queued),
        "progress": current,
        "galat": sorted({r["galat"] for r in rows if r["galat"]}),
    }


def periode_for_profile(*, tahun: str | None) -> Periode | None:
    """The period a profile shows: the one asked for (none if unknown), else the latest."""
    if tahun:
        return Periode.objects.filter(tahun=params.int_or_none(tahun)).first()
    return periode_latest()


def placement_for_profile(*, pegawai, periode: Periode | None) -> Penempatan | None:
    if periode is None:
        return None
    return Penempatan.objects.filter(periode=periode, pegawai=pegawai).select_related("skema", "jenjang").first()


def scheme_for_profile(*, pegawai, periode: Periode | None, placement: Penempatan | None) -> Skema:
    """The scheme that scores this pegawai's inputs: the placement's, else the one the instansi chose."""
    if placement is not None:
        return placement.skema
    chosen = (
        PilihanSkema.objects.filter(periode=periode, instansi_id=pegawai.instansi_id).select_related("skema").first()
        if periode is not None
        else None
    )
    return chosen.skema if chosen else Skema.objects.default()


def placement_explanation(*, placement: Penempatan) -> dict:
    """Everything the profile shows to explain one placement: inputs, sources, weights, points."""
    scheme = placement.skema.params()
    detail = placement.rincian
    weights = {
        "kompetensi": scheme.bobot_kompetensi,
        "potensi": scheme.bobot_potensi,
        "kualifikasi": scheme.bobot_kualifikasi,
        "disiplin": scheme.bobot_disiplin,
    }
    pendidikan = detail.get("pendidikan") or "—"
    heaviest = detail["disiplin"]["terberat"] or "tanpa hukuman dalam jendela"
    components = []
    for key, label, value, source in (
        ("kompetensi", "Kompetensi (JPM berikutnya, maks. 100)", placement.komponen_kompetensi, "asesmen"),
        ("potensi", "Potensi (skor potensi asesmen)", placement.komponen_potensi, "asesmen"),
        ("kualifikasi", f"Kualifikasi (pendidikan {pendidikan})", placement.komponen_kualifikasi, "pendidikan"),
        ("disiplin", f"Rekam jejak disiplin ({heaviest})", placement.komponen_disiplin, "disiplin"),
    ):
        components.append(
            {
                "key": key,
                "label": label,
                "score": value,
                "weight": weights[key],
                "points": None if value is None else scoring.round2(value * weights[key] / 100),
                "source": source,
            }
        )
    levels = (detail.get("asesmen") or {}).get("levels") or {}
    radar = {
        "labels": [label for _, label in KOMPETENSI],
        "capaian": [levels.get(field) for field, _ in KOMPETENSI] if levels else [],
        "standar": detail["standar"],
        "standar_berikutnya": detail["standar_berikutnya"],
    }
    return {
        "scheme": scheme,
        "components": components,
        "skp": detail["skp"],
        "asesmen": detail.get("asesmen"),
        "asesmen_valid": detail.get("asesmen_valid"),
        "asesmen_berlaku_sejak": detail.get("asesmen_berlaku_sejak"),
        "disiplin": detail["disiplin"],
        "jpm_band": scoring.jpm_band(placement.jpm) if placement.jpm is not None else "",
        "jpm_berikutnya_band": scoring.jpm_band(placement.jpm_berikutnya)
        if placement.jpm_berikutnya is not None
        else "",
        "rekomendasi": scoring.REKOMENDASI.get(placement.kotak) if placement.kotak else "",
        "missing": _missing_help(placement),
        "radar": radar,
        "radar_rows": [
            {"label": label, "capaian": capaian, "standar": standar, "berikutnya": berikutnya}
            for label, capaian, standar, berikutnya in zip(
                radar["labels"], radar["capaian"], radar["standar"], radar["standar_berikutnya"], strict=False
            )
        ],
    }


_COMPLETE_BY = {
    scoring.ALASAN_KINERJA: "Impor atau isi hasil SKP untuk tahun {years}.",
    scoring.ALASAN_ASESMEN_TIDAK_ADA: "Impor atau isi hasil asesmen yang dilaksanakan paling lambat {acuan}.",
    scoring.ALASAN_ASESMEN_KEDALUWARSA: (
        "Asesmen terakhir ({tanggal}) sudah lebih dari {masa} tahun sebelum tanggal acuan; "
        "diperlukan asesmen baru bertanggal {berlaku} sampai {acuan}."
    ),
    scoring.ALASAN_PENDIDIKAN: "Lengkapi pendidikan terakhir pegawai.",
}


def _missing_help(placement: Penempatan) -> list[dict]:
    """For an incomplete placement: what is missing or expired and what would complete it."""
    if placement.lengkap:
        return []
    detail = placement.rincian
    scheme = placement.skema.params()
    context = {
        "years": " dan ".join(str(s["tahun"]) for s in detail["skp"]),
        "acuan": placement.periode.tanggal_acuan.strftime("%d-%m-%Y"),
        "tanggal": (detail.get("asesmen") or {}).get("tanggal", ""),
        "masa": scheme.masa_berlaku_asesmen_tahun,
        "berlaku": detail.get("asesmen_berlaku_sejak", ""),
    }
    return [
        {"alasan": reason, "tindakan": _COMPLETE_BY[reason].format(**context)}
        for reason in placement.alasan.split("; ")
    ]


def skp_history(*, pegawai):
    return SkpResult.objects.filter(pegawai=pegawai).order_by("tahun")


def asesmen_list(*, pegawai):
    return Asesmen.objects.filter(pegawai=pegawai)


def disiplin_list(*, pegawai):
    return HukumanDisiplin.objects.filter(pegawai=pegawai)


def record_get_for_user(*, model, user, pk: int, write: bool = False):
    """An SKP, asesmen or disiplin record if the user may see it (else 404); write needs a writer."""
    record = get_object_or_404(model.objects.for_user(user).select_related("pegawai"), pk=pk)
    if write and not user.may_write_pegawai(record.pegawai):
        raise PermissionDenied
    return record


def skema_for_user(*, user):
    return Skema.objects.for_user(user).select_related("instansi", "disalin_dari")


def pilihan_skema_for_user(*, user, periode: Periode):
    return PilihanSkema.objects.for_user(user).filter(periode=periode).select_related("skema", "instansi")


# --- nine-box map -------------------------------------------------------------------------------------

# Grid rows top to bottom (kinerja high → low), columns left to right (potensial low → high).
GRID = [[4, 7, 9], [2, 5, 8], [1, 3, 6]]
BOX_COLOURS = {
    9: "#198754", 8: "#52b788", 7: "#52b788", 6: "#ffc107", 5: "#ffe08a", 4: "#ffe08a",
    3: "#fd9843", 2: "#fd9843", 1: "#dc3545",
}  # fmt: skip
BOX_NAMES = {box: f"{kinerja} · potensial {potensial}" for (kinerja, potensial), box in scoring.BOX.items()}

AGE_BANDS = {"<30": (None, 30), "30-39": (30, 40), "40-49": (40, 50), "50+": (50, None)}
JPM_BANDS = {"optimal": (90, None), "cukup": (78, 90), "kurang": (None, 78), "tanpa": None}


def placements_for_map(*, user, periode: Periode, instansi, filters: dict):
    """The placements of one instansi in a period that the map shows, with the map's filters applied."""
    placements = Penempatan.objects.for_user(user).filter(periode=periode, instansi=instansi)
    lookups = {
        "unit_kerja": "pegawai__jabatan__unit_kerja",
        "jenjang": "jenjang",
        "kelompok": "jenjang__kelompok",
        "golongan": "pegawai__golongan",
        "jenis_asn": "pegawai__jenis_asn",
        "jenis_kelamin": "pegawai__jenis_kelamin",
    }
    for name, lookup in lookups.items():
        if filters.get(name):
            placements = placements.filter(**{lookup: filters[name]})
    if filters.get("usia") in AGE_BANDS:
        youngest, oldest = AGE_BANDS[filters["usia"]]
        # Age at the reference date: at least N years old means born on or before acuan - N years.
        if youngest is not None:
            placements = placements.filter(
                pegawai__tanggal_lahir__lte=scoring.years_before(periode.tanggal_acuan, youngest)
            )
        if oldest is not None:
            placements = placements.filter(
                pegawai__tanggal_lahir__gt=scoring.years_before(periode.tanggal_acuan, oldest)
            )
    if filters.get("jpm") in JPM_BANDS:
        band = JPM_BANDS[filters["jpm"]]
        if band is None:
            placements = placements.filter(jpm__isnull=True)
        else:
            low, high = band
            if low is not None:
                placements = placements.filter(jpm__gte=low)
            if high is not None:
                placements = placements.filter(jpm__lt=high)
    return placements


def talent_map(*, placements) -> dict:
    """Counts per box and the holding area "Data tidak lengkap", from one grouped query."""
    counts = {box: 0 for box in range(1, 10)}
    incomplete = 0
    reasons = {}
    for kotak, alasan, jumlah in placements.values_list("kotak", "alasan").annotate(jumlah=Count("id")).order_by():
        if kotak is None:
            incomplete += jumlah
            for reason in alasan.split("; "):
                reasons[reason] = reasons.get(reason, 0) + jumlah
        else:
            counts[kotak] += jumlah
    complete = sum(counts.values())
    grid = [
        [
            {
                "kotak": box,
                "jumlah": counts[box],
                "persen": round(100 * counts[box] / complete, 1) if complete else 0,
                "nama": BOX_NAMES[box],
                "warna": BOX_COLOURS[box],
                "rekomendasi": scoring.REKOMENDASI[box],
            }
            for box in row
        ]
        for row in GRID
    ]
    order = [
        scoring.ALASAN_KINERJA,
        scoring.ALASAN_ASESMEN_TIDAK_ADA,
        scoring.ALASAN_ASESMEN_KEDALUWARSA,
        scoring.ALASAN_PENDIDIKAN,
    ]
    return {
        "grid": grid,
        "counts": counts,
        "lengkap": complete,
        "tidak_lengkap": incomplete,
        "alasan_tidak_lengkap": [(r, reasons[r]) for r in order if r in reasons],
        "total": complete + incomplete,
    }


BOX_LIST_SORTS = {
    "nama": ("pegawai__nama", "pegawai__nip"),
    "-nama": ("-pegawai__nama", "pegawai__nip"),
    "kinerja": ("skor_kinerja", "pegawai__nip"),
    "-kinerja": ("-skor_kinerja", "pegawai__nip"),
    "potensial": ("skor_potensial", "pegawai__nip"),
    "-potensial": ("-skor_potensial", "pegawai__nip"),
    "jpm": ("jpm", "pegawai__nip"),
    "-jpm": ("-jpm", "pegawai__nip"),
}


def box_list(*, placements, kotak: int | None, sort: str):
    """The people of one box (None: the holding area), sorted and ready for a page."""
    if kotak is None:
        placements = placements.filter(kotak__isnull=True)
    else:
        placements = placements.filter(kotak=kotak)
    return placements.select_related("pegawai__jabatan__unit_kerja", "pegawai__golongan", "jenjang").order_by(
        *BOX_LIST_SORTS.get(sort, BOX_LIST_SORTS["-potensial"])
    )


def movement_table(*, user, instansi, dari: Periode, ke: Periode) -> dict:
    """Box last period → box this period, with counts; None is "Data tidak lengkap" or absent."""
    previous = Penempatan.objects.filter(periode=dari, pegawai=OuterRef("pegawai")).values("kotak")[:1]
    rows = (
        Penempatan.objects.for_user(user)
        .filter(periode=ke, instansi=instansi)
        .annotate(kotak_lalu=Subquery(previous))
        .values_list("kotak_lalu", "kotak")
        .annotate(jumlah=Count("id"))
        .order_by()
    )
    cells = {(before, after): jumlah for before, after, jumlah in rows}
    boxes = [9, 8, 7, 6, 5, 4, 3, 2, 1, None]
    return {
        "boxes": boxes,
        "rows": [
            {
                "dari": before,
                "cells": [cells.get((before, after), 0) for after in boxes],
                "total": sum(cells.get((before, after), 0) for after in boxes),
            }
            for before in boxes
        ],
        "naik": sum(n for (b, a), n in cells.items() if b and a and _rank(a) > _rank(b)),
        "turun": sum(n for (b, a), n in cells.items() if b and a and _rank(a) < _rank(b)),
        "tetap": sum(n for (b, a), n in cells.items() if b and a and a == b),
    }


def _rank(box: int) -> int:
    """A box's height in the map: the sum of its kinerja and potensial levels."""
    for (kinerja, potensial), number in scoring.BOX.items():
        if number == box:
            return [scoring.KINERJA_BAWAH, scoring.KINERJA_SESUAI, scoring.KINERJA_ATAS].index(kinerja) + [
                scoring.POTENSIAL_RENDAH, scoring.POTENSIAL_MENENGAH, scoring.POTENSIAL_TINGGI
            ].index(potensial)  # fmt: skip
    raise ValueError(box)


def box_history(*, pegawai):
    return (
        Penempatan.objects.filter(pegawai=pegawai)
        .select_related("periode")
        .order_by("periode__tahun")
        .values("periode__tahun", "kotak", "kotak_hitung", "krs", "lengkap")
    )


def talent_pool(*, user, periode: Periode, instansi):
    placements = (
        Penempatan.objects.for_user(user)
        .filter(periode=periode, instansi=instansi)
        .select_related("pegawai__jabatan", "jenjang")
        # The explanation (rincian) is only read on the profile; the lists and the export skip it.
        .defer("rincian")
    )
    return {
        "anggota": placements.filter(krs=True).order_by("-kotak", "-skor_potensial", "-skor_kinerja", "pegawai__nip"),
        "di_luar": placements.filter(kotak__in=scoring.POOL_BOXES, krs=False).order_by("-kotak", "pegawai__nip"),
    }


def export_job_get_for_user(*, user, pk: int) -> ExportJob:
    """An export job if the user shares its owner's scope (else 404), as for import jobs."""
    return get_object_or_404(ExportJob.objects.for_user(user).select_related("created_by", "periode"), pk=pk)


def calibrations_for_user(*, user, periode: Periode, filters: dict):
    calibrations = Kalibrasi.objects.for_user(user).filter(penempatan__periode=periode)
    if filters.get("instansi"):
        calibrations = calibrations.filter(penempatan__instansi=filters["instansi"])
    if filters.get("oleh"):
        calibrations = calibrations.filter(oleh=filters["oleh"])
    if filters.get("dari"):
        calibrations = calibrations.filter(kotak_sebelumnya=filters["dari"])
    if filters.get("ke"):
        calibrations = calibrations.filter(kotak_baru=filters["ke"])
    if filters.get("perlu_ditinjau"):
        calibrations = calibrations.filter(perlu_ditinjau=True)
    return calibrations.select_related("penempatan__pegawai", "penempatan__instansi", "oleh", "rapat")


def rapat_get_for_user(*, user, pk: int, review: bool = False) -> RapatTalentReview:
    """A meeting if the user may see it (else 404); with `review`, 403 for roles outside the talent team."""
    rapat = get_object_or_404(RapatTalentReview.objects.for_user(user).select_related("periode", "instansi"), pk=pk)
    if review and not user.may_review_instansi(rapat.instansi_id):
        raise PermissionDenied
    return rapat


def kalibrasi_get_for_user(*, user, pk: int) -> Kalibrasi:
    """A move if the user may see it (else 404); 403 for roles outside the talent team."""
    kalibrasi = get_object_or_404(Kalibrasi.objects.for_user(user).select_related("rapat"), pk=pk)
    if not user.may_review_instansi(kalibrasi.rapat.instansi_id):
        raise PermissionDenied
    return kalibrasi


def rapat_for_user(*, user):
    return RapatTalentReview.objects.for_user(user).select_related("periode", "instansi")


def _meeting_placements(rapat: RapatTalentReview):
    """The people a meeting may move: the complete placements of its instansi in its period."""
    return Penempatan.objects.filter(periode=rapat.periode, instansi=rapat.instansi, lengkap=True)


def _proposed_box(rapat: RapatTalentReview):
    """The box the meeting proposes for a placement: its latest move there, else the official box."""
    latest = Kalibrasi.objects.filter(rapat=rapat, penempatan=OuterRef("pk")).order_by("-waktu", "-id")
    return Coalesce(Subquery(latest.values("kotak_baru")[:1]), F("kotak"))


def _box_shares(counts: dict, total: int, limit: int) -> list[dict]:
    return [
        {
            "kotak": box,
            "jumlah": counts.get(box, 0),
            "persen": round(100 * counts.get(box, 0) / total, 1) if total else 0,
            "melebihi_batas": bool(total) and 100 * counts.get(box, 0) / total > limit,
        }
        for box in range(9, 0, -1)
    ]


def meeting_grid(*, rapat: RapatTalentReview, filters: dict, per_box: int = 40) -> dict:
    """The people on the meeting's grid in the box the meeting proposes, per box (capped per box).

    A draft's moves are proposals: the live map and pool keep the official box until finalisation,
    so each person also carries `kotak` (official) and `kotak_hitung` (computed) beside `usulan`.
    `sebaran` is the whole meeting's distribution of proposed boxes, unfiltered: the guideline (at
    most `batas_sebaran_persen` of the people in one box) is about everyone the meeting reviews, so
    the board's live distribution starts from it whatever the board is filtered on.
    """
    base = _meeting_placements(rapat).annotate(usulan=_proposed_box(rapat))
    placements = base.select_related("pegawai__jabatan__unit_kerja", "jenjang").order_by(
        "usulan", "-skor_potensial", "pegawai__nip"
    )
    if filters.get("unit_kerja"):
        placements = placements.filter(pegawai__jabatan__unit_kerja=filters["unit_kerja"])
    if filters.get("jenjang"):
        placements = placements.filter(jenjang=filters["jenjang"])
    if filters.get("q"):
        placements = placements.filter(
            Q(pegawai__nama__icontains=filters["q"]) | Q(pegawai__nip__startswith=filters["q"])
        )
    counts = dict(placements.values_list("usulan").annotate(n=Count("id")).order_by())
    total = sum(counts.values())
    all_counts = dict(base.values_list("usulan").annotate(n=Count("id")).order_by()) if filters else counts
    people = {box: [] for box in range(1, 10)}
    # One query: the first `per_box` people of every box, numbered by a window function.
    ranked = placements.annotate(
        urutan=Window(
            RowNumber(), partition_by=[F("usulan")], order_by=[F("skor_potensial").desc(), F("pegawai__nip").asc()]
        )
    ).filter(urutan__lte=per_box)
    for placement in ranked:
        people[placement.usulan].append(placement)
    return {
        "grid": [
            [
                {
                    "kotak": box,
                    "nama": BOX_NAMES[box],
                    "warna": BOX_COLOURS[box],
                    "jumlah": counts.get(box, 0),
                    "persen": round(100 * counts.get(box, 0) / total, 1) if total else 0,
                    "orang": people[box],
                    "lebih": max(0, counts.get(box, 0) - per_box),
                    "melebihi_batas": total and 100 * counts.get(box, 0) / total > rapat.batas_sebaran_persen,
                }
                for box in row
            ]
            for row in GRID
        ],
        "total": total,
        "sebaran": _box_shares(all_counts, sum(all_counts.values()), rapat.batas_sebaran_persen),
        "total_rapat": sum(all_counts.values()),
    }


MEETING_FINDER_LIMIT = 20


def meeting_people_find(*, rapat: RapatTalentReview, text: str, limit: int = MEETING_FINDER_LIMIT) -> dict:
    """The meeting's people whose name holds every word of `text` (any order), or whose NIP starts with it.

    For the move form without JavaScript: two people of the same name are told apart by the NIP,
    jabatan and unit shown with each match; `usulan` is the box the meeting proposes, as on the board.
    """
    text = " ".join(text.split())
    if not text:
        return {"matches": [], "jumlah": 0}
    digits = text.replace(" ", "")
    condition = Q()
    for word in text.split(" "):
        condition &= Q(pegawai__nama__icontains=word)
    if digits.isdigit():
        condition |= Q(pegawai__nip__startswith=digits)
    found = (
        _meeting_placements(rapat)
        .filter(condition)
        .select_related("pegawai__jabatan__unit_kerja")
        .annotate(usulan=_proposed_box(rapat), jumlah=Window(Count("id")))
        .order_by("pegawai__nama", "pegawai__nip")[:limit]
    )
    matches = list(found)
    return {"matches": matches, "jumlah": matches[0].jumlah if matches else 0}


def meeting_moves(*, rapat: RapatTalentReview) -> list[Kalibrasi]:
    """Every move of the meeting, newest first; the latest move of each person carries the net move.

    On that move: `dari` (the box the person entered the meeting with), `ke` (the meeting's last
    box for them) and `perlu_persetujuan` (the net move needs a second member's agreement).
    """
    moves = list(
        rapat.kalibrasi.select_related("penempatan__pegawai__jabatan", "oleh", "disetujui_oleh").order_by("waktu", "id")
    )
    first = {}
    for move in moves:
        first.setdefault(move.penempatan_id, move)
        move.terakhir = False
    latest = {move.penempatan_id: move for move in moves}
    for penempatan_id, move in latest.items():
        move.terakhir = True
        move.dari, move.ke = first[penempatan_id].kotak_sebelumnya, move.kotak_baru
        move.perlu_persetujuan = scoring.needs_second_agreement(move.dari, move.ke)
    return moves[::-1]


def meeting_net_moves(*, rapat: RapatTalentReview) -> list[Kalibrasi]:
    """Per person moved in the meeting, their latest move carrying the net move (first → last), by name."""
    latest = [move for move in meeting_moves(rapat=rapat) if move.terakhir]
    return sorted(latest, key=lambda move: (move.penempatan.pegawai.nama, move.penempatan.pegawai.nip))


def meeting_pending_agreements(*, rapat: RapatTalentReview) -> list[Kalibrasi]:
    """Net moves that need a second member's agreement and have none: they keep finalisation back."""
    return [m for m in meeting_net_moves(rapat=rapat) if m.perlu_persetujuan and m.disetujui_oleh_id is None]


def meeting_distribution(*, rapat: RapatTalentReview) -> dict:
    """Box counts of the meeting's instansi and period before the meeting and with its proposals."""
    placements = _meeting_placements(rapat)
    first = Kalibrasi.objects.filter(rapat=rapat, penempatan=OuterRef("pk")).order_by("waktu", "id")
    before = dict(
        placements.annotate(awal=Coalesce(Subquery(first.values("kotak_sebelumnya")[:1]), F("kotak")))
        .values_list("awal")
        .annotate(n=Count("id"))
        .order_by()
    )
    after = dict(
        placements.annotate(usulan=_proposed_box(rapat)).values_list("usulan").annotate(n=Count("id")).order_by()
    )
    return {
        "sebelum": {str(box): before.get(box, 0) for box in range(1, 10)},
        "sesudah": {str(box): after.get(box, 0) for box in range(1, 10)},
    }


# --- provincial dashboard: assessment's figures -----------------------------------------------------
# One selector per figure, grouped over the instansi asked for; `succession.dashboard` composes them
# with succession's figures into the page's rows and caches each row under `dashboard_row_key`.

DASHBOARD_TRENDS_CACHE_KEY = "dashboard:trends"


def dashboard_row_key(periode_id: int, instansi_id: int) -> str:
    return f"dashboard:{periode_id}:{instansi_id}"


def dashboard_invalidate(periode_id: int | None = None, instansi_id: int | None = None) -> None:
    """Drop cached aggregates: one instansi's row after its refresh commits, or wider when unnamed.

    The trends span every period and instansi, so any change drops them whole.
    """
    cache.delete(DASHBOARD_TRENDS_CACHE_KEY)
    periode_ids = [periode_id] if periode_id is not None else list(Periode.objects.values_list("pk", flat=True))
    instansi_ids = [instansi_id] if instansi_id is not None else list(Instansi.objects.values_list("pk", flat=True))
    cache.delete_many([dashboard_row_key(p, i) for p in periode_ids for i in instansi_ids])


def dashboard_asn(*, instansi_ids: list[int]) -> dict[int, int]:
    """The pegawai of each instansi."""
    counts = dict(
        Pegawai.objects.filter(instansi_id__in=instansi_ids)
        .values_list("instansi_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {pk: counts.get(pk, 0) for pk in instansi_ids}


def dashboard_placements(*, periode: Periode, instansi_ids: list[int]) -> dict[int, dict]:
    """Per instansi: its placements, the complete ones, the pool, those with full data, and per box 1–9."""
    grouped = {
        row["instansi_id"]: row
        for row in Penempatan.objects.filter(periode=periode, instansi_id__in=instansi_ids)
        .values("instansi_id")
        .annotate(
            jumlah=Count("id"),
            lengkap_n=Count("id", filter=Q(lengkap=True)),
            krs_n=Count("id", filter=Q(krs=True)),
            kualitas_n=Count("id", filter=Q(pegawai__tmt_jabatan__isnull=False, jpm__isnull=False, skp_lengkap=True)),
            **{f"k{box}": Count("id", filter=Q(kotak=box)) for box in range(1, 10)},
        )
        .order_by()
    }
    figures = {}
    for pk in instansi_ids:
        row = grouped.get(pk, {})
        figures[pk] = {
            "penempatan": row.get("jumlah", 0),
            "lengkap": row.get("lengkap_n", 0),
            "krs": row.get("krs_n", 0),
            "kualitas": row.get("kualitas_n", 0),
            "kotak": [row.get(f"k{box}", 0) for box in range(1, 10)],
        }
    return figures


def dashboard_calibrated(*, periode: Periode, instansi_ids: list[int]) -> dict[int, int]:
    """The placements of each instansi moved at least once in a talent review of the period."""
    counts = dict(
        Kalibrasi.objects.filter(
            penempatan__periode=periode,
            penempatan__instansi_id__in=instansi_ids,
            rapat__status=RapatTalentReview.Status.FINAL,
        )
        .values_list("penempatan__instansi_id")
        .annotate(n=Count("penempatan", distinct=True))
        .order_by()
    )
    return {pk: counts.get(pk, 0) for pk in instansi_ids}


def dashboard_last_activity(*, instansi_ids: list[int]) -> dict[int, dt.datetime | None]:
    """When each instansi last changed a pegawai, imported a file or calibrated a placement."""
    moments = defaultdict(list)
    for source in (
        Pegawai.objects.filter(instansi_id__in=instansi_ids).values_list("instansi_id").annotate(t=Max("diubah")),
        ImportJob.objects.filter(instansi_id__in=instansi_ids).values_list("instansi_id").annotate(t=Max("created_at")),
        Kalibrasi.objects.filter(penempatan__instansi_id__in=instansi_ids)
        .values_list("penempatan__instansi_id")
        .annotate(t=Max("waktu")),
    ):
        for instansi_id, moment in source.order_by():
            if moment:
                moments[instansi_id].append(moment)
    return {pk: max(moments[pk], default=None) for pk in instansi_ids}


def dashboard_stages(*, instansi_ids: list[int]) -> dict[int, dict]:
    """Where each instansi stands in BKN's pipeline: its latest stage, since when, and the note."""
    latest = {}
    newest_first = TahapanInstansi.objects.filter(instansi_id__in=instansi_ids).order_by("instansi_id", "-sejak", "-id")
    for tahapan in newest_first:
        latest.setdefault(tahapan.instansi_id, tahapan)
    figures = {}
    for pk in instansi_ids:
        stage = latest.get(pk)
        figures[pk] = {
            "tahap": stage.tahap if stage else TahapanInstansi.Tahap.BELUM_MEMULAI,
            "tahap_label": stage.get_tahap_display() if stage else TahapanInstansi.Tahap.BELUM_MEMULAI.label,
            "tahap_sejak": stage.sejak if stage else None,
            "tahap_catatan": stage.catatan if stage else "",
        }
    return figures


def dashboard_trend_placements() -> dict[tuple[int, int], dict]:
    """Per (year, instansi) of every period: the complete placements and the pool."""
    return {
        (row["periode__tahun"], row["instansi_id"]): {"lengkap": row["lengkap_n"], "krs": row["krs_n"]}
        for row in Penempatan.objects.values("periode__tahun", "instansi_id")
        .annotate(lengkap_n=Count("id", filter=Q(lengkap=True)), krs_n=Count("id", filter=Q(krs=True)))
        .order_by()
    }


# --- what-if simulation of a scheme version -------------------------------------------------------------

# The rows and columns of the movement table: the nine boxes from the top, then "tidak lengkap".
MOVEMENT_BOXES = [9, 8, 7, 6, 5, 4, 3, 2, 1, None]
MOVED_ORDER = {
    "nama": ("nama", "nip"),
    "nip": ("nip",),
    "unit": ("unit", "nama", "nip"),
    "dari": ("dari_urut", "nama", "nip"),
    "ke": ("ke_urut", "nama", "nip"),
}


def simulasi_get_for_user(*, user, pk: int) -> Simulasi:
    """A simulation in the user's scope (404 outside); only those who manage its schemes open it (403)."""
    simulasi = get_object_or_404(
        Simulasi.objects.for_user(user).select_related("periode", "instansi", "skema", "skema_berlaku", "dibuat_oleh"),
        pk=pk,
    )
    if simulasi.is_province:
        # A province-wide run is in no instansi's scope but the province's own.
        allowed = user.sees_all_instansi and user.may_manage_scheme(simulasi.skema.instansi_id)
    else:
        allowed = user.may_manage_scheme(simulasi.instansi_id)
    if not allowed:
        raise PermissionDenied("Simulasi skema dibuka oleh admin instansi ini atau admin provinsi.")
    return simulasi


def simulations_for_user(*, user):
    return Simulasi.objects.for_user(user).select_related("periode", "instansi", "skema", "dibuat_oleh")[:20]


def simulation_progress(simulasi: Simulasi) -> dict | None:
    from .services import simulation_progress_name

    return progress.read(simulation_progress_name(simulasi.pk)) if simulasi.is_running else None


def _box_label(box) -> str:
    return "tidak lengkap" if box is None else str(box)


def simulasi_diff(*, simulasi: Simulasi, dibanding: Simulasi | None = None, urut: str = "nama") -> dict:
    """The simulation against the official placements of its instansi (every instansi, for a
    province-wide run) in its period, or against another simulation of the same scope and period
    (`dibanding`: two drafts compared).

    The official side is each pegawai's final box now (calibrations included; none: "tidak
    lengkap"); a simulated side is the final box the recompute would give under that scheme.
    Returns the 10×10 movement table, who enters and who leaves the talent pool (KRS), and every
    person whose box changes, sorted by `urut` (a key of MOVED_ORDER).
    """
    if dibanding is not None:
        official = _simulated(dibanding)
    else:
        pegawai = Pegawai.objects.all()
        placements = Penempatan.objects.filter(periode_id=simulasi.periode_id)
        if not simulasi.is_province:
            pegawai = pegawai.filter(instansi_id=simulasi.instansi_id)
            placements = placements.filter(pegawai__instansi_id=simulasi.instansi_id)
        official = dict.fromkeys(pegawai.values_list("id", flat=True), (None, False))
        official.update(
            (pegawai_id, (kotak, krs))
            for pegawai_id, kotak, krs in placements.values_list("pegawai_id", "kotak", "krs")
        )
    simulated = _simulated(simulasi)
    counts = defaultdict(int)
    moved, entering, leaving = {}, [], []
    for pegawai_id, (box, krs) in simulated.items():
        before_box, before_krs = official.get(pegawai_id, (None, False))
        counts[(before_box, box)] += 1
        if before_box != box:
            moved[pegawai_id] = (before_box, box)
        if krs and not before_krs:
            entering.append(pegawai_id)
        elif before_krs and not krs:
            leaving.append(pegawai_id)
    matrix = [
        {
            "dari": _box_label(before),
            "sel": [
                {"ke": _box_label(after), "jumlah": counts[(before, after)], "pindah": before != after}
                for after in MOVEMENT_BOXES
            ],
            "jumlah": sum(counts[(before, after)] for after in MOVEMENT_BOXES),
        }
        for before in MOVEMENT_BOXES
    ]
    people = _people({*moved, *entering, *leaving})

    def person(pegawai_id, boxes=None):
        before, after = boxes or (official.get(pegawai_id, (None, False))[0], simulated[pegawai_id][0])
        row = people[pegawai_id]
        return {
            **row,
            "dari": _box_label(before),
            "ke": _box_label(after),
            # "Tidak lengkap" sorts below box 1.
            "dari_urut": before or 0,
            "ke_urut": after or 0,
            "krs_sekarang": official.get(pegawai_id, (None, False))[1],
            "krs_simulasi": simulated[pegawai_id][1],
        }

    order = MOVED_ORDER.get(urut, MOVED_ORDER["nama"])
    return {
        "matriks": matrix,
        "kolom": [_box_label(box) for box in MOVEMENT_BOXES],
        "pindah": sorted((person(pk, boxes) for pk, boxes in moved.items()), key=lambda r: [r[k] for k in order]),
        "masuk_krs": sorted((person(pk) for pk in entering), key=lambda r: (r["nama"], r["nip"])),
        "keluar_krs": sorted((person(pk) for pk in leaving), key=lambda r: (r["nama"], r["nip"])),
        "jumlah": len(simulated),
        "urut": urut if urut in MOVED_ORDER else "nama",
    }


def _simulated(simulasi: Simulasi) -> dict[int, tuple]:
    return {
        pegawai_id: (kotak, krs)
        for pegawai_id, kotak, krs in SimulasiPenempatan.objects.filter(simulasi=simulasi).values_list(
            "pegawai_id", "kotak", "krs"
        )
    }


def comparable_simulations(*, simulasi: Simulasi):
    """The other finished simulations of the same instansi (or the province) and period: drafts to
    compare this one with."""
    return (
        Simulasi.objects.filter(
            periode_id=simulasi.periode_id, instansi_id=simulasi.instansi_id, status=Simulasi.Status.SELESAI
        )
        .exclude(pk=simulasi.pk)
        .select_related("skema")
    )


def _people(pegawai_ids) -> dict[int, dict]:
    return {
        pk: {"pegawai_id": pk, "nip": nip, "nama": nama, "jabatan": jabatan, "unit": unit}
        for pk, nip, nama, jabatan, unit in Pegawai.objects.filter(pk__in=list(pegawai_ids)).values_list(
            "pk", "nip", "nama", "jabatan__nama", "jabatan__unit_kerja__nama"
        )
    }
