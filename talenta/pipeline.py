"""Derived data in one chain, computed per (periode, instansi).

    an input of an instansi changes: pegawai forms and imports, kinerja/asesmen/disiplin records,
    the API, a finalised calibration meeting, a scheme choice, the jabatan structure
      -> inputs_changed(instansi_ids)       queue one refresh per open period and instansi, on commit
         -> refresh_task(periode, instansi)  a Celery task; the nightly job fans out one per instansi
            -> refresh(periode, instansi)    under the lock of that pair, in one transaction:
               1. placements, and the talent pool they carry    assessment.services.placements_compute
               2. jabatan target and ranked candidates          succession.services.candidates_compute
               3. dashboard aggregates                          assessment.selectors.dashboard_invalidate

The apps call `inputs_changed` (a talent-review meeting when it is finalised: a draft's moves are
proposals and change nothing derived); this module calls the apps' steps. Nothing registers itself
at start-up. The steps are imported inside the functions that run them because the apps import this
module to queue work.

Where the chain stands for each pair lives in `assessment.models.Perhitungan` (queued, running, last
finished), so pages can say how fresh their figures are even when the cache is down.
"""

import datetime as dt
import gc
import logging
from collections import Counter
from collections.abc import Iterable
from contextlib import contextmanager
from functools import partial

from celery import group, shared_task
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from assessment.models import Perhitungan, Periode
from talenta import progress

logger = logging.getLogger(__name__)

# A queued refresh that has not started after this long was lost (a flushed broker): queue it again.
# A duplicate is harmless, the refresh is idempotent; the flag only spares work.
QUEUE_STALE = dt.timedelta(minutes=15)


BROKER_DOWN = "Antrean tugas tidak tersedia; hitung ulang menunggu perubahan berikutnya atau proses malam."


class QueueUnavailable(Exception):
    """The broker refused the refresh; the pairs are unflagged and carry BROKER_DOWN as their error."""


def _no_progress(*_) -> None:
    pass


def progress_name(periode_id: int, instansi_id: int) -> str:
    return f"refresh-{periode_id}-{instansi_id}"


def running_stale_after() -> dt.timedelta:
    """A run that started longer ago than the task's hard time limit was killed and is not running."""
    return dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


# --- queueing ------------------------------------------------------------------------------------------


def _open_periode_ids() -> list[int]:
    return list(Periode.objects.exclude(status=Periode.Status.CLOSED).values_list("id", flat=True))


def inputs_changed(*, instansi_ids: Iterable[int | None]) -> None:
    """Refresh every open period of these instansi once the current transaction commits.

    Coalesced: while a refresh of the same pair is queued and not started, no second one is queued,
    so a burst of edits (or an import of 20,000 rows) costs one refresh per instansi. With the broker
    down the change still stands: its pairs say so on the pages and the next change or the nightly run
    queues them.
    """
    changed = sorted({pk for pk in instansi_ids if pk is not None})
    pairs = [(periode_id, instansi_id) for periode_id in _open_periode_ids() for instansi_id in changed]
    if pairs:
        transaction.on_commit(partial(_enqueue, pairs))


def queue_refresh(*, periode_ids: Iterable[int] | None = None, instansi_ids: Iterable[int] | None = None) -> int:
    """Queue a refresh now of these instansi (default all) in these open periods (default all open).

    One task per pair, sent as a group: the nightly safety net and the "hitung ulang" buttons.
    Returns how many were queued (pairs already waiting are not queued twice); raises
    QueueUnavailable when the broker is down, so a button can say so.
    """
    from asn.models import Instansi

    open_ids = _open_periode_ids()
    periode_ids = open_ids if periode_ids is None else [p for p in periode_ids if p in open_ids]
    if instansi_ids is None:
        instansi_ids = Instansi.objects.order_by("kode").values_list("id", flat=True)
    instansi_ids = list(instansi_ids)
    return _enqueue([(p, i) for p in periode_ids for i in instansi_ids], raise_when_down=True)


def _mark_queued(periode_id: int, instansi_id: int) -> bool:
    """Flag the pair as queued; False when a refresh is already waiting for it."""
    now = timezone.now()
    Perhitungan.objects.get_or_create(periode_id=periode_id, instansi_id=instansi_id)
    waiting = Q(diantrekan__isnull=False, diantrekan__gte=now - QUEUE_STALE)
    return bool(
        Perhitungan.objects.filter(periode_id=periode_id, instansi_id=instansi_id)
        .exclude(waiting)
        .update(diantrekan=now)
    )


