"""Reads of succession; every instansi-owned query starts from `for_user`."""

import datetime as dt
from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, Max, OuterRef, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from asn.models import Golongan, Instansi, Jabatan, Pegawai
from asn.reference import KOMPETENSI, KOMPETENSI_FIELDS
from assessment.models import Penempatan, Periode, SkpResult
from assessment.scoring import jpm
from talenta.tabular import format_score

from . import rules
from .models import ItemRencana, Kandidat, Nominasi, PengangkatanDiluarRencana, TargetSuksesi

EXPORT_COLUMNS = [
    "instansi",
    "unit_kerja",
    "jabatan",
    "jenjang",
    "alasan_target",
    "peringkat",
    "nip",
    "jpm_target",
    "kotak",
    "skor_potensial",
    "skor_kinerja",
    "kesiapan",
]


def open_periode() -> Periode | None:
    """Succession lists belong to the open period (§7)."""
    return Periode.objects.filter(status=Periode.Status.OPEN).order_by("-tahun").first()


def _export_targets(*, user, periode: Periode, instansi):
    targets = TargetSuksesi.objects.all() if user is None else TargetSuksesi.objects.for_user(user)
    targets = targets.filter(periode=periode)
    return targets if instansi is None else targets.filter(instansi=instansi)


def candidate_export_count(*, user, periode: Periode, instansi=None) -> int:
    """The rows `candidate_export_rows` gives: every candidate, and one per target without any."""
    targets = _export_targets(user=user, periode=periode, instansi=instansi)
    counts = targets.aggregate(
        jumlah_kandidat=Count("kandidat"),
        tanpa_kandidat=Count("id", filter=Q(kandidat__isnull=True), distinct=True),
    )
    return counts["jumlah_kandidat"] + counts["tanpa_kandidat"]


def candidate_export_rows(*, user, periode: Periode, instansi=None) -> list[list[str]]:
    """One row per target × candidate (a target without candidates: one row, empty candidate cells)."""
    targets = _export_targets(user=user, periode=periode, instansi=instansi)
    target_rows = {
        t["id"]: t
        for t in targets.values(
            "id", "instansi__kode", "jabatan__unit_kerja__nama", "jabatan__nama", "jabatan__jenjang__nama", "alasan"
        )
    }
    candidates = defaultdict(list)
    for k in (
        Kandidat.objects.filter(target_id__in=list(target_rows))
        .values(
            "target_id",
            "peringkat",
            "pegawai__nip",
            "jpm_target",
            "kesiapan",
            kotak=F("penempatan__kotak"),
            skor_potensial=F("penempatan__skor_potensial"),
            skor_kinerja=F("penempatan__skor_kinerja"),
        )
        .iterator(chunk_size=5000)
    ):
        candidates[k["target_id"]].append(k)
    rows = []
    ordered = sorted(
        target_rows.values(),
        key=lambda t: (
            t["instansi__kode"],
            t["jabatan__unit_kerja__nama"],
            t["jabatan__nama"],
            t["jabatan__jenjang__nama"],
            t["id"],
        ),
    )
    for t in ordered:
        head = [
            t["instansi__kode"],
            t["jabatan__unit_kerja__nama"],
            t["jabatan__nama"],
            t["jabatan__jenjang__nama"],
            t["alasan"],
        ]
        ranked = sorted(candidates.get(t["id"], []), key=lambda k: k["peringkat"])
        if not ranked:
            rows.append(head + [""] * 7)
        for k in ranked:
            rows.append(
                head
                + [
                    str(k["peringkat"]),
                    k["pegawai__nip"],
                    format_score(k["jpm_target"]),
                    "" if k["kotak"] is None else str(k["kotak"]),
                    format_score(k["skor_potensial"]),
                    format_score(k["skor_kinerja"]),
                    k["kesiapan"],
                ]
            )
    return rows


def targets_for_user(*, user, periode: Periode, instansi):
    return (
        TargetSuksesi.objects.for_user(user)
        .filter(periode=periode, instansi=instansi)
        .select_related("jabatan__unit_kerja", "jabatan__jenjang")
        .annotate(
            disetujui=Count(
                "jabatan__nominasi",
                filter=Q(jabatan__nominasi__periode=periode, jabatan__nominasi__status=Nominasi.Status.DISETUJUI),
            ),
            diusulkan=Count(
                "jabatan__nominasi",
                filter=Q(jabatan__nominasi__periode=periode, jabatan__nominasi__status=Nominasi.Status.DIUSULKAN),
            ),
        )
        .order_by("jabatan__unit_kerja__nama", "jabatan__nama")
    )


