"""Periods, recompute, placements, the nine-box counts, the talent pool and the provincial aggregates."""

import pytest
from django.utils import timezone

from assessment import selectors
from assessment.models import Penempatan, Perhitungan, Periode

pytestmark = pytest.mark.django_db

RECOMPUTE = "/api/v1/periode/2026/hitung-ulang/"


def test_periods_and_their_last_computation(api_ppk, world):
    assert [p["tahun"] for p in api_ppk.get("/api/v1/periode/").json()["results"]] == [2026]
    body = api_ppk.get("/api/v1/periode/2026/").json()
    latest = Perhitungan.objects.get(periode__tahun=2026, instansi__kode="6101").selesai
    assert body["status"] == "open" and body["tanggal_acuan"] == "2026-01-31"
    assert body["terakhir_dihitung"] is not None
    assert body["terakhir_dihitung"] == timezone.localtime(latest).isoformat()
    assert body["perhitungan"] is None
    assert api_ppk.get("/api/v1/periode/2031/").status_code == 404


def _refreshed(periode) -> set[str]:
    return set(
        Perhitungan.objects.filter(periode=periode, selesai__isnull=False).values_list("instansi__kode", flat=True)
    )


def test_operator_recomputes_their_instansi(api_operator, world):
    Perhitungan.objects.all().delete()
    response = api_operator.post(RECOMPUTE, {}, format="json")
    assert response.status_code == 202
    assert response.json() == {
        "detail": "Perhitungan ulang dijadwalkan; hasil tampil setelah selesai.",
        "periode": 2026,
        "instansi": "6101",
    }
    assert _refreshed(world["periode"]) == {"6101"}


def test_province_admin_recomputes_one_instansi_or_all(api_admin, world, bengkayang):
    Perhitungan.objects.all().delete()
    assert api_admin.post(RECOMPUTE, {"instansi": "6102"}, format="json").json()["instansi"] == "6102"
    assert _refreshed(world["periode"]) == {"6102"}
    assert api_admin.post(RECOMPUTE, {}, format="json").json()["instansi"] is None
    assert len(_refreshed(world["periode"])) == 15


def test_a_closed_period_is_not_recomputed(api_operator, world):
    Perhitungan.objects.all().delete()
    Periode.objects.filter(pk=world["periode"].pk).update(status=Periode.Status.CLOSED)
    response = api_operator.post(RECOMPUTE, {}, format="json")
    assert response.status_code == 409
    assert response.json() == {"detail": "Periode yang sudah ditutup tidak dapat dihitung ulang."}
    assert not Perhitungan.objects.exists()


def test_recompute_runs_the_task_on_commit(api_operator, world, django_capture_on_commit_callbacks):
    Penempatan.objects.filter(pegawai=world["ready"]).delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert api_operator.post(RECOMPUTE, {}, format="json").status_code == 202
    assert Penempatan.objects.get(pegawai=world["ready"]).kotak == 9


def test_placements_carry_the_export_columns(api_operator, world):
    results = api_operator.get("/api/v1/periode/2026/penempatan/").json()["results"]
    exported = {row[0]: row for row in selectors.talent_map_export_rows(user=None, periode=world["periode"])}
    assert len(results) == 3
    for placement in results:
        row = dict(zip(selectors.EXPORT_COLUMNS, exported[placement["nip"]], strict=True))
        for column in selectors.EXPORT_COLUMNS:
            value = placement[column]
            if isinstance(value, bool):
                value = "ya" if value else "tidak"
            assert ("" if value is None else str(value)) == row[column], column


def test_placements_filter_by_box_pool_completeness_and_nip(api_bkn, world):
    def nips(**params):
        return [p["nip"] for p in api_bkn.get("/api/v1/periode/2026/penempatan/", params).json()["results"]]

    ready, later, incomplete = world["ready"].nip, world["later"].nip, world["incomplete"].nip
    assert nips(instansi="6101", lengkap="false") == [incomplete]
    assert sorted(nips(instansi="6101", krs="true")) == sorted([ready, later])
    assert nips(kotak=9, nip=ready) == [ready]
    assert nips(instansi="6102") == [world["other"].nip]
    assert api_bkn.get("/api/v1/periode/2026/penempatan/", {"kotak": 10}).status_code == 400
    assert api_bkn.get("/api/v1/periode/2026/penempatan/", {"page": 99}).status_code == 404


