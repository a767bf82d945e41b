"""Reads for the ASN self-service portal. Every row is read through for_user, so an ASN
account only ever sees rows about its own pegawai (asn.models.ScopedQuerySet)."""

from django.db.models import Count, Q
from django.http import Http404
from django.utils.formats import number_format

from asn.models import Pegawai, Role, User
from assessment import scoring
from assessment.models import Asesmen, HukumanDisiplin, Penempatan, SkpResult
from succession.models import ItemRencana, Kandidat, Nominasi


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
