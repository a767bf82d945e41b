"""Writes of succession: jabatan structure, the candidate recompute, nominations and plans."""

import datetime as dt
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from asn.models import Golongan, Jabatan, Pegawai
from asn.reference import KOMPETENSI_FIELDS
from assessment.models import Penempatan, Periode, SimulasiPenempatan
from assessment.services import PeriodeClosed
from decisions.models import EntriKeputusan
from decisions.services import decision_record
from talenta import pipeline
from talenta.bulk import analyze_if_stale, insert_rows, insert_values, update_values, update_with_history

from . import rules, selectors
from .models import ItemRencana, Kandidat, Nominasi, PengangkatanDiluarRencana, TargetSuksesi

# A closed period keeps its succession lists as they were decided.
CLOSED_FROZEN = "Periode ini sudah ditutup; daftar suksesinya dibekukan."


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


# --- the candidate recompute --------------------------------------------------------------------------


def _golongan_ranks() -> dict[str, int]:
    return dict(Golongan.objects.filter(jenis_asn="PNS").values_list("kode", "urutan"))


# What a talent-pool member's placement row gives the gates and the ranking, up to the assessment levels.
POOL_FIELDS = [
    "id",
    "pegawai_id",
    "pegawai__nip",
    "pegawai__instansi_id",
    "pegawai__jabatan__jenjang__nama",
    "pegawai__jenis_asn",
    "pegawai__golongan__urutan",
    "pegawai__tanggal_pensiun",
    "kotak",
    "skor_potensial",
    "skor_kinerja",
]


def official_pool(periode: Periode, instansi_id: int) -> dict[tuple[int, str], list[rules.Person]]:
    """Talent-pool members by (instansi, current jenjang), with what the gates and ranking need."""
    # The placement step of the same refresh has just placed every pegawai of the instansi under it.
    placements = Penempatan.objects.filter(periode=periode, instansi_id=instansi_id, krs=True)
    return pool_from_rows(
        (*row, tuple(levels[f] for f in KOMPETENSI_FIELDS) if levels else None)
        for *row, levels in placements.values_list(*POOL_FIELDS, "rincian__asesmen__levels")
    )


def pool_from_rows(rows) -> dict[tuple[int, str], list[rules.Person]]:
    """The pool by (instansi, jenjang) from rows of POOL_FIELDS and the nine assessment levels (or None)."""
    pool = defaultdict(list)
    for row in rows:
        penempatan_id, pegawai_id, nip, instansi, jenjang, jenis_asn, golongan_rank, pensiun, kotak, p, k, levels = row
        person = rules.Person(
            pegawai_id=pegawai_id,
            penempatan_id=penempatan_id,
            nip=nip,
            jenjang=jenjang,
            jenis_asn=jenis_asn,
            golongan_rank=golongan_rank if jenis_asn == "PNS" else None,
            tanggal_pensiun=pensiun,
            krs=True,
            kotak=kotak,
            skor_potensial=p,
            skor_kinerja=k,
            asesmen_levels=levels,
        )
        pool[(instansi, jenjang)].append(person)
    return pool


def _rank_targets(targets: list[dict], pool, ranks, tanggal_acuan: dt.date, report=_no_progress) -> dict:
    """Each target's ranked candidates (jabatan id → list). The same instansi, jenjang, standard and
    minimum give the same ranking: it is computed once per such key."""
    ranked_by_key, lists = {}, {}
    for index, target in enumerate(targets, start=1):
        key = (target["instansi_id"], target["jenjang"], target["required"], target["golongan_minimal"])
        if key not in ranked_by_key:
            ranked_by_key[key] = _candidates_for_target(target, pool, ranks, tanggal_acuan)
        lists[target["jabatan_id"]] = ranked_by_key[key]
        if index % 500 == 0:
            report("menghitung", index, len(targets))
    return lists


def ranked_candidates(*, periode: Periode, instansi_id: int, pool) -> dict[int, list[rules.Candidate]]:
    """The ranked candidates of every jabatan target of the instansi from a given pool: what the recompute
    lists (`candidates_compute`), for a what-if simulation's pool too."""
    return _rank_targets(list(_targets(periode, instansi_id)), pool, _golongan_ranks(), periode.tanggal_acuan)