def target_get_for_user(*, user, periode: Periode, jabatan_id: int) -> TargetSuksesi:
    return get_object_or_404(
        TargetSuksesi.objects.for_user(user).select_related(
            "jabatan__unit_kerja", "jabatan__jenjang", "jabatan__golongan_minimal", "instansi"
        ),
        periode=periode,
        jabatan_id=jabatan_id,
    )


def candidates_of(*, target: TargetSuksesi):
    return target.kandidat.select_related("pegawai__jabatan__unit_kerja", "pegawai__golongan", "penempatan").order_by(
        "peringkat"
    )


def _levels(placement: Penempatan | None) -> dict:
    return ((placement.rincian.get("asesmen") or {}).get("levels") or {}) if placement else {}


def _gap_rows(levels: dict, required: tuple) -> list[dict]:
    labels = dict(KOMPETENSI)
    return [{"kompetensi": labels[field], "kurang": gap} for field, gap in rules.competency_gaps(levels, required)]


def approved_elsewhere(*, periode: Periode, jabatan_id: int, pegawai_ids) -> dict[int, list[str]]:
    """Per pegawai: the other jabatan they are already an approved successor for (one query)."""
    elsewhere = defaultdict(list)
    for pegawai_id, nama, unit in (
        Nominasi.objects.filter(periode=periode, status=Nominasi.Status.DISETUJUI, pegawai_id__in=list(pegawai_ids))
        .exclude(jabatan_id=jabatan_id)
        .order_by("jabatan__nama", "jabatan_id")
        .values_list("pegawai_id", "jabatan__nama", "jabatan__unit_kerja__nama")
    ):
        elsewhere[pegawai_id].append(f"{nama} ({unit})")
    return elsewhere


def readiness_details(*, target: TargetSuksesi, candidates: list, nominations: list) -> None:
    """Beside each JPM, what it does not say: gaps against the target's standard and other successions.

    Sets `kesenjangan` (competency and levels short), `jpm_menutupi_kesenjangan` (ready now by the
    default rule, gaps all the same) and `suksesor_lain` (other jabatan with this person approved) on
    every candidate and nomination; two queries whatever their number (the candidates bring their
    placement along).
    """
    required = target.jabatan.required_levels
    levels = {k.pegawai_id: _levels(k.penempatan) for k in candidates}
    nominee_ids = {n.pegawai_id for n in nominations} - set(levels)
    if nominee_ids:
        for pegawai_id, asesmen_levels in Penempatan.objects.filter(
            periode=target.periode_id, pegawai_id__in=nominee_ids
        ).values_list("pegawai_id", "rincian__asesmen__levels"):
            levels[pegawai_id] = asesmen_levels or {}
    elsewhere = approved_elsewhere(
        periode=target.periode, jabatan_id=target.jabatan_id, pegawai_ids=set(levels) | nominee_ids
    )
    for row, default_readiness in [(k, k.kesiapan) for k in candidates] + [(n, n.kesiapan_bawaan) for n in nominations]:
        row.kesenjangan = _gap_rows(levels.get(row.pegawai_id) or {}, required)
        row.jpm_menutupi_kesenjangan = default_readiness == rules.SIAP_SEKARANG and bool(row.kesenjangan)
        row.suksesor_lain = elsewhere.get(row.pegawai_id, [])


def _list_key(jabatan: Jabatan) -> tuple:
    """What decides a target's candidate list beside its instansi and period (§7): jenjang, standard, minimum."""
    jenjang = jabatan.jenjang.nama
    return (jenjang, jabatan.required_levels, jabatan.golongan_minimal_id or rules.DEFAULT_GOLONGAN_MINIMAL[jenjang])


def _describe_list_key(key: tuple, jabatan: Jabatan) -> str:
    jenjang, levels, minimum = key
    standard = (
        f"standar {levels[0]} untuk kesembilan kompetensi"
        if len(set(levels)) == 1
        else "standar " + ", ".join(f"{label} {level}" for (_, label), level in zip(KOMPETENSI, levels, strict=True))
    )
    own = "" if jabatan.stored_levels else " (bawaan jenjang)"
    return f"{jenjang}, {standard}{own}, golongan minimal {minimum}"


