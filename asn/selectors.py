"""Reads of ASN master data; every query starts from `for_user`."""

import datetime as dt
import re

from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, F, Q
from django.db.models.functions import Lower, Upper
from django.shortcuts import get_object_or_404
from django.utils import timezone

from talenta import progress
from talenta.tabular import AllowedValues

from . import nip as nip_rules
from .models import (
    Golongan,
    ImportJob,
    Instansi,
    Jabatan,
    Jenjang,
    Pegawai,
    PemetaanSiasn,
    Pendidikan,
    UnitKerja,
    User,
)


def pegawai_get_for_user(*, user, pk: int, write: bool = False) -> Pegawai:
    """The pegawai if the user may see it (else 404); with `write`, 403 for read-only roles."""
    pegawai = get_object_or_404(Pegawai.objects.for_user(user).with_profile_relations(), pk=pk)
    if write and not user.may_write_pegawai(pegawai):
        raise PermissionDenied
    return pegawai


# Titles people type along with a name ("Dr. Agnes Daeng, M.M."); the name is stored without them.
# Compared without dots and case: "S.Kom." and "SKom" alike. Anything after a comma is a title too.
GELAR = frozenset(
    "dr drg drs dra ir prof hj h ns apt sh mh mm msi si se me spd mpd st mt skom mkom sos ssos sip ak amd "
    "ssi sked mkes skm skep sfarm sp phd mba mph mag llm".split()
)


def name_search_words(query: str) -> list[str]:
    """The words of a typed name that must each match: titles and punctuation dropped."""
    name = query.split(",", 1)[0]
    words = []
    for token in name.split():
        bare = token.strip(".'-").replace(".", "")
        # A dot inside a token ("S.Kom", "M.M") marks an abbreviated degree, never a name.
        if not bare or bare.lower() in GELAR or "." in token.strip("."):
            continue
        words.append(re.sub(r"[^\w'-]", "", bare))
    return [word for word in words if word]


def _name_matches(word: str) -> Q:
    """One word of the name: contained in it, or (PostgreSQL) a near spelling of one of its words."""
    upper = word.upper()
    matches = Q(nama_upper__contains=upper)
    if connection.vendor == "postgresql":
        # pg_trgm's `%>`: word_similarity(word, nama) >= 0.6, served by the pegawai_nama_trgm index.
        matches |= Q(nama_upper__trigram_word_similar=upper)
    return matches


def pegawai_search(*, user, query: str = "", filters: dict | None = None):
    """The pegawai list: search by NIP (prefix, spaces allowed) or name, plus exact filters.

    A name matches when every typed word does, in any order, ignoring titles; on PostgreSQL a word
    also matches a slightly misspelt one ("Santosa" finds "Santoso").
    """
    pegawai = Pegawai.objects.for_user(user).with_profile_relations()
    query = query.strip()
    if query:
        digits = nip_rules.normalize(query)
        if digits.isdigit():
            pegawai = pegawai.filter(nip__startswith=digits)
        else:
            pegawai = pegawai.alias(nama_upper=Upper("nama"))
            for word in name_search_words(query):
                pegawai = pegawai.filter(_name_matches(word))
    for lookup, value in (filters or {}).items():
        if value not in (None, ""):
            pegawai = pegawai.filter(**{lookup: value})
    return pegawai


def _history(instance):
    """Every recorded version, newest first, with who made it and which fields changed."""
    records = list(instance.history.select_related("history_user").order_by("-history_date", "-history_id"))
    changes = []
    for newer, older in zip(records, records[1:] + [None], strict=False):
        changed = []
        if older is not None:
            changed = [type(instance)._meta.get_field(c.field).verbose_name for c in newer.diff_against(older).changes]
        changes.append({"record": newer, "changed": changed})
    return changes


def pegawai_history(*, pegawai: Pegawai):
    return _history(pegawai)


def unit_kerja_for_user(*, user):
    return UnitKerja.objects.for_user(user).select_related("instansi")


