"""Writes to ASN master data: pegawai forms and the import pipeline."""

import datetime as dt
import hashlib
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.hashers import get_hasher, make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from kombu.exceptions import OperationalError as BrokerError
from simple_history.utils import bulk_create_with_history

from talenta import health, pipeline, progress
from talenta.bulk import (
    create_values_with_history,
    insert_rows,
    update_values,
    update_values_with_history,
    update_with_history,
)
from talenta.tabular import (
    AllowedValues,
    Column,
    FileError,
    RowError,
    Table,
    as_text,
    keep_columns,
    read_table,
)

from . import nip as nip_rules
from . import selectors, siasn, structure
from .hashers import OneTimePasswordHasher
from .importers import (
    PEGAWAI_COLUMNS,
    PEGAWAI_EXAMPLE,
    ExistingStructure,
    PegawaiImportContext,
    PegawaiRow,
    StructureEntry,
    new_structure,
    validate_pegawai,
)
from .models import (
    Golongan,
    ImportJob,
    ImportKind,
    ImportStatus,
    Instansi,
    Jabatan,
    Jenjang,
    Pegawai,
    PemetaanSiasn,
    Pendidikan,
    Role,
    UnitKerja,
    User,
)
from .tasks import apply_import_task, validate_import_task

logger = logging.getLogger(__name__)

WRITE_BATCH = 5000
ProgressFn = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


# --- pegawai forms ----------------------------------------------------------------------------


def _check_may_write(user, pegawai: Pegawai) -> None:
    if not user.may_write_pegawai(pegawai):
        raise PermissionDenied("Anda tidak berhak mengubah data pegawai ini.")


def pegawai_save(*, user, pegawai: Pegawai, data: dict) -> Pegawai:
    """Create or update one pegawai from form data; the jabatan decides the instansi."""
    # A pegawai who moves takes their placement and candidacies out of the instansi they leave.
    previous_instansi = Pegawai.objects.filter(pk=pegawai.pk).values_list("instansi_id", flat=True).first()
    for name, value in data.items():
        setattr(pegawai, name, value)
    pegawai.instansi_id = pegawai.jabatan.unit_kerja.instansi_id
    # Where the pegawai is going: an Operator OPD places people in its own units only.
    _check_may_write(user, pegawai)
    try:
        pegawai.derive_from_nip(bup_years=pegawai.jabatan.jenjang.bup)
    except ValidationError as exc:
        raise ValidationError({"nip": exc.messages}) from None
    pegawai.full_clean()
    pegawai._history_user = user
    pegawai.save()
    pipeline.inputs_changed(instansi_ids=[pegawai.instansi_id, previous_instansi])
    return pegawai


# --- user accounts ----------------------------------------------------------------------------

ACCOUNT_FIELDS = ("username", "first_name", "last_name", "nip", "email", "role", "instansi")


def _check_may_assign(actor, account: User) -> None:
    if not actor.may_assign(role=account.role, instansi_id=account.instansi_id):
        raise PermissionDenied("Anda tidak berhak mengelola akun dengan peran dan instansi ini.")


def _check_may_manage(actor, account: User) -> None:
    if not actor.may_manage_account(account):
        raise PermissionDenied("Anda tidak berhak mengelola akun ini.")


def _save_account(account: User, *, actor, reason: str, update_fields=None) -> None:
    account.full_clean()
    account._history_user = actor
    account._change_reason = reason
    account.save(update_fields=update_fields)


def _check_units(account: User, units) -> None:
    """An Operator OPD works for one or more units of its own instansi; no other role has units."""
    if account.role != Role.OPERATOR_OPD:
        if units:
            raise ValidationError({"unit_kerja": "Unit kerja hanya dipilih untuk peran Operator OPD."})
        return
    if not units:
        raise ValidationError({"unit_kerja": "Pilih sedikitnya satu unit kerja untuk Operator OPD."})
    foreign = sorted(unit.nama for unit in units if unit.instansi_id != account.instansi_id)
    if foreign:
        raise ValidationError({"unit_kerja": f"Unit kerja {', '.join(foreign)} bukan unit kerja instansi akun ini."})


def _save_units(account: User, data: dict) -> None:
    if "unit_kerja" in data:
        account.unit_kerja.set(data["unit_kerja"])


def user_create(*, actor, data: dict) -> User:
    """Open an account without a password: its owner sets one through `user_password_link`."""
    account = User(**{name: data[name] for name in ACCOUNT_FIELDS if name in data})
    _check_may_assign(actor, account)
    _check_units(account, list(data.get("unit_kerja") or []))
    account.set_unusable_password()
    with transaction.atomic():
        _save_account(account, actor=actor, reason="Akun dibuat")
        _save_units(account, data)
    return account


def user_update(*, actor, account: User, data: dict) -> User:
    """Change an account's names, role or instansi; the actor must manage it before and after."""
    _check_may_manage(actor, User.objects.get(pk=account.pk))
    for name in ACCOUNT_FIELDS:
        if name in data:
            setattr(account, name, data[name])
    _check_may_assign(actor, account)
    if account.pk == actor.pk and (account.role, account.instansi_id) != (actor.role, actor.instansi_id):
        # Changing one's own role could leave no one to manage the accounts.
        raise ValidationError("Anda tidak dapat mengubah peran atau instansi akun Anda sendiri.")
    _check_units(account, list(data["unit_kerja"]) if "unit_kerja" in data else list(account.unit_kerja.all()))
    with transaction.atomic():
        _save_account(account, actor=actor, reason="Data akun diubah")
        _save_units(account, data)
    return account


# Letters and digits that cannot be misread on a printed sheet (no 0/O, 1/l/I).
ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ONE_TIME_LENGTH = 12


@dataclass(frozen=True)
class OneTimeCredential:
    nip: str
    nama: str
    unit_kerja: str
    sandi: str


def asn_accounts_create(*, actor, instansi: Instansi) -> list[OneTimeCredential]:
    """An ASN account for every pegawai of the instansi who has none: username the NIP, a one-time
    password, and a new password required at the first sign-in. Returns the credentials to hand
    over; they are not kept anywhere (the hash is stored, not the password).

    A NIP that is already another account's username is left out and reported by the page
    (`asn_accounts_pending`), never merged into that account.
    """
    if not actor.may_assign(role=Role.PEGAWAI, instansi_id=instansi.pk):
        raise PermissionDenied("Anda tidak berhak membuat akun ASN untuk instansi ini.")
    pending = selectors.asn_accounts_pending(user=actor, instansi=instansi)
    hasher = get_hasher(OneTimePasswordHasher.algorithm)
    accounts, credentials = [], []
    for pegawai in pending:
        password = "".join(secrets.choice(ONE_TIME_ALPHABET) for _ in range(ONE_TIME_LENGTH))
        accounts.append(
            User(
                username=pegawai["nip"],
                nip=pegawai["nip"],
                first_name=pegawai["nama"],
                role=Role.PEGAWAI,
                instansi=instansi,
                pegawai_id=pegawai["pk"],
                password=make_password(password, hasher=hasher),
                wajib_ganti_sandi=True,
            )
        )
        credentials.append(OneTimeCredential(pegawai["nip"], pegawai["nama"], pegawai["unit_kerja"], password))
    with transaction.atomic():
        bulk_create_with_history(
            accounts, User, batch_size=1000, default_user=actor, default_change_reason="Akun ASN dibuat (massal)"
        )
    return credentials


