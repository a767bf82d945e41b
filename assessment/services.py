"""Writes of the assessment domain: periods, schemes, data records and the placement recompute."""

import datetime as dt
import hashlib
import logging
from collections import defaultdict
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import FilteredRelation, Q
from django.utils import timezone

from asn.models import Instansi, Pegawai
from asn.reference import KOMPETENSI_FIELDS
from decisions.models import EntriKeputusan
from decisions.services import decision_record
from talenta import pipeline
from talenta.bulk import JsonText, analyze_if_stale, insert_values, update_values, update_with_history

from . import scoring, selectors
from .models import (
    AnggotaRapat,
    Asesmen,
    HukumanDisiplin,
    Kalibrasi,
    KonflikKepentingan,
    Penempatan,
    Periode,
    PilihanSkema,
    RapatTalentReview,
    Simulasi,
    SimulasiPenempatan,
    Skema,
    SkpResult,
    TahapanInstansi,
)
from .scoring_batch import Placer
from .selectors import dashboard_invalidate

logger = logging.getLogger(__name__)


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


# --- periods --------------------------------------------------------------------------------------


def periode_create(*, tahun: int, tanggal_acuan: dt.date, status: str = Periode.Status.OPEN) -> Periode:
    if tanggal_acuan.year != tahun:
        raise ValidationError({"tanggal_acuan": f"Tanggal acuan harus berada di tahun {tahun}."})
    if Periode.objects.filter(tahun=tahun).exists():
        raise ValidationError({"tahun": f"Periode {tahun} sudah ada."})
    periode = Periode(tahun=tahun, tanggal_acuan=tanggal_acuan, status=status)
    periode.full_clean()
    periode.save()
    dashboard_invalidate()  # the trends gain a column
    return periode


def periode_set_status(*, user, periode: Periode, status: str) -> Periode:
    if periode.is_closed:
        raise ValidationError("Periode yang sudah ditutup tidak dapat diubah.")
    with transaction.atomic():
        previous = periode.status
        periode.status = status
        periode.save(update_fields=["status"])
        if previous != status:
            decision_record(
                instansi=None,
                jenis=EntriKeputusan.Jenis.STATUS_PERIODE,
                objek=f"periode:{periode.tahun}",
                nilai_lama=previous,
                nilai_baru=status,
                oleh=user,
            )
    return periode


# --- schemes --------------------------------------------------------------------------------------

SCHEME_NUMBER_FIELDS = [
    "bobot_kompetensi",
    "bobot_potensi",
    "bobot_kualifikasi",
    "bobot_disiplin",
    "batas_kinerja_atas",
    "batas_kinerja_sesuai",
    "batas_potensial_tinggi",
    "batas_potensial_menengah",
    "jumlah_tahun_skp",
    "masa_berlaku_asesmen_tahun",
    "jendela_disiplin_tahun",
]


def skema_validate(values: dict) -> None:
    """The rules a scheme version must satisfy before it may score anyone."""
    errors = {}
    weights = [Decimal(values[name]) for name in SCHEME_NUMBER_FIELDS[:4]]
    if any(w < 0 for w in weights):
        errors["bobot_kompetensi"] = "Bobot tidak boleh negatif."
    elif sum(weights) != 100:
        errors["bobot_kompetensi"] = f"Jumlah bobot harus 100, bukan {sum(weights).normalize():f}."
    if Decimal(values["batas_kinerja_atas"]) <= Decimal(values["batas_kinerja_sesuai"]):
        errors["batas_kinerja_atas"] = "Batas Di Atas Ekspektasi harus lebih tinggi dari batas Sesuai Ekspektasi."
    if Decimal(values["batas_potensial_tinggi"]) <= Decimal(values["batas_potensial_menengah"]):
        errors["batas_potensial_tinggi"] = "Batas potensial Tinggi harus lebih tinggi dari batas Menengah."
    if errors:
        raise ValidationError(errors)


def skema_copy(*, user, source: Skema, instansi, nama: str, values: dict) -> Skema:
    """A new scheme version for an instansi, starting from a copy of `source`."""
    if not user.may_write_instansi(instansi.pk):
        raise PermissionDenied
    skema_validate(values)
    if Skema.objects.filter(instansi=instansi, nama=nama).exists():
        raise ValidationError({"nama": "Nama versi ini sudah dipakai instansi Anda."})
    skema = Skema(
        nama=nama,
        instansi=instansi,
        disalin_dari=source,
        skor_predikat=source.skor_predikat,
        skor_pendidikan=source.skor_pendidikan,
        skor_disiplin=source.skor_disiplin,
        dibuat_oleh=user,
        **{name: values[name] for name in SCHEME_NUMBER_FIELDS},
    )
    skema.full_clean()
    skema.save()
    return skema


