"""The scoring rules against the spec's worked example, its boundaries, and an independent implementation."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asn.reference import JENJANG, PENDIDIKAN
from assessment import scoring
from assessment.defaults import DEFAULT_SCHEME
from assessment.selectors import format_export_row
from tests.assessment.reference_scheme import expected_row

SCHEME = scoring.SchemeParams(
    **{
        key: (
            {k: Decimal(str(v)) for k, v in value.items()}
            if isinstance(value, dict)
            else value
            if isinstance(value, int)
            else Decimal(value)
        )
        for key, value in DEFAULT_SCHEME.items()
    }
)
DEFAULT_LEVEL = {nama: level for _, nama, _, level, _ in JENJANG}
ACUAN_2026 = dt.date(2026, 1, 31)


def skp(**by_year):
    return {int(year[1:]): scoring.SkpInput(id=0, tahun=int(year[1:]), predikat=p) for year, p in by_year.items()}


def asesmen(tanggal, skor="72", levels=(4, 3, 3, 3, 4, 3, 3, 3, 3)):
    return scoring.AsesmenInput(id=1, tanggal=tanggal, lembaga="", skor_potensi=Decimal(skor), levels=tuple(levels))


def pegawai(**overrides):
    values = {
        "pendidikan": "S2",
        "required_levels": (3,) * 9,
        "skp": skp(y2025="Sangat Baik", y2024="Baik"),
        "asesmen": [asesmen(dt.date(2024, 3, 10))],
        "sanksi": [],
    }
    values.update(overrides)
    return scoring.PegawaiInput(**values)


def place(p, acuan=ACUAN_2026):
    return scoring.place(p, tahun=acuan.year, tanggal_acuan=acuan, scheme=SCHEME)


def test_worked_example_of_the_spec():
    result = place(pegawai())
    assert result.skor_kinerja == Decimal("90.00")
    assert result.kategori_kinerja == "Di Atas Ekspektasi"
    assert result.jpm == Decimal("107.41")
    assert result.jpm_berikutnya == Decimal("80.56")
    assert result.komponen_kompetensi == Decimal("80.56")
    assert result.skor_potensial == Decimal("83.22")
    assert result.kategori_potensial == "Tinggi"
    assert (result.kotak_hitung, result.kotak, result.krs, result.label_krs) == (9, 9, True, "KRS Instansi/Nasional")
    assert (result.lengkap, result.alasan, result.alasan_krs) == (True, "", "")


@pytest.mark.parametrize(
    ("by_year", "k", "category"),
    [
        ({"y2025": "Sangat Baik", "y2024": "Baik"}, "90.00", "Di Atas Ekspektasi"),
        ({"y2025": "Baik", "y2024": "Butuh Perbaikan"}, "70.00", "Sesuai Ekspektasi"),
        ({"y2025": "Butuh Perbaikan", "y2024": "Kurang/Misconduct"}, "50.00", "Di Bawah Ekspektasi"),
        ({"y2025": "Baik"}, "80.00", "Sesuai Ekspektasi"),
        ({"y2024": "Sangat Baik", "y2023": "Sangat Kurang"}, "100.00", "Di Atas Ekspektasi"),
    ],
)
def test_kinerja_boundaries_and_single_year(by_year, k, category):
    result = place(pegawai(skp=skp(**by_year)))
    assert (result.skor_kinerja, result.kategori_kinerja) == (Decimal(k), category)


def test_no_skp_is_incomplete_but_p_and_jpm_are_still_shown():
    result = place(pegawai(skp={}))
    assert (result.lengkap, result.alasan) == (False, "Data kinerja tidak ada")
    assert (result.skor_kinerja, result.kotak_hitung, result.kotak) == (None, None, None)
    assert (result.skor_potensial, result.jpm, result.jpm_berikutnya) == (
        Decimal("83.22"),
        Decimal("107.41"),
        Decimal("80.56"),
    )


@pytest.mark.parametrize(
    ("skor_potensi", "p", "category"),
    [
        # P = 0.40*80.56 + 0.25*s + 0.20*90 + 0.15*100 = 65.224 + 0.25*s
        ("59.10", "80.00", "Tinggi"),  # 79.999 rounds to 80.00: the rounded value decides
        ("59.08", "79.99", "Menengah"),  # 79.994 rounds to 79.99
    ],
)
def test_potensial_category_uses_the_rounded_value(skor_potensi, p, category):
    result = place(pegawai(asesmen=[asesmen(dt.date(2024, 3, 10), skor=skor_potensi)]))
    assert (result.skor_potensial, result.kategori_potensial) == (Decimal(p), category)


def test_potensial_exactly_60_is_menengah_and_a_hair_below_is_rendah():
    # Levels all 1 against standard 1 -> next standard 2: JPM berikutnya 50.00, Kompetensi 50.
    base = {"required_levels": (1,) * 9, "pendidikan": "SD"}
    # P = 20 + 0.25*s + 8 + 15 = 43 + 0.25*s; s=68 -> 60.00; s=67.96 -> 59.99
    exactly = place(pegawai(asesmen=[asesmen(dt.date(2024, 3, 10), "68", (1,) * 9)], **base))
    below = place(pegawai(asesmen=[asesmen(dt.date(2024, 3, 10), "67.96", (1,) * 9)], **base))
    assert (exactly.skor_potensial, exactly.kategori_potensial) == (Decimal("60.00"), "Menengah")
    assert (below.skor_potensial, below.kategori_potensial) == (Decimal("59.99"), "Rendah")


def test_assessment_exactly_three_years_old_is_valid_and_one_day_older_expired():
    valid = place(pegawai(asesmen=[asesmen(dt.date(2023, 1, 31))]))
    expired = place(pegawai(asesmen=[asesmen(dt.date(2023, 1, 30))]))
    assert valid.lengkap
    assert (expired.lengkap, expired.alasan) == (False, "Data asesmen kedaluwarsa")
    assert (expired.jpm, expired.skor_potensial) == (None, None)


def test_an_expired_latest_assessment_is_not_replaced_by_an_older_one():
    result = place(pegawai(asesmen=[asesmen(dt.date(2022, 6, 1)), asesmen(dt.date(2021, 1, 1))]))
    assert result.alasan == "Data asesmen kedaluwarsa"


def test_assessment_after_tanggal_acuan_is_ignored():
    result = place(pegawai(asesmen=[asesmen(dt.date(2026, 2, 1))]))
    assert result.alasan == "Data asesmen tidak ada"
    later_and_valid = place(pegawai(asesmen=[asesmen(dt.date(2024, 3, 10)), asesmen(dt.date(2026, 2, 1), "10")]))
    assert later_and_valid.skor_potensial == Decimal("83.22")


def test_sanction_exactly_two_years_before_counts_and_one_day_earlier_does_not():
    inside = place(pegawai(sanksi=[scoring.SanksiInput(1, dt.date(2024, 1, 31), "Sedang")]))
    outside = place(pegawai(sanksi=[scoring.SanksiInput(1, dt.date(2024, 1, 30), "Sedang")]))
    after = place(pegawai(sanksi=[scoring.SanksiInput(1, dt.date(2026, 2, 1), "Berat")]))
    assert inside.komponen_disiplin == Decimal(40)
    assert inside.skor_potensial == Decimal("74.22")
    assert (inside.kotak, inside.krs) == (7, False)
    assert inside.alasan_krs == "Hukuman disiplin tingkat Sedang dalam 2 tahun terakhir"
    assert (outside.komponen_disiplin, outside.krs) == (Decimal(100), True)
    assert (after.komponen_disiplin, after.krs) == (Decimal(100), True)


def test_the_heaviest_sanction_in_the_window_counts():
    result = place(
        pegawai(
            sanksi=[
                scoring.SanksiInput(1, dt.date(2025, 1, 1), "Ringan"),
                scoring.SanksiInput(2, dt.date(2024, 6, 1), "Berat"),
                scoring.SanksiInput(3, dt.date(2025, 6, 1), "Sedang"),
            ]
        )
    )
    assert result.komponen_disiplin == Decimal(0)
    assert result.alasan_krs.endswith("Hukuman disiplin tingkat Berat dalam 2 tahun terakhir")


def test_jpm_above_100_is_shown_uncapped_and_capped_only_in_kompetensi():
    result = place(pegawai(required_levels=(1,) * 9, asesmen=[asesmen(dt.date(2024, 3, 10), "72", (5,) * 9)]))
    assert (result.jpm, result.jpm_berikutnya) == (Decimal("500.00"), Decimal("250.00"))
    assert result.komponen_kompetensi == Decimal(100)


def test_pool_exclusion_for_a_missing_year_and_a_low_predikat():
    missing = place(pegawai(skp=skp(y2025="Sangat Baik")))
    assert (missing.kotak, missing.krs, missing.alasan_krs) == (9, False, "SKP 2024 tidak ada")
    low = place(pegawai(skp=skp(y2025="Sangat Baik", y2024="Butuh Perbaikan")))
    assert (low.kotak, low.alasan_krs) == (8, "Predikat SKP 2024 di bawah Baik")


def test_a_calibrated_box_decides_the_pool():
    result = scoring.place(
        pegawai(skp=skp(y2025="Baik", y2024="Baik")),
        tahun=2026,
        tanggal_acuan=ACUAN_2026,
        scheme=SCHEME,
        calibrated_box=5,
    )
    assert (result.kotak_hitung, result.kotak, result.krs) == (8, 5, False)


def test_pppk_may_be_in_the_pool():
    # jenis ASN plays no part in the placement: PPPK are kept out only of manajerial targets.
    assert place(pegawai()).krs


def test_29_february_reference_date_maps_to_28_february():
    acuan = dt.date(2028, 2, 29)
    skp_2028 = {2027: scoring.SkpInput(0, 2027, "Baik"), 2026: scoring.SkpInput(0, 2026, "Baik")}
    valid = place(pegawai(skp=skp_2028, asesmen=[asesmen(dt.date(2025, 2, 28))]), acuan)
    expired = place(pegawai(skp=skp_2028, asesmen=[asesmen(dt.date(2025, 2, 27))]), acuan)
    assert valid.lengkap
    assert expired.alasan == "Data asesmen kedaluwarsa"
    assert scoring.years_before(acuan, 2) == dt.date(2026, 2, 28)


def test_predikat_matrix_of_permenpanrb_6_2022():
    assert scoring.predikat_from_ratings("Di Atas Ekspektasi", "Di Atas Ekspektasi") == "Sangat Baik"
    assert scoring.predikat_from_ratings("Sesuai Ekspektasi", "Di Atas Ekspektasi") == "Baik"
    assert scoring.predikat_from_ratings("Di Atas Ekspektasi", "Di Bawah Ekspektasi") == "Kurang/Misconduct"
    assert scoring.predikat_from_ratings("Di Bawah Ekspektasi", "Sesuai Ekspektasi") == "Butuh Perbaikan"
    assert scoring.predikat_from_ratings("Di Bawah Ekspektasi", "Di Bawah Ekspektasi") == "Sangat Kurang"


# --- property: agrees with the independent implementation on any input ------------------------

JENJANG_NAMES = [nama for _, nama, _, _, _ in JENJANG]
PENDIDIKAN_CODES = [kode for kode, _ in PENDIDIKAN]
levels = st.lists(st.integers(1, 5), min_size=9, max_size=9)


@st.composite
def cases(draw):
    tahun = draw(st.sampled_from([2024, 2026, 2028]))
    acuan = draw(st.dates(dt.date(tahun, 1, 1), dt.date(tahun, 12, 31)))
    jenjang = draw(st.sampled_from(JENJANG_NAMES))
    standar = draw(st.none() | levels)
    skp_rows = {
        year: draw(st.sampled_from(scoring.PREDIKAT))
        for year in (tahun - 3, tahun - 2, tahun - 1)
        if draw(st.booleans())
    }
    dates = draw(
        st.lists(st.dates(acuan - dt.timedelta(days=1600), acuan + dt.timedelta(days=60)), unique=True, max_size=3)
    )
    assessments = [
        {"tanggal": d, "skor_potensi": Decimal(draw(st.integers(0, 10000))) / 100, "levels": draw(levels)}
        for d in dates
    ]
    sanctions = [
        {"tanggal_sk": draw(st.dates(acuan - dt.timedelta(days=1000), acuan + dt.timedelta(days=30))),
         "tingkat": draw(st.sampled_from(scoring.TINGKAT_DISIPLIN))}
        for _ in range(draw(st.integers(0, 3)))
    ]  # fmt: skip
    return {
        "periode": {"tahun": tahun, "tanggal_acuan": acuan},
        "pegawai": {
            "nip": "198609262015051001",
            "nama": "Uji",
            "instansi": "6101",
            "jenjang": jenjang,
            "jenis_asn": draw(st.sampled_from(["PNS", "PPPK"])),
            "pendidikan": draw(st.none() | st.sampled_from(PENDIDIKAN_CODES)),
            "standar": standar,
            "skp": [{"tahun": y, "predikat": p} for y, p in skp_rows.items()],
            "asesmen": assessments,
            "disiplin": sanctions,
        },
    }


@settings(max_examples=400, deadline=None)
@given(cases())
def test_placement_matches_the_independent_implementation(case):
    periode, p = case["periode"], case["pegawai"]
    required = tuple(p["standar"]) if p["standar"] else (DEFAULT_LEVEL[p["jenjang"]],) * 9
    pegawai_input = scoring.PegawaiInput(
        pendidikan=p["pendidikan"],
        required_levels=required,
        skp={s["tahun"]: scoring.SkpInput(0, s["tahun"], s["predikat"]) for s in p["skp"]},
        asesmen=[
            scoring.AsesmenInput(i, a["tanggal"], "", a["skor_potensi"], tuple(a["levels"]))
            for i, a in enumerate(p["asesmen"])
        ],
        sanksi=[scoring.SanksiInput(i, s["tanggal_sk"], s["tingkat"]) for i, s in enumerate(p["disiplin"])],
    )
    result = scoring.place(pegawai_input, tahun=periode["tahun"], tanggal_acuan=periode["tanggal_acuan"], scheme=SCHEME)
    values = {name: getattr(result, name) for name in vars(result) if name != "rincian"}
    row = format_export_row({**values, "nip": p["nip"], "nama": p["nama"], "instansi": "6101", "jenjang": p["jenjang"]})
    expected = expected_row(periode, p)
    assert dict(zip(expected.keys(), row, strict=True)) == expected
