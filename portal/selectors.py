"""Reads for the ASN self-service portal. Every row is read through for_user, so an ASN
account only ever sees rows about its own pegawai (asn.models.ScopedQuerySet)."""

import datetime as dt
import statistics
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Max,
    OuterRef,
    Q,
    Subquery,
)
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format

from asn.models import ImportJob, ImportStatus, Instansi, Pegawai, Role, User
from assessment import scoring
from assessment.models import (
    AnggotaRapat,
    Asesmen,
    HukumanDisiplin,
    Penempatan,
    Periode,
    RapatTalentReview,
    SkpResult,
)
from succession.models import ItemRencana, Kandidat, Nominasi

from .models import BuktiKeberatan, BuktiPortofolio, JendelaKeberatan, Keberatan, UsulanPortofolio


def my_data_export(*, user) -> dict:
    """Everything Talenta holds about the ASN's own pegawai, for the right of access of
    UU 27/2022 (Pelindungan Data Pribadi). Only an ASN account with a pegawai has "own data"."""
    if not user.is_authenticated or not user.is_asn_account:
        raise Http404("Hanya akun ASN yang dapat mengunduh data dirinya.")
    pegawai = Pegawai.objects.for_user(user).filter(pk=user.pegawai_id).values().first()
    if pegawai is None:
        raise Http404("Data pegawai tidak ditemukan.")
    sections = {
        "skp": SkpResult,
        "asesmen": Asesmen,
        "hukuman_disiplin": HukumanDisiplin,
        "penempatan": Penempatan,
        "usulan_portofolio": UsulanPortofolio,
    }
    data = {"akun": {"username": user.username, "role": user.role}, "pegawai": pegawai}
    for key, model in sections.items():
        data[key] = list(model.objects.for_user(user).order_by("pk").values())
    return data


def asn_accounts_activated(*, user) -> list[dict]:
    """Per instansi the user may see: ASN accounts (role Pegawai) and how many have ever logged in."""
    return list(
        User.objects.for_user(user)
        .filter(role=Role.PEGAWAI, instansi__isnull=False)
        .values("instansi__kode", "instansi__nama")
        .annotate(akun=Count("pk"), aktif=Count("pk", filter=Q(last_login__isnull=False)))
        .order_by("instansi__kode")
    )


def my_pegawai(*, user) -> Pegawai:
    """The pegawai of an ASN account; every other account has no "own" profile (404)."""
    if not user.is_authenticated or user.role != Role.PEGAWAI or user.pegawai_id is None:
        raise Http404("Halaman ini hanya untuk akun ASN.")
    pegawai = Pegawai.objects.for_user(user).with_profile_relations().filter(pk=user.pegawai_id).first()
    if pegawai is None:
        raise Http404("Data pegawai tidak ditemukan.")
    return pegawai


# What the ASN can do about an incomplete placement, said to them (the profile's own help
# speaks to the operator who enters the data).
_ASN_COMPLETE_BY = {
    scoring.ALASAN_KINERJA: "Hasil SKP Anda untuk tahun {years} belum tercatat di Talenta; mintalah operator "
    "kepegawaian instansi Anda mencatatnya.",
    scoring.ALASAN_ASESMEN_TIDAK_ADA: "Anda belum memiliki hasil asesmen kompetensi sampai tanggal acuan {acuan}; "
    "tanpa asesmen, potensial Anda tidak dapat dihitung.",
    scoring.ALASAN_ASESMEN_KEDALUWARSA: "Asesmen Anda ({tanggal}) berumur lebih dari {masa} tahun pada tanggal acuan "
    "{acuan}; asesmen baru bertanggal {berlaku} sampai {acuan} diperlukan.",
    scoring.ALASAN_PENDIDIKAN: "Pendidikan terakhir Anda belum tercatat; mintalah operator kepegawaian melengkapinya.",
}


def _number(value) -> str:
    """A score or threshold as the pages write numbers: decimal comma, no ",00" on whole numbers."""
    return number_format(value, decimal_pos=0 if value == value.to_integral_value() else 2)


def _next_category(score, ladder) -> str | None:
    """`ladder` lists (threshold, category) from the top; the next higher category and its threshold."""
    for (threshold, category), (lower_threshold, _) in zip(ladder, ladder[1:], strict=False):
        if lower_threshold <= score < threshold:
            return f"{category} mulai {_number(threshold)}"
    return None