def skema_choose(*, user, periode: Periode, instansi, skema: Skema | None) -> None:
    """The scheme an instansi uses in a period; None returns to the default scheme."""
    if not user.may_write_instansi(instansi.pk):
        raise PermissionDenied
    if periode.is_closed:
        raise ValidationError("Periode yang sudah ditutup tidak dapat diubah.")
    if skema is not None and skema.instansi_id not in (None, instansi.pk):
        raise ValidationError("Skema ini milik instansi lain.")
    with transaction.atomic():
        current = PilihanSkema.objects.filter(periode=periode, instansi=instansi).select_related("skema").first()
        previous = current.skema.nama if current else "bawaan"
        if skema is None:
            PilihanSkema.objects.filter(periode=periode, instansi=instansi).delete()
        else:
            PilihanSkema.objects.update_or_create(periode=periode, instansi=instansi, defaults={"skema": skema})
        chosen = skema.nama if skema else "bawaan"
        if chosen != previous:
            decision_record(
                instansi=instansi,
                jenis=EntriKeputusan.Jenis.PILIHAN_SKEMA,
                objek=f"periode:{periode.tahun}",
                nilai_lama=previous,
                nilai_baru=chosen,
                oleh=user,
            )
    pipeline.inputs_changed(instansi_ids=[instansi.pk])


# --- data records -----------------------------------------------------------------------------------


def _check_may_write(user, pegawai: Pegawai) -> None:
    if not user.may_write_pegawai(pegawai):
        raise PermissionDenied("Anda tidak berhak mengubah data pegawai ini.")


def record_save(*, user, record, data: dict):
    """Create or update an SKP, asesmen or disiplin record of a pegawai, then recompute."""
    for name, value in data.items():
        setattr(record, name, value)
    _check_may_write(user, record.pegawai)
    record.full_clean()
    record._history_user = user
    record.save()
    pipeline.inputs_changed(instansi_ids=[record.pegawai.instansi_id])
    return record


def record_delete(*, user, record) -> None:
    _check_may_write(user, record.pegawai)
    record._history_user = user
    instansi_id = record.pegawai.instansi_id
    record.delete()
    pipeline.inputs_changed(instansi_ids=[instansi_id])


# --- recompute: the placement step of talenta.pipeline ---------------------------------------------


class PeriodeClosed(Exception):
    pass


def _pegawai_inputs(periode: Periode, instansi_id: int, pegawai_ids, years: list[int], oldest_sanction: dt.date):
    """Load every input of the instansi with one query per kind, as plain tuples for `scoring_batch`."""
    pegawai_scope = Pegawai.objects.filter(instansi_id=instansi_id)
    records_scope = {"pegawai__instansi_id": instansi_id}
    if pegawai_ids is not None:
        pegawai_scope = pegawai_scope.filter(pk__in=pegawai_ids)
        records_scope["pegawai_id__in"] = pegawai_ids
    level_fields = [f"jabatan__std_{name}" for name in KOMPETENSI_FIELDS]
    # With the pegawai's placement in this period where there is one (even under another instansi after a
    # move): found through the pegawai, so the work grows with the instansi, not with the period.
    placed = FilteredRelation("penempatan", condition=Q(penempatan__periode=periode))
    pegawai_rows = pegawai_scope.annotate(placed=placed).values_list(
        "id",
        "placed__id",
        "placed__sidik",
        "pendidikan_id",
        "jabatan__jenjang_id",
        "jabatan__jenjang__level_standar",
        *level_fields,
    )
    skp = defaultdict(dict)
    for pk, pegawai_id, tahun, predikat in SkpResult.objects.filter(**records_scope, tahun__in=years).values_list(
        "id", "pegawai_id", "tahun", "predikat"
    ):
        skp[pegawai_id][tahun] = (pk, predikat)
    asesmen = defaultdict(list)
    for pk, pegawai_id, tanggal, lembaga, skor, *levels in Asesmen.objects.filter(
        **records_scope, tanggal_asesmen__lte=periode.tanggal_acuan
    ).values_list("id", "pegawai_id", "tanggal_asesmen", "lembaga", "skor_potensi", *KOMPETENSI_FIELDS):
        asesmen[pegawai_id].append((pk, tanggal, lembaga, skor, tuple(levels)))
    sanksi = defaultdict(list)
    for pk, pegawai_id, tanggal, tingkat in HukumanDisiplin.objects.filter(
        **records_scope, tanggal_sk__gte=oldest_sanction, tanggal_sk__lte=periode.tanggal_acuan
    ).values_list("id", "pegawai_id", "tanggal_sk", "tingkat"):
        sanksi[pegawai_id].append((pk, tanggal, tingkat))

    none, nothing = {}, []
    default_levels = {}
    for pegawai_id, placed_id, sidik, pendidikan, jenjang_id, default_level, *stored in pegawai_rows:
        if stored[0] is not None:
            required = tuple(stored)
        else:
            required = default_levels.get(default_level)
            if required is None:
                required = default_levels[default_level] = (default_level,) * len(KOMPETENSI_FIELDS)
        yield (
            pegawai_id,
            placed_id,
            sidik,
            jenjang_id,
            pendidikan,
            required,
            skp.get(pegawai_id, none),
            asesmen.get(pegawai_id, nothing),
            sanksi.get(pegawai_id, nothing),
        )


