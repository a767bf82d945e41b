"""Boundary tests of the independent §7 reference (no Django, no database)."""

import datetime
from decimal import Decimal

import pytest

from tests.succession.reference_succession import (
    CANDIDATE_KEYS,
    ROW_KEYS,
    add_months,
    default_kesiapan,
    expected_candidate_rows,
    jpm,
    retirement_date,
)

ACUAN = datetime.date(2026, 1, 31)
YOUNG = datetime.date(1985, 5, 10)  # retires 2043: never a retirement reason, always passes the gate


def periode(acuan=ACUAN):
    return {"tahun": acuan.year, "tanggal_acuan": acuan}


def jab(
    jabatan_id,
    jenjang="Administrator",
    nama=None,
    unit="Bagian Umum",
    instansi="6101",
    kritikal=False,
    dalam_struktur=True,
    golongan_minimal=None,
    standar=None,
):
    return {
        "id": jabatan_id,
        "instansi": instansi,
        "unit_kerja": unit,
        "nama": nama or f"Jabatan {jabatan_id}",
        "jenjang": jenjang,
        "kritikal": kritikal,
        "dalam_struktur": dalam_struktur,
        "golongan_minimal": golongan_minimal,
        "standar": standar,
    }


def peg(
    seq,
    jabatan_id,
    golongan="IV/e",
    jenis_asn="PNS",
    lahir=YOUNG,
    instansi="6101",
    krs=True,
    kotak=9,
    p="85.00",
    k="90.00",
    levels=None,
):
    placement = None
    if krs is not None:
        placement = {
            "krs": krs,
            "kotak": kotak,
            "skor_potensial": None if p is None else Decimal(p),
            "skor_kinerja": None if k is None else Decimal(k),
            "asesmen_levels": levels if levels is not None else [3] * 9,
        }
    return {
        "nip": f"{lahir:%Y%m%d}201001{'1' if jenis_asn == 'PNS' else '2'}{seq:03d}",
        "instansi": instansi,
        "jabatan_id": jabatan_id,
        "jenis_asn": jenis_asn,
        "golongan": golongan,
        "tanggal_lahir": lahir,
        "placement": placement,
    }


def rows_of(rows, nama):
    return [row for row in rows if row["jabatan"] == nama]


def reasons(rows):
    return {row["jabatan"]: row["alasan_target"] for row in rows}


# The target plus the feeding jabatan (id 2) the candidates hold; by default Ahli Muda, which feeds Administrator
# and, being non-manajerial, is never a target itself whatever its holders' retirement dates.
def world(target, *people, feeder_jenjang="Ahli Muda"):
    return [target, jab(2, jenjang=feeder_jenjang, nama="Feeder")], list(people)


# --- target reasons ----------------------------------------------------------------------------------------------


def test_kritikal_alone():
    jabatan = [jab(1, nama="Kabag", kritikal=True)]
    rows = expected_candidate_rows(periode(), jabatan, [peg(1, 1)])
    assert reasons(rows) == {"Kabag": "Kritikal"}


def test_kosong_alone():
    rows = expected_candidate_rows(periode(), [jab(1, nama="Kabag")], [])
    assert reasons(rows) == {"Kabag": "Kosong"}


def test_pemangku_pensiun_alone():
    holder = peg(1, 1, lahir=datetime.date(1969, 5, 20))  # Administrator, BUP 58: reaches it May 2027
    rows = expected_candidate_rows(periode(), [jab(1, nama="Kabag")], [holder])
    assert reasons(rows) == {"Kabag": "Pemangku pensiun 2027-06-01"}


def test_kritikal_and_kosong_in_order():
    rows = expected_candidate_rows(periode(), [jab(1, nama="Kabag", kritikal=True)], [])
    assert reasons(rows) == {"Kabag": "Kritikal; Kosong"}


def test_kritikal_and_pensiun_in_order_with_earliest_holder():
    holders = [
        peg(1, 1, lahir=datetime.date(1969, 11, 2)),  # retires 2027-12-01
        peg(2, 1, lahir=datetime.date(1969, 3, 2)),  # retires 2027-04-01 (earliest)
        peg(3, 1),  # young
    ]
    rows = expected_candidate_rows(periode(), [jab(1, nama="Kabag", kritikal=True)], holders)
    assert reasons(rows) == {"Kabag": "Kritikal; Pemangku pensiun 2027-04-01"}


def test_vacant_jabatan_outside_the_structure_is_not_a_target():
    rows = expected_candidate_rows(periode(), [jab(1, nama="Kabag", dalam_struktur=False)], [])
    assert rows == []