def unit_names_held_more_than_once(*, instansi_ids) -> dict[tuple[int, str], int]:
    """(instansi id, lower-case name) -> how many units carry it: SIASN's units may share a leaf name
    ("Subbagian Umum" of several dinas), so a file naming a unit by name alone cannot mean one of them."""
    return {
        (instansi_id, nama): count
        for instansi_id, nama, count in UnitKerja.objects.filter(instansi_id__in=instansi_ids)
        .annotate(nama_kecil=Lower("nama"))
        .values("instansi_id", "nama_kecil")
        .annotate(count=Count("id"))
        .filter(count__gt=1)
        .values_list("instansi_id", "nama_kecil", "count")
    }


def jabatan_for_user(*, user):
    return Jabatan.objects.for_user(user).select_related("unit_kerja__instansi", "jenjang")


def reference_allowed_values() -> dict[str, AllowedValues]:
    """The closed value sets of the master data, for the import templates' drop-down lists."""
    instansi = list(Instansi.objects.order_by("kode").values_list("kode", "nama"))
    golongan = list(Golongan.objects.order_by("jenis_asn", "urutan").values_list("kode", "jenis_asn", "pangkat"))
    pendidikan = list(Pendidikan.objects.order_by("urutan").values_list("kode", "nama"))
    return {
        "jenis_asn": AllowedValues("jenis_asn", ("jenis_asn",), tuple(Pegawai.JenisAsn.values)),
        "instansi": AllowedValues(
            "instansi", ("instansi",), tuple(kode for kode, _ in instansi), tuple(nama for _, nama in instansi)
        ),
        "jenjang": AllowedValues(
            "jenjang", ("jenjang",), tuple(Jenjang.objects.order_by("urutan").values_list("nama", flat=True))
        ),
        "golongan": AllowedValues(
            "golongan",
            ("golongan",),
            tuple(kode for kode, _, _ in golongan),
            tuple(f"{jenis} {pangkat}".strip() for _, jenis, pangkat in golongan),
        ),
        "golongan_pns": AllowedValues(
            "golongan PNS",
            ("golongan_minimal",),
            tuple(kode for kode, jenis, _ in golongan if jenis == Pegawai.JenisAsn.PNS),
        ),
        "pendidikan": AllowedValues(
            "pendidikan", ("pendidikan",), tuple(kode for kode, _ in pendidikan), tuple(nama for _, nama in pendidikan)
        ),
    }


def instansi_for_user(*, user):
    return Instansi.objects.for_user(user)


def instansi_pegawai_counts(*, user):
    """Pegawai per visible instansi in one grouped query (the home page of BKN and admins)."""
    return instansi_for_user(user=user).annotate(
        jumlah_pegawai=Count("pegawai"),
        jumlah_pns=Count("pegawai", filter=Q(pegawai__jenis_asn="PNS")),
        jumlah_pppk=Count("pegawai", filter=Q(pegawai__jenis_asn="PPPK")),
    )


def import_job_get_for_user(*, user, pk: int) -> ImportJob:
    return get_object_or_404(ImportJob.objects.for_user(user).select_related("created_by"), pk=pk)


def import_jobs_recent(*, user, limit: int = 10):
    return ImportJob.objects.for_user(user).select_related("created_by")[:limit]


def siasn_mappings_for_user(*, user):
    """The saved SIASN value mappings of the instansi the user writes (403 for read-only roles)."""
    if not user.can_write_data:
        raise PermissionDenied
    return PemetaanSiasn.objects.for_user(user).select_related("instansi", "diubah_oleh")


def siasn_mapping_get_for_user(*, user, pk: int) -> PemetaanSiasn:
    return get_object_or_404(siasn_mappings_for_user(user=user), pk=pk)