def user_set_active(*, actor, account: User, active: bool) -> User:
    """Deactivate (the account can no longer sign in, its sessions and API tokens stop) or reactivate."""
    _check_may_manage(actor, account)
    if account.pk == actor.pk and not active:
        raise ValidationError("Anda tidak dapat menonaktifkan akun Anda sendiri.")
    if account.is_active != active:
        account.is_active = active
        reason = "Diaktifkan kembali" if active else "Dinonaktifkan"
        _save_account(account, actor=actor, reason=reason, update_fields=["is_active"])
    return account


def user_unlock(*, actor, account: User) -> int:
    """Forget the account's failed logins (from every address), so its owner can sign in at once.

    Returns how many lockout records were removed; the account history names who unlocked it.
    """
    _check_may_manage(actor, account)
    with transaction.atomic():
        removed = axes_reset(username=account.username)
        if removed:
            _save_account(account, actor=actor, reason="Kunci masuk dibuka")
    return removed


def user_password_link(*, actor, account: User) -> str:
    """The path of a one-time link to set the account's password, handed over by the actor.

    Django's token covers the password hash and the last login: the link stops working once a
    password is set through it (or any other link), once the owner signs in, or after
    PASSWORD_RESET_TIMEOUT. The current password keeps working until a new one is set.
    """
    _check_may_manage(actor, account)
    if not account.is_active:
        raise ValidationError("Akun ini nonaktif; aktifkan kembali sebelum membuat tautan atur sandi.")
    uidb64 = urlsafe_base64_encode(force_bytes(account.pk))
    return reverse("password-set", kwargs={"uidb64": uidb64, "token": default_token_generator.make_token(account)})


# --- import machinery ---------------------------------------------------------------------------


@dataclass
class ImportOutcome:
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    summary: dict = field(default_factory=dict)
    total_rows: int = 0
    # Values the operator must map before the file can be written (SIASN): nothing is written meanwhile.
    questions: list[dict] = field(default_factory=list)
    # The unit kerja and jabatan the file would create (`import_structure_preview`).
    structure: dict = field(default_factory=dict)
    # The write was refused: the file's new structure is not the one the operator accepted.
    structure_refused: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def ready(self) -> bool:
        return not self.errors and not self.questions


@dataclass(frozen=True)
class ImportKindHandler:
    label: str
    columns: list[Column]
    example: list[str]
    # (table, user) -> ValidatedFile
    validate: Callable
    # (validated file, user, source, progress) -> summary counts; runs inside the caller's transaction
    write: Callable
    # Normalised headers the kind knows but never reads: dropped silently (and from the kept copy).
    ignored: frozenset = frozenset()
    # Whether the copy kept for an import job holds only `columns` (files with personal data).
    keep_only_columns: bool = False
    # () -> the closed value sets of the columns, for the template's drop-down lists.
    allowed_values: Callable[[], list[AllowedValues]] = list


@dataclass
class ValidatedFile:
    rows: list
    errors: list[RowError]
    plan: dict  # what writing would do, for the preview
    # What validation already read from the database and the write may reuse.
    known: dict = field(default_factory=dict)
    questions: list[dict] = field(default_factory=list)
    structure: dict = field(default_factory=dict)


def import_run(
    *,
    kind: str,
    data: bytes,
    filename: str,
    user,
    write: bool,
    report: ProgressFn = _no_progress,
    accepted_structure: str | None = None,
) -> ImportOutcome:
    """Validate a whole file and, when asked and the file is valid, write it all in one transaction.

    With `accepted_structure` (the browser's confirmed job), the write happens only if the unit
    kerja and jabatan the file creates are exactly the set whose fingerprint the operator accepted.
    """
    _check_may_import(user, kind)
    handler = IMPORT_KINDS[kind]
    try:
        table = read_table(
            data,
            filename,
            handler.columns,
            max_bytes=settings.IMPORT_MAX_BYTES,
            max_rows=settings.IMPORT_MAX_ROWS,
            ignored=handler.ignored,
        )
    except FileError as exc:
        return ImportOutcome(errors=exc.errors)
    report("validasi", 0, len(table.rows))
    validated = handler.validate(table, user)
    outcome = ImportOutcome(
        errors=_with_cell_errors(table, validated.errors),
        warnings=table.warnings,
        summary=validated.plan,
        total_rows=len(table.rows),
        questions=validated.questions,
        structure=validated.structure,
    )
    if not outcome.ready or not write:
        return outcome
    if accepted_structure is not None and validated.structure.get("sidik", "") != accepted_structure:
        outcome.structure_refused = True
        return outcome
    with transaction.atomic():
        outcome.summary = handler.write(validated, user, f"Impor {kind}: {filename}", report)
    return outcome


def _with_cell_errors(table: Table, errors: list[RowError]) -> list[RowError]:
    """A cell the reader refused (a formula) was validated as empty: report why, not "Wajib diisi"."""
    if not table.cell_errors:
        return errors
    refused = {(error.row, error.column) for error in table.cell_errors}
    kept = [error for error in errors if (error.row, error.column) not in refused]
    return sorted([*table.cell_errors, *kept], key=lambda error: error.row)


# SIASN's download is the instansi's whole roll (its units, its instansi names) and the jabatan file
# its structure: imported by the BKD/BKPSDM operator, not by an Operator OPD, who imports the other
# kinds for its own units.
INSTANSI_WIDE_KINDS = frozenset({ImportKind.SIASN, ImportKind.JABATAN})


def _check_may_import(user, kind: str) -> None:
    """`None` is the command line run by the server's administrator."""
    if user is None:
        return
    if not user.can_write_records:
        raise PermissionDenied("Peran Anda tidak dapat mengimpor data.")
    if kind in INSTANSI_WIDE_KINDS and not user.can_write_data:
        raise PermissionDenied(
            f"Impor {ImportKind(kind).label} mencakup seluruh instansi; impor ini dilakukan oleh operator BKD/BKPSDM."
        )


