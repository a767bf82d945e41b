"""Redis is down (cache and broker at a port where nothing listens): every page still serves.

Pages compute what they would have read from the cache, progress shows as "tidak tersedia",
API throttling fails open, an upload is refused with a clear message and writes nothing, a data
write stands while its recompute waits, and /readyz names what failed.
"""

import logging
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from api.throttling import PerUserThrottle
from asn.models import ImportJob, ImportStatus
from asn.services import QUEUE_DOWN
from assessment.models import Perhitungan, SkpResult
from talenta import celery_app, pipeline
from talenta.log_filters import OncePerInterval
from talenta.settings.base import cache_config
from talenta.tabular import write_csv
from tests.asn.test_import_pegawai import HEADERS, row
from tests.conftest import require_service

pytestmark = [pytest.mark.services, pytest.mark.django_db]

# Nothing listens here.
DEAD_REDIS = "redis://127.0.0.1:6399/0"


@pytest.fixture
def world(operator, pegawai_sambas, periode_2026):
    """A computed period of 6101 (while Redis is up), so the pages have figures to show."""
    SkpResult.objects.create(pegawai=pegawai_sambas, tahun=2025, predikat="Baik")
    pipeline.refresh_now(periode_id=periode_2026.pk, instansi_ids=[pegawai_sambas.instansi_id])
    return periode_2026


