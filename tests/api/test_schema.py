"""The OpenAPI schema: valid without warnings, documentation served offline, and every operation
answers within the schema (schemathesis) for an operator, a PPK and a BKN monitor."""

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from api.services import token_create
from talenta.wsgi import application

SCHEMA_URL = "/api/v1/schema/?format=json"


def test_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert "/api/v1/periode/{tahun}/penempatan/" in (tmp_path / "schema.yml").read_text()


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "asset"), [("/api/v1/docs/", "swagger-ui-dist"), ("/api/v1/redoc/", "redoc")])
def test_documentation_is_served_offline(url, asset):
    page = APIClient().get(url).content.decode()
    assert f"/static/drf_spectacular_sidecar/{asset}/" in page
    assert "cdn" not in page.lower()
    assert "/api/v1/schema/" in page


@pytest.mark.django_db
def test_every_error_status_of_every_operation_is_documented():
    schema = APIClient().get(SCHEMA_URL).json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = set(operation["responses"])
            assert {"401", "403", "404", "429"} <= responses, (method, path)
            filters = [p for p in operation.get("parameters", []) if p["in"] == "query" and "page" not in p["name"]]
            if "requestBody" in operation or filters:
                assert "400" in responses, (method, path)


# --- schemathesis ------------------------------------------------------------------------------------


@pytest.fixture(params=["operator", "ppk", "bkn"])
def persona_token(request, world, operator, ppk, bkn, settings):
    """A token of the persona, in the test world; the throttle is tested on its own, keep it out of the way."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "100000/minute", "anon": "100000/minute"},
    }
    user = {"operator": operator, "ppk": ppk, "bkn": bkn}[request.param]
    _, key = token_create(actor=user, owner=user, nama="schemathesis")
    return key


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    """Schemathesis calls the WSGI application itself, whose request signals close "old" connections;
    inside a test's transaction that closes the connection (PostgreSQL). Django's own test client
    disconnects the same handler around each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# The schema as the WSGI application serves it (generated without touching the database).
schema = schemathesis.openapi.from_wsgi(SCHEMA_URL, application)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_answers_within_its_schema(case, persona_token):
    case.call_and_validate(
        headers={"Authorization": f"Token {persona_token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )


@pytest.mark.django_db
def test_successful_answers_match_the_schema(world, operator, ppk, province_admin):
    """Generated data rarely names a real object: walk one realistic integration and check every answer."""
    keys = {
        name: token_create(actor=user, owner=user, nama="contoh")[1]
        for name, user in (("operator", operator), ("ppk", ppk), ("admin", province_admin))
    }
    ready, target = world["ready"], world["target"]
    skp = {"nip": ready.nip, "tahun": 2023, "predikat": "Baik"}
    periode = {"tahun": 2026}
    on_target = {"tahun": 2026, "jabatan_id": target.pk}

    def call(persona, path, method, expected, **kwargs):
        case = schema[path][method].Case(**kwargs)
        response = case.call_and_validate(
            headers={"Authorization": f"Token {keys[persona]}"},
            checks=[not_a_server_error, response_schema_conformance],
        )
        assert response.status_code == expected, (method, path, response.text)
        return response

    call("operator", "/api/v1/pegawai/{id}/", "GET", 200, path_parameters={"id": ready.pk})
    call("operator", "/api/v1/pegawai/{id}/", "PATCH", 200, path_parameters={"id": ready.pk}, body={"nama": "B"})
    call("operator", "/api/v1/kinerja/", "POST", 201, body=skp)
    call("operator", "/api/v1/kinerja/", "POST", 200, body=skp)
    call("operator", "/api/v1/kinerja/massal/", "POST", 400, body=[skp, {"nip": ready.nip, "tahun": 1}])
    call("operator", "/api/v1/kinerja/massal/", "POST", 201, body=[{**skp, "tahun": 2022}])
    call("operator", "/api/v1/kinerja/{id}/", "GET", 200, path_parameters={"id": world["sambas_skp"].pk})
    call("operator", "/api/v1/asesmen/{id}/", "GET", 200, path_parameters={"id": ready.asesmen.get().pk})
    call("operator", "/api/v1/periode/{tahun}/", "GET", 200, path_parameters=periode)
    call("operator", "/api/v1/periode/{tahun}/hitung-ulang/", "POST", 202, path_parameters=periode, body={})
    call("operator", "/api/v1/periode/{tahun}/peta/", "GET", 200, path_parameters=periode)
    call("operator", "/api/v1/periode/{tahun}/target/{jabatan_id}/", "GET", 200, path_parameters=on_target)
    created = call(
        "operator",
        "/api/v1/periode/{tahun}/target/{jabatan_id}/nominasi/",
        "POST",
        201,
        path_parameters=on_target,
        body={"pegawai": [ready.pk]},
    ).json()
    decision = {"keputusan": "setujui"}
    call(
        "ppk", "/api/v1/nominasi/{id}/keputusan/", "POST", 200, path_parameters={"id": created[0]["id"]}, body=decision
    )
    call("admin", "/api/v1/provinsi/", "GET", 200, query={"tahun": 2026})
    own = call("ppk", "/api/v1/token/", "GET", 200).json()["results"][0]["id"]
    call("ppk", "/api/v1/token/{id}/", "GET", 200, path_parameters={"id": own})
    call("ppk", "/api/v1/token/{id}/", "DELETE", 204, path_parameters={"id": own})
