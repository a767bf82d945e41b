"""Writes to ASN master data: pegawai forms and the import pipeline."""

import datetime as dt
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
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from kombu.exceptions import OperationalError as BrokerError
from simple_history.utils import bulk_create_with_history

from talenta import health, pipeline, progress
from talenta.bulk import create_with_history, update_with_history
from talenta.tabular import Column, FileError, RowError, Table, as_text, keep_columns, read_table

from . import nip as nip_rules
from . import selectors, siasn
from .hashers import OneTimePasswordHasher
from .importers import (
    PEGAWAI_COLUMNS,
    PEGAWAI_EXAMPLE,
    PegawaiImportContext,
    PegawaiRow,
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


@dataclass
class ValidatedFile:
    rows: list
    errors: list[RowError]
    plan: dict  # what writing would do, for the preview
    # What validation already read from the database and the write may reuse.
    known: dict = field(default_factory=dict)
    questions: list[dict] = field(default_factory=list)


def run_import(
    *, kind: str, data: bytes, filename: str, user, write: bool, report: ProgressFn = _no_progress
) -> ImportOutcome:
    """Validate a whole file and, when asked and the file is valid, write it all in one transaction."""
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
    )
    if not outcome.ready or not write:
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


def run_import_rows(*, kind: str, rows: list[dict], user, write: bool) -> ImportOutcome:
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

    def same_as(self, row: PegawaiRow) -> bool:
        # A row without a PNS ID (the pegawai template) leaves the one SIASN gave as it is.
        pns_id = getattr(row, "pns_id", "")
        return self.comparable == _comparable(row) and (not pns_id or pns_id == self.pns_id)


def _comparable(row: PegawaiRow) -> tuple:
    return (
        row.nama,
        row.gelar_depan,
        row.gelar_belakang,
        row.jenis_asn,
        row.instansi_kode,
        row.unit_kerja.casefold(),
        row.jabatan.casefold(),
        row.jenjang,
        row.golongan,
        row.pendidikan,
        row.tmt_jabatan,
    )


def _load_existing_pegawai(nips: set[str]) -> dict[str, _ExistingPegawai]:
    existing = {}
    ordered = sorted(nips)
    for start in range(0, len(ordered), WRITE_BATCH):
        chunk = ordered[start : start + WRITE_BATCH]
        for values in Pegawai.objects.filter(nip__in=chunk).values_list(
            "id",
            "nip",
            "dibuat",
            "nama",
            "gelar_depan",
            "gelar_belakang",
            "jenis_asn",
            "instansi__kode",
            "jabatan__unit_kerja__nama",
            "jabatan__nama",
            "jabatan__jenjang__nama",
            "golongan_id",
            "pendidikan_id",
            "tmt_jabatan",
            "pns_id",
        ):
            pk, nip, dibuat, nama, depan, belakang, jenis, kode, unit, jabatan, jenjang, *rest, pns_id = values
            existing[nip] = _ExistingPegawai(
                id=pk,
                instansi_kode=kode,
                dibuat=dibuat,
                pns_id=pns_id,
                unit_kerja=unit.casefold(),
                comparable=(
                    nama,
                    depan,
                    belakang,
                    jenis,
                    kode,
                    unit.casefold(),
                    jabatan.casefold(),
                    jenjang,
                    *rest,
                ),  # fmt: skip
            )
    return existing


def _validate_pegawai_table(table: Table, user):
    nips = {nip_rules.normalize(as_text(cells.get("nip", ""))) for _, cells in table.rows}
    existing = _load_existing_pegawai(nips)
    ctx = PegawaiImportContext(
        today=timezone.localdate(),
        instansi_by_kode=dict(Instansi.objects.values_list("kode", "id")),
        golongan_jenis=dict(Golongan.objects.values_list("kode", "jenis_asn")),
        jenjang_by_name={nama.casefold(): nama for nama in Jenjang.objects.values_list("nama", flat=True)},
        pendidikan_codes={kode.casefold(): kode for kode in Pendidikan.objects.values_list("kode", flat=True)},
        allowed_instansi_kode=_restricted_instansi_kode(user),
        existing_instansi_by_nip={nip: e.instansi_kode for nip, e in existing.items()},
        allowed_units=_restricted_units(user),
        existing_unit_by_nip={nip: e.unit_kerja for nip, e in existing.items()},
    )
    rows, errors = validate_pegawai(table, ctx)
    return ValidatedFile(rows=rows, errors=errors, plan=_pegawai_plan(rows, existing), known={"existing": existing})


