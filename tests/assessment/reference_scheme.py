"""Independent reference implementation of the default scheme (Skema Bawaan 2026.1).

Written from the default-scheme spec (shared/domain/default-scheme.md, sections 1-6 and 8) only, without reading
the production code, so that tests can cross-check computed placements against it. Standard library only: no Django.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, localcontext

SCHEME_NAME = "Skema Bawaan 2026.1"

CENT = Decimal("0.01")

SKP_SCORE = {
    "Sangat Baik": Decimal(100),
    "Baik": Decimal(80),
    "Butuh Perbaikan": Decimal(60),
    "Kurang/Misconduct": Decimal(40),
    "Sangat Kurang": Decimal(20),
}
SKP_AT_LEAST_BAIK = {"Sangat Baik", "Baik"}

KUALIFIKASI_SCORE = {
    "S3": Decimal(100),
    "S2": Decimal(90),
    "S1": Decimal(80),
    "D4": Decimal(80),
    "D3": Decimal(70),
    "D2": Decimal(65),
    "D1": Decimal(60),
    "SLTA": Decimal(60),
    "SMP": Decimal(50),
    "SD": Decimal(40),
}

# Heaviness order and component score of the discipline record.
DISIPLIN_RANK = {"Ringan": 1, "Sedang": 2, "Berat": 3}
DISIPLIN_SCORE = {None: Decimal(100), "Ringan": Decimal(70), "Sedang": Decimal(40), "Berat": Decimal(0)}

W_KOMPETENSI = Decimal("0.40")
W_POTENSI = Decimal("0.25")
W_KUALIFIKASI = Decimal("0.20")
W_DISIPLIN = Decimal("0.15")

JENJANG_DEFAULT_LEVEL = {
    "Pelaksana": 1,
    "Pemula": 1,
    "Terampil": 1,
    "Mahir": 2,
    "Penyelia": 2,
    "Ahli Pertama": 2,
    "Pengawas": 2,
    "Ahli Muda": 3,
    "Administrator": 3,
    "Ahli Madya": 4,
    "JPT Pratama": 4,
    "Ahli Utama": 5,
    "JPT Madya": 5,
    "JPT Utama": 5,
}

KINERJA_ATAS = "Di Atas Ekspektasi"
KINERJA_SESUAI = "Sesuai Ekspektasi"
KINERJA_BAWAH = "Di Bawah Ekspektasi"
POTENSIAL_TINGGI = "Tinggi"
POTENSIAL_MENENGAH = "Menengah"
POTENSIAL_RENDAH = "Rendah"

BOX = {
    (KINERJA_ATAS, POTENSIAL_RENDAH): 4,
    (KINERJA_ATAS, POTENSIAL_MENENGAH): 7,
    (KINERJA_ATAS, POTENSIAL_TINGGI): 9,
    (KINERJA_SESUAI, POTENSIAL_RENDAH): 2,
    (KINERJA_SESUAI, POTENSIAL_MENENGAH): 5,
    (KINERJA_SESUAI, POTENSIAL_TINGGI): 8,
    (KINERJA_BAWAH, POTENSIAL_RENDAH): 1,
    (KINERJA_BAWAH, POTENSIAL_MENENGAH): 3,
    (KINERJA_BAWAH, POTENSIAL_TINGGI): 6,
}

REASON_KINERJA = "Data kinerja tidak ada"
REASON_ASESMEN_TIDAK_ADA = "Data asesmen tidak ada"
REASON_ASESMEN_KEDALUWARSA = "Data asesmen kedaluwarsa"
REASON_PENDIDIKAN = "Data pendidikan tidak ada"

ROW_KEYS = (
    "nip",
    "nama",
    "instansi",
    "jenjang",
    "skor_kinerja",
    "kategori_kinerja",
    "skor_potensial",
    "kategori_potensial",
    "jpm",
    "jpm_berikutnya",
    "kotak_hitung",
    "kotak",
    "krs",
    "label_krs",
    "alasan_krs",
    "lengkap",
    "alasan",
)


# --- helpers -------------------------------------------------------------------------------------------------------


def years_before(day: datetime.date, years: int) -> datetime.date:
    """Same day and month ``years`` years earlier; 29 February maps to 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a non-leap target year
        return day.replace(year=day.year - years, day=28)


def round2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def fmt(value: Decimal | None) -> str:
    return "" if value is None else format(round2(value), "f")


def to_decimal(value) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    return Decimal(value)


def jpm(achieved: list[int], required: list[int]) -> Decimal:
    """Σ achieved × 100 / Σ required, exact quotient rounded half-up to 2 decimals (uncapped)."""
    with localcontext() as ctx:
        ctx.prec = 60  # far more than needed: the quotient is exact up to the rounding digit
        quotient = Decimal(sum(achieved) * 100) / Decimal(sum(required))
        return round2(quotient)


def kategori_kinerja(k: Decimal) -> str:
    if k >= 90:
        return KINERJA_ATAS
    if k >= 70:
        return KINERJA_SESUAI
    return KINERJA_BAWAH


def kategori_potensial(p: Decimal) -> str:
    if p >= 80:
        return POTENSIAL_TINGGI
    if p >= 60:
        return POTENSIAL_MENENGAH
    return POTENSIAL_RENDAH


def required_levels(pegawai: dict) -> list[int]:
    standar = pegawai.get("standar")
    if standar is not None:
        if len(standar) != 9:
            raise ValueError(f"standar must have 9 levels, got {len(standar)}")
        return [int(level) for level in standar]
    return [JENJANG_DEFAULT_LEVEL[pegawai["jenjang"]]] * 9


