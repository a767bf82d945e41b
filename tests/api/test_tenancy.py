"""Tenancy and roles through tokens: another instansi's objects are 404, read-only roles get 403 on writes."""

import pytest

from asn.models import Pegawai
from assessment.models import SkpResult
from succession.models import Nominasi

pytestmark = pytest.mark.django_db


def _skp_row(nip, tahun=2023, predikat="Baik"):
    return {"nip": nip, "tahun": tahun, "predikat": predikat}


def test_outsider_token_cannot_read_sambas_objects(api_outsider, world):
    ready, target = world["ready"], world["target"]
    for url in [
        f"/api/v1/pegawai/{ready.pk}/",
        f"/api/v1/kinerja/{world['sambas_skp'].pk}/",
        f"/api/v1/asesmen/{ready.asesmen.get().pk}/",
        f"/api/v1/periode/2026/target/{target.pk}/",
        f"/api/v1/periode/2026/target/{target.pk}/kandidat/",
        f"/api/v1/periode/2026/target/{target.pk}/nominasi/",
        # Naming Sambas in a filter is the same as opening its object.
        "/api/v1/pegawai/?instansi=6101",
        "/api/v1/periode/2026/penempatan/?instansi=6101",
        "/api/v1/periode/2026/peta/?instansi=6101",
        "/api/v1/periode/2026/krs/?instansi=6101",
        "/api/v1/periode/2026/target/?instansi=6101",
        "/api/v1/kinerja/?instansi=6101",
    ]:
        response = api_outsider.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"detail": "Data tidak ditemukan."}, url


def test_outsider_lists_show_only_their_own_instansi(api_outsider, world):
    pegawai = api_outsider.get("/api/v1/pegawai/").json()["results"]
    assert [p["nip"] for p in pegawai] == [world["other"].nip]
    placements = api_outsider.get("/api/v1/periode/2026/penempatan/").json()["results"]
    assert {p["instansi"] for p in placements} == {"6102"}
    records = api_outsider.get("/api/v1/kinerja/").json()["results"]
    assert [r["id"] for r in records] == [world["other_skp"].pk]
    # The same search a Sambas operator would run finds nothing.
    assert api_outsider.get("/api/v1/pegawai/", {"q": world["ready"].nip}).json()["count"] == 0
    assert api_outsider.get("/api/v1/provinsi/").json()["results"][0]["kode"] == "6102"


def test_outsider_token_cannot_write_sambas_objects(api_outsider, world):
    ready, target = world["ready"], world["target"]
    assert api_outsider.patch(f"/api/v1/pegawai/{ready.pk}/", {"nama": "Diubah"}, format="json").status_code == 404
    put = {
        "nip": ready.nip,
        "nama": "Diubah",
        "jenis_asn": "PNS",
        "jabatan_id": ready.jabatan_id,
        "golongan": "III/d",
        "pendidikan": "S2",
    }
    assert api_outsider.put(f"/api/v1/pegawai/{ready.pk}/", put, format="json").status_code == 404
    response = api_outsider.post(
        f"/api/v1/periode/2026/target/{target.pk}/nominasi/", {"pegawai": [ready.pk]}, format="json"
    )
    assert response.status_code == 404
    response = api_outsider.post("/api/v1/periode/2026/hitung-ulang/", {"instansi": "6101"}, format="json")
    assert response.status_code == 404
    ready.refresh_from_db()
    assert ready.nama != "Diubah"
    assert not Nominasi.objects.exists()


def test_outsider_rows_naming_sambas_pegawai_are_refused_by_row(api_outsider, world):
    """Rows are matched by NIP inside the writer's instansi, as in a file import: nothing is written."""
    before = SkpResult.objects.count()
    response = api_outsider.post(
        "/api/v1/kinerja/massal/", [_skp_row(world["other"].nip), _skp_row(world["ready"].nip)], format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "baris": 2,
            "kolom": "nip",
            "nilai": world["ready"].nip,
            "pesan": f"NIP {world['ready'].nip} tidak terdaftar di instansi Anda. Impor data pegawai lebih dahulu.",
        }
    ]
    assert SkpResult.objects.count() == before
    response = api_outsider.post("/api/v1/kinerja/", _skp_row(world["ready"].nip), format="json")
    assert response.status_code == 400
    assert SkpResult.objects.count() == before


def test_outsider_cannot_move_a_pegawai_into_sambas(api_outsider, world):
    other = world["other"]
    move = {"jabatan_id": world["ready"].jabatan_id}
    response = api_outsider.patch(f"/api/v1/pegawai/{other.pk}/", move, format="json")
    assert response.status_code == 400
    assert "jabatan_id" in response.json()["kesalahan"]
    other.refresh_from_db()
    assert other.instansi.kode == "6102"


WRITES = [
    ("post", "/api/v1/pegawai/", {}),
    ("post", "/api/v1/kinerja/", {}),
    ("post", "/api/v1/kinerja/massal/", []),
    ("post", "/api/v1/asesmen/", {}),
    ("post", "/api/v1/asesmen/massal/", []),
    ("post", "/api/v1/disiplin/", {}),
    ("post", "/api/v1/disiplin/massal/", []),
    ("post", "/api/v1/periode/2026/hitung-ulang/", {}),
]


@pytest.mark.parametrize("persona", ["api_bkn", "api_ppk"])
@pytest.mark.parametrize(("method", "url", "body"), WRITES)
def test_read_only_roles_cannot_write_data(request, world, persona, method, url, body):
    client = request.getfixturevalue(persona)
    if body == []:
        body = [_skp_row(world["ready"].nip)]
    elif url.endswith("kinerja/"):
        body = _skp_row(world["ready"].nip)
    before = (Pegawai.objects.count(), SkpResult.objects.count())
    response = getattr(client, method)(url, body, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "Peran Anda hanya dapat membaca data."}
    assert (Pegawai.objects.count(), SkpResult.objects.count()) == before


@pytest.mark.parametrize("persona", ["api_bkn", "api_ppk"])
def test_read_only_roles_cannot_change_a_pegawai(request, world, persona):
    client = request.getfixturevalue(persona)
    ready = world["ready"]
    assert client.patch(f"/api/v1/pegawai/{ready.pk}/", {"nama": "Diubah"}, format="json").status_code == 403
    ready.refresh_from_db()
    assert ready.nama != "Diubah"


def test_bkn_cannot_nominate_nor_decide(api_bkn, api_operator, world):
    target = world["target"]
    url = f"/api/v1/periode/2026/target/{target.pk}/nominasi/"
    assert api_bkn.post(url, {"pegawai": [world["ready"].pk]}, format="json").status_code == 403
    nomination = api_operator.post(url, {"pegawai": [world["ready"].pk]}, format="json").json()[0]
    response = api_bkn.post(f"/api/v1/nominasi/{nomination['id']}/keputusan/", {"keputusan": "setujui"}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "Hanya PPK instansi ini yang dapat memutuskan nominasi."}
    assert Nominasi.objects.get().status == Nominasi.Status.DIUSULKAN


def test_bkn_reads_every_instansi(api_bkn, world):
    assert api_bkn.get(f"/api/v1/pegawai/{world['ready'].pk}/").status_code == 200
    assert api_bkn.get(f"/api/v1/pegawai/{world['other'].pk}/").status_code == 200
    placements = api_bkn.get("/api/v1/periode/2026/penempatan/").json()["results"]
    assert {p["instansi"] for p in placements} == {"6101", "6102"}
    assert api_bkn.get("/api/v1/provinsi/").json()["count"] == 15