def _scheme_for(periode: Periode, instansi_id: int) -> Skema:
    """The scheme version the instansi chose for the period, else the default scheme."""
    choice = PilihanSkema.objects.filter(periode=periode, instansi_id=instansi_id).select_related("skema").first()
    return choice.skema if choice else Skema.objects.default()


# What `scoring.place` decides; the rest of a placement says where and when.
RESULT_FIELDS = [
    "skor_kinerja",
    "kategori_kinerja",
    "skor_potensial",
    "kategori_potensial",
    "jpm",
    "jpm_berikutnya",
    "komponen_kompetensi",
    "komponen_potensi",
    "komponen_kualifikasi",
    "komponen_disiplin",
    "kotak_hitung",
    "kotak",
    "krs",
    "label_krs",
    "alasan_krs",
    "lengkap",
    "alasan",
    "skp_lengkap",
    "rincian",
]
# Every column the recompute writes, in the order of the rows it builds.
WRITTEN_FIELDS = [
    "periode_id",
    "pegawai_id",
    "instansi_id",
    "jenjang_id",
    "skema_id",
    *RESULT_FIELDS,
    "dihitung",
    "sidik",
]


def _fingerprint(values: tuple, detail: str) -> int:
    """A 64-bit hash of a computed row that is stable across processes (Python's `hash` of str is not).

    Over the text of each value and the detail's JSON text, which the row needs anyway when it is
    written. Each column holds one type (or None) and no value holds the separator, so the texts tell
    rows apart as `repr` did, at a fraction of its cost.
    """
    text = "\x1f".join(map(str, values)) + "\x1e" + detail
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


def placer_for(*, periode: Periode, skema: Skema) -> Placer:
    """The placing rule of a period under an explicit scheme version."""
    return Placer(tahun=periode.tahun, tanggal_acuan=periode.tanggal_acuan, scheme=skema.params())


def placements_generate(*, periode: Periode, instansi_id: int, placer: Placer, pegawai_ids: list[int] | None = None):
    """The computing half of the recompute: places every pegawai of the instansi (or some of them)
    under `placer`'s scheme and writes nothing.

    Yields (pegawai_id, placement id or None, its stored fingerprint, jenjang_id, the calibration in
    force or None, the result of `Placer.place`). The real recompute (`placements_compute`) and a
    what-if simulation of a draft scheme (`simulasi_run`) both place through here, so a simulation
    differs from the official result only by the scheme it is given.
    """
    years = scoring.skp_years(periode.tahun, placer.scheme)
    oldest_sanction = scoring.years_before(periode.tanggal_acuan, placer.scheme.jendela_disiplin_tahun)
    calibrations = _latest_calibrations(periode, instansi_id, pegawai_ids)
    for pegawai_id, pk, sidik, jenjang_id, pendidikan, required, skp, asesmen, sanksi in _pegawai_inputs(
        periode, instansi_id, pegawai_ids, years, oldest_sanction
    ):
        calibration = calibrations.get(pk)
        result = placer.place(
            pendidikan, required, skp, asesmen, sanksi, calibration.kotak_baru if calibration else None
        )
        yield pegawai_id, pk, sidik, jenjang_id, calibration, result


def placements_compute(
    *, periode_id: int, instansi_id: int, pegawai_ids: list[int] | None = None, report=_no_progress
) -> int:
    """Recompute the placements of one instansi in a period (or of some of its pegawai); returns how many.

    The first step of `talenta.pipeline.refresh`, which holds the lock of the (periode, instansi) pair.
    Set-based: a fixed number of queries whatever the number of pegawai. Only rows whose result changed
    are written (compared by `Penempatan.sidik`), new ones by COPY, changed ones by one staged UPDATE.
    """
    with transaction.atomic():
        periode = Periode.objects.get(pk=periode_id)
        if periode.is_closed:
            raise PeriodeClosed(f"Periode {periode.tahun} sudah ditutup; penempatannya tidak dihitung ulang.")
        skema = _scheme_for(periode, instansi_id)
        placer = placer_for(periode=periode, skema=skema)
        # What a placement depends on besides its own result: the period.
        version = (periode.tahun, periode.tanggal_acuan)

        report("memuat data", 0, 0)
        now = timezone.now()
        creates, updates, flags = [], [], []
        count = 0
        for pegawai_id, pk, sidik, jenjang_id, calibration, result in placements_generate(
            periode=periode, instansi_id=instansi_id, placer=placer, pegawai_ids=pegawai_ids
        ):
            count += 1
            if calibration is not None:
                _flag_if_moved_underneath(calibration, result[RESULT_KOTAK_HITUNG], flags)
            where = (instansi_id, jenjang_id, skema.pk)
            values = result[:-1]
            detail = placer.rincian_text(result[-1])
            fingerprint = _fingerprint((*where, *version, *values), detail)
            if fingerprint == sidik:
                continue
            row = (periode.pk, pegawai_id, *where, *values, JsonText(detail), now, fingerprint)
            if pk is None:
                creates.append(row)
            else:
                updates.append((pk, *row))
            if count % 5000 == 0:
                report("menghitung", count, count)

        report("menyimpan", 0, len(creates) + len(updates))
        if pegawai_ids is None:
            # A pegawai who moved to another instansi gets their placement from that instansi's run.
            Penempatan.objects.filter(periode=periode, instansi_id=instansi_id).exclude(
                pegawai__instansi_id=instansi_id
            ).delete()
        insert_values(Penempatan, WRITTEN_FIELDS, creates)
        update_values(Penempatan, WRITTEN_FIELDS, updates)
        analyze_if_stale(Penempatan, len(creates) + len(updates))
        update_with_history(
            Kalibrasi,
            flags,
            ["perlu_ditinjau", "kotak_hitung_terbaru"],
            user=None,
            reason="Hitung ulang: kotak hasil hitung berubah",
            date=now,
        )
        report("selesai", count, count)
        return count


