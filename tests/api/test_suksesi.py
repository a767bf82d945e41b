"""Succession through the API: targets, ranked candidates, nominations by the operator, the PPK's decision."""

import pytest

from asn.models import Role
from succession.models import Nominasi
from tests.factories import UserFactory

from .conftest import token_client

pytestmark = pytest.mark.django_db


def _url(world, suffix=""):
    return f"/api/v1/periode/2026/target/{world['target'].pk}/{suffix}"


def test_targets_with_counts(api_operator, api_bkn, world):
    results = api_operator.get("/api/v1/periode/2026/target/").json()["results"]
    assert [(t["jabatan"], t["alasan"], t["jumlah_kandidat"]) for t in results] == [
        ("Kepala Bidang Mutasi", "Kritikal; Kosong", 2)
    ]
    assert results[0]["nominasi_diusulkan"] == 0
    assert api_bkn.get("/api/v1/periode/2026/target/", {"instansi": "6101"}).json()["count"] == 1
    assert api_bkn.get("/api/v1/periode/2026/target/").status_code == 400
    assert api_operator.get(_url(world)).json()["instansi"] == "6101"


def test_candidates_are_ranked(api_ppk, world):
    results = api_ppk.get(_url(world, "kandidat/")).json()["results"]
    assert [(k["peringkat"], k["nip"]) for k in results] == [(1, world["ready"].nip), (2, world["later"].nip)]
    assert results[0]["kesiapan"] == "Siap sekarang" and results[0]["kotak"] == 9


def test_operator_nominates_and_ppk_decides(api_operator, api_ppk, world):
    response = api_operator.post(
        _url(world, "nominasi/"), {"pegawai": [world["ready"].pk, world["later"].pk]}, format="json"
    )
    assert response.status_code == 201
    created = {n["nip"]: n for n in response.json()}
    assert set(created) == {world["ready"].nip, world["later"].nip}
    assert {n["status"] for n in created.values()} == {"diusulkan"}
    # The PPK cannot nominate: nominating is the operator's data write.
    assert api_ppk.post(_url(world, "nominasi/"), {"pegawai": [world["ready"].pk]}, format="json").status_code == 403

    ready_id = created[world["ready"].nip]["id"]
    response = api_ppk.post(f"/api/v1/nominasi/{ready_id}/keputusan/", {"keputusan": "setujui"}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["diputuskan_oleh"]) == ("disetujui", "ppk-sambas")
    later_id = created[world["later"].nip]["id"]
    response = api_ppk.post(f"/api/v1/nominasi/{later_id}/keputusan/", {"keputusan": "tolak"}, format="json")
    assert response.status_code == 400
    assert response.json()["kesalahan"] == {"non_field_errors": ["Tuliskan alasan penolakan."]}
    # The operator cannot decide.
    response = api_operator.post(f"/api/v1/nominasi/{later_id}/keputusan/", {"keputusan": "setujui"}, format="json")
    assert response.status_code == 403
    listed = api_operator.get(_url(world, "nominasi/")).json()["results"]
    assert [(n["nip"], n["status"]) for n in listed] == [
        (world["ready"].nip, "disetujui"),
        (world["later"].nip, "diusulkan"),
    ]
    assert api_operator.get("/api/v1/periode/2026/target/").json()["results"][0]["nominasi_disetujui"] == 1


def test_nominating_someone_who_is_not_a_candidate_is_refused(api_operator, world):
    response = api_operator.post(_url(world, "nominasi/"), {"pegawai": [world["incomplete"].pk]}, format="json")
    assert response.status_code == 400
    assert "bukan kandidat jabatan ini" in response.json()["kesalahan"]["non_field_errors"][0]
    assert not Nominasi.objects.exists()


def test_outsider_ppk_gets_404_on_a_decision(api_operator, world, bengkayang):
    nomination = api_operator.post(_url(world, "nominasi/"), {"pegawai": [world["ready"].pk]}, format="json").json()[0]
    other_ppk = token_client(UserFactory(role=Role.PPK, instansi=bengkayang))
    response = other_ppk.post(
        f"/api/v1/nominasi/{nomination['id']}/keputusan/", {"keputusan": "setujui"}, format="json"
    )
    assert response.status_code == 404
    assert Nominasi.objects.get().status == "diusulkan"
