"""Kinerja, asesmen and disiplin through the API: the import's validation and its all-or-nothing rule."""

import datetime as dt

import pytest

from assessment.models import Asesmen, HukumanDisiplin, SkpResult

pytestmark = pytest.mark.django_db

ASESMEN_LEVELS = {
    "integritas": 4,
    "kerja_sama": 3,
    "komunikasi": 3,
    "orientasi_pada_hasil": 3,
    "pelayanan_publik": 4,
    "pengembangan_diri_dan_orang_lain": 3,
    "mengelola_perubahan": 3,
    "pengambilan_keputusan": 3,
    "perekat_bangsa": 3,
}


def _records():
    return (SkpResult.objects.count(), Asesmen.objects.count(), HukumanDisiplin.objects.count())


def test_bulk_with_one_bad_row_writes_nothing_and_names_the_row(api_operator, world):
    ready, later = world["ready"], world["later"]
    before = _records()
    rows = [
        {"nip": ready.nip, "tahun": 2023, "predikat": "Baik"},
        {"nip": later.nip, "tahun": 2023, "predikat": "Baik"},
        {"nip": later.nip, "tahun": 2022, "predikat": "Luar Biasa"},
        {
            "nip": ready.nip,
            "tahun": 2022,
            "rating_hasil_kerja": "Di Atas Ekspektasi",
            "rating_perilaku": "Sesuai Ekspektasi",
        },
    ]
    response = api_operator.post("/api/v1/kinerja/massal/", rows, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Data tidak valid; tidak ada yang disimpan."
    assert body["errors"] == [
        {
            "baris": 3,
            "kolom": "predikat",
            "nilai": "Luar Biasa",
            "pesan": 'Predikat "Luar Biasa" tidak dikenal. Pilihan: Sangat Baik, Baik, Butuh Perbaikan, '
            "Kurang/Misconduct, Sangat Kurang.",
        }
    ]
    assert _records() == before


def test_bulk_writes_every_row_and_reports_the_summary(api_operator, world, django_capture_on_commit_callbacks):
    ready, later = world["ready"], world["later"]
    rows = [
        {"nip": ready.nip, "tahun": 2023, "predikat": "Baik"},
        # Spaces in the NIP and a predikat derived from the two ratings, as in a file.
        {"nip": f"{later.nip[:8]} {later.nip[8:14]} {later.nip[14]} {later.nip[15:]}", "tahun": "2023",
         "rating_hasil_kerja": "Di Atas Ekspektasi", "rating_perilaku": "Di Bawah Ekspektasi"},
        # Unchanged: counted, not written.
        {"nip": ready.nip, "tahun": 2025, "predikat": "Sangat Baik"},
    ]  # fmt: skip
    with django_capture_on_commit_callbacks() as callbacks:
        response = api_operator.post("/api/v1/kinerja/massal/", rows, format="json")
    assert response.status_code == 201
    assert response.json() == {"jumlah_baris": 3, "baru": 2, "diubah": 0, "tetap": 1}
    assert SkpResult.objects.get(pegawai=later, tahun=2023).predikat == "Kurang/Misconduct"
    # The recompute is queued on commit, as after a file import.
    assert callbacks


def test_bulk_rejects_what_a_spreadsheet_cell_cannot_hold(api_operator, world):
    ready = world["ready"]
    rows = [
        {"nip": ready.nip, "tahun": 2023, "predikat": ["Baik"]},
        "bukan objek",
        {"nip": ready.nip, "tahun": True, "predikat": "Baik"},
        {"nip": ready.nip, "tahun": 2021, "predikat": "Ba\x00ik"},
    ]
    response = api_operator.post("/api/v1/kinerja/massal/", rows, format="json")
    assert response.status_code == 400
    assert [(e["baris"], e["kolom"]) for e in response.json()["errors"]] == [
        (1, "predikat"),
        (2, ""),
        (3, "tahun"),
        (4, "predikat"),
    ]
    assert not SkpResult.objects.filter(tahun__in=[2021, 2023]).exists()


@pytest.mark.parametrize("body", [{}, "teks", None])
def test_bulk_needs_a_list(api_operator, world, body):
    response = api_operator.post("/api/v1/kinerja/massal/", body, format="json")
    assert response.status_code == 400
    assert response.json()["kesalahan"] == {"non_field_errors": ["Kirim daftar baris (larik JSON)."]}


def test_an_empty_list_is_an_error(api_operator, world):
    response = api_operator.post("/api/v1/kinerja/massal/", [], format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["pesan"] == "Tidak ada baris data."


def test_bulk_repeated_key_names_the_first_row(api_operator, world):
    nip = world["ready"].nip
    rows = [{"nip": nip, "tahun": 2023, "predikat": "Baik"}, {"nip": nip, "tahun": 2023, "predikat": "Baik"}]
    response = api_operator.post("/api/v1/kinerja/massal/", rows, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["baris"] == 2
    assert "baris 1" in response.json()["errors"][0]["pesan"]


def test_single_kinerja_is_created_then_updated_with_the_import_rules(api_operator, world):
    nip = world["ready"].nip
    response = api_operator.post("/api/v1/kinerja/", {"nip": nip, "tahun": 2023, "predikat": "baik"}, format="json")
    assert response.status_code == 201
    created = response.json()
    assert (created["nip"], created["tahun"], created["predikat"]) == (nip, 2023, "Baik")
    response = api_operator.post(
        "/api/v1/kinerja/",
        {
            "nip": nip,
            "tahun": 2023,
            "rating_hasil_kerja": "Di Atas Ekspektasi",
            "rating_perilaku": "Di Atas Ekspektasi",
        },
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["id"] == created["id"]
    assert response.json()["predikat"] == "Sangat Baik"
    assert api_operator.get(f"/api/v1/kinerja/{created['id']}/").json()["predikat"] == "Sangat Baik"


def test_single_kinerja_error_names_the_column(api_operator, world):
    nip = world["ready"].nip
    body = {"nip": nip, "tahun": 2023, "predikat": "Baik", "rating_hasil_kerja": "Di Atas Ekspektasi"}
    response = api_operator.post("/api/v1/kinerja/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "baris": 1,
            "kolom": "predikat",
            "nilai": "Baik",
            "pesan": "Isi rating hasil kerja dan rating perilaku keduanya, atau kosongkan keduanya.",
        }
    ]
    assert not SkpResult.objects.filter(tahun=2023).exists()


def test_single_and_bulk_asesmen(api_operator, world):
    nip = world["later"].nip
    row = {"nip": nip, "tanggal_asesmen": "10-03-2025", "lembaga": "UPT", "skor_potensi": 72.5, **ASESMEN_LEVELS}
    response = api_operator.post("/api/v1/asesmen/", row, format="json")
    assert response.status_code == 201
    assert response.json()["tanggal_asesmen"] == "2025-03-10"
    assert response.json()["skor_potensi"] == "72.50"
    bad = {**row, "tanggal_asesmen": "2025-04-01", "integritas": 6}
    response = api_operator.post("/api/v1/asesmen/massal/", [row, bad], format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["baris"] == 2
    assert response.json()["errors"][0]["kolom"] == "integritas"
    assert Asesmen.objects.filter(pegawai=world["later"]).count() == 2  # the fixture's and the single one


def test_single_and_bulk_disiplin(api_operator, world):
    nip = world["ready"].nip
    row = {"nip": nip, "tingkat": "ringan", "tanggal_sk": "2025-06-02", "keterangan": "Teguran tertulis"}
    response = api_operator.post("/api/v1/disiplin/", row, format="json")
    assert response.status_code == 201
    assert (response.json()["tingkat"], response.json()["tanggal_sk"]) == ("Ringan", "2025-06-02")
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    response = api_operator.post("/api/v1/disiplin/massal/", [{**row, "tanggal_sk": future}], format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["kolom"] == "tanggal_sk"
    response = api_operator.post("/api/v1/disiplin/massal/", [{**row, "tingkat": "Sedang"}], format="json")
    assert response.status_code == 201
    assert HukumanDisiplin.objects.filter(pegawai=world["ready"]).count() == 2


def test_record_lists_filter_by_nip_year_and_instansi(api_bkn, world):
    ready = world["ready"]
    response = api_bkn.get("/api/v1/kinerja/", {"nip": ready.nip, "tahun": 2025})
    assert [r["id"] for r in response.json()["results"]] == [world["sambas_skp"].pk]
    response = api_bkn.get("/api/v1/kinerja/", {"instansi": "6102"})
    assert [r["id"] for r in response.json()["results"]] == [world["other_skp"].pk]
    assert api_bkn.get("/api/v1/asesmen/", {"nip": ready.nip}).json()["count"] == 1
    assert api_bkn.get("/api/v1/kinerja/", {"tahun": 1999}).status_code == 400


def test_absurd_numbers_are_row_errors_not_crashes(api_operator, world):
    row = {
        "nip": world["later"].nip,
        "tanggal_asesmen": "2025-03-10",
        "skor_potensi": 1e300,
        **ASESMEN_LEVELS,
        "integritas": "1E+999999",
    }
    response = api_operator.post("/api/v1/asesmen/massal/", [row], format="json")
    assert response.status_code == 400
    assert [(e["kolom"], e["pesan"]) for e in response.json()["errors"]] == [
        ("skor_potensi", "Harus antara 0 dan 100."),
        ("integritas", "Harus antara 1 dan 5."),
    ]