def import_rows_run(*, kind: str, rows: list[dict], user, write: bool) -> ImportOutcome:
    """The same validation and all-or-nothing write as a file, for rows that arrive as data (the API).

    Row numbers are the 1-based positions in `rows`.
    """
    _check_may_import(user, kind)
    handler = IMPORT_KINDS[kind]
    known = {column.name for column in handler.columns}
    table = Table(
        rows=[
            (number, {name: ("" if value is None else value) for name, value in row.items() if name in known})
            for number, row in enumerate(rows, start=1)
        ]
    )
    if not table.rows:
        return ImportOutcome(errors=[RowError(0, "", "", "Tidak ada baris data.")])
    validated = handler.validate(table, user)
    outcome = ImportOutcome(
        errors=validated.errors, summary=validated.plan, total_rows=len(table.rows), questions=validated.questions
    )
    if not outcome.ready or not write:
        return outcome
    with transaction.atomic():
        outcome.summary = handler.write(validated, user, f"API {kind}", _no_progress)
    return outcome


def _restricted_units(user) -> dict[str, str] | None:
    """An Operator OPD's units (casefolded name → name); None for everyone else."""
    if user is None or user.role != Role.OPERATOR_OPD:
        return None
    return {nama.casefold(): nama for nama in user.unit_kerja.values_list("nama", flat=True)}


def _restricted_instansi_kode(user) -> str | None:
    if user is None or user.sees_all_instansi:
        return None
    return user.instansi.kode


@dataclass(frozen=True)
class _ExistingPegawai:
    id: int
    instansi_kode: str
    dibuat: dt.datetime
    comparable: tuple
    pns_id: str = ""
    unit_kerja: str = ""  # casefolded, as the rows are compared

    def same_as(self, row: PegawaiRow, jabatan: structure.Ref) -> bool:
        """Whether writing `row` (in the jabatan the structure plan gives it) would change nothing."""
        # A row without a PNS ID (the pegawai template) leaves the one SIASN gave as it is.
        pns_id = getattr(row, "pns_id", "")
        return self.comparable == _comparable(row, jabatan) and (not pns_id or pns_id == self.pns_id)


def _comparable(row: PegawaiRow, jabatan: structure.Ref) -> tuple:
    # The jabatan by its identity, not its name: a renamed jabatan changes none of its holders, and
    # a move between two units of the same name ("Subbagian Umum" of two dinas) is a change.
    return (
        row.nama,
        row.gelar_depan,
        row.gelar_belakang,
        row.jenis_asn,
        row.instansi_kode,
        jabatan,
        row.golongan,
        row.pendidikan,
        row.tmt_jabatan,
    )


def _in_values(values: list[str]):
    """The right side of `__in` for a long list: one array parameter on PostgreSQL, where binding
    100,000 separate parameters costs seconds; the list itself elsewhere."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::text[])", (values,))
    return values


def _load_existing_pegawai(nips: set[str]) -> dict[str, _ExistingPegawai]:
    existing = {}
    ordered = sorted(nips)
    batch = (len(ordered) or 1) if connection.vendor == "postgresql" else WRITE_BATCH
    for start in range(0, len(ordered), batch):
        chunk = ordered[start : start + batch]
        for values in Pegawai.objects.filter(nip__in=_in_values(chunk)).values_list(
            "id",
            "nip",
            "dibuat",
            "pns_id",
            # Where the pegawai works now, for an Operator OPD's import (its units only); not compared.
            "jabatan__unit_kerja__nama",
            "nama",
            "gelar_depan",
            "gelar_belakang",
            "jenis_asn",
            "instansi__kode",
            "jabatan_id",
            "golongan_id",
            "pendidikan_id",
            "tmt_jabatan",
        ):
            pk, nip, dibuat, pns_id, unit, *comparable = values
            existing[nip] = _ExistingPegawai(
                id=pk,
                instansi_kode=comparable[4],
                dibuat=dibuat,
                pns_id=pns_id,
                unit_kerja=unit.casefold(),
                comparable=tuple(comparable),
            )
    return existing


@dataclass
class _Placement:
    """The structure plan of a file's rows and how a row finds its unit and jabatan in it."""

    plan: structure.StructurePlan
    instansi_by_kode: dict[str, int]
    jenjang_by_name: dict[str, str]

    def jabatan_of(self, row: PegawaiRow) -> structure.Ref:
        key = structure.row_key(row, self.instansi_by_kode[row.instansi_kode], self.jenjang_by_name[row.jenjang])
        return self.plan.placement[key][1]


def _placement(rows: list[PegawaiRow], instansi_by_kode: dict[str, int]) -> _Placement:
    """The units and jabatan the rows mean (see asn/structure.py), read from the database once."""
    jenjang_by_name = dict(Jenjang.objects.values_list("nama", "kode"))
    units, jabatan = _load_structure({instansi_by_kode[row.instansi_kode] for row in rows})
    plan = structure.plan_structure(
        rows,
        lambda row: instansi_by_kode[row.instansi_kode],
        lambda row: jenjang_by_name[row.jenjang],
        units,
        jabatan,
    )
    return _Placement(plan, instansi_by_kode, jenjang_by_name)


def _validate_pegawai_table(table: Table, user):
    nips = {nip_rules.normalize(as_text(cells.get("nip", ""))) for _, cells in table.rows}
    existing = _load_existing_pegawai(nips)
    instansi_by_kode = dict(Instansi.objects.values_list("kode", "id"))
    ctx = PegawaiImportContext(
        today=timezone.localdate(),
        instansi_by_kode=instansi_by_kode,
        golongan_jenis=dict(Golongan.objects.values_list("kode", "jenis_asn")),
        jenjang_by_name={nama.casefold(): nama for nama in Jenjang.objects.values_list("nama", flat=True)},
        pendidikan_codes={kode.casefold(): kode for kode in Pendidikan.objects.values_list("kode", flat=True)},
        allowed_instansi_kode=_restricted_instansi_kode(user),
        existing_instansi_by_nip={nip: e.instansi_kode for nip, e in existing.items()},
        allowed_units=_restricted_units(user),
        existing_unit_by_nip={nip: e.unit_kerja for nip, e in existing.items()},
    )
    rows, errors = validate_pegawai(table, ctx)
    placement = _placement(rows, instansi_by_kode)
    errors = sorted([*errors, *placement.plan.errors], key=lambda error: error.row)
    jenjang_kode = dict(Jenjang.objects.values_list("nama", "kode"))
    preview = import_structure_preview(
        entries=[
            StructureEntry(
                row.row, ctx.instansi_by_kode[row.instansi_kode], row.unit_kerja, row.jabatan, jenjang_kode[row.jenjang]
            )
            for row in rows
        ]
    )
    return ValidatedFile(
        rows=rows,
        errors=errors,
        plan=_pegawai_plan(rows, existing, placement),
        known={"existing": existing, "placement": placement},
        structure=preview,
    )