def _enqueue(pairs: list[tuple[int, int]], *, raise_when_down: bool = False) -> int:
    queued = [(p, i) for p, i in pairs if _mark_queued(p, i)]
    if not queued:
        return 0
    try:
        group(refresh_task.si(p, i) for p, i in queued).apply_async()
    except Exception as exc:
        # The broker is down (the publish fails within seconds, see CELERY_TASK_PUBLISH_RETRY_POLICY).
        # The change itself is committed; say on the pages that its derived data waits, and unflag so
        # the next change (or the nightly run) queues the refresh again.
        logger.exception("refresh could not be queued for %s", queued)
        for p, i in queued:
            Perhitungan.objects.filter(periode_id=p, instansi_id=i).update(diantrekan=None, galat=BROKER_DOWN)
        if raise_when_down:
            raise QueueUnavailable(BROKER_DOWN) from exc
        return 0
    return len(queued)


# --- running -------------------------------------------------------------------------------------------


def _lock_pair(periode_id: int, instansi_id: int) -> None:
    """Serialise refreshes of one pair for the rest of the transaction; other pairs run alongside.

    PostgreSQL: a transaction-level advisory lock keyed by the pair (it never blocks the plain row
    updates that queue work). SQLite has one writer at a time, which serialises every pair anyway.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [periode_id, instansi_id])


@contextmanager
def _collector_paused():
    """Python's cycle collector stays off while a refresh builds and writes its rows.

    A refresh allocates a few containers per pegawai and holds them until it writes; the collector,
    triggered by allocations, walks every one of them again and again: about a fifth of the refresh's
    Python time for an instansi of 20,000 pegawai (docs/scale.md). Those rows form no reference cycles,
    so nothing is left waiting; whatever cycles the run does make are collected after it.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def refresh(*, periode_id: int, instansi_id: int, report=_no_progress) -> dict:
    """Recompute every derived table of one instansi in one period, in this order, atomically."""
    from assessment.selectors import dashboard_invalidate
    from assessment.services import PeriodeClosed, placements_compute
    from succession.services import candidates_compute

    started = timezone.now()
    Perhitungan.objects.get_or_create(periode_id=periode_id, instansi_id=instansi_id)
    # Outside the transaction, so pages see the run at once; later changes must queue another run.
    Perhitungan.objects.filter(periode_id=periode_id, instansi_id=instansi_id).update(diantrekan=None, dimulai=started)
    state = Perhitungan.objects.filter(periode_id=periode_id, instansi_id=instansi_id)
    try:
        with _collector_paused(), transaction.atomic():
            _lock_pair(periode_id, instansi_id)
            placements = placements_compute(
                periode_id=periode_id, instansi_id=instansi_id, report=partial(report, "penempatan")
            )
            candidates = candidates_compute(
                periode_id=periode_id, instansi_id=instansi_id, report=partial(report, "kandidat")
            )
            state.update(
                selesai=timezone.now(), jumlah_penempatan=placements, jumlah_target=candidates["target"], galat=""
            )
            transaction.on_commit(partial(dashboard_invalidate, periode_id, instansi_id))
    except PeriodeClosed:
        # Closed between queueing and running: a closed period never changes.
        return {"penempatan": 0, "target": 0, "kandidat": 0, "nominasi_ditinjau": 0}
    except Exception as exc:
        state.update(galat=f"{type(exc).__name__}: {exc}"[:1000])
        raise
    finally:
        # Only this run's mark: a second run of the pair that waited on the lock has marked its own.
        state.filter(dimulai=started).update(dimulai=None)
    return {"penempatan": placements, **candidates}


def refresh_now(*, periode_id: int, instansi_ids: Iterable[int] | None = None, report=_no_progress) -> dict:
    """Refresh pairs in this process, one transaction each (commands, the demo, benchmarks)."""
    from asn.models import Instansi

    if instansi_ids is None:
        instansi_ids = Instansi.objects.order_by("kode").values_list("id", flat=True)
    totals = Counter({"penempatan": 0, "target": 0, "kandidat": 0, "nominasi_ditinjau": 0})
    for instansi_id in list(instansi_ids):
        totals.update(refresh(periode_id=periode_id, instansi_id=instansi_id, report=report))
    return dict(totals)


@shared_task(name="talenta.pipeline.refresh_task")
def refresh_task(periode_id: int, instansi_id: int) -> dict:
    name = progress_name(periode_id, instansi_id)

    def report(step: str, stage: str, done: int, total: int) -> None:
        progress.report(name, stage=f"{step}: {stage}", done=done, total=total)

    try:
        return refresh(periode_id=periode_id, instansi_id=instansi_id, report=report)
    finally:
        progress.clear(name)


@shared_task(name="talenta.pipeline.refresh_open_periods_task")
def refresh_open_periods_task() -> int:
    """Nightly: every instansi of every open period, one task each."""
    return queue_refresh()