def simulation_pool(simulasi) -> dict[tuple[int, str], list[rules.Person]]:
    """The talent pool a simulation's scratch placements give (`assessment.models.SimulasiPenempatan`)."""
    rows = SimulasiPenempatan.objects.filter(simulasi=simulasi, krs=True).values_list(
        *POOL_FIELDS, *[f"asesmen__{f}" for f in KOMPETENSI_FIELDS]
    )
    return pool_from_rows(
        (*row[: len(POOL_FIELDS)], row[len(POOL_FIELDS) :] if row[-1] is not None else None) for row in rows
    )


def _targets(periode: Periode, instansi_id: int):
    """Manajerial jabatan of the instansi that are targets, with reasons, standard and minimum golongan."""
    jabatan = Jabatan.objects.filter(
        jenjang__nama__in=rules.MANAJERIAL_TARGET_JENJANG, unit_kerja__instansi_id=instansi_id
    )
    holders = defaultdict(list)
    for jabatan_id, pensiun in Pegawai.objects.filter(jabatan__in=jabatan).values_list("jabatan_id", "tanggal_pensiun"):
        holders[jabatan_id].append(pensiun)
    std_fields = [f"std_{f}" for f in KOMPETENSI_FIELDS]
    for row in jabatan.values_list(
        "id",
        "unit_kerja__instansi_id",
        "jenjang__nama",
        "jenjang__level_standar",
        "kritikal",
        "dalam_struktur",
        "golongan_minimal_id",
        *std_fields,
    ):
        jabatan_id, instansi, jenjang, default_level, kritikal, dalam_struktur, golongan_minimal, *stored = row
        reasons = rules.target_reasons(
            jenjang=jenjang,
            kritikal=kritikal,
            dalam_struktur=dalam_struktur,
            holder_retirements=holders.get(jabatan_id, []),
            tanggal_acuan=periode.tanggal_acuan,
        )
        if reasons:
            required = tuple(stored) if stored[0] is not None else (default_level,) * len(KOMPETENSI_FIELDS)
            yield {
                "jabatan_id": jabatan_id,
                "instansi_id": instansi,
                "jenjang": jenjang,
                "alasan": "; ".join(reasons),
                "pensiun_pemangku": min(holders[jabatan_id]) if holders.get(jabatan_id) else None,
                "required": required,
                "golongan_minimal": golongan_minimal or rules.DEFAULT_GOLONGAN_MINIMAL[jenjang],
            }


def _candidates_for_target(target: dict, pool, ranks: dict[str, int], tanggal_acuan: dt.date) -> list[rules.Candidate]:
    eligible = [
        person
        for jenjang in rules.FEEDING_JENJANG[target["jenjang"]]
        for person in pool.get((target["instansi_id"], jenjang), [])
        if not rules.gate_failures(
            person,
            golongan_minimal=target["golongan_minimal"],
            golongan_minimal_rank=ranks[target["golongan_minimal"]],
            tanggal_acuan=tanggal_acuan,
        )
    ]
    return rules.rank_candidates(eligible, target["required"])


def candidates_compute(*, periode_id: int, instansi_id: int, report=_no_progress) -> dict:
    """Recompute the targets and ranked candidates of one instansi in a period; set-based.

    The second step of `talenta.pipeline.refresh`, after the placements it reads. Only what changed is
    written: targets that are no longer targets go, new ones come, and a target whose ranked list
    differs in any row gets its list rewritten. Nominations are never deleted: they get the nominee's
    current JPM and default readiness, a flag with the reason when the nominee no longer passes a
    gate, and *Menjabat* once appointed.
    """
    with transaction.atomic():
        periode = Periode.objects.get(pk=periode_id)
        if periode.is_closed:
            raise PeriodeClosed(f"Periode {periode.tahun} sudah ditutup; daftar suksesinya dibekukan.")
        report("memuat data", 0, 0)
        ranks = _golongan_ranks()
        pool = official_pool(periode, instansi_id)
        targets = list(_targets(periode, instansi_id))
        now = timezone.now()

        lists = _rank_targets(targets, pool, ranks, periode.tanggal_acuan, report)
        computed = {
            target["jabatan_id"]: (
                (target["alasan"], target["pensiun_pemangku"], len(lists[target["jabatan_id"]])),
                [
                    (c.person.pegawai_id, c.person.penempatan_id, rank, c.jpm_target, c.kesiapan)
                    for rank, c in enumerate(lists[target["jabatan_id"]], start=1)
                ],
            )
            for target in targets
        }

        report("menyimpan", 0, len(targets))
        _write_targets(periode, instansi_id, computed, now)
        nominations = _refresh_nominations(periode, instansi_id, targets, pool, ranks, now)
        report("selesai", len(targets), len(targets))
        return {
            "target": len(computed),
            "kandidat": sum(len(rows) for _, rows in computed.values()),
            "nominasi_ditinjau": nominations,
        }