# Longest list of new units and jabatan a preview keeps (likely typos first); the counts are exact.
STRUCTURE_LIST_LIMIT = 1000


def import_structure_preview(*, entries: list[StructureEntry]) -> dict:
    """The unit kerja and jabatan valid rows would create, for the preview and its confirmation.

    Empty when the file creates none. `sidik` fingerprints the whole set: the operator accepts
    exactly it, and the write refuses a file that would by then create anything else.
    """
    instansi_ids = {entry.instansi_id for entry in entries}
    units = {
        (instansi_id, nama.casefold()): nama
        for instansi_id, nama in UnitKerja.objects.filter(instansi_id__in=instansi_ids).values_list(
            "instansi_id", "nama"
        )
    }
    jabatan: dict = {}
    for instansi_id, unit, nama, jenjang in Jabatan.objects.filter(
        unit_kerja__instansi_id__in=instansi_ids
    ).values_list("unit_kerja__instansi_id", "unit_kerja__nama", "nama", "jenjang_id"):
        jabatan.setdefault((instansi_id, unit.casefold()), {})[(nama.casefold(), jenjang)] = nama
    listed = new_structure(
        entries,
        ExistingStructure(
            units=units,
            jabatan=jabatan,
            instansi_kode=dict(Instansi.objects.filter(id__in=instansi_ids).values_list("id", "kode")),
            jenjang_nama=dict(Jenjang.objects.values_list("kode", "nama")),
        ),
    )
    if not listed:
        return {}
    keys = sorted(
        [item["jenis"], item["instansi"], item["unit_kerja"].casefold(), item["jabatan"].casefold(), item["jenjang"]]
        for item in listed
    )
    return {
        "unit_kerja": sum(item["jenis"] == "unit_kerja" for item in listed),
        "jabatan": sum(item["jenis"] == "jabatan" for item in listed),
        "mirip": sum(bool(item["mirip"]) for item in listed),
        "daftar": listed[:STRUCTURE_LIST_LIMIT],
        "sidik": hashlib.sha256(json.dumps(keys).encode()).hexdigest(),
    }


def _pegawai_plan(rows: list[PegawaiRow], existing: dict[str, _ExistingPegawai], placement: _Placement) -> dict:
    plan = {"baru": 0, "diubah": 0, "tetap": 0}
    for row in rows:
        before = existing.get(row.nip)
        if before is None:
            plan["baru"] += 1
        elif not before.same_as(row, placement.jabatan_of(row)):
            plan["diubah"] += 1
        else:
            plan["tetap"] += 1
    return plan


_PEGAWAI_WRITE_FIELDS = [
    "nama",
    "gelar_depan",
    "gelar_belakang",
    "jenis_asn",
    "instansi_id",
    "jabatan_id",
    "golongan_id",
    "pendidikan_id",
    "tmt_jabatan",
    "tanggal_lahir",
    "jenis_kelamin",
    "tmt_cpns",
    "tanggal_pensiun",
    "pns_id",
    "diubah",
]


def _load_structure(instansi_ids: set[int]) -> tuple[list, list]:
    units = [
        structure.ExistingUnit(*values)
        for values in UnitKerja.objects.filter(instansi_id__in=instansi_ids).values_list(
            "id", "instansi_id", "nama", "siasn_id"
        )
    ]
    jabatan = [
        structure.ExistingJabatan(*values)
        for values in Jabatan.objects.filter(unit_kerja__instansi_id__in=instansi_ids).values_list(
            "id", "unit_kerja_id", "nama", "jenjang_id", "siasn_id"
        )
    ]
    return units, jabatan


# Written over a renamed jabatan's name first, so that names swapped or passed along within one file
# never meet the unique constraint halfway; never seen in the history (a plain UPDATE).
_PARKED_NAME = "\u2063{pk}"


def _apply_structure(plan: structure.StructurePlan, user, source: str) -> tuple[dict, dict]:
    """Write the plan: renames first (a unit's old name may be the name of a new one), then the new.

    Returns the pk of every planned ref and the counts for the summary.
    """
    pk_of: dict = {}
    update_values(
        UnitKerja, ["nama", "siasn_id"], [(pk, c["nama"], c["siasn_id"]) for pk, c in plan.unit_changes.items()]
    )
    new_units = {ref: UnitKerja(**values) for ref, values in plan.new_units.items()}
    insert_rows(UnitKerja, list(new_units.values()))
    pk_of.update({ref: unit.pk for ref, unit in new_units.items()})

    def unit_pk(ref):
        return ref if isinstance(ref, int) else pk_of[ref]

    if plan.jabatan_changes:
        update_values(Jabatan, ["nama"], [(pk, _PARKED_NAME.format(pk=pk)) for pk in plan.jabatan_changes])
        # The history records every field: write the changed ones onto complete rows.
        complete = list(Jabatan.objects.filter(pk__in=plan.jabatan_changes))
        for item in complete:
            change = plan.jabatan_changes[item.pk]
            item.nama, item.jenjang_id, item.siasn_id = change["nama"], change["jenjang_id"], change["siasn_id"]
        update_with_history(
            Jabatan, complete, ["nama", "jenjang", "siasn_id"], user=user, reason=source[:100], date=timezone.now()
        )
    new_jabatan = {
        ref: Jabatan(
            unit_kerja_id=unit_pk(values["unit"]),
            nama=values["nama"],
            jenjang_id=values["jenjang_id"],
            siasn_id=values["siasn_id"],
        )
        for ref, values in plan.new_jabatan.items()
    }
    insert_rows(Jabatan, list(new_jabatan.values()))
    pk_of.update({ref: item.pk for ref, item in new_jabatan.items()})
    counts = {
        "unit_kerja_baru": len(plan.new_units),
        "jabatan_baru": len(plan.new_jabatan),
        "unit_kerja_diubah": len(plan.unit_changes),
        "jabatan_diubah": len(plan.jabatan_changes),
    }
    return pk_of, counts


def _write_pegawai_file(validated: ValidatedFile, user, source: str, report: ProgressFn) -> dict:
    return pegawai_bulk_upsert(
        validated.rows,
        user,
        source,
        report,
        existing=validated.known["existing"],
        placement=validated.known["placement"],
    )