RESULT_KOTAK_HITUNG = RESULT_FIELDS.index("kotak_hitung")


def _latest_calibrations(periode: Periode, instansi_id: int, pegawai_ids) -> dict[int, "Kalibrasi"]:
    """The calibration in force per placement: the latest move of the latest finalised meeting (one query).

    A draft meeting's moves are proposals and change nothing here until the meeting is finalised.
    """
    calibrations = Kalibrasi.objects.filter(
        penempatan__periode=periode,
        penempatan__pegawai__instansi_id=instansi_id,
        rapat__status=RapatTalentReview.Status.FINAL,
    )
    if pegawai_ids is not None:
        calibrations = calibrations.filter(penempatan__pegawai_id__in=pegawai_ids)
    latest = {}
    for calibration in calibrations.order_by("penempatan_id", "-rapat__difinalkan_pada", "-waktu", "-id"):
        latest.setdefault(calibration.penempatan_id, calibration)
    return latest


def _flag_if_moved_underneath(calibration: "Kalibrasi", computed_box: int | None, flags: list) -> None:
    """A calibration whose computed box changed is flagged for the next meeting, never dropped."""
    moved = computed_box != calibration.kotak_hitung
    new_box = computed_box if moved else None
    if (calibration.perlu_ditinjau, calibration.kotak_hitung_terbaru) != (moved, new_box):
        calibration.perlu_ditinjau, calibration.kotak_hitung_terbaru = moved, new_box
        flags.append(calibration)


# --- what-if simulation of a scheme version ------------------------------------------------------------

SIMULATION_FIELDS = ["simulasi_id", "pegawai_id", "skor_kinerja", "skor_potensial", "kotak_hitung", "kotak", "krs",
                     "lengkap", "asesmen_id"]  # fmt: skip
_SIMULATED = [RESULT_FIELDS.index(name) for name in SIMULATION_FIELDS[2:-1]]
SIMULATION_BROKER_DOWN = "Antrean tugas tidak tersedia; simulasi tidak dapat dijalankan. Coba lagi nanti."


def _check_may_manage_scheme(user, instansi) -> None:
    if not user.may_manage_scheme(instansi.pk):
        raise PermissionDenied("Hanya admin instansi ini atau admin provinsi yang dapat menyimulasikan skema.")


def simulasi_start(*, user, periode: Periode, skema: Skema, provinsi: bool = False) -> Simulasi:
    """Queue a simulation of an instansi's scheme version in a period (on commit); nothing official changes.

    `provinsi`: the draft is simulated for every instansi of the province (a province admin only),
    each compared with its own official placements.
    """
    if skema.instansi is None:
        raise ValidationError("Simulasikan versi skema milik sebuah instansi; skema bawaan tidak dipilih instansi.")
    _check_may_manage_scheme(user, skema.instansi)
    if provinsi and not user.sees_all_instansi:
        raise PermissionDenied("Simulasi seluruh provinsi hanya dapat dijalankan oleh admin provinsi.")
    if periode.is_closed:
        raise ValidationError("Periode yang sudah ditutup tidak dapat disimulasikan.")
    simulasi = Simulasi(
        periode=periode,
        instansi=None if provinsi else skema.instansi,
        skema=skema,
        skema_berlaku=None if provinsi else _scheme_for(periode, skema.instansi_id),
        dibuat_oleh=user,
    )
    simulasi.full_clean()
    simulasi.save()
    transaction.on_commit(partial(_enqueue_simulation, simulasi.pk))
    return simulasi


def _enqueue_simulation(simulasi_id: int) -> None:
    from .tasks import simulasi_task

    try:
        simulasi_task.delay(simulasi_id)
    except Exception:
        logger.exception("simulation %s could not be queued", simulasi_id)
        Simulasi.objects.filter(pk=simulasi_id, status=Simulasi.Status.ANTRE).update(
            status=Simulasi.Status.GAGAL, pesan=SIMULATION_BROKER_DOWN, selesai=timezone.now()
        )


def simulation_progress_name(simulasi_id: int) -> str:
    return f"simulasi-{simulasi_id}"