KANDIDAT_FIELDS = ["target_id", "pegawai_id", "penempatan_id", "peringkat", "jpm_target", "kesiapan"]


def _write_targets(periode: Periode, instansi_id: int, computed: dict, now) -> None:
    """Bring the stored targets and candidate lists to `computed`, writing only the differences."""
    stored = {
        jabatan_id: (pk, (alasan, pensiun, jumlah))
        for pk, jabatan_id, alasan, pensiun, jumlah in TargetSuksesi.objects.filter(
            periode=periode, instansi_id=instansi_id
        ).values_list("id", "jabatan_id", "alasan", "pensiun_pemangku", "jumlah_kandidat")
    }
    stored_lists = defaultdict(list)
    for target_id, *row in (
        Kandidat.objects.filter(target__periode=periode, target__instansi_id=instansi_id)
        .order_by("target_id", "peringkat")
        .values_list("target_id", "pegawai_id", "penempatan_id", "peringkat", "jpm_target", "kesiapan")
    ):
        stored_lists[target_id].append(tuple(row))

    gone = [pk for jabatan_id, (pk, _) in stored.items() if jabatan_id not in computed]
    new = [
        TargetSuksesi(
            periode_id=periode.pk,
            jabatan_id=jabatan_id,
            instansi_id=instansi_id,
            alasan=fields[0],
            pensiun_pemangku=fields[1],
            jumlah_kandidat=fields[2],
            dihitung=now,
        )
        for jabatan_id, (fields, _) in computed.items()
        if jabatan_id not in stored
    ]
    changed, relisted, lists = [], [], []
    for jabatan_id, (fields, rows) in computed.items():
        if jabatan_id not in stored:
            continue
        pk, stored_fields = stored[jabatan_id]
        if fields != stored_fields:
            changed.append((pk, *fields, now))
        if rows != stored_lists.get(pk, []):
            relisted.append(pk)
            lists.append((pk, rows))
    # Kandidat rows go first: the database holds their foreign key to the target without a cascade.
    Kandidat.objects.filter(target_id__in=gone + relisted).delete()
    TargetSuksesi.objects.filter(pk__in=gone).delete()
    insert_rows(TargetSuksesi, new)
    update_values(TargetSuksesi, ["alasan", "pensiun_pemangku", "jumlah_kandidat", "dihitung"], changed)
    by_jabatan = {target.jabatan_id: target.pk for target in new}
    lists += [(by_jabatan[jabatan_id], rows) for jabatan_id, (_, rows) in computed.items() if jabatan_id in by_jabatan]
    kandidat_rows = [(target_id, *row) for target_id, rows in lists for row in rows]
    insert_values(Kandidat, KANDIDAT_FIELDS, kandidat_rows)
    analyze_if_stale(Kandidat, len(kandidat_rows))


# What the recompute may change on a nomination; the rest is the operator's and the PPK's.
REFRESHED_NOMINATION_FIELDS = ["status", "perlu_ditinjau", "alasan_tinjau", "jpm_target", "kesiapan_bawaan"]


def _refresh_nominations(periode, instansi_id, targets, pool, ranks, now) -> int:
    """Keep every nomination; update JPM, readiness, gate flags and appointments (a few queries)."""
    nominations = Nominasi.objects.filter(periode=periode, instansi_id=instansi_id).exclude(
        status=Nominasi.Status.DITOLAK
    )
    nominations = list(nominations.select_related("pegawai__jabatan__jenjang", "pegawai__golongan", "jabatan__jenjang"))
    if not nominations:
        return 0
    target_by_jabatan = {t["jabatan_id"]: t for t in targets}
    placements = _placements_of(periode, nominations)
    changed = []
    for nomination in nominations:
        before = _refreshed_fields(nomination)
        pegawai = nomination.pegawai
        if pegawai.jabatan_id == nomination.jabatan_id and nomination.status == Nominasi.Status.DISETUJUI:
            nomination.status = Nominasi.Status.MENJABAT
        if nomination.status != Nominasi.Status.MENJABAT:
            person = _person(pegawai, placements.get(pegawai.pk))
            target = target_by_jabatan.get(nomination.jabatan_id) or _target_of(nomination.jabatan)
            reasons = _review_reasons(nomination, person, target, target_by_jabatan, ranks, periode.tanggal_acuan)
            nomination.perlu_ditinjau = bool(reasons)
            nomination.alasan_tinjau = "; ".join(reasons)
            if person.asesmen_levels:
                nomination.jpm_target = rules.rank_candidates([person], target["required"])[0].jpm_target
                nomination.kesiapan_bawaan = rules.readiness(nomination.jpm_target)
        if _refreshed_fields(nomination) != before:
            changed.append(nomination)
    update_with_history(
        Nominasi,
        changed,
        REFRESHED_NOMINATION_FIELDS,
        user=None,
        reason="Hitung ulang kandidat",
        date=now,
    )
    _record_out_of_plan(periode, instansi_id, nominations)
    return sum(1 for n in nominations if n.perlu_ditinjau)