def pegawai_bulk_upsert(
    rows: list[PegawaiRow],
    user,
    source: str,
    report: ProgressFn = _no_progress,
    *,
    existing: dict[str, "_ExistingPegawai"] | None = None,
    placement: _Placement | None = None,
) -> dict:
    """Write validated rows keyed by NIP: create the new, update the changed, skip the same.

    `existing` and `placement` are what validation read, when it ran just before. All or nothing,
    also for a caller outside a transaction (seed_demo, the benchmark).
    """
    with transaction.atomic():
        return _pegawai_write(rows, user, source, report, existing=existing, placement=placement)


# Every column of a pegawai row but its id, in the order the write builds them.
_PEGAWAI_COLUMNS = [
    "nip", "nama", "gelar_depan", "gelar_belakang", "jenis_asn", "instansi_id", "jabatan_id", "golongan_id",
    "pendidikan_id", "tmt_jabatan", "pns_id", "tanggal_lahir", "jenis_kelamin", "tmt_cpns", "tanggal_pensiun",
    "dibuat", "diubah",
]  # fmt: skip


def _pegawai_write(rows, user, source: str, report: ProgressFn, *, existing, placement) -> dict:
    instansi_by_kode = dict(Instansi.objects.values_list("kode", "id"))
    bup_by_jenjang = dict(Jenjang.objects.values_list("nama", "bup"))
    if existing is None:
        existing = _load_existing_pegawai({row.nip for row in rows})
    if placement is None:
        placement = _placement(rows, instansi_by_kode)
    pk_of, structure_counts = _apply_structure(placement.plan, user, source)
    from_siasn = any(isinstance(row, siasn.SiasnRow) for row in rows[:1])
    now = timezone.now()

    # Tuples, not model instances: a monthly file of 100,000 rows is written in seconds.
    creates, updates, left = [], [], set()
    for row in rows:
        before = existing.get(row.nip)
        jabatan = placement.jabatan_of(row)
        if before is not None and before.same_as(row, jabatan):
            continue
        info = nip_rules.decode(row.nip, row.jenis_asn)
        values = (
            row.nip,
            row.nama,
            row.gelar_depan,
            row.gelar_belakang,
            row.jenis_asn,
            instansi_by_kode[row.instansi_kode],
            jabatan if isinstance(jabatan, int) else pk_of[jabatan],
            row.golongan,
            row.pendidikan,
            row.tmt_jabatan,
            getattr(row, "pns_id", "") or (before.pns_id if before else ""),
            info.tanggal_lahir,
            info.jenis_kelamin,
            info.tmt_cpns,
            nip_rules.retirement_date(info.tanggal_lahir, bup_by_jenjang[row.jenjang]),
            before.dibuat if before else now,
            now,
        )
        if before is None:
            creates.append(values)
        else:
            updates.append((before.id, *values))
            left.add(instansi_by_kode[before.instansi_kode])

    total, done = len(creates) + len(updates), 0
    report("menulis", done, total)
    history = {"user": user, "reason": source[:100], "date": now}
    for start in range(0, len(creates), WRITE_BATCH):
        batch = creates[start : start + WRITE_BATCH]
        create_values_with_history(Pegawai, _PEGAWAI_COLUMNS, batch, **history)
        done += len(batch)
        report("menulis", done, total)
    for start in range(0, len(updates), WRITE_BATCH):
        batch = updates[start : start + WRITE_BATCH]
        update_values_with_history(Pegawai, _PEGAWAI_COLUMNS, batch, _PEGAWAI_WRITE_FIELDS, **history)
        done += len(batch)
        report("menulis", done, total)
    if creates or updates:
        # Both ends of a move: the instansi a pegawai left loses their placement and candidacies.
        written = {values[5] for values in creates} | {values[6] for values in updates}
        pipeline.inputs_changed(instansi_ids=written | left)
    return {
        "baru": len(creates),
        "diubah": len(updates),
        "tetap": len(rows) - total,
        "unit_kerja_baru": structure_counts["unit_kerja_baru"],
        "jabatan_baru": structure_counts["jabatan_baru"],
        **({key: structure_counts[key] for key in ("unit_kerja_diubah", "jabatan_diubah")} if from_siasn else {}),
    }


# --- SIASN "Export Data ASN" ---------------------------------------------------------------------------

# Longest list the preview keeps (inactive ASN, pegawai missing from SIASN); the counts are exact.
SIASN_LIST_LIMIT = 1000


def _siasn_mapping(user) -> dict[tuple[str, str, str], str]:
    """Saved mappings the file is read with: the user's instansi's, and every instansi's own name
    (so that an operator's file of another instansi is recognised as such)."""
    mappings = PemetaanSiasn.objects.select_related("instansi")
    if user is not None and not user.sees_all_instansi:
        mappings = mappings.filter(Q(instansi_id=user.instansi_id) | Q(jenis=PemetaanSiasn.Jenis.INSTANSI))
    return {
        (m.instansi.kode, m.jenis, m.nilai_siasn.casefold()): m.nilai_talenta
        for m in mappings.only("instansi__kode", "jenis", "nilai_siasn", "nilai_talenta")
    }


def _validate_siasn_table(table: Table, user):
    table.cell_errors = [
        RowError(e.row, siasn.SIASN_LABELS.get(e.column, e.column), e.value, e.message) for e in table.cell_errors
    ]
    nips = {nip_rules.normalize(as_text(cells.get("nip_baru", ""))) for _, cells in table.rows}
    pns_ids = sorted({as_text(cells.get("pns_id", "")).strip() for _, cells in table.rows} - {""})
    existing = _load_existing_pegawai(nips)
    nip_by_pns_id = {}
    batch = (len(pns_ids) or 1) if connection.vendor == "postgresql" else WRITE_BATCH
    for start in range(0, len(pns_ids), batch):
        nip_by_pns_id.update(
            Pegawai.objects.filter(pns_id__in=_in_values(pns_ids[start : start + batch])).values_list("pns_id", "nip")
        )
    ctx = siasn.SiasnContext(
        today=timezone.localdate(),
        golongan_jenis=dict(Golongan.objects.values_list("kode", "jenis_asn")),
        jenjang_names=list(Jenjang.objects.values_list("nama", flat=True)),
        pendidikan_codes=list(Pendidikan.objects.values_list("kode", flat=True)),
        instansi_names=dict(Instansi.objects.values_list("kode", "nama")),
        allowed_instansi_kode=_restricted_instansi_kode(user),
        mapping=_siasn_mapping(user),
        existing_instansi_by_nip={nip: e.instansi_kode for nip, e in existing.items()},
        nip_by_pns_id=nip_by_pns_id,
    )
    result = siasn.validate_siasn(table, ctx)
    placement = _placement(result.rows, dict(Instansi.objects.values_list("kode", "id")))
    errors = sorted([*result.errors, *placement.plan.errors], key=lambda error: error.row)
    plan = _pegawai_plan(result.rows, existing, placement)
    plan["tidak_aktif"] = len(result.inactive)
    plan["daftar_tidak_aktif"] = result.inactive[:SIASN_LIST_LIMIT]
    if not errors and not result.questions:
        missing = _missing_from_siasn(result.rows, result.inactive, ctx.allowed_instansi_kode)
        plan["tidak_ada_di_siasn"] = len(missing)
        plan["daftar_tidak_ada_di_siasn"] = missing[:SIASN_LIST_LIMIT]
    return ValidatedFile(
        rows=result.rows,
        errors=errors,
        plan=plan,
        known={"existing": existing, "placement": placement},
        questions=result.questions,
    )