def _pegawai_plan(rows: list[PegawaiRow], existing: dict[str, _ExistingPegawai]) -> dict:
    plan = {"baru": 0, "diubah": 0, "tetap": 0}
    for row in rows:
        before = existing.get(row.nip)
        if before is None:
            plan["baru"] += 1
        elif not before.same_as(row):
            plan["diubah"] += 1
        else:
            plan["tetap"] += 1
    return plan


_PEGAWAI_WRITE_FIELDS = [
    "nama",
    "gelar_depan",
    "gelar_belakang",
    "jenis_asn",
    "instansi",
    "jabatan",
    "golongan",
    "pendidikan",
    "tmt_jabatan",
    "tanggal_lahir",
    "jenis_kelamin",
    "tmt_cpns",
    "tanggal_pensiun",
    "pns_id",
    "diubah",
]


@dataclass
class _Structure:
    """The units and jabatan of the instansi a file touches, found by name and by SIASN id."""

    by_name: dict = field(default_factory=dict)
    by_siasn: dict = field(default_factory=dict)
    created: list = field(default_factory=list)
    changed: dict = field(default_factory=dict)  # pk -> object with its new name / id

    def add(self, obj, name_key, siasn_key) -> None:
        self.by_name[name_key] = obj
        if obj.siasn_id:
            self.by_siasn[siasn_key] = obj

    def resolve(self, name_key, siasn_key, siasn_id: str, make, rename) -> object:
        """The object a row means; a SIASN id wins over the name and renames what holds it."""
        if not siasn_id:
            obj = self.by_name.get(name_key)
            if obj is None:
                obj = make()
                self.created.append(obj)
                self.add(obj, name_key, siasn_key)
            return obj
        obj = self.by_siasn.get(siasn_key)
        if obj is None:
            obj = self.by_name.get(name_key)
            if obj is not None and not obj.siasn_id:
                # Made by the Talenta template before the first SIASN import: it takes the id.
                obj.siasn_id = siasn_id
                self.by_siasn[siasn_key] = obj
                if obj.pk:
                    self.changed[obj.pk] = obj
                return obj
            obj = make()
            self.created.append(obj)
            self.add(obj, name_key, siasn_key)
            return obj
        if rename(obj):
            self.by_name[name_key] = obj
            if obj.pk:
                self.changed[obj.pk] = obj
        return obj


