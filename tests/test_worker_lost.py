"""A worker killed mid-recompute: its task comes back to another worker and the stale state clears.

The workers here run with a 4-second task time limit (CELERY_TASK_TIME_LIMIT in their
environment), so the broker's visibility timeout derived from it is 6 seconds instead of the
production 11 minutes, and the test takes seconds.
"""

import os
import signal
import subprocess
import sys
import time
import uuid

import psycopg
import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from assessment.models import Penempatan, Perhitungan, SkpResult
from assessment.selectors import freshness
from talenta import celery_app, pipeline, progress
from tests.conftest import require_service

pytestmark = pytest.mark.services

TIME_LIMIT = 4


def _second_connection() -> psycopg.Connection:
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], password=db["PASSWORD"] or None, dbname=db["NAME"]
    )


def _start_worker(queue: str) -> subprocess.Popen:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "talenta.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CELERY_TASK_TIME_LIMIT": str(TIME_LIMIT),
    }
    command = [sys.executable, "-m", "celery", "-A", "talenta", "worker", "--pool=solo", "-Q", queue, "-l", "warning"]
    return subprocess.Popen(command, env=env)


def _wait(condition, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


@pytest.fixture
def queue(db):
    require_service("PostgreSQL", connection.vendor == "postgresql")
    require_service("Redis broker", django_settings.CELERY_BROKER_URL.startswith("redis://"))
    name = f"talenta-test-lost-{uuid.uuid4().hex[:8]}"
    conf = celery_app.conf
    previous = (conf.task_always_eager, conf.task_default_queue)
    conf.task_always_eager, conf.task_default_queue = False, name
    workers = []
    yield name, workers
    conf.task_always_eager, conf.task_default_queue = previous
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGQUIT)  # cold shutdown: nothing is running by now
            worker.wait(timeout=20)


@pytest.mark.django_db(transaction=True)
def test_a_killed_workers_recompute_is_redelivered_its_stale_state_cleared_and_readyz_recovers(
    queue, settings, operator, pegawai_sambas, periode_2026
):
    name, workers = queue
    # This process judges staleness as the workers do.
    settings.CELERY_TASK_TIME_LIMIT, settings.CELERY_TASK_SOFT_TIME_LIMIT = TIME_LIMIT, TIME_LIMIT - 1
    sambas_id = pegawai_sambas.instansi_id
    SkpResult.objects.create(pegawai=pegawai_sambas, tahun=2025, predikat="Baik")
    # The refresh takes its pair's advisory lock first; held here, the first worker's run stops there.
    holder = _second_connection()
    holder.execute("SELECT pg_advisory_xact_lock(%s, %s)", [periode_2026.pk, sambas_id])
    workers.append(_start_worker(name))
    pipeline.refresh_task.delay(periode_2026.pk, sambas_id)

    state = Perhitungan.objects.filter(periode=periode_2026, instansi_id=sambas_id)
    _wait(lambda: state.filter(dimulai__isnull=False).exists(), timeout=30, what="the run never started")
    # What a killed run leaves on screen: its last progress report.
    progress.report(pipeline.progress_name(periode_2026.pk, sambas_id), stage="penempatan: menghitung", done=1, total=2)
    workers[0].send_signal(signal.SIGKILL)
    workers[0].wait(timeout=10)
    # Its database session waits on the lock still: end it (its transaction rolls back), free the lock.
    holder.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    )
    holder.rollback()
    holder.close()
    assert not Penempatan.objects.exists()  # the killed run wrote nothing

    # Past the time limit the dead run no longer shows as running (nor its frozen progress).
    _wait(
        lambda: freshness(user=operator, periode=periode_2026, instansi=pegawai_sambas.instansi)["berjalan"] == 0,
        timeout=TIME_LIMIT + 2,
        what="the killed run still shows as running past the time limit",
    )

    # The second worker gets the unacknowledged message back once its visibility timeout is over.
    workers.append(_start_worker(name))
    _wait(lambda: state.get().selesai is not None, timeout=30, what="the task was not redelivered within 30 s")

    finished = state.get()
    assert (finished.dimulai, finished.diantrekan, finished.galat, finished.jumlah_penempatan) == (None, None, "", 1)
    assert Penempatan.objects.get().pegawai == pegawai_sambas
    assert progress.read(pipeline.progress_name(periode_2026.pk, sambas_id)) is None
    shown = freshness(user=operator, periode=periode_2026, instansi=pegawai_sambas.instansi)
    assert (shown["berjalan"], shown["antre"], shown["aktif"]) == (0, 0, False)

    # Recovered, with a worker up: ready (it answers pings once it has started, a moment after its first task).
    _wait(lambda: Client().get(reverse("readyz")).status_code == 200, timeout=30, what="never ready")
    assert Client().get(reverse("readyz")).json() == {
        "status": "ok",
        "gagal": [],
        "checks": {"database": "ok", "redis_broker": "ok", "redis_cache": "ok", "worker": "ok"},
    }


@pytest.mark.django_db
def test_a_redelivered_validation_runs_again_only_when_its_first_run_is_past_the_time_limit(operator, sambas):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from asn.models import ImportJob, ImportStatus
    from asn.tasks import validate_import_task
    from talenta.tabular import write_csv
    from tests.asn.test_import_pegawai import HEADERS, row

    def job(started_ago):
        return ImportJob.objects.create(
            kind="pegawai",
            status=ImportStatus.VALIDATING,
            status_changed_at=timezone.now() - started_ago,
            file=SimpleUploadedFile("pegawai.csv", write_csv(HEADERS, [row()])),
            original_name="pegawai.csv",
            created_by=operator,
            instansi=sambas,
        )

    running, killed = job(pipeline.running_stale_after() / 2), job(pipeline.running_stale_after() * 1.1)
    for validating in (running, killed):
        validate_import_task.delay(validating.pk)  # the broker's second delivery (tasks run inline here)
        validating.refresh_from_db()
    assert (running.status, killed.status, killed.summary["baru"]) == (ImportStatus.VALIDATING, ImportStatus.VALID, 1)


def test_the_timeouts_derive_from_the_time_limit_in_order():
    """No task outlives its hard limit; the broker redelivers only after it; an import is judged lost
    only after a redelivery had its chance."""
    limit = django_settings.CELERY_TASK_TIME_LIMIT
    visibility = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert django_settings.CELERY_TASK_SOFT_TIME_LIMIT < limit < visibility < django_settings.IMPORT_STALE_MINUTES * 60
    assert pipeline.running_stale_after().total_seconds() == limit
    assert (django_settings.CELERY_TASK_ACKS_LATE, django_settings.CELERY_TASK_REJECT_ON_WORKER_LOST) == (True, True)
