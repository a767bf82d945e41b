"""Large period exports run as a background job: progress page, download when ready, tenancy."""

import csv
import io
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from asn.models import Role
from assessment.models import ExportJob, Penempatan, Skema
from assessment.selectors import EXPORT_COLUMNS
from talenta import celery_app, exports
from tests.factories import PenempatanFactory, UserFactory, pegawai_in_order

pytestmark = pytest.mark.django_db

BIG = 2_500
EXPORT_URL = reverse("assessment:periode-export", args=[2026])


def _placements(periode, instansi, count: int, *, start: int = 0) -> None:
    """`count` complete placements in box 5, NIPs and names in order."""
    _, people = pegawai_in_order(instansi, count, start=start, nama="Pegawai Ekspor {:05d}")
    skema = Skema.objects.default()
    Penempatan.objects.bulk_create(
        [PenempatanFactory.build(periode=periode, pegawai=pegawai, skema=skema) for pegawai in people],
        batch_size=2000,
    )


@pytest.fixture
def big_sambas(periode_2026, sambas, bengkayang):
    _placements(periode_2026, sambas, BIG)
    # Another instansi's people must never reach Sambas's file.
    _placements(periode_2026, bengkayang, 30, start=50_000)


def _start(client, django_capture_on_commit_callbacks, **query):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(EXPORT_URL, query)
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert response.url == reverse("assessment:ekspor-detail", args=[job.pk])
    return job


def _sheet_rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


def test_big_export_runs_in_the_background_and_downloads(
    operator_client, big_sambas, sambas, django_capture_on_commit_callbacks
):
    job = _start(operator_client, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert (job.status, job.total_rows, job.instansi, job.filename) == (
        ExportJob.Status.DONE,
        BIG,
        sambas,
        "peta-talenta-2026.xlsx",
    )

    page = operator_client.get(reverse("assessment:ekspor-detail", args=[job.pk])).content.decode()
    assert "Berkas siap: 2.500 baris." in page
    download = reverse("assessment:ekspor-unduh", args=[job.pk])
    assert f'href="{download}"' in page and "hx-trigger" not in page

    response = operator_client.get(download)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="peta-talenta-2026.xlsx"'
    rows = _sheet_rows(b"".join(response.streaming_content))
    assert rows[0] == tuple(EXPORT_COLUMNS)
    assert len(rows) == 1 + BIG
    expected_first = {
        "nip": "198501012010011000",
        "nama": "Pegawai Ekspor 00000",
        "instansi": "6101",
        "kotak_hitung": "5",
        "kotak": "5",
        "krs": "tidak",
        "lengkap": "ya",
    }
    first = dict(zip(EXPORT_COLUMNS, rows[1], strict=True))
    assert {name: first[name] for name in expected_first} == expected_first
    assert [r[0] for r in rows[1:]] == [str(198501012010011000 + n) for n in range(BIG)]
    assert {r[2] for r in rows[1:]} == {"6101"}


def test_background_file_equals_the_inline_one(
    operator_client, big_sambas, settings, django_capture_on_commit_callbacks
):
    job = _start(operator_client, django_capture_on_commit_callbacks, format="csv")
    background = b"".join(operator_client.get(reverse("assessment:ekspor-unduh", args=[job.pk])).streaming_content)
    settings.EXPORT_INLINE_MAX_ROWS = 10_000
    inline = operator_client.get(EXPORT_URL, {"format": "csv"})
    assert inline.status_code == 200 and inline["Content-Disposition"].endswith('peta-talenta-2026.csv"')
    assert background == inline.content
    assert len(list(csv.reader(io.StringIO(background.decode("utf-8-sig"))))) == 1 + BIG


def test_small_export_stays_inline(operator_client, periode_2026, sambas):
    _placements(periode_2026, sambas, 40)
    response = operator_client.get(EXPORT_URL)
    assert response.status_code == 200
    assert len(_sheet_rows(response.content)) == 41
    assert not ExportJob.objects.exists()


def test_candidates_export_takes_the_same_path(
    operator_client, periode_2026, settings, django_capture_on_commit_callbacks
):
    # No targets yet: nothing to export, inline; with the threshold below zero even that is a job.
    response = operator_client.get(reverse("succession:export", args=[2026]))
    assert response.status_code == 200 and _sheet_rows(response.content)[1:] == []
    settings.EXPORT_INLINE_MAX_ROWS = -1
    with django_capture_on_commit_callbacks(execute=True):
        response = operator_client.get(reverse("succession:export", args=[2026]))
    job = ExportJob.objects.get()
    assert response.url == reverse("assessment:ekspor-detail", args=[job.pk])
    job.refresh_from_db()
    assert (job.kind, job.status, job.filename) == ("kandidat", "done", "kandidat-suksesi-2026-6101.xlsx")


@pytest.fixture
def nobody_consumes():
    """Tasks go to a queue no worker reads: the job waits, as behind a busy worker."""
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = f"talenta-test-idle-{uuid.uuid4().hex[:8]}"
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous


def test_progress_page_polls_until_the_file_is_ready(
    operator_client, big_sambas, nobody_consumes, django_capture_on_commit_callbacks
):
    job = _start(operator_client, django_capture_on_commit_callbacks)
    url = reverse("assessment:ekspor-detail", args=[job.pk])
    page = operator_client.get(url).content.decode()
    assert "Menunggu…" in page and "2.500 baris akan disusun." in page
    assert f'hx-get="{url}" hx-trigger="every 1s"' in page
    assert operator_client.get(reverse("assessment:ekspor-unduh", args=[job.pk])).status_code == 404

    # What the worker does when it takes the message off the queue; a redelivery changes nothing.
    exports.export_task.apply(args=[job.pk])
    exports.export_task.apply(args=[job.pk])
    fragment = operator_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="ekspor-status"') and "<html" not in fragment
    assert 'data-status="done"' in fragment and "hx-trigger" not in fragment
    assert ExportJob.objects.get().status == ExportJob.Status.DONE


def test_who_may_see_the_job_and_its_file(
    operator, ppk, outsider_client, bkn_client, big_sambas, sambas, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(operator)
    job = _start(client, django_capture_on_commit_callbacks)
    detail = reverse("assessment:ekspor-detail", args=[job.pk])
    download = reverse("assessment:ekspor-unduh", args=[job.pk])
    # A weaker role of the same instansi reads what its operator exported (exports are reads).
    ppk_client = Client()
    ppk_client.force_login(ppk)
    assert ppk_client.get(detail).status_code == 200
    assert ppk_client.get(download).status_code == 200
    # Another instansi's operator learns nothing, not even that the job exists.
    assert outsider_client.get(detail).status_code == 404
    assert outsider_client.get(download).status_code == 404
    assert bkn_client.get(download).status_code == 200
    anonymous = Client().get(download)
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))