def _ensure_units_and_jabatan(rows: list[PegawaiRow], instansi_by_kode: dict[str, int], user=None, source=""):
    """Create the units and jabatan the rows name for the first time; return their ids by key.

    Rows from SIASN carry its UNOR ID and JABATAN ID: the unit or jabatan holding that id is the
    one meant, and a new name in SIASN renames it here instead of adding another.
    """
    instansi_ids = {instansi_by_kode[row.instansi_kode] for row in rows}
    units = _Structure()
    for unit in UnitKerja.objects.filter(instansi_id__in=instansi_ids).only("id", "instansi_id", "nama", "siasn_id"):
        units.add(unit, (unit.instansi_id, unit.nama.casefold()), (unit.instansi_id, unit.siasn_id))

    def rename_unit(unit, nama):
        if unit.nama == nama:
            return False
        unit.nama = nama
        return True

    unit_of_row = {}
    for row in rows:
        instansi_id, unor_id = instansi_by_kode[row.instansi_kode], getattr(row, "unor_id", "")
        unit_of_row[id(row)] = units.resolve(
            (instansi_id, row.unit_kerja.casefold()),
            (instansi_id, unor_id),
            unor_id,
            lambda i=instansi_id, r=row, u=unor_id: UnitKerja(instansi_id=i, nama=r.unit_kerja, siasn_id=u),
            lambda unit, r=row: rename_unit(unit, r.unit_kerja),
        )
    # Renames first: a unit's old name may be the name of a new one.
    UnitKerja.objects.bulk_update(list(units.changed.values()), ["nama", "siasn_id"])
    UnitKerja.objects.bulk_create(units.created)

    jenjang_by_name = dict(Jenjang.objects.values_list("nama", "kode"))
    jabatan = _Structure()
    for item in Jabatan.objects.filter(unit_kerja__instansi_id__in=instansi_ids).only(
        "id", "unit_kerja_id", "nama", "jenjang_id", "siasn_id"
    ):
        jabatan.add(
            item, (item.unit_kerja_id, item.nama.casefold(), item.jenjang_id), (item.unit_kerja_id, item.siasn_id)
        )

    def rename_jabatan(item, nama, jenjang_id):
        if (item.nama, item.jenjang_id) == (nama, jenjang_id):
            return False
        item.nama, item.jenjang_id = nama, jenjang_id
        return True

    jabatan_of_row = {}
    for row in rows:
        unit_id, jenjang_id = unit_of_row[id(row)].pk, jenjang_by_name[row.jenjang]
        siasn_id = getattr(row, "jabatan_siasn_id", "")
        jabatan_of_row[id(row)] = jabatan.resolve(
            (unit_id, row.jabatan.casefold(), jenjang_id),
            (unit_id, siasn_id),
            siasn_id,
            lambda u=unit_id, r=row, j=jenjang_id, s=siasn_id: Jabatan(
                unit_kerja_id=u, nama=r.jabatan, jenjang_id=j, siasn_id=s
            ),
            lambda item, r=row, j=jenjang_id: rename_jabatan(item, r.jabatan, j),
        )
    if jabatan.changed:
        # The history records every field: write the changed ones onto complete rows.
        complete = list(Jabatan.objects.filter(pk__in=jabatan.changed))
        for item in complete:
            changed = jabatan.changed[item.pk]
            item.nama, item.jenjang_id, item.siasn_id = changed.nama, changed.jenjang_id, changed.siasn_id
        update_with_history(
            Jabatan, complete, ["nama", "jenjang", "siasn_id"], user=user, reason=source[:100], date=timezone.now()
        )
    Jabatan.objects.bulk_create(jabatan.created)

    def jabatan_id(row: PegawaiRow) -> int:
        return jabatan_of_row[id(row)].pk

    return jabatan_id, {
        "unit_kerja_baru": len(units.created),
        "jabatan_baru": len(jabatan.created),
        "unit_kerja_diubah": len(units.changed),
        "jabatan_diubah": len(jabatan.changed),
    }


def _write_pegawai_file(validated: ValidatedFile, user, source: str, report: ProgressFn) -> dict:
    return pegawai_bulk_upsert(validated.rows, user, source, report, existing=validated.known["existing"])


def pegawai_bulk_upsert(
    rows: list[PegawaiRow],
    user,
    source: str,
    report: ProgressFn = _no_progress,
    *,
    existing: dict[str, "_ExistingPegawai"] | None = None,
) -> dict:
    """Write validated rows keyed by NIP: create the new, update the changed, skip the same.

    All or nothing, also for a caller outside a transaction (seed_demo, the benchmark).
    """
    with transaction.atomic():
        return _pegawai_write(rows, user, source, report, existing=existing)