def test_occupied_uncritical_jabatan_with_young_holder_is_not_a_target():
    rows = expected_candidate_rows(periode(), [jab(1, nama="Kabag")], [peg(1, 1)])
    assert rows == []


@pytest.mark.parametrize(
    "jenjang", ["JPT Utama", "Pelaksana", "Ahli Utama", "Ahli Madya", "Ahli Muda", "Ahli Pertama", "Penyelia"]
)
def test_non_manajerial_jabatan_is_never_a_target(jenjang):
    old = peg(1, 1, lahir=datetime.date(1960, 1, 1))
    jabatan = [jab(1, jenjang=jenjang, kritikal=True), jab(3, jenjang=jenjang, kritikal=True)]
    assert expected_candidate_rows(periode(), jabatan, [old]) == []


@pytest.mark.parametrize("jenjang", ["JPT Madya", "JPT Pratama", "Administrator", "Pengawas"])
def test_every_manajerial_jenjang_can_be_a_target(jenjang):
    rows = expected_candidate_rows(periode(), [jab(1, jenjang=jenjang, nama="T", kritikal=True)], [peg(1, 1)])
    assert reasons(rows) == {"T": "Kritikal"}


def test_holder_retiring_exactly_at_acuan_plus_24_months_is_a_target_and_one_month_later_is_not():
    acuan = datetime.date(2026, 1, 1)  # + 24 months = 2028-01-01
    jabatan = [jab(1, nama="Tepat"), jab(3, nama="Sebulan kemudian")]
    holders = [
        peg(1, 1, lahir=datetime.date(1969, 12, 31)),  # BUP 58 in Dec 2027 → 2028-01-01
        peg(2, 3, lahir=datetime.date(1970, 1, 1)),  # BUP 58 in Jan 2028 → 2028-02-01
    ]
    rows = expected_candidate_rows(periode(acuan), jabatan, holders)
    assert reasons(rows) == {"Tepat": "Pemangku pensiun 2028-01-01"}


def test_holder_bup_follows_the_holders_jenjang():
    # JPT Pratama: BUP 60; born Dec 1967 → 60 in Dec 2027 → retires 2028-01-01 <= 2028-01-31.
    jabatan = [jab(1, jenjang="JPT Pratama", nama="Kadis"), jab(3, jenjang="Administrator", nama="Kabag")]
    holders = [peg(1, 1, lahir=datetime.date(1967, 12, 5)), peg(2, 3, lahir=datetime.date(1967, 12, 5))]
    rows = expected_candidate_rows(periode(), jabatan, holders)
    # The Administrator holder born the same day retired at 58 (2026-01-01), already on or before the limit.
    assert reasons(rows) == {"Kadis": "Pemangku pensiun 2028-01-01", "Kabag": "Pemangku pensiun 2026-01-01"}


def test_holder_retiring_2028_02_01_is_not_a_target_with_acuan_31_january():
    holder = peg(1, 1, lahir=datetime.date(1970, 1, 31))  # → 2028-02-01 > 2028-01-31
    assert expected_candidate_rows(periode(), [jab(1)], [holder]) == []


# --- dates -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2028, 1, 31), 1, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 3, 31), 1, datetime.date(2026, 4, 30)),
        (datetime.date(2024, 2, 29), 12, datetime.date(2025, 2, 28)),
        (datetime.date(2024, 2, 29), 24, datetime.date(2026, 2, 28)),
        (datetime.date(2024, 2, 29), 48, datetime.date(2028, 2, 29)),
        (datetime.date(2026, 1, 31), 24, datetime.date(2028, 1, 31)),
        (datetime.date(2026, 12, 15), 1, datetime.date(2027, 1, 15)),
    ],
)
def test_month_arithmetic_keeps_the_day_or_takes_the_last_day(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("lahir", "jenjang", "expected"),
    [
        (datetime.date(1970, 5, 1), "Pelaksana", datetime.date(2028, 6, 1)),
        (datetime.date(1970, 5, 31), "Administrator", datetime.date(2028, 6, 1)),
        (datetime.date(1970, 12, 10), "Pengawas", datetime.date(2029, 1, 1)),
        (datetime.date(1970, 5, 1), "JPT Pratama", datetime.date(2030, 6, 1)),
        (datetime.date(1970, 5, 1), "JPT Madya", datetime.date(2030, 6, 1)),
        (datetime.date(1970, 5, 1), "JPT Utama", datetime.date(2030, 6, 1)),
        (datetime.date(1970, 5, 1), "Ahli Madya", datetime.date(2030, 6, 1)),
        (datetime.date(1970, 5, 1), "Ahli Utama", datetime.date(2035, 6, 1)),
        (datetime.date(1970, 5, 1), "Ahli Muda", datetime.date(2028, 6, 1)),
        (datetime.date(1968, 2, 29), "Pelaksana", datetime.date(2026, 3, 1)),
    ],
)
def test_retirement_date_is_first_of_month_after_reaching_bup(lahir, jenjang, expected):
    assert retirement_date(lahir, jenjang) == expected