def shared_lists(targets: list[TargetSuksesi]) -> list[dict]:
    """Groups of targets that get the same candidate list; each target gets `daftar_sama` (its group or None).

    Candidates are the instansi's pool members of the feeding jenjang who pass the golongan minimum
    and the retirement gate, ranked by JPM against the target's standard (§7): targets with the same
    jenjang, standard and minimum therefore have the very same ranked list.
    """
    groups = defaultdict(list)
    for target in targets:
        groups[_list_key(target.jabatan)].append(target)
    shared = []
    for key, members in groups.items():
        group = None
        if len(members) > 1:
            group = {
                "kode": chr(ord("A") + len(shared)) if len(shared) < 26 else str(len(shared) + 1),
                "uraian": _describe_list_key(key, members[0].jabatan),
                "targets": members,
            }
            shared.append(group)
        for target in members:
            target.daftar_sama = group
    return shared


def same_list_targets(*, target: TargetSuksesi) -> list[TargetSuksesi]:
    """The instansi's other targets of the period whose candidate list is this one's (one query)."""
    key = _list_key(target.jabatan)
    others = (
        TargetSuksesi.objects.filter(
            periode=target.periode_id, instansi=target.instansi_id, jabatan__jenjang=target.jabatan.jenjang_id
        )
        .exclude(pk=target.pk)
        .select_related("jabatan__unit_kerja", "jabatan__jenjang")
        .order_by("jabatan__unit_kerja__nama", "jabatan__nama")
    )
    return [other for other in others if _list_key(other.jabatan) == key]


def non_candidates(*, target: TargetSuksesi, limit: int = 200) -> list[dict]:
    """Pegawai of the feeding jenjang who are not candidates, each with every gate they fail."""
    jenjang = target.jabatan.jenjang.nama
    minimum = target.jabatan.golongan_minimal_id or rules.DEFAULT_GOLONGAN_MINIMAL[jenjang]
    ranks = dict(Golongan.objects.filter(jenis_asn="PNS").values_list("kode", "urutan"))
    candidates = set(target.kandidat.values_list("pegawai_id", flat=True))
    people = (
        Pegawai.objects.filter(instansi=target.instansi_id, jabatan__jenjang__nama__in=rules.FEEDING_JENJANG[jenjang])
        .exclude(pk__in=candidates)
        .select_related("jabatan__jenjang", "golongan")
        .order_by("nama", "nip")
    )
    krs = set(
        Penempatan.objects.filter(periode=target.periode_id, krs=True, pegawai__in=people).values_list(
            "pegawai_id", flat=True
        )
    )
    result = []
    for pegawai in people[:limit]:
        person = rules.Person(
            pegawai_id=pegawai.pk, penempatan_id=None, nip=pegawai.nip, jenjang=pegawai.jabatan.jenjang.nama,
            jenis_asn=pegawai.jenis_asn,
            golongan_rank=pegawai.golongan.urutan if pegawai.jenis_asn == "PNS" else None,
            tanggal_pensiun=pegawai.tanggal_pensiun, krs=pegawai.pk in krs, kotak=None, skor_potensial=None,
            skor_kinerja=None, asesmen_levels=None,
        )  # fmt: skip
        reasons = rules.gate_failures(
            person,
            golongan_minimal=minimum,
            golongan_minimal_rank=ranks[minimum],
            tanggal_acuan=target.periode.tanggal_acuan,
        )
        result.append({"pegawai": pegawai, "alasan": "; ".join(reasons)})
    return result


def nominations_of(*, periode: Periode, jabatan: Jabatan):
    return (
        Nominasi.objects.filter(periode=periode, jabatan=jabatan)
        .select_related("pegawai__jabatan", "diusulkan_oleh", "diputuskan_oleh")
        .prefetch_related("rencana")
        .order_by("urutan", "id")
    )


DECIDE_REFUSED = "Hanya PPK instansi ini yang dapat memutuskan nominasi."


def nomination_get_for_user(*, user, pk: int, decide: bool = False) -> Nominasi:
    """A nomination if the user may see it (else 404); with `decide`, 403 for anyone but its PPK."""
    nomination = get_object_or_404(
        Nominasi.objects.for_user(user).select_related(
            "pegawai__jabatan", "jabatan__jenjang", "jabatan__unit_kerja", "periode"
        ),
        pk=pk,
    )
    if decide and not user.may_decide_nominations(nomination.instansi_id):
        raise PermissionDenied(DECIDE_REFUSED)
    return nomination