def _refreshed_fields(nomination: Nominasi) -> tuple:
    return tuple(getattr(nomination, name) for name in REFRESHED_NOMINATION_FIELDS)


def _placements_of(periode, nominations: list[Nominasi]) -> dict[int, dict]:
    """The nominees' placements of the period by pegawai id, with what `_person` reads."""
    return {
        p["pegawai_id"]: p
        for p in Penempatan.objects.filter(periode=periode, pegawai__in=[n.pegawai_id for n in nominations]).values(
            "pegawai_id", "krs", "kotak", "skor_potensial", "skor_kinerja", "rincian__asesmen__levels"
        )
    }


def _review_reasons(nomination, person, target, target_by_jabatan, ranks, tanggal_acuan) -> list[str]:
    """Why a nomination no longer stands as made: the PPK reviews it, it is never removed."""
    reasons = []
    if target["jabatan_id"] not in target_by_jabatan:
        reasons.append("Jabatan ini bukan lagi jabatan target")
    if nomination.pegawai.instansi_id != nomination.instansi_id:
        reasons.append("Pegawai ini sudah pindah ke instansi lain")
    if person.jenjang not in rules.FEEDING_JENJANG.get(target["jenjang"], ()):
        reasons.append(f"Jenjang {person.jenjang} tidak lagi mengisi jenjang {target['jenjang']}")
    reasons += rules.gate_failures(
        person,
        golongan_minimal=target["golongan_minimal"],
        golongan_minimal_rank=ranks[target["golongan_minimal"]],
        tanggal_acuan=tanggal_acuan,
    )
    return reasons


def _person(pegawai: Pegawai, placement: dict | None) -> rules.Person:
    levels = (placement or {}).get("rincian__asesmen__levels")
    return rules.Person(
        pegawai_id=pegawai.pk,
        penempatan_id=None,
        nip=pegawai.nip,
        jenjang=pegawai.jabatan.jenjang.nama,
        jenis_asn=pegawai.jenis_asn,
        golongan_rank=pegawai.golongan.urutan if pegawai.jenis_asn == "PNS" else None,
        tanggal_pensiun=pegawai.tanggal_pensiun,
        krs=bool(placement and placement["krs"]),
        kotak=placement["kotak"] if placement else None,
        skor_potensial=placement["skor_potensial"] if placement else None,
        skor_kinerja=placement["skor_kinerja"] if placement else None,
        asesmen_levels=tuple(levels[f] for f in KOMPETENSI_FIELDS) if levels else None,
    )


def _target_of(jabatan: Jabatan) -> dict:
    """The target view of a jabatan that is no longer a target (for the nominee's gate check)."""
    return {
        "jabatan_id": jabatan.pk,
        "instansi_id": jabatan.unit_kerja.instansi_id,
        "jenjang": jabatan.jenjang.nama,
        "required": jabatan.required_levels,
        "golongan_minimal": jabatan.golongan_minimal_id
        or rules.DEFAULT_GOLONGAN_MINIMAL.get(jabatan.jenjang.nama, "III/b"),
    }


def _record_out_of_plan(periode, instansi_id, nominations) -> None:
    """Holders appointed after the reference date to a planned jabatan who were not its approved nominee."""
    planned = {n.jabatan_id for n in nominations}
    approved = {
        (n.jabatan_id, n.pegawai_id)
        for n in nominations
        if n.status in (Nominasi.Status.DISETUJUI, Nominasi.Status.MENJABAT)
    }
    appointed = Pegawai.objects.filter(jabatan_id__in=planned, tmt_jabatan__gt=periode.tanggal_acuan).values_list(
        "id", "jabatan_id", "instansi_id"
    )
    known = set(
        PengangkatanDiluarRencana.objects.filter(periode=periode, jabatan_id__in=planned).values_list(
            "jabatan_id", "pegawai_id"
        )
    )
    insert_rows(
        PengangkatanDiluarRencana,
        [
            PengangkatanDiluarRencana(
                periode=periode, jabatan_id=jabatan_id, instansi_id=instansi, pegawai_id=pegawai_id
            )
            for pegawai_id, jabatan_id, instansi in appointed
            if (jabatan_id, pegawai_id) not in approved and (jabatan_id, pegawai_id) not in known
        ],
    )