def simulasi_run(*, simulasi_id: int, report=_no_progress) -> int:
    """Compute a simulation's placements into its scratch rows; returns how many pegawai were placed.

    Idempotent: a run claims the simulation first, so a redelivered task finds it claimed (or done)
    and stops; a run killed past the task's time limit may be claimed again, and its rows are
    replaced. It takes no lock of the official recompute and writes none of its tables, so
    simulations of different users and the real recompute do not wait for each other. A
    province-wide run goes instansi by instansi through the same generator, reporting each.
    """
    now = timezone.now()
    killed = Q(status=Simulasi.Status.BERJALAN, dimulai__lt=now - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT))
    claimed = Simulasi.objects.filter(Q(status=Simulasi.Status.ANTRE) | killed, pk=simulasi_id).update(
        status=Simulasi.Status.BERJALAN, dimulai=now
    )
    if not claimed:
        return 0
    simulasi = Simulasi.objects.select_related("periode", "skema").get(pk=simulasi_id)
    try:
        with transaction.atomic():
            SimulasiPenempatan.objects.filter(simulasi=simulasi).delete()
            placer = placer_for(periode=simulasi.periode, skema=simulasi.skema)
            if simulasi.is_province:
                covered = list(Instansi.objects.order_by("kode").values_list("pk", "nama"))
            else:
                covered = [(simulasi.instansi_id, "")]
            rows = []
            for position, (instansi_id, nama) in enumerate(covered, start=1):
                stage = f"menghitung {nama} ({position} dari {len(covered)} instansi)" if nama else "menghitung"
                report(stage, len(rows), len(rows))
                for pegawai_id, _pk, _sidik, _jenjang, _calibration, result in placements_generate(
                    periode=simulasi.periode, instansi_id=instansi_id, placer=placer
                ):
                    # The detail key's second item is the assessment read, as in the placement's `rincian`.
                    latest = result[-1][1]
                    rows.append(
                        (
                            simulasi.pk,
                            pegawai_id,
                            *[result[index] for index in _SIMULATED],
                            latest[0] if latest else None,
                        )
                    )
                    if len(rows) % 5000 == 0:
                        report(stage, len(rows), len(rows))
            report("menyimpan", 0, len(rows))
            insert_values(SimulasiPenempatan, SIMULATION_FIELDS, rows)
            analyze_if_stale(SimulasiPenempatan, len(rows))
            Simulasi.objects.filter(pk=simulasi.pk).update(
                status=Simulasi.Status.SELESAI, jumlah=len(rows), selesai=timezone.now(), pesan=""
            )
    except Exception as exc:
        logger.exception("simulation %s failed", simulasi_id)
        Simulasi.objects.filter(pk=simulasi.pk).update(
            status=Simulasi.Status.GAGAL,
            selesai=timezone.now(),
            pesan=f"Simulasi gagal karena kesalahan sistem ({type(exc).__name__}); jalankan ulang.",
        )
        return 0
    return len(rows)


def simulasi_adopt(*, user, simulasi: Simulasi, justifikasi: str, dasar_hukum: str) -> Simulasi:
    """Adopt a simulated scheme for its period: recorded in the decision log with the written
    justification and legal basis, then chosen for the period (which recomputes through the pipeline)."""
    if simulasi.is_province:
        raise ValidationError("Simulasi seluruh provinsi tidak diadopsi; tiap instansi memilih skemanya sendiri.")
    _check_may_manage_scheme(user, simulasi.instansi)
    justifikasi, dasar_hukum = justifikasi.strip(), dasar_hukum.strip()
    errors = {}
    if not justifikasi:
        errors["justifikasi"] = "Tuliskan justifikasi adopsi skema."
    if not dasar_hukum:
        errors["dasar_hukum"] = "Sebutkan dasar hukumnya (pasal PermenPANRB atau SK PPK)."
    if errors:
        raise ValidationError(errors)
    if simulasi.status != Simulasi.Status.SELESAI:
        raise ValidationError("Simulasi belum selesai; skema diadopsi setelah hasilnya terlihat.")
    if simulasi.diadopsi_pada is not None:
        raise ValidationError("Simulasi ini sudah diadopsi.")
    if simulasi.periode.is_closed:
        raise ValidationError("Periode yang sudah ditutup tidak dapat diubah.")
    if _scheme_for(simulasi.periode, simulasi.instansi_id).pk != simulasi.skema_berlaku_id:
        raise ValidationError(
            "Skema periode ini sudah berganti sejak simulasi dijalankan; jalankan simulasi ulang sebelum mengadopsi."
        )
    diff = selectors.simulasi_diff(simulasi=simulasi)
    simulasi.diadopsi_oleh, simulasi.diadopsi_pada = user, timezone.now()
    simulasi.justifikasi, simulasi.dasar_hukum = justifikasi, dasar_hukum
    simulasi.full_clean()
    with transaction.atomic():
        simulasi.save(update_fields=["diadopsi_oleh", "diadopsi_pada", "justifikasi", "dasar_hukum"])
        decision_record(
            instansi=simulasi.instansi,
            jenis=EntriKeputusan.Jenis.ADOPSI_SKEMA,
            objek=f"periode:{simulasi.periode.tahun} simulasi:{simulasi.pk}",
            nilai_lama=simulasi.skema_berlaku.nama,
            nilai_baru={
                "skema": simulasi.skema.nama,
                "dasar_hukum": dasar_hukum,
                "pindah_kotak": len(diff["pindah"]),
                "masuk_krs": len(diff["masuk_krs"]),
                "keluar_krs": len(diff["keluar_krs"]),
            },
            oleh=user,
            justifikasi=justifikasi,
        )
        skema_choose(user=user, periode=simulasi.periode, instansi=simulasi.instansi, skema=simulasi.skema)
    return simulasi