def test_nine_box_counts_are_the_map_selector(api_operator, api_bkn, world, sambas):
    body = api_operator.get("/api/v1/periode/2026/peta/").json()
    expected = selectors.talent_map(placements=Penempatan.objects.filter(periode=world["periode"], instansi=sambas))
    assert [b["jumlah"] for b in body["kotak"]] == [expected["counts"][box] for box in range(1, 10)]
    assert (body["lengkap"], body["tidak_lengkap"], body["total"]) == (2, 1, 3)
    assert [r["alasan"] for r in body["alasan_tidak_lengkap"]][:1] == [expected["alasan_tidak_lengkap"][0][0]]
    # The map's own filters apply; BKN names the instansi.
    filtered = api_bkn.get("/api/v1/periode/2026/peta/", {"instansi": "6101", "jenjang": "pengawas"}).json()
    assert filtered["total"] == 2
    assert api_bkn.get("/api/v1/periode/2026/peta/").status_code == 400
    assert api_bkn.get("/api/v1/periode/2026/peta/", {"instansi": "6101", "usia": "99+"}).status_code == 400


def test_talent_pool_members_and_those_kept_out(api_operator, world):
    members = api_operator.get("/api/v1/periode/2026/krs/").json()["results"]
    assert {m["nip"] for m in members} == {world["ready"].nip, world["later"].nip}
    assert all(m["krs"] and m["label_krs"] for m in members)
    assert api_operator.get("/api/v1/periode/2026/krs/", {"bagian": "di_luar"}).json()["count"] == 0


def test_provincial_aggregates_count_in_the_database(api_bkn, world, django_assert_max_num_queries):
    api_bkn.get("/api/v1/provinsi/")  # the token's last-used write happens once
    with django_assert_max_num_queries(6):
        response = api_bkn.get("/api/v1/provinsi/", {"tahun": 2026, "page_size": 20})
    rows = {row["kode"]: row for row in response.json()["results"]}
    assert len(rows) == 15
    assert rows["6101"] == {
        "kode": "6101",
        "nama": "Kabupaten Sambas",
        "jumlah_pegawai": 3,
        "jumlah_penempatan": 3,
        "penempatan_lengkap": 2,
        "persen_terpetakan": 66.7,
        "persen_kualitas_data": 0.0,  # no TMT jabatan in these rows
        "jumlah_krs": 2,
        "jumlah_jabatan_target": 1,
        "jabatan_target_tercakup": 0,
        "persen_cakupan_suksesi": 0.0,
        "persen_kalibrasi": 0.0,
        "tahap": "belum_memulai",
        **{f"kotak_{box}": 0 for box in range(1, 10)},
        **{f"kotak_{box}": n for box, n in selectors.talent_map(
            placements=Penempatan.objects.filter(instansi__kode="6101")
        )["counts"].items() if n},
    }  # fmt: skip
    assert rows["6102"]["jumlah_pegawai"] == 1 and rows["6102"]["penempatan_lengkap"] == 0
    assert rows["6171"]["jumlah_penempatan"] == 0
    assert api_bkn.get("/api/v1/provinsi/", {"tahun": 2030}).status_code == 404


def test_api_answers_carry_the_freshness_headers(api_operator, api_bkn, world):
    answer = api_operator.get("/api/v1/periode/2026/penempatan/")
    computed = Perhitungan.objects.get(periode=world["periode"], instansi=world["ready"].instansi).selesai
    assert answer["Talenta-Dihitung"] == computed.isoformat()
    assert answer["Talenta-Status-Hitung"] == "selesai"
    province = api_bkn.get("/api/v1/provinsi/")
    assert province["Talenta-Status-Hitung"] == "selesai"
    assert province["Talenta-Dihitung"] == min(Perhitungan.objects.values_list("selesai", flat=True)).isoformat()
