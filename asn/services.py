"""Writes to ASN master data: pegawai forms and the import pipeline."""

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from kombu.exceptions import OperationalError as BrokerError

from talenta import health, pipeline, progress
from talenta.bulk import create_with_history, update_with_history
from talenta.tabular import Column, FileError, RowError, Table, as_text, read_table

from . import nip as nip_rules
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
    Pendidikan,
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


def _check_may_write(user, instansi_id: int) -> None:
    if not user.may_write_instansi(instansi_id):
        raise PermissionDenied("Anda tidak berhak mengubah data instansi ini.")


def pegawai_save(*, user, pegawai: Pegawai, data: dict) -> Pegawai:
    """Create or update one pegawai from form data; the jabatan decides the instansi."""
    # A pegawai who moves takes their placement and candidacies out of the instansi they leave.
    previous_instansi = Pegawai.objects.filter(pk=pegawai.pk).values_list("instansi_id", flat=True).first()
    for name, value in data.items():
        setattr(pegawai, name, value)
    pegawai.instansi_id = pegawai.jabatan.unit_kerja.instansi_id
    _check_may_write(user, pegawai.instansi_id)
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


def user_create(*, actor, data: dict) -> User:
    """Open an account without a password: its owner sets one through `user_password_link`."""
    account = User(**{name: data[name] for name in ACCOUNT_FIELDS if name in data})
    _check_may_assign(actor, account)
    account.set_unusable_password()
    _save_account(account, actor=actor, reason="Akun dibuat")
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
    _save_account(account, actor=actor, reason="Data akun diubah")
    return account


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

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class ImportKindHandler:
    label: str
    columns: list[Column]
    example: list[str]
    # (table, user) -> ValidatedFile
    validate: Callable
    # (validated file, user, source, progress) -> summary counts; runs inside the caller's transaction
    write: Callable


@dataclass
class ValidatedFile:
    rows: list
    errors: list[RowError]
    plan: dict  # what writing would do, for the preview
    # What validation already read from the database and the write may reuse.
    known: dict = field(default_factory=dict)


def run_import(
    *, kind: str, data: bytes, filename: str, user, write: bool, report: ProgressFn = _no_progress
) -> ImportOutcome:
    """Validate a whole file and, when asked and the file is valid, write it all in one transaction."""
    _check_may_import(user)
    handler = IMPORT_KINDS[kind]
    try:
        table = read_table(
            data,
            filename,
            handler.columns,
            max_bytes=settings.IMPORT_MAX_BYTES,
            max_rows=settings.IMPORT_MAX_ROWS,
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
    )
    if outcome.errors or not write:
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


def _check_may_import(user) -> None:
    """`None` is the command line run by the server's administrator."""
    if user is not None and not user.can_write_data:
        raise PermissionDenied("Peran Anda tidak dapat mengimpor data.")


def run_import_rows(*, kind: str, rows: list[dict], user, write: bool) -> ImportOutcome:
    """The same validation and all-or-nothing write as a file, for rows that arrive as data (the API).

    Row numbers are the 1-based positions in `rows`.
    """
    _check_may_import(user)
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
    outcome = ImportOutcome(errors=validated.errors, summary=validated.plan, total_rows=len(table.rows))
    if validated.errors or not write:
        return outcome
    with transaction.atomic():
        outcome.summary = handler.write(validated, user, f"API {kind}", _no_progress)
    return outcome


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
        ):
            pk, nip, dibuat, nama, depan, belakang, jenis, kode, unit, jabatan, jenjang, *rest = values
            existing[nip] = _ExistingPegawai(
                id=pk,
                instansi_kode=kode,
                dibuat=dibuat,
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
    )
    rows, errors = validate_pegawai(table, ctx)
    plan = {"baru": 0, "diubah": 0, "tetap": 0}
    for row in rows:
        before = existing.get(row.nip)
        if before is None:
            plan["baru"] += 1
        elif before.comparable != _comparable(row):
            plan["diubah"] += 1
        else:
            plan["tetap"] += 1
    return ValidatedFile(rows=rows, errors=errors, plan=plan, known={"existing": existing})


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
    "diubah",
]