def test_month_end_arithmetic_end_to_end_on_29_february():
    # acuan 2024-02-29: + 24 months = 2026-02-28, + 12 months = 2025-02-28 (not rolled into March).
    acuan = datetime.date(2024, 2, 29)
    jabatan = [
        jab(1, nama="Kabag"),
        jab(2, jenjang="Pelaksana", nama="Staf"),
        jab(3, jenjang="Pengawas", nama="Kritis", kritikal=True),
    ]
    people = [
        peg(1, 1, lahir=datetime.date(1968, 2, 10)),  # retires 2026-03-01 > 2026-02-28: not a reason
        peg(2, 2, lahir=datetime.date(1967, 2, 10)),  # retires 2025-03-01 > 2025-02-28: passes the gate
        peg(3, 3),  # young holder of the critical Pengawas jabatan
    ]
    rows = expected_candidate_rows(periode(acuan), jabatan, people)
    assert reasons(rows) == {"Kritis": "Kritikal"}
    assert [row["nip"] for row in rows] == [people[1]["nip"]]


# --- gates -------------------------------------------------------------------------------------------------------


def test_candidate_retiring_exactly_at_acuan_plus_12_months_fails():
    acuan = datetime.date(2026, 1, 1)  # + 12 months = 2027-01-01
    jabatan, people = world(jab(1, kritikal=True), peg(1, 2, lahir=datetime.date(1968, 12, 31)))
    rows = expected_candidate_rows(periode(acuan), jabatan, people)
    assert rows[0]["nip"] == ""


def test_candidate_retiring_on_the_first_day_after_acuan_plus_12_months_passes():
    # acuan 2026-01-31: + 12 months = 2027-01-31; retirement 2027-02-01 is the very next day.
    passes = peg(1, 2, lahir=datetime.date(1969, 1, 1))  # → 2027-02-01
    fails = peg(2, 2, lahir=datetime.date(1968, 12, 1))  # → 2027-01-01
    jabatan, people = world(jab(1, kritikal=True), passes, fails)
    rows = expected_candidate_rows(periode(), jabatan, people)
    assert [row["nip"] for row in rows] == [passes["nip"]]


def test_candidate_retirement_gate_uses_the_candidates_current_jenjang():
    # Ahli Madya feeds JPT Pratama with BUP 60: born Feb 1968 → retires 2028-03-01, passes; with 58 it would fail.
    target = jab(1, jenjang="JPT Pratama", kritikal=True)
    jabatan, people = world(target, peg(1, 2, lahir=datetime.date(1968, 2, 1)), feeder_jenjang="Ahli Madya")
    rows = expected_candidate_rows(periode(), jabatan, people)
    assert rows[0]["nip"] == people[0]["nip"]


@pytest.mark.parametrize(
    ("target", "feeder", "minimum", "below"),
    [
        ("Pengawas", "Pelaksana", "III/b", "III/a"),
        ("Administrator", "Pengawas", "III/d", "III/c"),
        ("JPT Pratama", "Administrator", "IV/b", "IV/a"),
        ("JPT Madya", "JPT Pratama", "IV/c", "IV/b"),
    ],
)
def test_golongan_exactly_the_default_minimum_passes_and_one_below_fails(target, feeder, minimum, below):
    ok = peg(1, 2, golongan=minimum)
    low = peg(2, 2, golongan=below)
    jabatan, people = world(jab(1, jenjang=target, kritikal=True), ok, low, feeder_jenjang=feeder)
    rows = expected_candidate_rows(periode(), jabatan, people)
    assert [row["nip"] for row in rows_of(rows, "Jabatan 1")] == [ok["nip"]]


def test_golongan_order_crosses_the_roman_boundary():
    ok = peg(1, 2, golongan="IV/a")  # IV/a > III/d
    low = peg(2, 2, golongan="II/d")
    jabatan, people = world(jab(1, kritikal=True), ok, low)
    assert [row["nip"] for row in expected_candidate_rows(periode(), jabatan, people)] == [ok["nip"]]