def nomination_gaps(*, nomination: Nominasi) -> list[tuple[str, int]]:
    """Required minus achieved, where positive, against the target's standard."""
    placement = Penempatan.objects.filter(periode=nomination.periode, pegawai=nomination.pegawai).first()
    levels = ((placement.rincian.get("asesmen") or {}).get("levels") or {}) if placement else {}
    return rules.competency_gaps(levels, nomination.jabatan.required_levels)


def plan_item_get_for_user(*, user, pk: int, write: bool = False) -> ItemRencana:
    item = get_object_or_404(ItemRencana.objects.for_user(user).select_related("nominasi"), pk=pk)
    if write and not user.may_write_instansi(item.nominasi.instansi_id):
        raise PermissionDenied
    return item


def comparison(*, target: TargetSuksesi, pegawai_ids: list[int]) -> list[dict]:
    """Side by side: scores, competencies and gaps against the target's standard, other successions,
    SKP trend, box history."""
    required = target.jabatan.required_levels
    placements = {
        p.pegawai_id: p
        for p in Penempatan.objects.filter(periode=target.periode_id, pegawai_id__in=pegawai_ids).select_related(
            "pegawai__jabatan"
        )
    }
    history = defaultdict(list)
    for pegawai_id, tahun, kotak in (
        Penempatan.objects.filter(pegawai_id__in=pegawai_ids)
        .order_by("periode__tahun")
        .values_list("pegawai_id", "periode__tahun", "kotak")
    ):
        history[pegawai_id].append((tahun, kotak))
    skp = defaultdict(list)
    for pegawai_id, tahun, predikat in (
        SkpResult.objects.filter(pegawai_id__in=pegawai_ids)
        .order_by("tahun")
        .values_list("pegawai_id", "tahun", "predikat")
    ):
        skp[pegawai_id].append((tahun, predikat))
    elsewhere = approved_elsewhere(periode=target.periode, jabatan_id=target.jabatan_id, pegawai_ids=pegawai_ids)
    result = []
    for pegawai_id in pegawai_ids:
        placement = placements.get(pegawai_id)
        if placement is None:
            continue
        levels = _levels(placement)
        achieved = tuple(levels.get(f) for f in KOMPETENSI_FIELDS)
        jpm_target = jpm(achieved, required) if levels else None
        gaps = _gap_rows(levels, required)
        result.append(
            {
                "placement": placement,
                "jpm_target": jpm_target,
                "kesenjangan": gaps,
                "jpm_menutupi_kesenjangan": jpm_target is not None
                and rules.readiness(jpm_target) == rules.SIAP_SEKARANG
                and bool(gaps),
                "suksesor_lain": elsewhere.get(pegawai_id, []),
                "levels": list(achieved) if levels else [],
                "history": history[pegawai_id],
                "skp": skp[pegawai_id],
            }
        )
    return result


def coverage(*, user, periode: Periode, instansi) -> dict:
    """Bench strength per target, coverage, targets without successor, ratio by jenjang (few queries)."""
    targets = list(targets_for_user(user=user, periode=periode, instansi=instansi))
    ready = defaultdict(int)
    for jabatan_id, kesiapan_bawaan, kesiapan_ppk in Nominasi.objects.filter(
        periode=periode, instansi=instansi, status=Nominasi.Status.DISETUJUI
    ).values_list("jabatan_id", "kesiapan_bawaan", "kesiapan_ppk"):
        if (kesiapan_ppk or kesiapan_bawaan) == rules.SIAP_SEKARANG:
            ready[jabatan_id] += 1
    for target in targets:
        target.bench_strength = ready.get(target.jabatan_id, 0)
    covered = sum(1 for t in targets if t.bench_strength)
    shared = shared_lists(targets)
    pool = dict(
        Penempatan.objects.filter(periode=periode, instansi=instansi, krs=True)
        .values_list("pegawai__jabatan__jenjang__nama")
        .annotate(n=Count("id"))
        .order_by()
    )
    ratio = []
    for jenjang in rules.MANAJERIAL_TARGET_JENJANG:
        count = sum(1 for t in targets if t.jabatan.jenjang.nama == jenjang)
        talents = sum(pool.get(j, 0) for j in rules.FEEDING_JENJANG[jenjang])
        ratio.append(
            {
                "jenjang": jenjang,
                "target": count,
                "talenta": talents,
                "rasio": round(talents / count, 1) if count else None,
            }
        )
    return {
        "targets": targets,
        "jumlah_target": len(targets),
        "tercakup": covered,
        "cakupan_persen": round(100 * covered / len(targets), 1) if targets else None,
        "tanpa_suksesor": [t for t in targets if not t.disetujui],
        "rasio": ratio,
        "daftar_sama": shared,
    }