# --- jabatan structure ----------------------------------------------------------------------------------


def jabatan_save(*, user, jabatan: Jabatan, data: dict) -> Jabatan:
    """Create or change a jabatan of the structure (kritikal, standard, minimum golongan)."""
    for name, value in data.items():
        setattr(jabatan, name, value)
    if not user.may_write_instansi(jabatan.unit_kerja.instansi_id):
        raise PermissionDenied("Anda tidak berhak mengubah struktur jabatan instansi ini.")
    jabatan.dalam_struktur = True
    jabatan.full_clean()
    jabatan._history_user = user
    jabatan.save()
    pipeline.inputs_changed(instansi_ids=[jabatan.unit_kerja.instansi_id])
    return jabatan


# --- nominations ----------------------------------------------------------------------------------------


def _open_target(periode: Periode, jabatan: Jabatan) -> TargetSuksesi:
    if periode.is_closed:
        raise ValidationError(CLOSED_FROZEN)
    target = TargetSuksesi.objects.filter(periode=periode, jabatan=jabatan).first()
    if target is None:
        raise ValidationError("Jabatan ini bukan jabatan target pada periode ini.")
    return target


def nomination_create(*, user, periode: Periode, jabatan: Jabatan, pegawai_ids: list[int]) -> list[Nominasi]:
    """The operator nominates successors from the target's candidates; someone failing a gate is refused."""
    instansi_id = jabatan.unit_kerja.instansi_id
    if not user.may_write_instansi(instansi_id):
        raise PermissionDenied("Hanya operator instansi ini yang dapat mengusulkan suksesor.")
    with transaction.atomic():
        target = _open_target(periode, jabatan)
        candidates = {k.pegawai_id: k for k in target.kandidat.select_related("pegawai")}
        not_candidates = [pk for pk in pegawai_ids if pk not in candidates]
        if not_candidates:
            names = (
                ", ".join(Pegawai.objects.filter(pk__in=not_candidates).values_list("nama", flat=True)) or "pegawai ini"
            )
            raise ValidationError(f"{names} bukan kandidat jabatan ini (tidak lolos syarat); tidak dapat diusulkan.")
        existing = set(Nominasi.objects.filter(periode=periode, jabatan=jabatan).values_list("pegawai_id", flat=True))
        next_rank = Nominasi.objects.filter(periode=periode, jabatan=jabatan).count() + 1
        created = []
        for pk in pegawai_ids:
            if pk in existing:
                continue
            candidate = candidates[pk]
            nomination = Nominasi(
                periode=periode,
                jabatan=jabatan,
                instansi_id=instansi_id,
                pegawai_id=pk,
                urutan=next_rank,
                jpm_target=candidate.jpm_target,
                kesiapan_bawaan=candidate.kesiapan,
                diusulkan_oleh=user,
            )
            nomination.full_clean()
            nomination._history_user = user
            nomination.save()
            created.append(nomination)
            next_rank += 1
        if not created:
            raise ValidationError("Pegawai yang dipilih sudah diusulkan untuk jabatan ini.")
    return created


def _check_ppk(user, nomination: Nominasi) -> None:
    if not user.may_decide_nominations(nomination.instansi_id):
        raise PermissionDenied(selectors.DECIDE_REFUSED)


def _check_open(nomination: Nominasi) -> None:
    if nomination.periode.is_closed:
        raise ValidationError(CLOSED_FROZEN)


def nomination_decide(*, user, nomination: Nominasi, approve: bool, catatan: str) -> Nominasi:
    _check_ppk(user, nomination)
    _check_open(nomination)
    if nomination.status not in (Nominasi.Status.DIUSULKAN, Nominasi.Status.DISETUJUI, Nominasi.Status.DITOLAK):
        raise ValidationError("Nominasi ini sudah selesai (menjabat).")
    if approve and nomination.perlu_ditinjau:
        raise ValidationError(f"Nominasi tidak dapat disetujui: {nomination.alasan_tinjau}.")
    if not approve and not catatan.strip():
        raise ValidationError("Tuliskan alasan penolakan.")
    previous = nomination.status
    nomination.status = Nominasi.Status.DISETUJUI if approve else Nominasi.Status.DITOLAK
    nomination.catatan_keputusan = catatan.strip()
    nomination.diputuskan_oleh = user
    nomination.diputuskan_pada = timezone.now()
    nomination._history_user = user
    with transaction.atomic():
        nomination.save()
        decision_record(
            instansi=nomination.instansi,
            jenis=EntriKeputusan.Jenis.KEPUTUSAN_NOMINASI,
            objek=_nomination_object(nomination),
            nilai_lama=previous,
            nilai_baru=nomination.status,
            oleh=user,
            justifikasi=nomination.catatan_keputusan,
        )
    return nomination


