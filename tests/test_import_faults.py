"""The database connection of a real worker is killed in the middle of an import's write.

The worker writes nothing, the job ends failed with its reason, and "Coba lagi" then imports the
same kept file. To kill the connection at a known point, the test holds a lock on the pegawai
history table: the worker has already copied the pegawai rows in its transaction and waits on its
next COPY, and there the test terminates its backend.
"""

import time

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from asn.models import ImportJob, ImportStatus, Jabatan, Pegawai, UnitKerja
from talenta.tabular import write_csv
from tests.asn.test_import_pegawai import HEADERS, row
from tests.test_worker import _wait_for_status, real_worker  # noqa: F401 (the worker fixture)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("real_worker")]

ROWS = [row(nip=f"19860926201505{1}{number:03d}", nama=f"Pegawai {number}") for number in range(1, 4)]


def _second_connection(*, autocommit: bool = False) -> psycopg.Connection:
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"],
        port=db["PORT"],
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname=db["NAME"],
        autocommit=autocommit,
    )


def _blocked_worker_backend(watcher: psycopg.Connection, table: str, timeout: float = 60) -> int:
    """The pid of the backend waiting for the lock on `table` (the worker, mid-import)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # Autocommit: each query sees pg_stat_activity afresh, not a transaction's snapshot.
        found = watcher.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND wait_event_type = 'Lock' AND query ILIKE %s",
            [f'COPY "{table}"%'],
        ).fetchone()
        if found:
            return found[0]
        time.sleep(0.05)
    raise AssertionError("the worker never reached the write of the history rows")


def test_killed_database_connection_during_an_import_writes_nothing_and_retry_imports(operator_client):
    upload = SimpleUploadedFile("pegawai.csv", write_csv(HEADERS, ROWS), content_type="text/csv")
    operator_client.post(reverse("asn:import-upload"), {"kind": "pegawai", "file": upload})
    job = ImportJob.objects.get()
    assert _wait_for_status(job, {ImportStatus.VALID, ImportStatus.INVALID, ImportStatus.FAILED}) == "valid"

    history_table = Pegawai.history.model._meta.db_table
    with _second_connection() as locker, _second_connection(autocommit=True) as watcher:
        locker.execute(f'LOCK TABLE "{history_table}" IN EXCLUSIVE MODE')
        operator_client.post(reverse("asn:import-confirm", args=[job.pk]), {"struktur_diterima": job.struktur["sidik"]})
        pid = _blocked_worker_backend(watcher, history_table)
        assert watcher.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone() == (True,)
        locker.rollback()

    assert _wait_for_status(job, {ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.INVALID}) == "failed"
    assert job.message == (
        "Impor gagal karena kesalahan sistem; tidak ada data yang disimpan. "
        "Coba lagi; bila gagal lagi, hubungi admin (rinciannya tercatat di log server)."
    )
    assert (Pegawai.objects.count(), Pegawai.history.count(), UnitKerja.objects.count(), Jabatan.objects.count()) == (
        0,
        0,
        0,
        0,
    )
    page = operator_client.get(reverse("asn:import-detail", args=[job.pk]))
    assert "Coba lagi</button>" in page.text

    operator_client.post(reverse("asn:import-retry", args=[job.pk]))
    assert _wait_for_status(job, {ImportStatus.VALID, ImportStatus.INVALID, ImportStatus.FAILED}) == "valid"
    operator_client.post(reverse("asn:import-confirm", args=[job.pk]), {"struktur_diterima": job.struktur["sidik"]})
    assert _wait_for_status(job, {ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.INVALID}) == "done"
    assert job.summary["baru"] == 3
    assert Pegawai.objects.count() == 3
    assert Pegawai.history.count() == 3
