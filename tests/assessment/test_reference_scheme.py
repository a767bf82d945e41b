"""Tests of the independent reference implementation of the default scheme (no Django, no database)."""

import datetime
from decimal import Decimal

import pytest

from tests.assessment.reference_scheme import expected_export_rows, years_before

D = datetime.date
NIP = "198609262015051001"
PERIODE = {"tahun": 2026, "tanggal_acuan": D(2026, 1, 31)}


def pegawai(**overrides):
    """The §8 worked example; overrides replace single fields."""
    data = {
        "nip": NIP,
        "nama": "Contoh Pegawai",
        "instansi": "6101",
        "jenjang": "Administrator",
        "jenis_asn": "PNS",
        "pendidikan": "S2",
        "standar": None,
        "skp": [{"tahun": 2025, "predikat": "Sangat Baik"}, {"tahun": 2024, "predikat": "Baik"}],
        "asesmen": [{"tanggal": D(2024, 3, 10), "skor_potensi": Decimal("72"), "levels": [4, 3, 3, 3, 4, 3, 3, 3, 3]}],
        "disiplin": [],
    }
    data.update(overrides)
    return data


def row(periode=PERIODE, **overrides):
    p = pegawai(**overrides)
    return expected_export_rows(periode, [p])[p["nip"]]


def asesmen(tanggal=D(2024, 3, 10), skor="72", levels=(4, 3, 3, 3, 4, 3, 3, 3, 3)):
    return {"tanggal": tanggal, "skor_potensi": Decimal(skor), "levels": list(levels)}


def skp(*pairs):
    return [{"tahun": tahun, "predikat": predikat} for tahun, predikat in pairs]


# Kompetensi = 100 (levels 5 against standard 4 → JPM berikutnya 45/45 = 100), S1 (16), no sanction (15):
# P = 40 + 16 + 15 + 0.25·Potensi = 71 + 0.25·Potensi.
FULL = {"standar": [4] * 9, "pendidikan": "S1"}


def asesmen_full(skor):
    return [asesmen(skor=skor, levels=[5] * 9)]


def test_worked_example():
    r = row()
    assert r == {
        "nip": NIP,
        "nama": "Contoh Pegawai",
        "instansi": "6101",
        "jenjang": "Administrator",
        "skor_kinerja": "90.00",
        "kategori_kinerja": "Di Atas Ekspektasi",
        "skor_potensial": "83.22",
        "kategori_potensial": "Tinggi",
        "jpm": "107.41",
        "jpm_berikutnya": "80.56",
        "kotak_hitung": "9",
        "kotak": "9",
        "krs": "ya",
        "label_krs": "KRS Instansi/Nasional",
        "alasan_krs": "",
        "lengkap": "ya",
        "alasan": "",
    }


def test_explicit_standard_equal_to_default_gives_same_result():
    assert row(standar=[3] * 9) == row()


def test_several_pegawai_keyed_by_nip():
    a = pegawai()
    b = pegawai(nip="199001012020121002", skp=[])
    rows = expected_export_rows(PERIODE, [a, b])
    assert set(rows) == {a["nip"], b["nip"]}
    assert rows[b["nip"]]["lengkap"] == "tidak"


@pytest.mark.parametrize(
    ("predikat", "k", "kategori"),
    [
        (("Sangat Baik", "Baik"), "90.00", "Di Atas Ekspektasi"),
        (("Baik", "Baik"), "80.00", "Sesuai Ekspektasi"),
        (("Baik", "Butuh Perbaikan"), "70.00", "Sesuai Ekspektasi"),
        (("Butuh Perbaikan", "Butuh Perbaikan"), "60.00", "Di Bawah Ekspektasi"),
        (("Sangat Kurang", "Kurang/Misconduct"), "30.00", "Di Bawah Ekspektasi"),
    ],
)
def test_kinerja_boundaries(predikat, k, kategori):
    r = row(skp=skp((2025, predikat[0]), (2024, predikat[1])))
    assert r["skor_kinerja"] == k
    assert r["kategori_kinerja"] == kategori