def latest_assessment(asesmen: list[dict], tanggal_acuan: datetime.date) -> dict | None:
    """Latest assessment on or before tanggal_acuan (on equal dates the later one in the list wins)."""
    latest = None
    for item in asesmen:
        if item["tanggal"] > tanggal_acuan:
            continue
        if latest is None or item["tanggal"] >= latest["tanggal"]:
            latest = item
    return latest


# --- the scheme ----------------------------------------------------------------------------------------------------


def expected_row(periode: dict, pegawai: dict) -> dict[str, str]:
    tahun = int(periode["tahun"])
    acuan: datetime.date = periode["tanggal_acuan"]
    skp_years = (tahun - 1, tahun - 2)  # later year first

    # §1 / §2: SKP of the two years used; other years ignored.
    predikat_by_year: dict[int, str] = {}
    for skp in pegawai.get("skp") or []:
        if skp["tahun"] in skp_years:
            if skp["tahun"] in predikat_by_year:
                raise ValueError(f"two SKP rows for {skp['tahun']} ({pegawai['nip']})")
            if skp["predikat"] not in SKP_SCORE:
                raise ValueError(f"unknown predikat {skp['predikat']!r}")
            predikat_by_year[skp["tahun"]] = skp["predikat"]

    k = None
    if predikat_by_year:
        scores = [SKP_SCORE[p] for p in predikat_by_year.values()]
        k = round2(sum(scores, Decimal(0)) / Decimal(len(scores)))

    # §1: discipline window [acuan - 2 years, acuan], heaviest sanction.
    window_start = years_before(acuan, 2)
    heaviest = None
    for sanksi in pegawai.get("disiplin") or []:
        if window_start <= sanksi["tanggal_sk"] <= acuan:
            tingkat = sanksi["tingkat"]
            if tingkat not in DISIPLIN_RANK:
                raise ValueError(f"unknown tingkat {tingkat!r}")
            if heaviest is None or DISIPLIN_RANK[tingkat] > DISIPLIN_RANK[heaviest]:
                heaviest = tingkat

    # §1 / §4: latest assessment, valid for 3 years (boundary day included).
    asesmen = latest_assessment(pegawai.get("asesmen") or [], acuan)
    asesmen_valid = asesmen is not None and asesmen["tanggal"] >= years_before(acuan, 3)

    jpm_now = jpm_next = None
    if asesmen_valid:
        levels = [int(level) for level in asesmen["levels"]]
        if len(levels) != 9:
            raise ValueError(f"assessment must have 9 levels, got {len(levels)}")
        required = required_levels(pegawai)
        jpm_now = jpm(levels, required)
        jpm_next = jpm(levels, [min(level + 1, 5) for level in required])

    # §3: P from the rounded JPM berikutnya, Kompetensi capped at 100.
    pendidikan = pegawai.get("pendidikan")
    p = None
    if asesmen_valid and pendidikan is not None:
        kompetensi = min(jpm_next, Decimal(100))
        potensi = to_decimal(asesmen["skor_potensi"])
        p = round2(
            W_KOMPETENSI * kompetensi
            + W_POTENSI * potensi
            + W_KUALIFIKASI * KUALIFIKASI_SCORE[pendidikan]
            + W_DISIPLIN * DISIPLIN_SCORE[heaviest]
        )

    # §5: completeness reasons, in the spec's order.
    reasons = []
    if k is None:
        reasons.append(REASON_KINERJA)
    if asesmen is None:
        reasons.append(REASON_ASESMEN_TIDAK_ADA)
    elif not asesmen_valid:
        reasons.append(REASON_ASESMEN_KEDALUWARSA)
    if pendidikan is None:
        reasons.append(REASON_PENDIDIKAN)

    kat_k = kategori_kinerja(k) if k is not None else ""
    kat_p = kategori_potensial(p) if p is not None else ""
    box = BOX[(kat_k, kat_p)] if not reasons else None
    final_box = box  # no calibrations in this data

    # §6: talent pool.
    in_pool = False
    label = ""
    alasan_krs: list[str] = []
    if final_box in (7, 8, 9):
        for year in skp_years:
            if year not in predikat_by_year:
                alasan_krs.append(f"SKP {year} tidak ada")
        for year in skp_years:
            if year in predikat_by_year and predikat_by_year[year] not in SKP_AT_LEAST_BAIK:
                alasan_krs.append(f"Predikat SKP {year} di bawah Baik")
        if heaviest in ("Sedang", "Berat"):
            alasan_krs.append(f"Hukuman disiplin tingkat {heaviest} dalam 2 tahun terakhir")
        if not alasan_krs:
            in_pool = True
            label = "KRS Instansi/Nasional" if final_box == 9 else "KRS Instansi"

    return {
        "nip": pegawai["nip"],
        "nama": pegawai["nama"],
        "instansi": pegawai["instansi"],
        "jenjang": pegawai["jenjang"],
        "skor_kinerja": fmt(k),
        "kategori_kinerja": kat_k,
        "skor_potensial": fmt(p),
        "kategori_potensial": kat_p,
        "jpm": fmt(jpm_now),
        "jpm_berikutnya": fmt(jpm_next),
        "kotak_hitung": "" if box is None else str(box),
        "kotak": "" if final_box is None else str(final_box),
        "krs": "ya" if in_pool else "tidak",
        "label_krs": label,
        "alasan_krs": "; ".join(alasan_krs),
        "lengkap": "tidak" if reasons else "ya",
        "alasan": "; ".join(reasons),
    }


def expected_export_rows(periode: dict, pegawai: list[dict]) -> dict[str, dict[str, str]]:
    """Per NIP, the export row as strings."""
    rows: dict[str, dict[str, str]] = {}
    for item in pegawai:
        if item["nip"] in rows:
            raise ValueError(f"duplicate NIP {item['nip']}")
        rows[item["nip"]] = expected_row(periode, item)
    return rows