# --- talent review ------------------------------------------------------------------------------------


def _check_may_review(user, instansi_id: int) -> None:
    if not user.may_review_instansi(instansi_id):
        raise PermissionDenied("Hanya PPK dan Tim Talenta instansi ini yang dapat melakukan talent review.")


def _check_draft(rapat: RapatTalentReview) -> None:
    if rapat.is_final:
        raise ValidationError("Rapat sudah difinalkan dan dikunci; tidak ada perubahan yang dapat dibuat.")


def rapat_create(*, user, periode: Periode, instansi, data: dict) -> RapatTalentReview:
    _check_may_review(user, instansi.pk)
    if periode.is_closed:
        raise ValidationError("Periode yang sudah ditutup tidak dapat dikalibrasi.")
    rapat = RapatTalentReview(periode=periode, instansi=instansi, dibuat_oleh=user, **data)
    rapat.full_clean()
    rapat._history_user = user
    rapat.save()
    # The creator sits in the meeting: the talent team can start at once.
    anggota_add(
        user=user, rapat=rapat, data=_member_defaults(user) | {"user": user, "peran": AnggotaRapat.Peran.ANGGOTA}
    )
    return rapat


def _member_defaults(user) -> dict:
    """Name, NIP and pangkat of a user, from the pegawai record with the user's NIP where there is one."""
    pegawai = Pegawai.objects.filter(nip=user.nip).select_related("golongan", "jabatan").first() if user.nip else None
    return {
        "nama": user.get_full_name() or user.username,
        "nip": user.nip,
        "pangkat": str(pegawai.golongan) if pegawai else "",
        "jabatan": pegawai.jabatan.nama if pegawai else "",
    }


def rapat_update(*, user, rapat: RapatTalentReview, data: dict) -> RapatTalentReview:
    _check_may_review(user, rapat.instansi_id)
    _check_draft(rapat)
    for name, value in data.items():
        setattr(rapat, name, value)
    rapat.full_clean()
    rapat._history_user = user
    rapat.save()
    return rapat


def anggota_add(*, user, rapat: RapatTalentReview, data: dict) -> AnggotaRapat:
    _check_may_review(user, rapat.instansi_id)
    _check_draft(rapat)
    member_user = data.get("user")
    if member_user is not None:
        if not member_user.may_review_instansi(rapat.instansi_id):
            raise ValidationError("Pengguna ini bukan PPK atau Tim Talenta instansi ini.")
        if rapat.anggota.filter(user=member_user).exists():
            raise ValidationError("Pengguna ini sudah menjadi anggota rapat.")
    anggota = AnggotaRapat(rapat=rapat, **data)
    anggota.full_clean()
    anggota._history_user = user
    anggota.save()
    return anggota


def anggota_remove(*, user, anggota: AnggotaRapat) -> None:
    _check_may_review(user, anggota.rapat.instansi_id)
    _check_draft(anggota.rapat)
    anggota._history_user = user
    anggota.delete()


def konflik_declare(
    *, user, rapat: RapatTalentReview, pegawai: Pegawai, jenis: str, keterangan: str
) -> KonflikKepentingan:
    """A member declares their own conflict of interest with a pegawai of the meeting's instansi."""
    _check_draft(rapat)
    anggota = rapat.anggota.filter(user=user).first()
    if anggota is None:
        raise PermissionDenied("Hanya anggota rapat yang dapat menyatakan konflik kepentingan.")
    if pegawai.instansi_id != rapat.instansi_id:
        raise ValidationError("Pegawai ini bukan pegawai instansi rapat.")
    if KonflikKepentingan.objects.filter(anggota=anggota, pegawai=pegawai).exists():
        raise ValidationError("Konflik kepentingan dengan pegawai ini sudah dinyatakan.")
    konflik = KonflikKepentingan(rapat=rapat, anggota=anggota, pegawai=pegawai, jenis=jenis, keterangan=keterangan)
    konflik.full_clean()
    konflik._history_user = user
    konflik.save()
    return konflik


JUSTIFIKASI_MIN_KARAKTER = 20
JUSTIFIKASI_MIN_KATA = 3


def _check_justification(jenis_alasan: str, alasan: str) -> None:
    """A move needs a reason from the short list and at least a sentence of text."""
    if not alasan:
        raise ValidationError("Justifikasi tertulis wajib diisi untuk setiap pemindahan kotak.")
    if len(alasan) < JUSTIFIKASI_MIN_KARAKTER or len(alasan.split()) < JUSTIFIKASI_MIN_KATA:
        raise ValidationError(
            f"Justifikasi harus berupa kalimat: sekurang-kurangnya {JUSTIFIKASI_MIN_KARAKTER} karakter dan "
            f"{JUSTIFIKASI_MIN_KATA} kata."
        )
    if jenis_alasan not in Kalibrasi.JenisAlasan.values:
        labels = ", ".join(label.lower() for label in Kalibrasi.JenisAlasan.labels)
        raise ValidationError(f"Pilih alasan pemindahan: {labels}.")