def _missing_from_siasn(rows, inactive: list[dict], own_kode: str | None) -> list[dict]:
    """Pegawai of the file's instansi that a full SIASN download no longer lists as active.

    They are listed for the operator to archive, never deleted by the import.
    """
    kodes = {row.instansi_kode for row in rows} | ({own_kode} if own_kode else set())
    active = {row.nip for row in rows}
    kedudukan = {item["nip"]: item["kedudukan"] for item in inactive}
    missing = []
    for pk, nip, nama, kode in (
        Pegawai.objects.filter(instansi__kode__in=kodes)
        .order_by("instansi__kode", "nama", "nip")
        .values_list("id", "nip", "nama", "instansi__kode")
        .iterator(chunk_size=WRITE_BATCH)
    ):
        if nip not in active:
            reason = f"Kedudukan di SIASN: {kedudukan[nip]}" if nip in kedudukan else "Tidak ada di berkas SIASN"
            missing.append({"id": pk, "nip": nip, "nama": nama, "instansi": kode, "keterangan": reason})
    return missing


def _write_siasn_file(validated: ValidatedFile, user, source: str, report: ProgressFn) -> dict:
    summary = _write_pegawai_file(validated, user, source, report)
    lists = ("tidak_aktif", "daftar_tidak_aktif", "tidak_ada_di_siasn", "daftar_tidak_ada_di_siasn")
    return summary | {key: validated.plan[key] for key in lists if key in validated.plan}


def siasn_mapping_save(*, user, answers: list[tuple[str, str, str, str]]) -> list[PemetaanSiasn]:
    """Save answers (instansi kode, jenis, SIASN value, Talenta value) for the user's instansi.

    All or nothing: one unknown value refuses them all. An answer for a value already mapped
    replaces it (the operator corrects a mapping). `None` is the command line's server administrator.
    """
    _check_may_import(user, ImportKind.SIASN)
    options = selectors.siasn_mapping_options(user=user)
    scope = Instansi.objects.all() if user is None else Instansi.objects.for_user(user)
    instansi_by_kode = {i.kode: i for i in scope}
    problems, rows = [], []
    for asked_for, jenis, nilai, nilai_talenta in answers:
        # An instansi's own name belongs to that instansi.
        kode = nilai_talenta if jenis == PemetaanSiasn.Jenis.INSTANSI else asked_for
        instansi = instansi_by_kode.get(kode)
        if instansi is None or (user is not None and not user.may_write_instansi(instansi.pk)):
            raise PermissionDenied("Anda tidak berhak memetakan nilai SIASN instansi ini.")
        if jenis not in options:
            raise ValidationError(f"Jenis pemetaan {jenis} tidak dikenal.")
        if nilai_talenta not in options[jenis]:
            label = PemetaanSiasn.Jenis(jenis).label
            problems.append(f'Pilih nilai Talenta untuk "{nilai}" ({label}).')
            continue
        rows.append((instansi, jenis, " ".join(nilai.split()), nilai_talenta))
    if problems:
        raise ValidationError(problems)
    saved = []
    with transaction.atomic():
        for instansi, jenis, nilai, nilai_talenta in rows:
            mapping = PemetaanSiasn.objects.filter(
                instansi=instansi, jenis=jenis, nilai_siasn__iexact=nilai
            ).first() or PemetaanSiasn(instansi=instansi, jenis=jenis, nilai_siasn=nilai)
            mapping.nilai_talenta = nilai_talenta
            mapping.diubah_oleh = user
            mapping.full_clean(validate_constraints=False)
            mapping.save()
            saved.append(mapping)
    return saved


def siasn_mapping_update(*, user, mapping: PemetaanSiasn, nilai_talenta: str) -> PemetaanSiasn:
    """Change one saved mapping (its own page); the next SIASN file is read with the new value."""
    if not user.may_write_instansi(mapping.instansi_id):
        raise PermissionDenied("Anda tidak berhak mengubah pemetaan ini.")
    if mapping.jenis == PemetaanSiasn.Jenis.INSTANSI and nilai_talenta != mapping.instansi.kode:
        raise ValidationError("Nama instansi kerja SIASN selalu dipetakan ke instansinya sendiri; hapus bila salah.")
    if nilai_talenta not in selectors.siasn_mapping_values(jenis=mapping.jenis, user=user):
        raise ValidationError(f'Nilai "{nilai_talenta}" tidak dapat dipilih untuk pemetaan ini.')
    mapping.nilai_talenta = nilai_talenta
    mapping.diubah_oleh = user
    mapping.save(update_fields=["nilai_talenta", "diubah_oleh", "diubah"])
    return mapping


def siasn_mapping_delete(*, user, mapping: PemetaanSiasn) -> None:
    """Forget a mapping: the next SIASN file with this value asks again."""
    if not user.may_write_instansi(mapping.instansi_id):
        raise PermissionDenied("Anda tidak berhak menghapus pemetaan ini.")
    mapping.delete()


IMPORT_KINDS: dict[str, ImportKindHandler] = {
    ImportKind.PEGAWAI: ImportKindHandler(
        label="Pegawai (data induk ASN)",
        columns=PEGAWAI_COLUMNS,
        example=PEGAWAI_EXAMPLE,
        validate=_validate_pegawai_table,
        write=_write_pegawai_file,
        allowed_values=lambda: [
            selectors.reference_allowed_values()[name]
            for name in ("jenis_asn", "instansi", "jenjang", "golongan", "pendidikan")
        ],
    ),
    ImportKind.SIASN: ImportKindHandler(
        label='SIASN "Export Data ASN" (pegawai, unit kerja, jabatan)',
        columns=siasn.SIASN_COLUMNS,
        example=siasn.SIASN_EXAMPLE,
        validate=_validate_siasn_table,
        write=_write_siasn_file,
        ignored=siasn.SIASN_DROPPED,
        keep_only_columns=True,
    ),
}


# --- import jobs (browser flow: upload -> preview -> confirm) --------------------------------------