def test_a_province_users_export_stays_province_wide(
    bkn, operator_client, big_sambas, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(bkn)
    job = _start(client, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert (job.instansi, job.total_rows) == (None, BIG + 30)
    # It holds other instansi's people: an instansi's own operator may not see it.
    assert operator_client.get(reverse("assessment:ekspor-unduh", args=[job.pk])).status_code == 404
    other_monitor = Client()
    other_monitor.force_login(UserFactory(username="monitor-lain", role=Role.BKN, instansi=None))
    assert other_monitor.get(reverse("assessment:ekspor-unduh", args=[job.pk])).status_code == 200


@pytest.fixture
def broker_down():
    """The broker's address has nothing listening, and tasks are sent rather than run inline."""
    conf = celery_app.conf
    previous = (conf.task_always_eager, conf.broker_url, conf.broker_write_url, conf.task_publish_retry)
    conf.task_always_eager, conf.task_publish_retry = False, False
    conf.broker_url = conf.broker_write_url = "redis://127.0.0.1:1/0"
    # The app keeps its connection pools once made; drop them so the unreachable address is used.
    celery_app._pool, celery_app.amqp._producer_pool = None, None
    yield
    conf.task_always_eager, conf.broker_url, conf.broker_write_url, conf.task_publish_retry = previous
    celery_app._pool, celery_app.amqp._producer_pool = None, None


def test_broker_down_tells_the_user(operator_client, big_sambas, broker_down, django_capture_on_commit_callbacks):
    job = _start(operator_client, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert (job.status, job.message) == (ExportJob.Status.FAILED, exports.BROKER_DOWN)
    page = operator_client.get(reverse("assessment:ekspor-detail", args=[job.pk])).content.decode()
    assert "Ekspor gagal." in page and "Antrean tugas latar belakang tidak dapat dihubungi" in page
    assert "hx-trigger" not in page
    assert operator_client.get(reverse("assessment:ekspor-unduh", args=[job.pk])).status_code == 404