def kalibrasi_propose(
    *, user, rapat: RapatTalentReview, penempatan_id: int, kotak_baru: int, jenis_alasan: str, alasan: str
) -> Kalibrasi:
    """Propose a move of a placement to another box in a draft meeting.

    The official map, pool and succession keep the current box until the meeting is finalised.
    """
    _check_may_review(user, rapat.instansi_id)
    if not 1 <= kotak_baru <= 9:
        raise ValidationError("Kotak tujuan harus 1 sampai 9.")
    with transaction.atomic():
        # Lock the meeting and the placement: a finalisation or a second move waits for this one.
        rapat = RapatTalentReview.objects.select_for_update().get(pk=rapat.pk)
        _check_draft(rapat)
        anggota = rapat.anggota.filter(user=user).first()
        if anggota is None:
            raise PermissionDenied("Hanya anggota rapat yang dapat memindahkan pegawai.")
        penempatan = (
            Penempatan.objects.select_for_update()
            .select_related("periode", "pegawai")
            .filter(pk=penempatan_id, periode=rapat.periode, instansi=rapat.instansi)
            .first()
        )
        if penempatan is None:
            raise ValidationError("Pegawai ini tidak ada dalam peta talenta rapat ini.")
        if penempatan.periode.is_closed:
            raise ValidationError("Periode yang sudah ditutup tidak dapat dikalibrasi.")
        if not penempatan.lengkap:
            raise ValidationError(
                "Penempatan dengan data tidak lengkap tidak memiliki kotak dan tidak dapat dikalibrasi."
            )
        conflict = KonflikKepentingan.objects.filter(anggota=anggota, pegawai_id=penempatan.pegawai_id).first()
        if conflict is not None:
            raise ValidationError(
                f"Anda telah menyatakan konflik kepentingan ({conflict.get_jenis_display().lower()}) dengan "
                f"{penempatan.pegawai.nama}; pemindahan harus dilakukan anggota lain."
            )
        earlier = rapat.kalibrasi.filter(penempatan=penempatan).order_by("-waktu", "-id").first()
        proposed = earlier.kotak_baru if earlier else penempatan.kotak
        flagged = Kalibrasi.objects.filter(penempatan=penempatan, perlu_ditinjau=True).exists()
        if kotak_baru == proposed and not flagged:
            raise ValidationError(f"{penempatan.pegawai.nama} sudah berada di kotak {kotak_baru}.")
        alasan = (alasan or "").strip()
        _check_justification(jenis_alasan, alasan)
        kalibrasi = Kalibrasi(
            rapat=rapat,
            penempatan=penempatan,
            kotak_hitung=penempatan.kotak_hitung,
            kotak_sebelumnya=proposed,
            kotak_baru=kotak_baru,
            jenis_alasan=jenis_alasan,
            alasan=alasan,
            oleh=user,
        )
        kalibrasi.full_clean()
        kalibrasi._history_user = user
        kalibrasi.save()
        decision_record(
            instansi=rapat.instansi,
            jenis=EntriKeputusan.Jenis.KALIBRASI,
            objek=f"penempatan:{penempatan.pk} NIP {penempatan.pegawai.nip} rapat:{rapat.pk}",
            nilai_lama=proposed,
            nilai_baru=kotak_baru,
            oleh=user,
            justifikasi=f"{kalibrasi.get_jenis_alasan_display()}: {alasan}",
        )
    return kalibrasi


def kalibrasi_agree(*, user, kalibrasi: Kalibrasi) -> Kalibrasi:
    """A second member of the meeting agrees to a move that needs it (recorded: who, when)."""
    _check_may_review(user, kalibrasi.rapat.instansi_id)
    with transaction.atomic():
        rapat = RapatTalentReview.objects.select_for_update().get(pk=kalibrasi.rapat_id)
        _check_draft(rapat)
        anggota = rapat.anggota.filter(user=user).first()
        if anggota is None:
            raise PermissionDenied("Hanya anggota rapat yang dapat menyetujui pemindahan.")
        move = next((m for m in selectors.meeting_moves(rapat=rapat) if m.pk == kalibrasi.pk), None)
        if move is None or not move.terakhir:
            raise ValidationError("Pemindahan ini sudah digantikan pemindahan berikutnya; setujui yang terakhir.")
        if not move.perlu_persetujuan:
            raise ValidationError("Pemindahan ini tidak memerlukan persetujuan anggota kedua.")
        if move.disetujui_oleh_id is not None:
            raise ValidationError(f"Pemindahan ini sudah disetujui {move.disetujui_oleh.nama}.")
        if move.oleh_id == user.pk:
            raise ValidationError("Persetujuan harus diberikan anggota rapat lain, bukan yang memindahkan.")
        pegawai = move.penempatan.pegawai
        if KonflikKepentingan.objects.filter(anggota=anggota, pegawai=pegawai).exists():
            raise ValidationError(
                f"Anda telah menyatakan konflik kepentingan dengan {pegawai.nama}; persetujuan harus dari anggota lain."
            )
        move.disetujui_oleh = anggota
        move.disetujui_pada = timezone.now()
        move.full_clean()
        move._history_user = user
        move.save(update_fields=["disetujui_oleh", "disetujui_pada"])
        decision_record(
            instansi=rapat.instansi,
            jenis=EntriKeputusan.Jenis.PERSETUJUAN_KALIBRASI,
            objek=f"kalibrasi:{move.pk} NIP {pegawai.nip} rapat:{rapat.pk}",
            nilai_lama=move.dari,
            nilai_baru=move.ke,
            oleh=user,
        )
    return move