def test_own_golongan_minimal_overrides_the_default():
    higher = jab(1, nama="Tinggi", kritikal=True, golongan_minimal="IV/a")
    lower = jab(3, nama="Rendah", kritikal=True, golongan_minimal="III/a")
    people = [peg(1, 2, golongan="III/d"), peg(2, 2, golongan="IV/a"), peg(3, 2, golongan="III/a")]
    rows = expected_candidate_rows(periode(), [higher, lower, jab(2, jenjang="Pengawas")], people)
    assert [row["nip"] for row in rows_of(rows, "Tinggi")] == [people[1]["nip"]]
    assert sorted(row["nip"] for row in rows_of(rows, "Rendah")) == sorted(p["nip"] for p in people)


def test_pppk_is_never_a_candidate():
    pppk = peg(1, 2, jenis_asn="PPPK", golongan="XVII")
    pns = peg(2, 2)
    jabatan, people = world(jab(1, kritikal=True), pppk, pns)
    assert [row["nip"] for row in expected_candidate_rows(periode(), jabatan, people)] == [pns["nip"]]


def test_pool_non_members_are_excluded():
    outside = peg(1, 2, krs=False)
    unplaced = peg(2, 2, krs=None)
    member = peg(3, 2)
    jabatan, people = world(jab(1, kritikal=True), outside, unplaced, member)
    assert [row["nip"] for row in expected_candidate_rows(periode(), jabatan, people)] == [member["nip"]]


def test_other_instansi_and_non_feeding_jenjang_are_excluded():
    target = jab(1, kritikal=True)
    jabatan = [
        target,
        jab(2, jenjang="Pengawas"),
        jab(3, jenjang="Ahli Muda"),
        jab(4, jenjang="Pelaksana"),
        jab(5, jenjang="Administrator"),
        jab(6, jenjang="Pengawas", instansi="6102"),
    ]
    people = [
        peg(1, 2),  # Pengawas: feeds
        peg(2, 3),  # Ahli Muda: feeds
        peg(3, 4),  # Pelaksana: does not feed Administrator
        peg(4, 5),  # same jenjang: does not feed
        peg(5, 6, instansi="6102"),  # other instansi
    ]
    rows = rows_of(expected_candidate_rows(periode(), jabatan, people), "Jabatan 1")
    assert sorted(row["nip"] for row in rows) == sorted([people[0]["nip"], people[1]["nip"]])


# --- ranking, JPM and readiness ----------------------------------------------------------------------------------


def test_ranking_by_jpm_then_box_then_p_then_k_then_nip():
    hi_jpm = peg(9, 2, kotak=7, p="60.00", k="70.00", levels=[4] * 9)
    box9 = peg(8, 2, kotak=9, p="60.00", k="70.00")
    box8_p_high = peg(7, 2, kotak=8, p="90.00", k="70.00")
    box8_p_low_k_high = peg(6, 2, kotak=8, p="80.00", k="95.00")
    nip_small = peg(4, 2, kotak=8, p="80.00", k="80.00")
    nip_large = peg(5, 2, kotak=8, p="80.00", k="80.00")
    people = [nip_large, box8_p_low_k_high, box9, nip_small, hi_jpm, box8_p_high]
    jabatan, people = world(jab(1, kritikal=True), *people)
    rows = expected_candidate_rows(periode(), jabatan, people)
    expected = [hi_jpm, box9, box8_p_high, box8_p_low_k_high, nip_small, nip_large]
    assert [row["nip"] for row in rows] == [p["nip"] for p in expected]
    assert [row["peringkat"] for row in rows] == ["1", "2", "3", "4", "5", "6"]


def test_jpm_uses_the_targets_own_standard_and_rounds_half_up():
    # Σ required 32, Σ achieved 25: 78.125 → 78.13 (half-up, not half-even).
    standar = [4, 4, 4, 4, 4, 3, 3, 3, 3]
    levels = [3, 3, 3, 3, 3, 3, 3, 2, 2]
    jabatan, people = world(jab(1, kritikal=True, standar=standar), peg(1, 2, levels=levels))
    row = expected_candidate_rows(periode(), jabatan, people)[0]
    assert row["jpm_target"] == "78.13"
    assert row["kesiapan"] == "Siap 1-2 tahun"


def test_jpm_default_standard_by_target_jenjang():
    # JPT Pratama default level 4 → Σ 36; worked-example levels Σ 29 → 80.56.
    target = jab(1, jenjang="JPT Pratama", kritikal=True)
    person = peg(1, 2, levels=[4, 3, 3, 3, 4, 3, 3, 3, 3])
    jabatan, people = world(target, person, feeder_jenjang="Administrator")
    assert expected_candidate_rows(periode(), jabatan, people)[0]["jpm_target"] == "80.56"