def retirement_risk(*, user, periode: Periode, instansi) -> list[dict]:
    """Per unit: incumbents of manajerial jabatan reaching BUP within 12 and 24 months of the reference date."""
    in_12 = rules.add_months(periode.tanggal_acuan, 12)
    in_24 = rules.add_months(periode.tanggal_acuan, 24)
    rows = (
        Pegawai.objects.for_user(user)
        .filter(instansi=instansi)
        .values("jabatan__unit_kerja__nama")
        .annotate(
            pemangku=Count("id", filter=Q(jabatan__jenjang__nama__in=rules.MANAJERIAL_TARGET_JENJANG)),
            pensiun_12=Count(
                "id", filter=Q(jabatan__jenjang__nama__in=rules.MANAJERIAL_TARGET_JENJANG, tanggal_pensiun__lte=in_12)
            ),
            pensiun_24=Count(
                "id", filter=Q(jabatan__jenjang__nama__in=rules.MANAJERIAL_TARGET_JENJANG, tanggal_pensiun__lte=in_24)
            ),
        )
        .order_by("jabatan__unit_kerja__nama")
    )
    return [r for r in rows if r["pemangku"]]


def out_of_plan(*, user, periode: Periode, instansi):
    return (
        PengangkatanDiluarRencana.objects.for_user(user)
        .filter(periode=periode, instansi=instansi)
        .select_related("pegawai", "jabatan__unit_kerja", "dicatat_oleh")
    )


def structure_jabatan(*, user, instansi):
    return (
        Jabatan.objects.for_user(user)
        .filter(unit_kerja__instansi=instansi)
        .select_related("unit_kerja", "jenjang", "golongan_minimal")
        .annotate(jumlah_pemangku=Count("pemangku"))
        .order_by("unit_kerja__nama", "jenjang__urutan", "nama")
    )


def nominations_of_pegawai(*, pegawai):
    return (
        Nominasi.objects.filter(pegawai=pegawai)
        .select_related("jabatan__unit_kerja", "periode")
        .prefetch_related("rencana")
    )


# --- provincial dashboard: succession's figures ------------------------------------------------------
# One selector per figure, grouped over the instansi asked for; `succession.dashboard` composes them.


def dashboard_coverage(*, periode: Periode, instansi_ids: list[int]) -> dict[int, dict]:
    """Per instansi: its jabatan target, and those with an approved successor ready now."""
    ready = Nominasi.objects.filter(
        periode=periode, jabatan=OuterRef("jabatan"), status=Nominasi.Status.DISETUJUI
    ).filter(Q(kesiapan_ppk="Siap sekarang") | Q(kesiapan_ppk="", kesiapan_bawaan="Siap sekarang"))
    grouped = {
        row["instansi_id"]: row
        for row in TargetSuksesi.objects.filter(periode=periode, instansi_id__in=instansi_ids)
        .values("instansi_id")
        .annotate(n=Count("id"), tercakup=Count("id", filter=Q(Exists(ready))))
        .order_by()
    }
    return {
        pk: {"target": grouped.get(pk, {}).get("n", 0), "target_tercakup": grouped.get(pk, {}).get("tercakup", 0)}
        for pk in instansi_ids
    }


def dashboard_plans(*, periode: Periode, instansi_ids: list[int]) -> dict[int, dict]:
    """Per instansi: the development-plan items of the period done, overdue today, and in all."""
    today = timezone.localdate()
    grouped = {
        row["nominasi__instansi_id"]: row
        for row in ItemRencana.objects.filter(nominasi__periode=periode, nominasi__instansi_id__in=instansi_ids)
        .values("nominasi__instansi_id")
        .annotate(
            selesai=Count("id", filter=Q(status=ItemRencana.Status.SELESAI)),
            terlambat=Count("id", filter=Q(status__in=["rencana", "berjalan"], tanggal_target__lt=today)),
            total=Count("id"),
        )
        .order_by()
    }
    figures = {}
    for pk in instansi_ids:
        row = grouped.get(pk, {})
        figures[pk] = {
            "rencana_selesai": row.get("selesai", 0),
            "rencana_terlambat": row.get("terlambat", 0),
            "rencana_total": row.get("total", 0),
        }
    return figures