@pytest.mark.parametrize(
    ("overrides", "skor", "p", "kategori"),
    [
        (FULL, "36", "80.00", "Tinggi"),
        (FULL, "35.96", "79.99", "Menengah"),
        (FULL, "35.98", "80.00", "Tinggi"),  # 79.995 rounds half-up to 80.00: category on the rounded value
        (FULL, "35.97", "79.99", "Menengah"),  # 79.9925
        # SD (8) and a Berat sanction (0): P = 40 + 8 + 0 + 0.25·Potensi = 48 + 0.25·Potensi.
        (
            {**FULL, "pendidikan": "SD", "disiplin": [{"tanggal_sk": D(2025, 6, 1), "tingkat": "Berat"}]},
            "48",
            "60.00",
            "Menengah",
        ),
        (
            {**FULL, "pendidikan": "SD", "disiplin": [{"tanggal_sk": D(2025, 6, 1), "tingkat": "Berat"}]},
            "47.96",
            "59.99",
            "Rendah",
        ),
    ],
)
def test_potensial_boundaries(overrides, skor, p, kategori):
    r = row(asesmen=asesmen_full(skor), **overrides)
    assert r["jpm_berikutnya"] == "100.00"
    assert r["skor_potensial"] == p
    assert r["kategori_potensial"] == kategori


def test_jpm_above_100_shown_uncapped_and_capped_only_in_p():
    # levels all 5 against standard 3: JPM = 45/27 = 166.67, JPM berikutnya = 45/36 = 125.00, Kompetensi = 100.
    r = row(asesmen=[asesmen(levels=[5] * 9)])
    assert r["jpm"] == "166.67"
    assert r["jpm_berikutnya"] == "125.00"
    # P = 0.40·100 + 0.25·72 + 0.20·90 + 0.15·100 = 40 + 18 + 18 + 15
    assert r["skor_potensial"] == "91.00"


def test_next_level_standard_capped_at_5():
    # Standard 5 stays 5 for the next level: both JPMs equal.
    r = row(jenjang="JPT Madya", asesmen=[asesmen(levels=[4] * 9)])
    assert r["jpm"] == r["jpm_berikutnya"] == "80.00"


def test_default_level_by_jenjang():
    r = row(jenjang="Pelaksana", asesmen=[asesmen(levels=[1] * 9)])
    assert r["jpm"] == "100.00"
    assert r["jpm_berikutnya"] == "50.00"


def test_assessment_exactly_three_years_old_is_valid():
    r = row(asesmen=[asesmen(tanggal=D(2023, 1, 31))])
    assert r["lengkap"] == "ya"
    assert r["jpm"] == "107.41"


def test_assessment_one_day_older_is_expired():
    r = row(asesmen=[asesmen(tanggal=D(2023, 1, 30))])
    assert r["lengkap"] == "tidak"
    assert r["alasan"] == "Data asesmen kedaluwarsa"
    assert r["jpm"] == r["jpm_berikutnya"] == r["skor_potensial"] == r["kategori_potensial"] == ""
    assert r["kotak"] == r["kotak_hitung"] == ""
    assert r["krs"] == "tidak"
    assert r["label_krs"] == r["alasan_krs"] == ""
    # K is still shown.
    assert r["skor_kinerja"] == "90.00"
    assert r["kategori_kinerja"] == "Di Atas Ekspektasi"


def test_expired_latest_not_replaced_by_older():
    r = row(asesmen=[asesmen(tanggal=D(2022, 12, 1)), asesmen(tanggal=D(2020, 5, 5))])
    assert r["alasan"] == "Data asesmen kedaluwarsa"


def test_assessment_after_tanggal_acuan_ignored():
    later = asesmen(tanggal=D(2026, 2, 1), skor="10", levels=[1] * 9)
    assert row(asesmen=[asesmen(), later]) == row()
    r = row(asesmen=[later])
    assert r["alasan"] == "Data asesmen tidak ada"
    assert r["jpm"] == ""


def test_assessment_on_tanggal_acuan_counts():
    r = row(asesmen=[asesmen(), asesmen(tanggal=D(2026, 1, 31), levels=[3] * 9)])
    assert r["jpm"] == "100.00"