def _ensure_units_and_jabatan(rows: list[PegawaiRow], instansi_by_kode: dict[str, int]):
    """Create the units and jabatan the rows name for the first time; return their ids by key."""
    instansi_ids = {instansi_by_kode[row.instansi_kode] for row in rows}
    units = {
        (instansi_id, nama.casefold()): pk
        for pk, instansi_id, nama in UnitKerja.objects.filter(instansi_id__in=instansi_ids).values_list(
            "id", "instansi_id", "nama"
        )
    }
    new_units = {}
    for row in rows:
        key = (instansi_by_kode[row.instansi_kode], row.unit_kerja.casefold())
        if key not in units and key not in new_units:
            new_units[key] = UnitKerja(instansi_id=key[0], nama=row.unit_kerja)
    UnitKerja.objects.bulk_create(new_units.values())
    units.update({key: unit.pk for key, unit in new_units.items()})

    jenjang_by_name = dict(Jenjang.objects.values_list("nama", "kode"))
    jabatan = {
        (unit_id, nama.casefold(), jenjang): pk
        for pk, unit_id, nama, jenjang in Jabatan.objects.filter(unit_kerja__instansi_id__in=instansi_ids).values_list(
            "id", "unit_kerja_id", "nama", "jenjang_id"
        )
    }
    new_jabatan = {}
    for row in rows:
        unit_id = units[(instansi_by_kode[row.instansi_kode], row.unit_kerja.casefold())]
        key = (unit_id, row.jabatan.casefold(), jenjang_by_name[row.jenjang])
        if key not in jabatan and key not in new_jabatan:
            new_jabatan[key] = Jabatan(unit_kerja_id=unit_id, nama=row.jabatan, jenjang_id=key[2])
    created_jabatan = list(new_jabatan.values())
    Jabatan.objects.bulk_create(created_jabatan)
    jabatan.update({key: j.pk for key, j in new_jabatan.items()})

    def jabatan_id(row: PegawaiRow) -> int:
        unit_id = units[(instansi_by_kode[row.instansi_kode], row.unit_kerja.casefold())]
        return jabatan[(unit_id, row.jabatan.casefold(), jenjang_by_name[row.jenjang])]

    return jabatan_id, len(new_units), len(created_jabatan)


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
    """Write validated rows keyed by NIP: create the new, update the changed, skip the same."""
    instansi_by_kode = dict(Instansi.objects.values_list("kode", "id"))
    bup_by_jenjang = dict(Jenjang.objects.values_list("nama", "bup"))
    if existing is None:
        existing = _load_existing_pegawai({row.nip for row in rows})
    jabatan_id, units_created, jabatan_created = _ensure_units_and_jabatan(rows, instansi_by_kode)
    now = timezone.now()

    creates, updates = [], []
    for row in rows:
        before = existing.get(row.nip)
        if before is not None and before.comparable == _comparable(row):
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
        "unit_kerja_baru": units_created,
        "jabatan_baru": jabatan_created,
    }


IMPORT_KINDS: dict[str, ImportKindHandler] = {
    ImportKind.PEGAWAI: ImportKindHandler(
        label="Pegawai (data induk ASN)",
        columns=PEGAWAI_COLUMNS,
        example=PEGAWAI_EXAMPLE,
        validate=_validate_pegawai_table,
        write=_write_pegawai_file,
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
        progress.report(f"import-{job_id}", stage=stage, done=done, total=total)

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
    """Store an upload and validate it in the background for the preview."""
    if not user.can_write_data:
        raise PermissionDenied("Peran Anda tidak dapat mengimpor data.")
    _check_queue()
    job = ImportJob.objects.create(
        kind=kind,
        file=uploaded_file,
        original_name=uploaded_file.name[:255],
        created_by=user,
        instansi_id=None if user.sees_all_instansi else user.instansi_id,
    )
    _send_on_commit(
        validate_import_task,
        job.pk,
        undo=lambda: _move(job.pk, current=ImportStatus.PENDING, new=ImportStatus.FAILED, message=QUEUE_LOST),
    )
    return job


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
        progress.clear(f"import-{job_id}")
    _move(
        job_id,
        current=ImportStatus.VALIDATING,
        new=ImportStatus.VALID if outcome.ok else ImportStatus.INVALID,
        errors=[e.as_dict() for e in outcome.errors],
        warnings=outcome.warnings,
        summary=outcome.summary,
        total_rows=outcome.total_rows,
    )


def import_job_confirm(*, user, job: ImportJob) -> None:
    if not user.can_write_data:
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
        progress.clear(f"import-{job_id}")


def _finish_job(job: ImportJob, outcome: ImportOutcome) -> None:
    job.errors = [e.as_dict() for e in outcome.errors]
    job.warnings = outcome.warnings
    job.summary = outcome.summary
    job.total_rows = outcome.total_rows
    job.status = ImportStatus.DONE if outcome.ok else ImportStatus.INVALID
    job.finished_at = job.status_changed_at = timezone.now()
    job.save()


def import_job_retry(*, user, job: ImportJob) -> None:
    """Validate a failed job's kept file again from the start: preview, then confirm as before."""
    if not user.can_write_data:
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