def dashboard_last_nomination(*, instansi_ids: list[int]) -> dict[int, dt.datetime | None]:
    """When each instansi last nominated a successor."""
    latest = dict(
        Nominasi.objects.filter(instansi_id__in=instansi_ids)
        .values_list("instansi_id")
        .annotate(t=Max("dibuat"))
        .order_by()
    )
    return {pk: latest.get(pk) for pk in instansi_ids}


def dashboard_trend_coverage() -> dict[tuple[int, int], dict]:
    """Per (year, instansi) of every period: the jabatan target, and those with an approved successor."""
    approved = Nominasi.objects.filter(
        periode=OuterRef("periode"), jabatan=OuterRef("jabatan"), status=Nominasi.Status.DISETUJUI
    )
    return {
        (row["periode__tahun"], row["instansi_id"]): {"target": row["n"], "target_tercakup": row["tercakup"]}
        for row in TargetSuksesi.objects.values("periode__tahun", "instansi_id")
        .annotate(n=Count("id"), tercakup=Count("id", filter=Q(Exists(approved))))
        .order_by()
    }


def sk_ppk_groups(*, user, periode: Periode, instansi) -> list[dict]:
    """The approved successors of a period per jabatan target, in the order the operator ranked them:
    what the PPK's decree on the succession groups (SK PPK) lists."""
    approved = (
        Nominasi.objects.for_user(user)
        .filter(periode=periode, instansi=instansi, status=Nominasi.Status.DISETUJUI)
        .select_related("jabatan__unit_kerja", "jabatan__jenjang", "pegawai__jabatan", "pegawai__golongan")
        .order_by("jabatan__unit_kerja__nama", "jabatan__nama", "jabatan_id", "urutan", "id")
    )
    groups: dict[int, dict] = {}
    for nomination in approved:
        group = groups.setdefault(nomination.jabatan_id, {"jabatan": nomination.jabatan, "suksesor": []})
        group["suksesor"].append(nomination)
    return list(groups.values())


def simulation_target_changes(*, simulasi) -> list[dict]:
    """Which jabatan target of the simulated instansi (of any, province-wide) gains or loses candidates
    under the simulated scheme, and how each ranking changes: the official pool against the simulation's pool, both
    ranked by the recompute's own rule (`services.ranked_candidates`). Only targets whose list differs."""
    # Imported here: services reads through this module.
    from . import services

    periode = simulasi.periode
    # A province-wide run: every instansi's targets, each ranked from its own pool.
    covered = Instansi.objects.values_list("pk", flat=True) if simulasi.is_province else [simulasi.instansi_id]
    simulated_pool = services.simulation_pool(simulasi)
    before, after = {}, {}
    for instansi_id in covered:
        before |= services.ranked_candidates(
            periode=periode, instansi_id=instansi_id, pool=services.official_pool(periode, instansi_id)
        )
        after |= services.ranked_candidates(periode=periode, instansi_id=instansi_id, pool=simulated_pool)
    changed = {}
    for jabatan_id, candidates in after.items():
        old = {c.person.pegawai_id: rank for rank, c in enumerate(before.get(jabatan_id, []), start=1)}
        new = {c.person.pegawai_id: rank for rank, c in enumerate(candidates, start=1)}
        if old != new:
            changed[jabatan_id] = (old, new)
    names = dict(
        Pegawai.objects.filter(pk__in={pk for old, new in changed.values() for pk in (*old, *new)}).values_list(
            "pk", "nama"
        )
    )
    jabatan = Jabatan.objects.select_related("unit_kerja").in_bulk(list(changed))

    def people(ids, old, new):
        return [
            {"pegawai_id": pk, "nama": names[pk], "sebelum": old.get(pk), "sesudah": new.get(pk)}
            for pk in sorted(ids, key=lambda pk: (new.get(pk) or old.get(pk), names[pk]))
        ]

    rows = []
    for jabatan_id, (old, new) in changed.items():
        stayed = [pk for pk in new if pk in old and new[pk] != old[pk]]
        rows.append(
            {
                "jabatan": jabatan[jabatan_id],
                "sebelum": len(old),
                "sesudah": len(new),
                "masuk": people([pk for pk in new if pk not in old], old, new),
                "keluar": people([pk for pk in old if pk not in new], old, new),
                "berubah_peringkat": people(stayed, old, new),
            }
        )
    return sorted(rows, key=lambda r: (r["jabatan"].unit_kerja.nama, r["jabatan"].nama, r["jabatan"].pk))