def what_would_change(*, placement: Penempatan) -> list[str]:
    """In the ASN's words: what is missing, and how far each score is from the next category."""
    detail = placement.rincian
    scheme = placement.skema.params()
    if not placement.lengkap:
        context = {
            "years": " dan ".join(str(s["tahun"]) for s in detail["skp"]),
            "acuan": placement.periode.tanggal_acuan.strftime("%d-%m-%Y"),
            "tanggal": (detail.get("asesmen") or {}).get("tanggal", ""),
            "masa": scheme.masa_berlaku_asesmen_tahun,
            "berlaku": detail.get("asesmen_berlaku_sejak", ""),
        }
        return [_ASN_COMPLETE_BY[reason].format(**context) for reason in placement.alasan.split("; ")]
    notes = []
    kinerja_next = _next_category(
        placement.skor_kinerja,
        [(scheme.batas_kinerja_atas, scoring.KINERJA_ATAS), (scheme.batas_kinerja_sesuai, scoring.KINERJA_SESUAI)],
    )
    if kinerja_next:
        notes.append(f"Skor kinerja Anda {_number(placement.skor_kinerja)}; kategori {kinerja_next} (rata-rata SKP).")
    potensial_next = _next_category(
        placement.skor_potensial,
        [
            (scheme.batas_potensial_tinggi, scoring.POTENSIAL_TINGGI),
            (scheme.batas_potensial_menengah, scoring.POTENSIAL_MENENGAH),
        ],
    )
    if potensial_next:
        notes.append(f"Skor potensial Anda {_number(placement.skor_potensial)}; kategori {potensial_next}.")
    if detail["disiplin"]["sanksi"]:
        notes.append(
            f"Hukuman disiplin sejak {detail['disiplin']['jendela_mulai']} menurunkan komponen rekam jejak disiplin."
        )
    return notes


def my_placements(*, user) -> list[Penempatan]:
    """The ASN's box in every period, newest first."""
    return list(Penempatan.objects.for_user(user).select_related("periode").order_by("-periode__tahun"))


def my_development_plan(*, user) -> list[ItemRencana]:
    return list(
        ItemRencana.objects.for_user(user)
        .select_related("nominasi__jabatan", "nominasi__periode")
        .order_by("tanggal_target", "pk")
    )


def my_succession(*, user) -> dict:
    """Where the ASN stands as a successor: the targets that list them and their nominations; the
    other candidates of those targets are never read."""
    return {
        "kandidat": list(
            Kandidat.objects.for_user(user)
            .select_related("target__jabatan__unit_kerja", "target__periode")
            .order_by("-target__periode__tahun", "target__jabatan__nama")
        ),
        "nominasi": list(
            Nominasi.objects.for_user(user).select_related("jabatan", "periode").order_by("-periode__tahun", "urutan")
        ),
    }


# --- the work queue on the home page ----------------------------------------------------------------

# Items shown per section; the section's count is exact.
QUEUE_ITEMS = 5
# An instansi with nothing recorded for this long is listed for the BKN monitor.
INACTIVE_DAYS = 60
# Failed and invalid imports stay in the operator's queue this long, unless a later import of the
# same kind for the instansi went through.
FAILED_IMPORT_DAYS = 30


@dataclass(frozen=True)
class QueueItem:
    teks: str
    rincian: str
    url: str


@dataclass(frozen=True)
class QueueSection:
    kunci: str
    judul: str
    jumlah: int
    items: list[QueueItem]
    semua_url: str = ""
    kosong: str = "Tidak ada."


def _section(kunci, judul, queryset, item, *, semua_url="", kosong="Tidak ada.") -> QueueSection:
    """A count and the first items of one queue, in two queries whatever the numbers."""
    return QueueSection(
        kunci=kunci,
        judul=judul,
        jumlah=queryset.count(),
        items=[item(row) for row in queryset[:QUEUE_ITEMS]],
        semua_url=semua_url,
        kosong=kosong,
    )


def _incomplete_placements(user) -> QueueSection | None:
    periode = Periode.objects.filter(status=Periode.Status.OPEN).order_by("-tahun").first()
    if periode is None:
        return None
    placements = (
        Penempatan.objects.for_user(user)
        .filter(periode=periode, lengkap=False)
        .select_related("pegawai")
        .order_by("pegawai__nama", "pegawai__nip")
    )
    return _section(
        "penempatan",
        f"Penempatan {periode.tahun} belum lengkap",
        placements,
        lambda p: QueueItem(
            p.pegawai.nama_lengkap, p.alasan or "Data belum lengkap", reverse("asn:pegawai-detail", args=[p.pegawai_id])
        ),
        semua_url=reverse("assessment:peta-kotak", args=[periode.tahun, 0]),
        kosong="Semua pegawai sudah terpetakan.",
    )