def _pegawai_write(rows, user, source: str, report: ProgressFn, *, existing) -> dict:
    instansi_by_kode = dict(Instansi.objects.values_list("kode", "id"))
    bup_by_jenjang = dict(Jenjang.objects.values_list("nama", "bup"))
    if existing is None:
        existing = _load_existing_pegawai({row.nip for row in rows})
    jabatan_id, structure = _ensure_units_and_jabatan(rows, instansi_by_kode, user, source)
    from_siasn = any(isinstance(row, siasn.SiasnRow) for row in rows[:1])
    now = timezone.now()

    creates, updates = [], []
    for row in rows:
        before = existing.get(row.nip)
        if before is not None and before.same_as(row):
            continue
        pegawai = Pegawai(
            id=before.id if before else None,
            nip=row.nip,
            nama=row.nama,
            gelar_depan=row.gelar_depan,
            gelar_belakang=row.gelar_belakang,
            jenis_asn=row.jenis_asn,
            instansi_id=instansi_by_kode[row.instansi_kode],
            jabatan_id=jabatan_id(row),
            golongan_id=row.golongan,
            pendidikan_id=row.pendidikan,
            tmt_jabatan=row.tmt_jabatan,
            pns_id=getattr(row, "pns_id", "") or (before.pns_id if before else ""),
            dibuat=before.dibuat if before else now,
            diubah=now,
        )
        pegawai.derive_from_nip(bup_years=bup_by_jenjang[row.jenjang])
        (updates if before else creates).append(pegawai)

    total, done = len(creates) + len(updates), 0
    report("menulis", done, total)
    history = {"user": user, "reason": source[:100], "date": now}
    for start in range(0, len(creates), WRITE_BATCH):
        batch = creates[start : start + WRITE_BATCH]
        create_with_history(Pegawai, batch, **history)
        done += len(batch)
        report("menulis", done, total)
    for start in range(0, len(updates), WRITE_BATCH):
        batch = updates[start : start + WRITE_BATCH]
        update_with_history(Pegawai, batch, _PEGAWAI_WRITE_FIELDS, **history)
        done += len(batch)
        report("menulis", done, total)
    if creates or updates:
        # Both ends of a move: the instansi a pegawai left loses their placement and candidacies.
        left = {instansi_by_kode[existing[p.nip].instansi_kode] for p in updates}
        pipeline.inputs_changed(instansi_ids={p.instansi_id for p in creates + updates} | left)
    return {
        "baru": len(creates),
        "diubah": len(updates),
        "tetap": len(rows) - total,
        "unit_kerja_baru": structure["unit_kerja_baru"],
        "jabatan_baru": structure["jabatan_baru"],
        **({key: structure[key] for key in ("unit_kerja_diubah", "jabatan_diubah")} if from_siasn else {}),
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
    for start in range(0, len(pns_ids), WRITE_BATCH):
        nip_by_pns_id.update(
            Pegawai.objects.filter(pns_id__in=pns_ids[start : start + WRITE_BATCH]).values_list("pns_id", "nip")
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
    plan = _pegawai_plan(result.rows, existing)
    plan["tidak_aktif"] = len(result.inactive)
    plan["daftar_tidak_aktif"] = result.inactive[:SIASN_LIST_LIMIT]
    if not result.errors and not result.questions:
        missing = _missing_from_siasn(result.rows, result.inactive, ctx.allowed_instansi_kode)
        plan["tidak_ada_di_siasn"] = len(missing)
        plan["daftar_tidak_ada_di_siasn"] = missing[:SIASN_LIST_LIMIT]
    return ValidatedFile(
        rows=result.rows,
        errors=result.errors,
        plan=plan,
        known={"existing": existing},
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
    summary = pegawai_bulk_upsert(validated.rows, user, source, report, existing=validated.known["existing"])
    lists = ("tidak_aktif", "daftar_tidak_aktif", "tidak_ada_di_siasn", "daftar_tidak_ada_di_siasn")
    return summary | {key: validated.plan[key] for key in lists if key in validated.plan}


def _talenta_options(jenis: str, user) -> dict[str, str]:
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
    return {jenis: _talenta_options(jenis, user) for jenis in PemetaanSiasn.Jenis.values}


def siasn_mapping_save(*, user, answers: list[tuple[str, str, str, str]]) -> list[PemetaanSiasn]:
    """Save answers (instansi kode, jenis, SIASN value, Talenta value) for the user's instansi.

    All or nothing: one unknown value refuses them all. An answer for a value already mapped
    replaces it (the operator corrects a mapping). `None` is the command line's server administrator.
    """
    _check_may_import(user, ImportKind.SIASN)
    options = siasn_mapping_options(user=user)
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
    if nilai_talenta not in _talenta_options(mapping.jenis, user):
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
        outcome = run_import(
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
    )


def import_job_confirm(*, user, job: ImportJob) -> None:
    if not user.can_write_records:
        raise PermissionDenied("Peran Anda tidak dapat mengimpor data.")
    _check_queue()
    # A conditional update, so a double click or a second tab cannot import twice.
    if not _move(job.pk, current=ImportStatus.VALID, new=ImportStatus.IMPORTING):
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
            outcome = run_import(
                kind=job.kind,
                data=_read_job_file(job),
                filename=job.original_name,
                user=job.created_by,
                write=True,
                report=_job_progress(job.id),
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
    if not outcome.ok:
        job.status = ImportStatus.INVALID
    elif outcome.questions:
        # A mapping was deleted since the preview: ask again rather than guess.
        job.status = ImportStatus.MAPPING
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
