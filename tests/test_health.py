"""The probes answer the load balancer whatever its Host header or scheme, and say nothing else."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthz_answers_a_probe_by_address_over_http_without_touching_the_database(
    settings, django_assert_num_queries
):
    settings.ALLOWED_HOSTS = ["talenta.kalbarprov.go.id"]
    settings.SECURE_SSL_REDIRECT = True
    with django_assert_num_queries(0):
        response = Client().get("/healthz", HTTP_HOST="10.0.0.5:8000")
    assert (response.status_code, response.content, response["Content-Type"]) == (200, b"ok", "text/plain")
    assert "no-cache" in response["Cache-Control"]


def test_readyz_answers_a_probe_by_address_and_names_only_services(settings):
    settings.ALLOWED_HOSTS = ["talenta.kalbarprov.go.id"]
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/readyz", HTTP_HOST="10.0.0.5:8000")
    assert response.status_code == 200
    assert set(response.json()) == {"status", "gagal", "checks"}
    assert set(response.json()["checks"]) == {"database", "redis_broker", "redis_cache", "worker"}


def test_other_paths_still_check_the_host(settings):
    settings.ALLOWED_HOSTS = ["talenta.kalbarprov.go.id"]
    assert Client().get("/masuk/", HTTP_HOST="10.0.0.5:8000").status_code == 400