def _failed_imports(user) -> QueueSection:
    later_done = ImportJob.objects.filter(
        kind=OuterRef("kind"),
        instansi=OuterRef("instansi"),
        status=ImportStatus.DONE,
        created_at__gt=OuterRef("created_at"),
    )
    jobs = (
        ImportJob.objects.for_user(user)
        .filter(
            status__in=[ImportStatus.FAILED, ImportStatus.INVALID],
            created_at__gte=timezone.now() - dt.timedelta(days=FAILED_IMPORT_DAYS),
        )
        .exclude(Exists(later_done))
        .order_by("-created_at")
    )

    def item(job):
        if job.status == ImportStatus.INVALID:
            rincian = f"Tidak valid: {len(job.errors)} kesalahan · {timezone.localtime(job.created_at):%d-%m-%Y}"
        else:
            rincian = f"Gagal · {timezone.localtime(job.created_at):%d-%m-%Y}"
        return QueueItem(
            f"{job.get_kind_display()}: {job.original_name}", rincian, reverse("asn:import-detail", args=[job.pk])
        )

    return _section(
        "impor", "Impor yang gagal", jobs.only("pk", "kind", "status", "original_name", "errors", "created_at"), item
    )


def _overdue_plan_items(user) -> QueueSection:
    items = (
        ItemRencana.objects.for_user(user)
        .filter(
            status__in=[ItemRencana.Status.RENCANA, ItemRencana.Status.BERJALAN],
            tanggal_target__lt=timezone.localdate(),
        )
        .select_related("nominasi__pegawai")
        .order_by("tanggal_target", "pk")
    )
    return _section(
        "rencana",
        "Rencana pengembangan lewat target",
        items,
        lambda i: QueueItem(
            i.judul,
            f"{i.nominasi.pegawai.nama_lengkap} · target {i.tanggal_target:%d-%m-%Y}",
            reverse("succession:nomination", args=[i.nominasi_id]),
        ),
    )


def _nominations_to_decide(user) -> QueueSection:
    nominations = (
        Nominasi.objects.for_user(user)
        .filter(status=Nominasi.Status.DIUSULKAN, periode__status=Periode.Status.OPEN)
        .select_related("pegawai", "jabatan")
        .order_by("dibuat", "pk")
    )
    return _section(
        "nominasi",
        "Nominasi menunggu keputusan",
        nominations,
        lambda n: QueueItem(
            n.pegawai.nama_lengkap,
            f"untuk {n.jabatan.nama}" + (f" · perlu ditinjau: {n.alasan_tinjau}" if n.perlu_ditinjau else ""),
            reverse("succession:nomination", args=[n.pk]),
        ),
    )


def _draft_meetings(user, *, kunci: str, judul: str) -> QueueSection:
    meetings = (
        RapatTalentReview.objects.for_user(user)
        .filter(status=RapatTalentReview.Status.DRAFT)
        .annotate(anggota_saya=Exists(AnggotaRapat.objects.filter(rapat=OuterRef("pk"), user=user)))
        .order_by("tanggal", "pk")
    )
    return _section(
        kunci,
        judul,
        meetings,
        lambda r: QueueItem(
            f"Rapat {r.tanggal:%d-%m-%Y}, {r.tempat}",
            f"Draf, ketua {r.ketua}" + (" · Anda anggota" if r.anggota_saya else ""),
            reverse("assessment:rapat-detail", args=[r.pk]),
        ),
        semua_url=reverse("assessment:rapat-list"),
    )


def _inactive_instansi(user) -> QueueSection:
    """Instansi where nothing was imported, changed, nominated or met about for INACTIVE_DAYS."""

    def latest(queryset, field):
        return Subquery(
            queryset.filter(instansi=OuterRef("pk")).order_by().values("instansi").annotate(m=Max(field)).values("m")
        )

    instansi = list(
        Instansi.objects.for_user(user)
        .annotate(
            impor=latest(ImportJob.objects, "created_at"),
            pegawai_diubah=latest(Pegawai.objects, "diubah"),
            nominasi=latest(Nominasi.objects, "dibuat"),
            rapat=latest(RapatTalentReview.objects, "difinalkan_pada"),
        )
        .order_by("kode")
    )
    cutoff = timezone.now() - dt.timedelta(days=INACTIVE_DAYS)
    quiet = []
    for row in instansi:
        last = max((t for t in (row.impor, row.pegawai_diubah, row.nominasi, row.rapat) if t is not None), default=None)
        if last is None or last < cutoff:
            quiet.append((last, row))
    # The longest quiet first; never active at all before anything.
    quiet.sort(key=lambda pair: (pair[0] is not None, pair[0] or cutoff, pair[1].kode))
    return QueueSection(
        kunci="instansi",
        judul=f"Instansi tanpa aktivitas {INACTIVE_DAYS} hari",
        jumlah=len(quiet),
        items=[
            QueueItem(
                f"{row.kode} {row.nama}",
                f"aktivitas terakhir {timezone.localtime(last):%d-%m-%Y}" if last else "belum ada aktivitas",
                f"{reverse('asn:pegawai-list')}?instansi={row.pk}",
            )
            for last, row in quiet
        ],
        kosong=f"Semua instansi aktif dalam {INACTIVE_DAYS} hari terakhir.",
    )


