"""Period exports (talent map, succession candidates): inline when small, a background job when large.

An export of more than `EXPORT_INLINE_MAX_ROWS` rows would hold a web worker for seconds, so
it becomes an `ExportJob`: a Celery task (taking the job id, enqueued on commit) writes the file
with progress in the cache, and the job's page offers the download when it is ready. It lives
in the project package because its kinds span apps (assessment's map, succession's candidates),
like the recompute pipeline; the rows themselves come from each app's selectors.
"""

import logging
from dataclasses import dataclass

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from assessment.models import ExportJob

from . import progress
from .tabular import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, write_csv, write_xlsx

logger = logging.getLogger(__name__)

BROKER_DOWN = (
    "Antrean tugas latar belakang tidak dapat dihubungi, sehingga ekspor tidak dapat disusun. "
    "Coba lagi beberapa saat lagi, atau ekspor satu instansi saja agar berkas langsung diunduh."
)
PROGRESS_EVERY = 1000
CONTENT_TYPES = {
    ExportJob.Format.XLSX: XLSX_CONTENT_TYPE,
    ExportJob.Format.CSV: CSV_CONTENT_TYPE,
}


@dataclass(frozen=True)
class ExportKind:
    columns: list[str]
    rows: object  # (user, periode, instansi) -> iterable of rows
    count: object  # (user, periode, instansi) -> number of rows
    sheet_title: str
    name: str


def _kinds() -> dict[str, ExportKind]:
    # Imported here: succession builds on assessment, and this module is imported by both.
    from assessment import selectors as assessment_selectors
    from succession import selectors as succession_selectors

    return {
        ExportJob.Kind.PETA_TALENTA: ExportKind(
            assessment_selectors.EXPORT_COLUMNS,
            assessment_selectors.talent_map_export_rows,
            assessment_selectors.talent_map_export_count,
            "Peta talenta",
            "peta-talenta",
        ),
        ExportJob.Kind.KANDIDAT: ExportKind(
            succession_selectors.EXPORT_COLUMNS,
            succession_selectors.candidate_export_rows,
            succession_selectors.candidate_export_count,
            "Kandidat",
            "kandidat-suksesi",
        ),
    }


def export_filename(*, kind: str, periode, instansi, fmt: str) -> str:
    return f"{_kinds()[kind].name}-{periode.tahun}{'-' + instansi.kode if instansi else ''}.{fmt}"


def export_rows(*, kind: str, user, periode, instansi):
    """The rows of an export, in `user`'s scope (None: every instansi, for the command line)."""
    return _kinds()[kind].rows(user=user, periode=periode, instansi=instansi)


def export_body(*, kind: str, rows, periode, fmt: str) -> bytes:
    spec = _kinds()[kind]
    if fmt == ExportJob.Format.CSV:
        return write_csv(spec.columns, rows)
    return write_xlsx(spec.columns, rows, sheet_title=f"{spec.sheet_title} {periode.tahun}")


def export_or_job(*, user, kind: str, periode, instansi, fmt: str) -> tuple[bytes | None, ExportJob | None]:
    """The file itself when the export is small, else a job that writes it in the background."""
    spec = _kinds()[kind]
    total = spec.count(user=user, periode=periode, instansi=instansi)
    if total <= settings.EXPORT_INLINE_MAX_ROWS:
        rows = export_rows(kind=kind, user=user, periode=periode, instansi=instansi)
        return export_body(kind=kind, rows=rows, periode=periode, fmt=fmt), None
    return None, export_job_start(user=user, kind=kind, periode=periode, instansi=instansi, fmt=fmt, total=total)


def export_job_start(*, user, kind: str, periode, instansi, fmt: str, total: int) -> ExportJob:
    job = ExportJob.objects.create(
        kind=kind,
        format=fmt,
        periode=periode,
        instansi_ekspor=instansi,
        created_by=user,
        instansi_id=user.scope_instansi_id,
        total_rows=total,
        filename=export_filename(kind=kind, periode=periode, instansi=instansi, fmt=fmt),
    )
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    try:
        export_task.delay(job_id)
    except Exception:
        # The broker is down: end the job at once with a message, rather than leave it waiting forever.
        logger.exception("export %s could not be queued", job_id)
        ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.PENDING).update(
            status=ExportJob.Status.FAILED, message=BROKER_DOWN, finished_at=timezone.now()
        )


def _progress_key(job_id: int) -> str:
    return f"export-{job_id}"


def export_progress(job: ExportJob) -> dict | None:
    return progress.read(_progress_key(job.pk)) if job.is_running else None


def _counted(rows, *, job_id: int, total: int, tally: dict):
    for done, row in enumerate(rows, start=1):
        tally["rows"] = done
        if done % PROGRESS_EVERY == 0:
            progress.report(_progress_key(job_id), stage="Menyusun baris", done=done, total=total)
        yield row


def export_job_run(*, job_id: int) -> None:
    """Write the job's file with the owner's scope; a redelivered task finds the job claimed and stops."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.PENDING).update(
        status=ExportJob.Status.RUNNING
    )
    if not claimed:
        return
    job = ExportJob.objects.select_related("created_by", "periode", "instansi_ekspor").get(pk=job_id)
    tally = {"rows": 0}
    try:
        rows = export_rows(kind=job.kind, user=job.created_by, periode=job.periode, instansi=job.instansi_ekspor)
        counted = _counted(rows, job_id=job.pk, total=job.total_rows, tally=tally)
        body = export_body(kind=job.kind, rows=counted, periode=job.periode, fmt=job.format)
        job.file.save(job.filename, ContentFile(body), save=False)
        job.total_rows = tally["rows"]
        job.status = ExportJob.Status.DONE
    except Exception:
        logger.exception("export %s failed", job_id)
        job.status = ExportJob.Status.FAILED
        job.message = "Ekspor gagal disusun karena kesalahan sistem; tidak ada berkas. Silakan ekspor ulang."
    finally:
        progress.clear(_progress_key(job_id))
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "total_rows", "status", "message", "finished_at"])


@shared_task
def export_task(job_id: int) -> None:
    export_job_run(job_id=job_id)