def test_latest_assessment_used_for_levels_and_skor():
    older = asesmen(tanggal=D(2023, 6, 1), skor="50", levels=[3] * 9)
    assert row(asesmen=[asesmen(), older]) == row(asesmen=[older, asesmen()]) == row()
    newer = asesmen(tanggal=D(2025, 1, 1), skor="50", levels=[3] * 9)
    r = row(asesmen=[asesmen(), newer])
    # Both values from the newer one: JPM 27/27, P = 0.40·75 + 0.25·50 + 18 + 15 = 75.50
    assert (r["jpm"], r["jpm_berikutnya"], r["skor_potensial"]) == ("100.00", "75.00", "75.50")


def test_sanction_exactly_two_years_before_counts():
    r = row(disiplin=[{"tanggal_sk": D(2024, 1, 31), "tingkat": "Sedang"}])
    # P = 32.224 + 18 + 18 + 0.15·40 = 74.224
    assert r["skor_potensial"] == "74.22"
    assert r["kotak"] == "7"
    assert r["krs"] == "tidak"
    assert r["label_krs"] == ""
    assert r["alasan_krs"] == "Hukuman disiplin tingkat Sedang dalam 2 tahun terakhir"


def test_sanction_one_day_before_window_ignored():
    assert row(disiplin=[{"tanggal_sk": D(2024, 1, 30), "tingkat": "Berat"}]) == row()


def test_sanction_after_tanggal_acuan_ignored():
    assert row(disiplin=[{"tanggal_sk": D(2026, 2, 1), "tingkat": "Berat"}]) == row()


def test_ringan_sanction_lowers_p_but_does_not_block_pool():
    r = row(disiplin=[{"tanggal_sk": D(2025, 5, 5), "tingkat": "Ringan"}])
    # P = 32.224 + 18 + 18 + 10.5 = 78.724
    assert r["skor_potensial"] == "78.72"
    assert r["kotak"] == "7"
    assert r["krs"] == "ya"
    assert r["label_krs"] == "KRS Instansi"


def test_heaviest_sanction_named_once():
    r = row(
        disiplin=[
            {"tanggal_sk": D(2025, 5, 5), "tingkat": "Sedang"},
            {"tanggal_sk": D(2024, 5, 5), "tingkat": "Berat"},
            {"tanggal_sk": D(2025, 8, 5), "tingkat": "Ringan"},
        ],
        asesmen=[asesmen(levels=[5] * 9)],
    )
    # P = 40 + 18 + 18 + 0 = 76 → Menengah, box 7
    assert r["skor_potensial"] == "76.00"
    assert r["kotak"] == "7"
    assert r["alasan_krs"] == "Hukuman disiplin tingkat Berat dalam 2 tahun terakhir"


def test_single_skp_year():
    r = row(skp=skp((2024, "Sangat Baik")))
    assert r["skor_kinerja"] == "100.00"
    assert r["kategori_kinerja"] == "Di Atas Ekspektasi"
    assert r["lengkap"] == "ya"
    assert r["kotak"] == "9"
    assert r["krs"] == "tidak"
    assert r["alasan_krs"] == "SKP 2025 tidak ada"


def test_skp_years_outside_period_ignored():
    r = row(skp=skp((2025, "Sangat Baik"), (2024, "Baik"), (2023, "Sangat Kurang"), (2026, "Sangat Kurang")))
    assert r == row()


def test_no_skp():
    r = row(skp=skp((2023, "Sangat Baik")))
    assert r["skor_kinerja"] == r["kategori_kinerja"] == ""
    assert r["lengkap"] == "tidak"
    assert r["alasan"] == "Data kinerja tidak ada"
    assert r["kotak"] == r["kotak_hitung"] == ""
    # P and both JPMs are still shown.
    assert (r["skor_potensial"], r["jpm"], r["jpm_berikutnya"]) == ("83.22", "107.41", "80.56")
    assert r["krs"] == "tidak"
    assert r["alasan_krs"] == ""