def siasn_mapping_values(*, jenis: str, user) -> dict[str, str]:
    """What a SIASN value of this kind may be mapped to: value -> label."""
    if jenis == PemetaanSiasn.Jenis.JENIS_PEGAWAI:
        return {nip_rules.PNS: "PNS", nip_rules.PPPK: "PPPK"}
    if jenis == PemetaanSiasn.Jenis.PENDIDIKAN:
        return {kode: kode for kode in Pendidikan.objects.values_list("kode", flat=True)}
    if jenis == PemetaanSiasn.Jenis.JENJANG:
        return {nama: nama for nama in Jenjang.objects.values_list("nama", flat=True)}
    instansi = Instansi.objects.all() if user is None else Instansi.objects.for_user(user)
    return {i.kode: f"{i.kode} {i.nama}" for i in instansi}


def siasn_mapping_options(*, user) -> dict[str, dict[str, str]]:
    return {jenis: siasn_mapping_values(jenis=jenis, user=user) for jenis in PemetaanSiasn.Jenis.values}


def _pegawai_without_account(*, user, instansi):
    return Pegawai.objects.for_user(user).filter(instansi=instansi, akun__isnull=True)


def asn_accounts_pending(*, user, instansi) -> list[dict]:
    """The pegawai of the instansi who would get an ASN account now: none yet, and their NIP is
    not already the username of another account."""
    return list(
        _pegawai_without_account(user=user, instansi=instansi)
        .exclude(nip__in=User.objects.values("username"))
        .order_by("jabatan__unit_kerja__nama", "nama", "nip")
        .values("pk", "nip", "nama", unit_kerja=F("jabatan__unit_kerja__nama"))
    )


def asn_accounts_summary(*, user, instansi) -> dict:
    """For the bulk page: how many pegawai have an account, how many would get one, and the NIPs
    that cannot become a username because another account already has it."""
    without = _pegawai_without_account(user=user, instansi=instansi)
    return {
        "dengan_akun": Pegawai.objects.for_user(user).filter(instansi=instansi, akun__isnull=False).count(),
        "tanpa_akun": without.count(),
        "nip_terpakai": list(
            User.objects.filter(username__in=without.values("nip"))
            .order_by("username")
            .values_list("username", flat=True)
        ),
    }


def users_for_manager(*, user, query: str = "", instansi=None, role: str = "", aktif: bool | None = None):
    """The accounts `user` manages (403 for roles that manage none), filtered like the list page."""
    if not user.can_manage_users:
        raise PermissionDenied
    accounts = User.objects.for_user(user).filter(role__in=user.manageable_roles).select_related("instansi")
    if not user.is_superuser:
        accounts = accounts.filter(is_superuser=False)
    query = query.strip()
    if query:
        accounts = accounts.filter(
            Q(username__icontains=query) | Q(first_name__icontains=query) | Q(last_name__icontains=query)
        )
    if instansi is not None:
        accounts = accounts.filter(instansi=instansi)
    if role:
        accounts = accounts.filter(role=role)
    if aktif is not None:
        accounts = accounts.filter(is_active=aktif)
    return accounts.order_by("instansi__kode", "role", "username")


def user_get_for_manager(*, user, pk: int) -> User:
    """One account: 404 outside the manager's instansi, 403 for an account they may not manage."""
    if not user.can_manage_users:
        raise PermissionDenied
    account = get_object_or_404(User.objects.for_user(user).select_related("instansi"), pk=pk)
    if not user.may_manage_account(account):
        raise PermissionDenied
    return account


def user_lockouts(*, account: User) -> int:
    """How many addresses the account is locked out from now (too many failed logins, not cooled off)."""
    since = timezone.now() - dt.timedelta(hours=settings.AXES_COOLOFF_TIME)
    return AccessAttempt.objects.filter(
        username=account.username, failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
    ).count()


def user_history(*, account: User):
    return _history(account)


def import_progress_name(job_id: int) -> str:
    """The one name under which an import job's progress is written and read."""
    return f"import-{job_id}"


def import_job_progress(job: ImportJob) -> dict | None:
    return progress.read(import_progress_name(job.pk)) if job.is_running else None
