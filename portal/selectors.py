"""Reads for the ASN self-service portal. Every row is read through for_user, so an ASN
account only ever sees rows about its own pegawai (asn.models.ScopedQuerySet)."""

from django.db.models import Count, Q
from django.http import Http404

from asn.models import Pegawai, Role, User
from assessment.models import Asesmen, HukumanDisiplin, Penempatan, SkpResult


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