def test_all_reasons_in_order():
    r = row(skp=[], asesmen=[], pendidikan=None)
    assert r["alasan"] == "Data kinerja tidak ada; Data asesmen tidak ada; Data pendidikan tidak ada"
    r = row(skp=[], asesmen=[asesmen(tanggal=D(2020, 1, 1))], pendidikan=None)
    assert r["alasan"] == "Data kinerja tidak ada; Data asesmen kedaluwarsa; Data pendidikan tidak ada"


def test_missing_pendidikan_keeps_jpm_but_not_p():
    r = row(pendidikan=None)
    assert r["alasan"] == "Data pendidikan tidak ada"
    assert r["skor_potensial"] == r["kategori_potensial"] == ""
    assert (r["jpm"], r["jpm_berikutnya"]) == ("107.41", "80.56")


def test_all_pool_exclusion_reasons_in_order():
    r = row(
        skp=skp((2024, "Butuh Perbaikan"), (2025, "Sangat Baik")),
        disiplin=[{"tanggal_sk": D(2025, 1, 1), "tingkat": "Sedang"}],
        asesmen=[asesmen(levels=[5] * 9, skor="100")],
    )
    # K = 80 → Sesuai; P = 40 + 25 + 18 + 6 = 89 → Tinggi → box 8
    assert r["kotak"] == "8"
    assert r["alasan_krs"] == "Predikat SKP 2024 di bawah Baik; Hukuman disiplin tingkat Sedang dalam 2 tahun terakhir"
    r = row(skp=skp((2025, "Butuh Perbaikan")), asesmen=[asesmen(levels=[5] * 9, skor="100")])
    # K = 60 → Di Bawah; box 6: no pool reasons shown outside boxes 7-9
    assert r["kotak"] == "6"
    assert r["alasan_krs"] == ""


def test_missing_and_low_skp_reasons_later_year_first():
    # A missing year and a sanction together (a single year below Baik cannot reach box 7-9: K <= 60).
    r = row(skp=skp((2024, "Sangat Baik")), disiplin=[{"tanggal_sk": D(2025, 1, 1), "tingkat": "Berat"}])
    # P = 32.224 + 18 + 18 + 0 = 68.224 → Menengah, box 7
    assert r["kotak"] == "7"
    assert r["alasan_krs"] == "SKP 2025 tidak ada; Hukuman disiplin tingkat Berat dalam 2 tahun terakhir"


def test_box_8_label():
    r = row(skp=skp((2025, "Baik"), (2024, "Baik")))
    assert r["kotak"] == "8"
    assert r["label_krs"] == "KRS Instansi"
    assert r["krs"] == "ya"


def test_pppk_may_be_in_pool():
    r = row(jenis_asn="PPPK")
    assert r["krs"] == "ya"


def test_years_before_29_february():
    assert years_before(D(2028, 2, 29), 3) == D(2025, 2, 28)
    assert years_before(D(2028, 2, 29), 2) == D(2026, 2, 28)
    assert years_before(D(2028, 2, 29), 4) == D(2024, 2, 29)


def test_29_february_tanggal_acuan():
    periode = {"tahun": 2028, "tanggal_acuan": D(2028, 2, 29)}
    base = {
        "skp": skp((2027, "Sangat Baik"), (2026, "Baik")),
        "asesmen": [asesmen(tanggal=D(2025, 2, 28))],  # exactly 3 years before (29 Feb → 28 Feb): valid
        "disiplin": [{"tanggal_sk": D(2026, 2, 28), "tingkat": "Berat"}],  # window start: counts
    }
    r = row(periode, **base)
    assert r["lengkap"] == "ya"
    assert r["skor_potensial"] == "68.22"  # 32.224 + 18 + 18 + 0
    assert r["alasan_krs"] == "Hukuman disiplin tingkat Berat dalam 2 tahun terakhir"

    r = row(periode, **{**base, "asesmen": [asesmen(tanggal=D(2025, 2, 27))]})
    assert r["alasan"] == "Data asesmen kedaluwarsa"

    r = row(periode, **{**base, "disiplin": [{"tanggal_sk": D(2026, 2, 27), "tingkat": "Berat"}]})
    assert r["skor_potensial"] == "83.22"
    assert r["krs"] == "ya"