_RUNNING = [ImportStatus.PENDING, ImportStatus.VALIDATING, ImportStatus.IMPORTING]

QUEUE_DOWN = "Antrean pekerjaan tidak tersedia; coba lagi beberapa saat lagi. Tidak ada data yang disimpan."
QUEUE_LOST = (
    "Antrean pekerjaan tidak tersedia saat berkas dikirim ke proses latar belakang; tidak ada data yang disimpan. "
    'Tekan "Coba lagi" beberapa saat lagi.'
)


def _check_queue() -> None:
    """Refuse before anything is written: with the broker down a job would wait for a worker forever."""
    if not health.broker_reachable():
        raise ValidationError(QUEUE_DOWN)


def _send_on_commit(task, job_id: int, *, undo: Callable[[], None]) -> None:
    """Queue the job's task after the commit; if the broker went down since the check, undo the move."""

    def send() -> None:
        try:
            task.delay(job_id)
        except BrokerError:
            logger.exception("import job %s could not be queued", job_id)
            undo()

    transaction.on_commit(send)


def _job_progress(job_id: int) -> ProgressFn:
    def report(stage: str, done: int, total: int) -> None:
        progress.report(selectors.import_progress_name(job_id), stage=stage, done=done, total=total)

    return report


def _move(job_id: int, *, current: str, new: str, **fields) -> bool:
    """Change a job's status unless someone else already did (a redelivered task, a second click)."""
    now = timezone.now()
    if new in (ImportStatus.DONE, ImportStatus.FAILED):
        fields.setdefault("finished_at", now)
    return bool(ImportJob.objects.filter(pk=job_id, status=current).update(status=new, status_changed_at=now, **fields))


def _failure_reason(exc: Exception, *, stage: str) -> str:
    if isinstance(exc, PermissionDenied):
        return str(exc)
    if isinstance(exc, FileNotFoundError):
        return "Berkas unggahan tidak ditemukan lagi di server; unggah ulang berkasnya."
    return (
        f"{stage} gagal karena kesalahan sistem; tidak ada data yang disimpan. "
        "Coba lagi; bila gagal lagi, hubungi admin (rinciannya tercatat di log server)."
    )


def _drop_broken_connection() -> None:
    # A connection the database killed stays broken in Django's handle; the failure is then
    # recorded over a new one.
    if connection.connection is not None and not connection.is_usable():
        connection.close()


def import_job_start(*, user, kind: str, uploaded_file) -> ImportJob:
    """Store an upload and validate it in the background for the preview.

    For a file with personal data the import does not use (SIASN), only the columns it reads are
    stored; a file that cannot even be read that far is refused at once and nothing of it is kept.
    """
    _check_may_import(user, kind)
    _check_queue()
    handler = IMPORT_KINDS[kind]
    name = uploaded_file.name[:255]
    errors = []
    if handler.keep_only_columns:
        try:
            kept = keep_columns(
                uploaded_file.read(),
                name,
                {column.name for column in handler.columns},
                max_bytes=settings.IMPORT_MAX_BYTES,
            )
        except FileError as exc:
            kept, errors = b"", exc.errors
        uploaded_file = ContentFile(kept, name=name)
    job = ImportJob.objects.create(
        kind=kind,
        file=uploaded_file,
        original_name=name,
        created_by=user,
        instansi_id=user.scope_instansi_id,
    )
    if errors:
        _move(job.pk, current=ImportStatus.PENDING, new=ImportStatus.INVALID, errors=[e.as_dict() for e in errors])
        job.refresh_from_db()
        return job
    _send_on_commit(
        validate_import_task,
        job.pk,
        undo=lambda: _move(job.pk, current=ImportStatus.PENDING, new=ImportStatus.FAILED, message=QUEUE_LOST),
    )
    return job


def import_job_map(*, user, job: ImportJob, answers: list[tuple[str, str, str, str]]) -> None:
    """Save the operator's answers to a SIASN file's questions and validate the file again."""
    if not user.can_write_records:
        raise PermissionDenied("Peran Anda tidak dapat mengimpor data.")
    if job.status != ImportStatus.MAPPING:
        raise ValidationError("Impor ini tidak sedang menunggu pemetaan nilai.")
    asked = {(q["instansi"], q["jenis"], q["nilai"].casefold()) for q in job.summary.get("pemetaan", [])}
    if {(kode, jenis, nilai.casefold()) for kode, jenis, nilai, _ in answers} != asked:
        raise ValidationError("Jawab setiap nilai yang ditanyakan; impor menunggu sampai semuanya dipetakan.")
    _check_queue()
    with transaction.atomic():
        siasn_mapping_save(user=user, answers=answers)
        if not _move(job.pk, current=ImportStatus.MAPPING, new=ImportStatus.PENDING, summary={}):
            raise ValidationError("Impor ini sudah diproses.")
        _send_on_commit(
            validate_import_task,
            job.pk,
            undo=lambda: _move(job.pk, current=ImportStatus.PENDING, new=ImportStatus.FAILED, message=QUEUE_LOST),
        )


def _read_job_file(job: ImportJob) -> bytes:
    with job.file.open("rb") as handle:
        return handle.read()


def _claim_validation(job_id: int) -> bool:
    """Claim a pending job; a second delivery of the task finds it claimed and does nothing.

    Except when the first run was killed: the broker delivers the task again only after its
    visibility timeout, longer than any task may run, so a job still validating since before the
    time limit has lost its run and is claimed again.
    """
    now = timezone.now()
    lost = Q(status=ImportStatus.VALIDATING, status_changed_at__lt=now - pipeline.running_stale_after())
    claimable = Q(status=ImportStatus.PENDING) | lost
    return bool(
        ImportJob.objects.filter(claimable, pk=job_id).update(status=ImportStatus.VALIDATING, status_changed_at=now)
    )


def import_job_validate(*, job_id: int) -> None:
    """Validate an uploaded file for the preview; any failure ends the job failed with its reason."""
    if not _claim_validation(job_id):
        return
    try:
        job = ImportJob.objects.select_related("created_by__instansi").get(pk=job_id)
        outcome = import_run(
            kind=job.kind,
            data=_read_job_file(job),
            filename=job.original_name,
            user=job.created_by,
            write=False,
            report=_job_progress(job.id),
        )
    except Exception as exc:
        logger.exception("Validasi impor %s gagal", job_id)
        _drop_broken_connection()
        _move(
            job_id,
            current=ImportStatus.VALIDATING,
            new=ImportStatus.FAILED,
            message=_failure_reason(exc, stage="Validasi berkas"),
        )
        return
    finally:
        progress.clear(selectors.import_progress_name(job_id))
    if not outcome.ok:
        status = ImportStatus.INVALID
    elif outcome.questions:
        status = ImportStatus.MAPPING
    else:
        status = ImportStatus.VALID
    _move(
        job_id,
        current=ImportStatus.VALIDATING,
        new=status,
        errors=[e.as_dict() for e in outcome.errors],
        warnings=outcome.warnings,
        summary=outcome.summary | ({"pemetaan": outcome.questions} if outcome.questions else {}),
        total_rows=outcome.total_rows,
        struktur=outcome.structure,
        struktur_diterima="",
        message="",
    )


