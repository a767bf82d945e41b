"""Pegawai through the API: the page's search, form rules and service."""

import pytest

from asn.models import Pegawai

pytestmark = pytest.mark.django_db

NEW_NIP = "199001152015031002"


def _new(jabatan_id, **overrides):
    return {
        "nip": "19900115 201503 1 002",
        "nama": "Rina Wati",
        "gelar_depan": "",
        "gelar_belakang": "S.E.",
        "jenis_asn": "PNS",
        "jabatan_id": jabatan_id,
        "golongan": "III/a",
        "pendidikan": "S1",
        "tmt_jabatan": "2024-01-02",
        **overrides,
    }


def test_list_searches_by_nip_prefix_or_name_and_filters(api_operator, world):
    ready = world["ready"]
    nip_prefix = f"{ready.nip[:8]} {ready.nip[8:10]}"
    assert [p["id"] for p in api_operator.get("/api/v1/pegawai/", {"q": nip_prefix}).json()["results"]] == [ready.pk]
    assert api_operator.get("/api/v1/pegawai/", {"q": ready.nama}).json()["results"][0]["nip"] == ready.nip
    by_jenjang = api_operator.get("/api/v1/pegawai/", {"jenjang": "pengawas"}).json()["results"]
    assert {p["nip"] for p in by_jenjang} == {ready.nip, world["later"].nip}
    assert api_operator.get("/api/v1/pegawai/", {"jenis_asn": "PPPK"}).json()["count"] == 0
    assert api_operator.get("/api/v1/pegawai/", {"jenis_asn": "honorer"}).status_code == 400


def test_detail_uses_the_export_vocabulary(api_operator, world):
    ready = world["ready"]
    body = api_operator.get(f"/api/v1/pegawai/{ready.pk}/").json()
    assert body["nip"] == ready.nip
    assert (body["instansi"], body["jenjang"], body["golongan"]) == ("6101", "Pengawas", "III/d")
    assert body["tanggal_pensiun"] == ready.tanggal_pensiun.isoformat()


def test_operator_creates_a_pegawai_with_the_form_rules(api_operator, world):
    jabatan_id = world["ready"].jabatan_id
    response = api_operator.post("/api/v1/pegawai/", _new(jabatan_id), format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["nip"] == NEW_NIP  # the spaces are gone
    assert (body["tanggal_lahir"], body["jenis_kelamin"], body["tmt_cpns"]) == ("1990-01-15", "L", "2015-03-01")
    created = Pegawai.objects.get(nip=NEW_NIP)
    assert created.history.latest().history_user.username == "operator-sambas"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"nip": "1990011520150310"}, "nip"),
        ({"golongan": "IX"}, "golongan"),
        ({"pendidikan": "SMP-X"}, "pendidikan"),
        ({"jabatan_id": 10**12}, "jabatan_id"),
        ({"jenis_asn": "honorer"}, "jenis_asn"),
    ],
)
def test_create_refuses_what_the_form_refuses(api_operator, world, overrides, field):
    body = {**_new(world["ready"].jabatan_id), **overrides}
    response = api_operator.post("/api/v1/pegawai/", body, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Data tidak valid."
    assert list(body["kesalahan"]) == [field]
    assert not Pegawai.objects.filter(nip__startswith="19900115").exists()


def test_a_duplicate_nip_is_refused(api_operator, world):
    response = api_operator.post(
        "/api/v1/pegawai/", _new(world["ready"].jabatan_id, nip=world["ready"].nip), format="json"
    )
    assert response.status_code == 400
    assert response.json()["kesalahan"] == {"nip": ["NIP ini sudah terdaftar."]}


def test_patch_changes_only_what_is_sent_and_put_needs_everything(api_operator, world):
    ready = world["ready"]
    response = api_operator.patch(f"/api/v1/pegawai/{ready.pk}/", {"gelar_belakang": "M.Si."}, format="json")
    assert response.status_code == 200
    assert response.json()["nama_lengkap"] == f"{ready.nama}, M.Si."
    assert response.json()["golongan"] == "III/d"
    response = api_operator.put(f"/api/v1/pegawai/{ready.pk}/", {"nama": "Hanya nama"}, format="json")
    assert response.status_code == 400
    assert {"nip", "jenis_asn", "jabatan_id", "golongan", "pendidikan"} <= set(response.json()["kesalahan"])
    response = api_operator.put(
        f"/api/v1/pegawai/{ready.pk}/",
        _new(ready.jabatan_id, nip=ready.nip, nama="Nama Baru", golongan="IV/a"),
        format="json",
    )
    assert response.status_code == 200
    ready.refresh_from_db()
    assert (ready.nama, ready.golongan_id) == ("Nama Baru", "IV/a")


def test_jabatan_list_for_finding_the_jabatan_id(api_operator, world):
    results = api_operator.get("/api/v1/jabatan/", {"q": "mutasi"}).json()["results"]
    assert [(j["id"], j["jenjang"], j["kritikal"]) for j in results] == [(world["target"].pk, "Administrator", True)]
    assert api_operator.get("/api/v1/jabatan/", {"kritikal": "true"}).json()["count"] == 1
