"""Reads of the assessment domain; every instansi-owned query starts from `for_user`."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Max, Q
from django.shortcuts import get_object_or_404

from asn.models import Instansi
from asn.reference import KOMPETENSI

from . import scoring
from .models import Asesmen, HukumanDisiplin, Penempatan, Periode, PilihanSkema, Skema, SkpResult

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


def _score(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


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
        _score(values["skor_kinerja"]),
        values["kategori_kinerja"],
        _score(values["skor_potensial"]),
        values["kategori_potensial"],
        _score(values["jpm"]),
        _score(values["jpm_berikutnya"]),
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
    placements = Penempatan.objects.all() if user is None else Penempatan.objects.for_user(user)
    placements = placements.filter(periode=periode)
    if instansi is not None:
        placements = placements.filter(instansi=instansi)
    values = (
        placements.order_by("instansi__kode", "pegawai__nip")
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


_JOINED = {"nip", "nama", "instansi", "jenjang"}


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
            terakhir=Max("dihitung"),
        )
    }
    instansi = Instansi.objects.for_user(user).annotate(jumlah_pegawai=Count("pegawai"))
    return [{"instansi": i, "pegawai": i.jumlah_pegawai, **counts.get(i.pk, {})} for i in instansi]


def placement_for_profile(*, pegawai, periode: Periode | None) -> Penempatan | None:
    if periode is None:
        return None
    return Penempatan.objects.filter(periode=periode, pegawai=pegawai).select_related("skema", "jenjang").first()


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
    if write and not user.may_write_instansi(record.pegawai.instansi_id):
        raise PermissionDenied
    return record


def skema_for_user(*, user):
    return Skema.objects.for_user(user).select_related("instansi", "disalin_dari")


def pilihan_skema_for_user(*, user, periode: Periode):
    return PilihanSkema.objects.for_user(user).filter(periode=periode).select_related("skema", "instansi")