def work_queue(*, user) -> list[QueueSection]:
    """What each role has to do next, for its home page; every item links to where it is done."""
    sections: list[QueueSection | None] = []
    if user.can_write_data or user.role == Role.OPERATOR_OPD:
        sections.append(_incomplete_placements(user))
    if user.can_write_data:
        sections += [_failed_imports(user), _overdue_plan_items(user)]
    if user.role == Role.PPK:
        sections += [
            _nominations_to_decide(user),
            _draft_meetings(user, kunci="rapat", judul="Rapat talent review untuk difinalkan"),
        ]
    if user.role == Role.TIM_TALENTA:
        sections.append(_draft_meetings(user, kunci="rapat", judul="Rapat talent review tim Anda"))
    if user.sees_all_instansi:
        sections.append(_inactive_instansi(user))
    return [section for section in sections if section is not None]


# --- objections (keberatan) -------------------------------------------------------------------------

# An objection still undecided this long after it was filed is flagged on the operator's and PPK's home.
OBJECTION_DEADLINE_DAYS = 14


def objection_windows_open(*, user) -> list[JendelaKeberatan]:
    """The windows of the user's instansi open today, the periods an ASN may object to now."""
    today = timezone.localdate()
    return list(
        JendelaKeberatan.objects.for_user(user)
        .filter(instansi_id=user.instansi_id, dibuka__lte=today, ditutup__gte=today)
        .select_related("periode")
        .order_by("-periode__tahun")
    )


def objection_windows(*, user) -> list[JendelaKeberatan]:
    return list(JendelaKeberatan.objects.for_user(user).select_related("periode", "instansi", "diubah_oleh"))


def my_objections(*, user) -> list[Keberatan]:
    if not user.is_authenticated or not user.is_asn_account:
        raise Http404("Halaman ini hanya untuk akun ASN.")
    return list(Keberatan.objects.for_user(user).select_related("periode"))


def objection_detail(*, user, pk) -> Keberatan:
    """One objection as the user may see it: their own (an ASN), their instansi's (its roles), any (BKN)."""
    objection = (
        Keberatan.objects.for_user(user)
        .select_related("pegawai", "periode", "instansi", "diajukan_oleh", "ditinjau_oleh", "diputuskan_oleh")
        .prefetch_related("bukti")
        .filter(pk=pk)
        .first()
    )
    if objection is None:
        raise Http404("Keberatan tidak ditemukan.")
    return objection


def objection_evidence(*, user, pk) -> BuktiKeberatan:
    evidence = BuktiKeberatan.objects.for_user(user).filter(pk=pk).first()
    if evidence is None:
        raise Http404("Berkas bukti tidak ditemukan.")
    return evidence


def objections_inbox(*, user, status: str = ""):
    """The staff list: the objections of the user's scope, open ones first (a queryset to page)."""
    if not user.can_see_objections:
        raise Http404("Halaman ini tidak tersedia untuk akun ASN.")
    rows = Keberatan.objects.for_user(user).select_related("pegawai", "periode", "instansi")
    if status in Keberatan.Status.values:
        rows = rows.filter(status=status)
    return rows.order_by(F("diputuskan").desc(nulls_first=True), "-diajukan", "-pk")


def objections_overdue(*, user) -> list[Keberatan]:
    """Undecided objections filed more than OBJECTION_DEADLINE_DAYS ago, oldest first."""
    if not user.sees_objection_deadlines:
        return []
    limit = timezone.now() - dt.timedelta(days=OBJECTION_DEADLINE_DAYS)
    return list(
        Keberatan.objects.for_user(user)
        .filter(status__in=Keberatan.OPEN_STATUSES, diajukan__lt=limit)
        .select_related("pegawai", "periode")
        .order_by("diajukan")
    )