STRUCTURE_NOT_ACCEPTED = (
    "Berkas ini membuat unit kerja atau jabatan baru: periksa daftarnya (terutama yang mirip dengan nama yang "
    "sudah ada) dan centang persetujuannya, atau perbaiki berkasnya dan unggah ulang. Tidak ada data yang disimpan."
)
STRUCTURE_CHANGED = (
    "Unit kerja dan jabatan baru yang akan dibuat berubah sejak pratinjau (data diubah di tempat lain). "
    "Periksa daftar terbaru lalu konfirmasi lagi. Tidak ada data yang disimpan."
)


def import_job_confirm(*, user, job: ImportJob, accepted_structure: str = "") -> None:
    """Queue the write of a previewed job.

    A file that creates unit kerja or jabatan needs the operator's explicit acceptance: the
    fingerprint of the list they were shown (`job.struktur["sidik"]`, sent back by the checkbox).
    """
    if not user.can_write_records:
        raise PermissionDenied("Peran Anda tidak dapat mengimpor data.")
    fingerprint = job.struktur.get("sidik", "")
    if fingerprint and not accepted_structure:
        raise ValidationError(STRUCTURE_NOT_ACCEPTED)
    if accepted_structure != fingerprint:
        raise ValidationError(STRUCTURE_CHANGED)
    _check_queue()
    # A conditional update, so a double click or a second tab cannot import twice.
    if not _move(job.pk, current=ImportStatus.VALID, new=ImportStatus.IMPORTING, struktur_diterima=fingerprint):
        raise ValidationError("Impor ini sudah diproses atau belum siap dikonfirmasi.")
    # Nothing was written yet: back to valid, to be confirmed again.
    _send_on_commit(
        apply_import_task, job.pk, undo=lambda: _move(job.pk, current=ImportStatus.IMPORTING, new=ImportStatus.VALID)
    )


def import_job_apply(*, job_id: int) -> None:
    """Write a confirmed import; re-validates first because data may have changed since the preview.

    Any failure rolls the write back and ends the job failed with its reason.
    """
    try:
        job = ImportJob.objects.select_related("created_by__instansi").get(pk=job_id)
        with transaction.atomic():
            # Lock the job: a second worker running the same job waits here, then sees DONE.
            locked = ImportJob.objects.select_for_update().get(pk=job_id)
            if locked.status != ImportStatus.IMPORTING:
                return
            outcome = import_run(
                kind=job.kind,
                data=_read_job_file(job),
                filename=job.original_name,
                user=job.created_by,
                write=True,
                report=_job_progress(job.id),
                accepted_structure=locked.struktur_diterima,
            )
            _finish_job(locked, outcome)
    except Exception as exc:
        logger.exception("Impor %s gagal", job_id)
        _drop_broken_connection()
        _move(
            job_id,
            current=ImportStatus.IMPORTING,
            new=ImportStatus.FAILED,
            message=_failure_reason(exc, stage="Impor"),
        )
    finally:
        progress.clear(selectors.import_progress_name(job_id))


def _finish_job(job: ImportJob, outcome: ImportOutcome) -> None:
    job.errors = [e.as_dict() for e in outcome.errors]
    job.warnings = outcome.warnings
    job.summary = outcome.summary | ({"pemetaan": outcome.questions} if outcome.questions else {})
    job.total_rows = outcome.total_rows
    job.struktur = outcome.structure
    if not outcome.ok:
        job.status = ImportStatus.INVALID
    elif outcome.questions:
        # A mapping was deleted since the preview: ask again rather than guess.
        job.status = ImportStatus.MAPPING
    elif outcome.structure_refused:
        # Someone created or renamed units meanwhile: show the new list and ask again.
        job.status, job.struktur_diterima, job.message = ImportStatus.VALID, "", STRUCTURE_CHANGED
    else:
        job.status = ImportStatus.DONE
    job.finished_at = job.status_changed_at = timezone.now()
    job.save()


def import_job_retry(*, user, job: ImportJob) -> None:
    """Validate a failed job's kept file again from the start: preview, then confirm as before."""
    if not user.can_write_records:
        raise PermissionDenied("Peran Anda tidak dapat mengimpor data.")
    _check_queue()
    retried = _move(
        job.pk,
        current=ImportStatus.FAILED,
        new=ImportStatus.PENDING,
        errors=[],
        warnings=[],
        summary={},
        total_rows=0,
        message="",
        finished_at=None,
    )
    if not retried:
        raise ValidationError("Hanya impor yang gagal yang dapat dicoba lagi.")
    _send_on_commit(
        validate_import_task,
        job.pk,
        undo=lambda: _move(job.pk, current=ImportStatus.PENDING, new=ImportStatus.FAILED, message=QUEUE_LOST),
    )


def _stale_cutoff() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=settings.IMPORT_STALE_MINUTES)


def _fail_stale(jobs) -> int:
    # No task outlives Celery's hard time limit, and the stale time exceeds it: a job still
    # running after it has lost its worker (killed) or its task (lost from the queue).
    message = (
        f"Proses impor terhenti: statusnya tidak berubah selama lebih dari {settings.IMPORT_STALE_MINUTES} menit "
        "(proses latar belakang mati atau tugasnya hilang). Tidak ada data yang disimpan. "
        'Tekan "Coba lagi" untuk memvalidasi ulang berkas yang sama.'
    )
    now = timezone.now()
    return jobs.filter(status__in=_RUNNING, status_changed_at__lt=_stale_cutoff()).update(
        status=ImportStatus.FAILED, message=message, status_changed_at=now, finished_at=now
    )


def import_jobs_fail_stale() -> int:
    """Mark every import job whose worker died as failed (periodic); returns how many."""
    return _fail_stale(ImportJob.objects.all())


def import_job_fail_if_stale(*, job: ImportJob) -> bool:
    """The same for one job as its page is viewed; the job is refreshed when it changed."""
    if not job.is_running or job.status_changed_at >= _stale_cutoff():
        return False
    failed = bool(_fail_stale(ImportJob.objects.filter(pk=job.pk)))
    if failed:
        job.refresh_from_db()
    return failed