def _drop_broker_connections() -> None:
    """Celery's app holds its broker connection pool and producer pool, bound to the URL they were
    opened with; let go (as Celery itself does after a fork), the next publish takes the pools of
    the URL configured now. The pools themselves stay open in kombu's registry for the live URL."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def redis_down(settings, world):
    require_service("Redis", django_settings.CELERY_BROKER_URL.startswith("redis://"))
    settings.CACHES = {"default": cache_config(DEAD_REDIS)}
    conf = celery_app.conf
    previous = (conf.get("broker_write_url"), conf.get("broker_read_url"), conf.task_always_eager)
    # The read/write URLs, because CELERY_BROKER_URL in the environment outranks conf.broker_url.
    conf.broker_write_url = conf.broker_read_url = DEAD_REDIS
    conf.task_always_eager = False
    _drop_broker_connections()
    yield
    _drop_broker_connections()
    conf.broker_write_url, conf.broker_read_url, conf.task_always_eager = previous


def _kept_files() -> set[Path]:
    return {path for path in (Path(django_settings.MEDIA_ROOT) / "imports").rglob("*") if path.is_file()}


def test_pages_serve_as_the_right_personas(redis_down, operator_client, bkn_client, pegawai_sambas):
    pages = [
        (operator_client, reverse("succession:targets"), 200),
        (bkn_client, reverse("assessment:provinsi"), 200),
        (operator_client, reverse("asn:pegawai-list"), 200),
        (operator_client, reverse("asn:pegawai-detail", args=[pegawai_sambas.pk]), 200),
        (operator_client, reverse("assessment:peta", args=[2026]), 200),
        (operator_client, reverse("assessment:periode-detail", args=[2026]), 200),
        (operator_client, reverse("home"), 200),
        (operator_client, "/api/v1/pegawai/", 200),
        (bkn_client, "/api/v1/provinsi/", 200),
    ]
    answers = [(url, client.get(url).status_code) for client, url, _ in pages]
    assert answers == [(url, status) for _, url, status in pages]
    # The dashboard's figures are computed afresh, not blank.
    dashboard = bkn_client.get(reverse("assessment:provinsi")).content.decode()
    assert "Kabupaten Sambas" in dashboard


def test_an_upload_is_refused_with_a_clear_message_and_writes_nothing(redis_down, operator_client):
    files_before = _kept_files()
    upload = SimpleUploadedFile("pegawai.csv", write_csv(HEADERS, [row()]), content_type="text/csv")
    response = operator_client.post(reverse("asn:import-upload"), {"kind": "pegawai", "file": upload})

    assert response.status_code == 200
    assert QUEUE_DOWN in response.content.decode()
    assert not ImportJob.objects.exists()
    assert _kept_files() == files_before


def test_confirm_and_retry_are_refused_and_leave_the_job_as_it_was(redis_down, operator_client, operator, sambas):
    valid = ImportJob.objects.create(
        kind="pegawai", status=ImportStatus.VALID, original_name="a.csv", created_by=operator, instansi=sambas
    )
    failed = ImportJob.objects.create(
        kind="pegawai", status=ImportStatus.FAILED, original_name="b.csv", created_by=operator, instansi=sambas
    )
    confirm = operator_client.post(reverse("asn:import-confirm", args=[valid.pk]), follow=True)
    retry = operator_client.post(reverse("asn:import-retry", args=[failed.pk]), follow=True)

    assert (confirm.status_code, retry.status_code) == (200, 200)
    assert QUEUE_DOWN in confirm.content.decode() and QUEUE_DOWN in retry.content.decode()
    valid.refresh_from_db()
    failed.refresh_from_db()
    assert (valid.status, failed.status) == (ImportStatus.VALID, ImportStatus.FAILED)


def test_progress_shows_as_not_available(redis_down, operator_client, operator, world, sambas):
    Perhitungan.objects.filter(periode=world, instansi=sambas).update(dimulai=pipeline.timezone.now())
    fragment = operator_client.get(reverse("assessment:kesegaran", args=[2026]), {"instansi": sambas.pk})
    assert fragment.status_code == 200
    assert "Sedang dihitung ulang" in fragment.content.decode()
    assert 'data-testid="progres-tidak-tersedia">(progres tidak tersedia)' in fragment.content.decode()

    job = ImportJob.objects.create(
        kind="pegawai", status=ImportStatus.VALIDATING, original_name="a.csv", created_by=operator, instansi=sambas
    )
    detail = operator_client.get(reverse("asn:import-detail", args=[job.pk]))
    assert detail.status_code == 200
    assert "Progres tidak tersedia" in detail.content.decode()


def test_a_data_write_stands_and_its_recompute_waits(
    redis_down, operator_client, pegawai_sambas, world, sambas, django_capture_on_commit_callbacks
):
    url = reverse("assessment:record-create", args=[pegawai_sambas.pk, "skp"])
    with django_capture_on_commit_callbacks(execute=True):
        response = operator_client.post(url, {"tahun": 2024, "predikat": "Sangat Baik"})

    assert response.status_code == 302
    assert SkpResult.objects.filter(pegawai=pegawai_sambas, tahun=2024, predikat="Sangat Baik").exists()
    state = Perhitungan.objects.get(periode=world, instansi=sambas)
    assert (state.diantrekan, state.galat) == (None, pipeline.BROKER_DOWN)
    page = operator_client.get(reverse("asn:pegawai-detail", args=[pegawai_sambas.pk]))
    assert page.status_code == 200


def test_the_recompute_button_and_the_api_say_the_queue_is_down(redis_down, operator_client, world):
    button = operator_client.post(reverse("assessment:periode-recompute", args=[2026]), follow=True)
    assert button.status_code == 200
    assert pipeline.BROKER_DOWN in button.content.decode()

    api = operator_client.post("/api/v1/periode/2026/hitung-ulang/", {}, content_type="application/json")
    assert (api.status_code, api.json()) == (503, {"detail": pipeline.BROKER_DOWN})


def test_api_throttling_fails_open(settings, operator, world, request):
    rates = {"user": "2/minute", "anon": "2/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    # The history of this user id left by an earlier run (test databases reuse ids).
    cache.delete(PerUserThrottle.cache_format % {"scope": PerUserThrottle.scope, "ident": operator.pk})
    client = Client()
    client.force_login(operator)
    # With the cache up the limit holds...
    assert [client.get("/api/v1/pegawai/").status_code for _ in range(3)] == [200, 200, 429]

    # ...with it down every request is served.
    request.getfixturevalue("redis_down")
    assert [client.get("/api/v1/pegawai/").status_code for _ in range(3)] == [200, 200, 200]


def test_health_endpoints(redis_down):
    client = Client()
    assert (client.get("/healthz").status_code, client.get("/healthz").content) == (200, b"ok")
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json() == {
        "status": "gagal",
        "gagal": ["redis_broker", "redis_cache", "worker"],
        "checks": {"database": "ok", "redis_broker": "gagal", "redis_cache": "gagal", "worker": "gagal"},
    }


def test_a_cache_outage_is_logged_once_per_interval():
    once = OncePerInterval(seconds=300)
    records = [logging.LogRecord("talenta.cache", logging.ERROR, __file__, 1, "Exception ignored", (), None)] * 3
    assert [once.filter(record) for record in records] == [True, False, False]