class _Median(Aggregate):
    """PostgreSQL's median of a numeric expression (NULLs, the undecided, are left out)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _days_to_decision():
    seconds = Func(F("diputuskan") - F("diajukan"), template="EXTRACT(EPOCH FROM %(expressions)s)")
    return ExpressionWrapper(seconds / 86400.0, output_field=FloatField())


def _median_days_elsewhere(objections) -> dict[str, float]:
    """The median days to decision per instansi kode, in Python: SQLite (`make run`) has neither
    PERCENTILE_CONT nor EXTRACT; objections are few, so one more query reads them."""
    days: dict[str, list[float]] = {}
    for kode, diajukan, diputuskan in objections.filter(diputuskan__isnull=False).values_list(
        "instansi__kode", "diajukan", "diputuskan"
    ):
        days.setdefault(kode, []).append((diputuskan - diajukan).total_seconds() / 86400)
    return {kode: statistics.median(values) for kode, values in days.items()}


def objection_figures(*, user) -> list[dict]:
    """Per instansi the user may see, in one grouped query on PostgreSQL: objections filed, decided,
    the share accepted (of those decided, in percent) and the median days from filing to decision."""
    objections = Keberatan.objects.for_user(user)
    on_postgresql = connection.vendor == "postgresql"
    rows = list(
        objections.values("instansi__kode", "instansi__nama")
        .annotate(
            diajukan_n=Count("pk"),
            diputuskan_n=Count("pk", filter=Q(status__in=Keberatan.DECIDED_STATUSES)),
            diterima_n=Count("pk", filter=Q(status=Keberatan.Status.DITERIMA)),
            **({"median_hari": _Median(_days_to_decision())} if on_postgresql else {}),
        )
        .order_by("instansi__kode")
    )
    if not on_postgresql:
        medians = _median_days_elsewhere(objections)
        for row in rows:
            row["median_hari"] = medians.get(row["instansi__kode"])
    return [
        row | {"persen_diterima": round(100 * row["diterima_n"] / row["diputuskan_n"]) if row["diputuskan_n"] else None}
        for row in rows
    ]


# --- portfolio proposals ----------------------------------------------------------------------------


def my_portfolio(*, user) -> list[UsulanPortofolio]:
    """All the ASN's own proposals, whatever their status: they see what still waits and why one was refused."""
    if not user.is_authenticated or not user.is_asn_account:
        raise Http404("Halaman ini hanya untuk akun ASN.")
    return list(UsulanPortofolio.objects.for_user(user).prefetch_related("bukti"))


def my_portfolio_for_profile(*, user) -> dict:
    """The ASN's profile shows what counts (verified) apart from what does not yet or did not
    (waiting, refused), which only they see."""
    proposals = my_portfolio(user=user)
    verified = [p for p in proposals if p.status == UsulanPortofolio.Status.DIVERIFIKASI]
    return {"verified": verified, "pending": [p for p in proposals if p not in verified]}


def verified_portfolio(*, user, pegawai) -> list[UsulanPortofolio]:
    """The portfolio that counts: a pegawai's verified proposals, as the user may read them."""
    return list(UsulanPortofolio.objects.for_user(user).verified().filter(pegawai=pegawai))


def portfolio_detail(*, user, pk) -> UsulanPortofolio:
    proposal = (
        UsulanPortofolio.objects.for_user(user)
        .select_related("pegawai__jabatan", "instansi", "diajukan_oleh", "diverifikasi_oleh")
        .prefetch_related("bukti")
        .filter(pk=pk)
        .first()
    )
    if proposal is None:
        raise Http404("Usulan portofolio tidak ditemukan.")
    return proposal


def portfolio_evidence(*, user, pk) -> BuktiPortofolio:
    evidence = BuktiPortofolio.objects.for_user(user).filter(pk=pk).first()
    if evidence is None:
        raise Http404("Berkas bukti tidak ditemukan.")
    return evidence


def portfolio_inbox(*, user, status: str = ""):
    """The staff list: the proposals of the user's scope, those waiting first (a queryset to page)."""
    if not user.can_see_portfolio_proposals:
        raise Http404("Halaman ini tidak tersedia untuk akun ASN.")
    rows = UsulanPortofolio.objects.for_user(user).select_related("pegawai", "instansi")
    if status in UsulanPortofolio.Status.values:
        rows = rows.filter(status=status)
    return rows.order_by(F("diverifikasi").desc(nulls_first=True), "-diajukan", "-pk")