def test_jpm_helper():
    assert jpm([4, 3, 3, 3, 4, 3, 3, 3, 3], [3] * 9) == Decimal("107.41")
    assert jpm([3] * 9, [3] * 9) == Decimal("100.00")
    assert jpm([1] * 7 + [2, 2], [5] * 9) == Decimal("24.44")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120.00", "Siap sekarang"),
        ("90.00", "Siap sekarang"),
        ("89.99", "Siap 1-2 tahun"),
        ("78.00", "Siap 1-2 tahun"),
        ("77.99", "Siap 3 tahun atau lebih"),
        ("0.00", "Siap 3 tahun atau lebih"),
    ],
)
def test_default_readiness_boundaries(value, expected):
    assert default_kesiapan(Decimal(value)) == expected


def test_readiness_at_exactly_90_end_to_end():
    standar = [4, 4, 4, 3, 3, 3, 3, 3, 3]  # Σ 30
    exact = peg(1, 2, levels=[3] * 9)  # Σ 27 → 90.00
    below = peg(2, 2, levels=[3] * 8 + [2])  # Σ 26 → 86.67
    far = peg(3, 2, levels=[3] * 5 + [2] * 4)  # Σ 23 → 76.67
    jabatan, people = world(jab(1, kritikal=True, standar=standar), exact, below, far)
    rows = expected_candidate_rows(periode(), jabatan, people)
    assert [(r["jpm_target"], r["kesiapan"]) for r in rows] == [
        ("90.00", "Siap sekarang"),
        ("86.67", "Siap 1-2 tahun"),
        ("76.67", "Siap 3 tahun atau lebih"),
    ]


# --- row shape and order -----------------------------------------------------------------------------------------


def test_target_without_candidates_gives_one_row_with_empty_candidate_cells():
    rows = expected_candidate_rows(periode(), [jab(1, nama="Kabag", unit="Sekretariat")], [])
    assert rows == [
        {
            "instansi": "6101",
            "unit_kerja": "Sekretariat",
            "jabatan": "Kabag",
            "jenjang": "Administrator",
            "alasan_target": "Kosong",
            **dict.fromkeys(CANDIDATE_KEYS, ""),
        }
    ]


def test_candidate_row_format():
    person = peg(1, 2, kotak=8, p="83.224", k="90")
    jabatan, people = world(jab(1, nama="Kabag", kritikal=True), person)
    (row,) = expected_candidate_rows(periode(), jabatan, people)
    assert tuple(row) == ROW_KEYS
    assert row == {
        "instansi": "6101",
        "unit_kerja": "Bagian Umum",
        "jabatan": "Kabag",
        "jenjang": "Administrator",
        "alasan_target": "Kritikal; Kosong",
        "peringkat": "1",
        "nip": person["nip"],
        "jpm_target": "100.00",
        "kotak": "8",
        "skor_potensial": "83.22",
        "skor_kinerja": "90.00",
        "kesiapan": "Siap sekarang",
    }
    assert len(row["nip"]) == 18


def test_rows_ordered_by_instansi_unit_jabatan_jenjang_then_rank():
    jabatan = [
        jab(1, instansi="6102", unit="A", nama="A", kritikal=True),
        jab(3, instansi="6101", unit="B", nama="A", kritikal=True),
        jab(4, instansi="6101", unit="A", nama="B", kritikal=True),
        jab(5, instansi="6101", unit="A", nama="A", jenjang="Pengawas", kritikal=True),
        jab(6, instansi="6101", unit="A", nama="A", jenjang="Administrator", kritikal=True),
        jab(2, jenjang="Pengawas", unit="Z", nama="Z"),
    ]
    people = [peg(2, 2, kotak=8), peg(1, 2, kotak=9)]
    rows = expected_candidate_rows(periode(), jabatan, people)
    keys = [(r["instansi"], r["unit_kerja"], r["jabatan"], r["jenjang"], r["peringkat"]) for r in rows]
    assert keys == [
        ("6101", "A", "A", "Administrator", "1"),
        ("6101", "A", "A", "Administrator", "2"),
        ("6101", "A", "A", "Pengawas", ""),
        ("6101", "A", "B", "Administrator", "1"),
        ("6101", "A", "B", "Administrator", "2"),
        ("6101", "B", "A", "Administrator", "1"),
        ("6101", "B", "A", "Administrator", "2"),
        ("6102", "A", "A", "Administrator", ""),
    ]
    assert rows[0]["nip"] == people[1]["nip"]