def _nomination_object(nomination: Nominasi) -> str:
    return f"nominasi:{nomination.pk} jabatan:{nomination.jabatan_id} NIP {nomination.pegawai.nip}"


def readiness_override(*, user, nomination: Nominasi, kesiapan: str, justifikasi: str) -> Nominasi:
    _check_ppk(user, nomination)
    _check_open(nomination)
    if kesiapan and kesiapan not in rules.KESIAPAN:
        raise ValidationError("Kesiapan tidak dikenal.")
    if kesiapan and not justifikasi.strip():
        raise ValidationError("Justifikasi tertulis wajib diisi untuk mengubah kesiapan.")
    previous = nomination.kesiapan_ppk
    nomination.kesiapan_ppk = kesiapan
    nomination.justifikasi_kesiapan = justifikasi.strip() if kesiapan else ""
    nomination._history_user = user
    with transaction.atomic():
        nomination.save()
        decision_record(
            instansi=nomination.instansi,
            jenis=EntriKeputusan.Jenis.KESIAPAN,
            objek=_nomination_object(nomination),
            nilai_lama=previous or nomination.kesiapan_bawaan,
            nilai_baru=kesiapan or nomination.kesiapan_bawaan,
            oleh=user,
            justifikasi=nomination.justifikasi_kesiapan,
        )
    return nomination


def nomination_reorder(*, user, nomination: Nominasi, urutan: int) -> None:
    if not user.may_write_instansi(nomination.instansi_id):
        raise PermissionDenied
    _check_open(nomination)
    nomination.urutan = max(1, urutan)
    nomination._history_user = user
    nomination.save(update_fields=["urutan"])


def out_of_plan_justify(*, user, record: PengangkatanDiluarRencana, justifikasi: str) -> None:
    if not user.may_write_instansi(record.instansi_id):
        raise PermissionDenied
    if not justifikasi.strip():
        raise ValidationError("Justifikasi wajib diisi untuk pengangkatan di luar rencana suksesi.")
    previous = record.justifikasi
    record.justifikasi = justifikasi.strip()
    record.dicatat_oleh = user
    record._history_user = user
    with transaction.atomic():
        record.save()
        decision_record(
            instansi=record.instansi,
            jenis=EntriKeputusan.Jenis.DILUAR_RENCANA,
            objek=f"pengangkatan:{record.pk} jabatan:{record.jabatan_id} NIP {record.pegawai.nip}",
            nilai_lama=previous,
            nilai_baru=record.justifikasi,
            oleh=user,
            justifikasi=record.justifikasi,
        )


# --- development plans ----------------------------------------------------------------------------------


def plan_propose(*, user, nomination: Nominasi) -> list[ItemRencana]:
    """One plan item per competency gap that has no item yet."""
    if not user.may_write_instansi(nomination.instansi_id):
        raise PermissionDenied
    labels = dict(ItemRencana._meta.get_field("kompetensi").choices)
    covered = set(nomination.rencana.values_list("kompetensi", flat=True))
    target_date = rules.add_months(timezone.localdate(), 12)
    items = []
    for field, gap in selectors.nomination_gaps(nomination=nomination):
        if field in covered:
            continue
        item = ItemRencana(
            nominasi=nomination,
            kompetensi=field,
            kesenjangan=gap,
            judul=f"Pengembangan kompetensi {labels[field]} (naik {gap} level)",
            jenis=ItemRencana.Jenis.PELATIHAN,
            tanggal_target=target_date,
        )
        item._history_user = user
        item.save()
        items.append(item)
    return items


def plan_item_save(*, user, item: ItemRencana, data: dict) -> ItemRencana:
    if not user.may_write_instansi(item.nominasi.instansi_id):
        raise PermissionDenied
    for name, value in data.items():
        setattr(item, name, value)
    item.full_clean()
    item._history_user = user
    item.save()
    return item