def rapat_discard(*, user, rapat: RapatTalentReview) -> int:
    """Throw away every proposed move of a draft meeting (logged); returns how many were discarded."""
    _check_may_review(user, rapat.instansi_id)
    with transaction.atomic():
        locked = RapatTalentReview.objects.select_for_update().get(pk=rapat.pk)
        _check_draft(locked)
        moves = list(locked.kalibrasi.all())
        if not moves:
            raise ValidationError("Draf rapat ini belum berisi pemindahan.")
        people = len({move.penempatan_id for move in moves})
        for move in moves:
            # Deleted one by one so each leaves its history row, with who discarded it.
            move._history_user = user
            move.delete()
        decision_record(
            instansi=locked.instansi,
            jenis=EntriKeputusan.Jenis.BUANG_DRAF,
            objek=f"rapat:{locked.pk}",
            nilai_lama={"kalibrasi": len(moves), "pegawai": people},
            nilai_baru={"kalibrasi": 0, "pegawai": 0},
            oleh=user,
        )
    return len(moves)


def rapat_finalise(*, user, rapat: RapatTalentReview) -> RapatTalentReview:
    """Lock the meeting; its moves become the official boxes through the recompute pipeline."""
    _check_may_review(user, rapat.instansi_id)
    with transaction.atomic():
        locked = RapatTalentReview.objects.select_for_update().get(pk=rapat.pk)
        _check_draft(locked)
        if not locked.anggota.exists():
            raise ValidationError("Rapat tanpa anggota tidak dapat difinalkan.")
        pending = selectors.meeting_pending_agreements(rapat=locked)
        if pending:
            raise ValidationError(
                "Rapat belum dapat difinalkan: pemindahan berikut memerlukan persetujuan anggota rapat kedua "
                "(bukan yang memindahkan): "
                + "; ".join(
                    f"{m.penempatan.pegawai.nama} (NIP {m.penempatan.pegawai.nip}) kotak {m.dari} → {m.ke}"
                    for m in pending
                )
                + "."
            )
        moved = list(locked.kalibrasi.values_list("penempatan_id", flat=True).distinct())
        locked.sebaran_final = selectors.meeting_distribution(rapat=locked)
        locked.status = RapatTalentReview.Status.FINAL
        locked.difinalkan_oleh = user
        locked.difinalkan_pada = timezone.now()
        locked._history_user = user
        locked.save()
        # The meeting confirmed or moved these people again: earlier flags on them are settled.
        for earlier in Kalibrasi.objects.filter(penempatan_id__in=moved, perlu_ditinjau=True).exclude(rapat=locked):
            earlier.perlu_ditinjau = False
            earlier._history_user = user
            earlier.save(update_fields=["perlu_ditinjau"])
        decision_record(
            instansi=locked.instansi,
            jenis=EntriKeputusan.Jenis.FINALISASI_RAPAT,
            objek=f"rapat:{locked.pk}",
            nilai_lama=RapatTalentReview.Status.DRAFT,
            nilai_baru={"status": RapatTalentReview.Status.FINAL, "kalibrasi": locked.kalibrasi.count()},
            oleh=user,
        )
        # The official map, pool and succession follow the decision, like any other input.
        pipeline.inputs_changed(instansi_ids=[locked.instansi_id])
    return locked


# --- BKN follow-through pipeline --------------------------------------------------------------------


def tahapan_set(*, user, instansi, tahap: str, sejak: dt.date, catatan: str) -> TahapanInstansi:
    """BKN monitors (and province-wide admins) move an instansi along the pipeline."""
    if not user.can_set_stage:
        raise PermissionDenied("Hanya monitor BKN yang dapat mengubah tahapan instansi.")
    if tahap not in TahapanInstansi.Tahap.values:
        raise ValidationError("Tahapan tidak dikenal.")
    if sejak > timezone.localdate():
        raise ValidationError("Tanggal tahapan tidak boleh melewati hari ini.")
    tahapan = TahapanInstansi(instansi=instansi, tahap=tahap, sejak=sejak, catatan=catatan.strip(), dicatat_oleh=user)
    tahapan.full_clean()
    tahapan._history_user = user
    tahapan.save()
    dashboard_invalidate(instansi_id=instansi.pk)
    return tahapan
