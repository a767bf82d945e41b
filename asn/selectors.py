"""Reads of ASN master data; every query starts from `for_user`."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from . import nip as nip_rules
from .models import ImportJob, Instansi, Jabatan, Pegawai, UnitKerja


def pegawai_get_for_user(*, user, pk: int, write: bool = False) -> Pegawai:
    """The pegawai if the user may see it (else 404); with `write`, 403 for read-only roles."""
    pegawai = get_object_or_404(Pegawai.objects.for_user(user).with_profile_relations(), pk=pk)
    if write and not user.may_write_instansi(pegawai.instansi_id):
        raise PermissionDenied
    return pegawai


def pegawai_search(*, user, query: str = "", filters: dict | None = None):
    """The pegawai list: search by NIP (prefix, spaces allowed) or name, plus exact filters."""
    pegawai = Pegawai.objects.for_user(user).with_profile_relations()
    query = query.strip()
    if query:
        digits = nip_rules.normalize(query)
        if digits.isdigit():
            pegawai = pegawai.filter(nip__startswith=digits)
        else:
            pegawai = pegawai.filter(nama__icontains=query)
    for lookup, value in (filters or {}).items():
        if value not in (None, ""):
            pegawai = pegawai.filter(**{lookup: value})
    return pegawai


def pegawai_history(*, pegawai: Pegawai):
    """Every recorded version, newest first, with who made it and which fields changed."""
    records = list(pegawai.history.select_related("history_user").order_by("-history_date", "-history_id"))
    changes = []
    for newer, older in zip(records, records[1:] + [None], strict=False):
        changed = []
        if older is not None:
            changed = [Pegawai._meta.get_field(c.field).verbose_name for c in newer.diff_against(older).changes]
        changes.append({"record": newer, "changed": changed})
    return changes


def unit_kerja_for_user(*, user):
    return UnitKerja.objects.for_user(user).select_related("instansi")


def jabatan_for_user(*, user):
    return Jabatan.objects.for_user(user).select_related("unit_kerja__instansi", "jenjang")


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
