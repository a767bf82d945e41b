"""The scoring rules of default-scheme.md §1–§6, as pure functions over plain inputs.

No database here: `services.placements_compute` loads the inputs set-based, calls `place` for
every pegawai, and writes the results in bulk. All arithmetic is Decimal.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError

from asn.reference import KOMPETENSI_FIELDS

TWO_PLACES = Decimal("0.01")
HUNDRED = Decimal(100)

PREDIKAT = ["Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang"]
PREDIKAT_BAIK_ATAU_LEBIH = {"Sangat Baik", "Baik"}
RATING = ["Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi"]
TINGKAT_DISIPLIN = ["Ringan", "Sedang", "Berat"]  # lightest first
TANPA_HUKUMAN = "Tidak ada"

# PermenPANRB 6/2022: (rating hasil kerja, rating perilaku) -> predikat.
PREDIKAT_MATRIX = {
    ("Di Atas Ekspektasi", "Di Atas Ekspektasi"): "Sangat Baik",
    ("Di Atas Ekspektasi", "Sesuai Ekspektasi"): "Baik",
    ("Di Atas Ekspektasi", "Di Bawah Ekspektasi"): "Kurang/Misconduct",
    ("Sesuai Ekspektasi", "Di Atas Ekspektasi"): "Baik",
    ("Sesuai Ekspektasi", "Sesuai Ekspektasi"): "Baik",
    ("Sesuai Ekspektasi", "Di Bawah Ekspektasi"): "Kurang/Misconduct",
    ("Di Bawah Ekspektasi", "Di Atas Ekspektasi"): "Butuh Perbaikan",
    ("Di Bawah Ekspektasi", "Sesuai Ekspektasi"): "Butuh Perbaikan",
    ("Di Bawah Ekspektasi", "Di Bawah Ekspektasi"): "Sangat Kurang",
}

KINERJA_ATAS, KINERJA_SESUAI, KINERJA_BAWAH = RATING
POTENSIAL_TINGGI, POTENSIAL_MENENGAH, POTENSIAL_RENDAH = "Tinggi", "Menengah", "Rendah"

# §5: the box is a function of the pair of categories, not of a grid position.
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
POOL_BOXES = {7, 8, 9}
# Where a box sits on each axis (0 = lowest): a calibration's move is measured in steps per axis.
BOX_POSITION = {
    box: (
        (KINERJA_BAWAH, KINERJA_SESUAI, KINERJA_ATAS).index(kinerja),
        (POTENSIAL_RENDAH, POTENSIAL_MENENGAH, POTENSIAL_TINGGI).index(potensial),
    )
    for (kinerja, potensial), box in BOX.items()
}
TOP_BOX = 9


def needs_second_agreement(dari: int, ke: int) -> bool:
    """Issue 12: a move of more than one box on an axis, or into box 9, needs a second member's agreement."""
    if dari == ke:
        return False
    (k_from, p_from), (k_to, p_to) = BOX_POSITION[dari], BOX_POSITION[ke]
    return abs(k_from - k_to) > 1 or abs(p_from - p_to) > 1 or ke == TOP_BOX


# talent-rules.md §2.3: recommended follow-up per box.
REKOMENDASI = {
    9: "Dipromosikan dan dipertahankan; masuk Kelompok Rencana Suksesi Instansi/Nasional; penghargaan",
    8: "Dipertahankan; masuk KRS Instansi; rotasi/perluasan jabatan; bimbingan kinerja",
    7: "Dipertahankan; masuk KRS Instansi; rotasi/pengayaan jabatan; pengembangan kompetensi; tugas belajar",
    6: "Penempatan yang sesuai; bimbingan kinerja; konseling kinerja",
    5: "Penempatan yang sesuai; bimbingan kinerja; pengembangan kompetensi",
    4: "Rotasi; pengembangan kompetensi",
    3: "Bimbingan kinerja; konseling kinerja; pengembangan kompetensi; penempatan yang sesuai",
    2: "Bimbingan kinerja; pengembangan kompetensi; penempatan yang sesuai",
    1: "Diproses sesuai ketentuan peraturan perundang-undangan",
}

ALASAN_KINERJA = "Data kinerja tidak ada"
ALASAN_ASESMEN_TIDAK_ADA = "Data asesmen tidak ada"
ALASAN_ASESMEN_KEDALUWARSA = "Data asesmen kedaluwarsa"
ALASAN_PENDIDIKAN = "Data pendidikan tidak ada"

LABEL_KRS_NASIONAL = "KRS Instansi/Nasional"
LABEL_KRS_INSTANSI = "KRS Instansi"


@dataclass(frozen=True)
class SchemeParams:
    """One scheme version's numbers (a `Skema` row, read once per computation)."""

    bobot_kompetensi: Decimal
    bobot_potensi: Decimal
    bobot_kualifikasi: Decimal
    bobot_disiplin: Decimal
    skor_predikat: dict[str, Decimal]
    skor_pendidikan: dict[str, Decimal]
    skor_disiplin: dict[str, Decimal]  # keys: TANPA_HUKUMAN and TINGKAT_DISIPLIN
    batas_kinerja_atas: Decimal
    batas_kinerja_sesuai: Decimal
    batas_potensial_tinggi: Decimal
    batas_potensial_menengah: Decimal
    jumlah_tahun_skp: int
    masa_berlaku_asesmen_tahun: int
    jendela_disiplin_tahun: int


@dataclass(frozen=True)
class SkpInput:
    id: int
    tahun: int
    predikat: str


@dataclass(frozen=True)
class AsesmenInput:
    id: int
    tanggal: dt.date
    lembaga: str
    skor_potensi: Decimal
    levels: tuple[int, ...]


@dataclass(frozen=True)
class SanksiInput:
    id: int
    tanggal_sk: dt.date
    tingkat: str


@dataclass(frozen=True)
class PegawaiInput:
    pendidikan: str | None
    required_levels: tuple[int, ...]
    skp: dict[int, SkpInput]  # by tahun
    asesmen: list[AsesmenInput]
    sanksi: list[SanksiInput]


@dataclass
class Placement:
    skor_kinerja: Decimal | None = None
    kategori_kinerja: str = ""
    skor_potensial: Decimal | None = None
    kategori_potensial: str = ""
    jpm: Decimal | None = None
    jpm_berikutnya: Decimal | None = None
    komponen_kompetensi: Decimal | None = None
    komponen_potensi: Decimal | None = None
    komponen_kualifikasi: Decimal | None = None
    komponen_disiplin: Decimal | None = None
    kotak_hitung: int | None = None
    kotak: int | None = None
    krs: bool = False
    label_krs: str = ""
    alasan_krs: str = ""
    lengkap: bool = False
    alasan: str = ""
    skp_lengkap: bool = False  # an SKP for every year the period uses (a data-quality signal)
    rincian: dict = field(default_factory=dict)


def round2(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def years_before(day: dt.date, years: int) -> dt.date:
    """Same day and month `years` earlier; 29 February maps to 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def predikat_from_ratings(hasil_kerja: str, perilaku: str) -> str:
    return PREDIKAT_MATRIX[(hasil_kerja, perilaku)]


def predikat_given_or_derived(*, predikat: str, rating_hasil_kerja: str, rating_perilaku: str) -> str:
    """The predikat of an SKP row: given, derived from both ratings, or checked against them."""
    if bool(rating_hasil_kerja) != bool(rating_perilaku):
        raise ValidationError("Isi rating hasil kerja dan rating perilaku keduanya, atau kosongkan keduanya.")
    if not rating_hasil_kerja:
        if not predikat:
            raise ValidationError("Isi predikat, atau rating hasil kerja dan rating perilaku.")
        return predikat
    derived = predikat_from_ratings(rating_hasil_kerja, rating_perilaku)
    if predikat and predikat != derived:
        raise ValidationError(
            f"Predikat {predikat} bertentangan dengan rating (hasil kerja {rating_hasil_kerja}, "
            f"perilaku {rating_perilaku} menghasilkan {derived})."
        )
    return derived


def skp_years(tahun: int, scheme: SchemeParams) -> list[int]:
    """The SKP years a period uses, later year first (2026 → 2025, 2024)."""
    return [tahun - offset for offset in range(1, scheme.jumlah_tahun_skp + 1)]


def jpm(achieved: tuple[int, ...], required: tuple[int, ...]) -> Decimal:
    return round2(Decimal(sum(achieved)) * HUNDRED / Decimal(sum(required)))


def next_level_standard(required: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(min(level + 1, 5) for level in required)


def jpm_band(value: Decimal) -> str:
    if value >= 90:
        return "Optimal"
    if value >= 78:
        return "Cukup Optimal"
    return "Kurang Optimal"


def kinerja_category(score: Decimal, scheme: SchemeParams) -> str:
    if score >= scheme.batas_kinerja_atas:
        return KINERJA_ATAS
    if score >= scheme.batas_kinerja_sesuai:
        return KINERJA_SESUAI
    return KINERJA_BAWAH


def potensial_category(score: Decimal, scheme: SchemeParams) -> str:
    if score >= scheme.batas_potensial_tinggi:
        return POTENSIAL_TINGGI
    if score >= scheme.batas_potensial_menengah:
        return POTENSIAL_MENENGAH
    return POTENSIAL_RENDAH


def place(
    pegawai: PegawaiInput,
    *,
    tahun: int,
    tanggal_acuan: dt.date,
    scheme: SchemeParams,
    calibrated_box: int | None = None,
) -> Placement:
    """The placement of one pegawai in a period (§1–§6)."""
    result = Placement()
    years = skp_years(tahun, scheme)
    reasons = _score_kinerja(result, pegawai, years, scheme)
    latest, asesmen, valid_from = _assessment_in_force(pegawai, tanggal_acuan, scheme)
    if latest is None:
        reasons.append(ALASAN_ASESMEN_TIDAK_ADA)
    elif asesmen is None:
        reasons.append(ALASAN_ASESMEN_KEDALUWARSA)
    if pegawai.pendidikan is None:
        reasons.append(ALASAN_PENDIDIKAN)
    window_start, in_window, heaviest = _discipline_in_window(pegawai, tanggal_acuan, scheme)
    result.komponen_disiplin = scheme.skor_disiplin[heaviest or TANPA_HUKUMAN]
    next_levels = next_level_standard(pegawai.required_levels)
    _score_potensial(result, pegawai, asesmen, next_levels, scheme)

    result.lengkap = not reasons
    result.alasan = "; ".join(reasons)
    if result.lengkap:
        _place_in_box(result, pegawai, years, heaviest, scheme, calibrated_box)

    result.rincian = {
        "skp": [
            {
                "tahun": year,
                "predikat": pegawai.skp[year].predikat if year in pegawai.skp else None,
                "skor": str(scheme.skor_predikat[pegawai.skp[year].predikat]) if year in pegawai.skp else None,
                "id": pegawai.skp[year].id if year in pegawai.skp else None,
            }
            for year in years
        ],
        "asesmen": _asesmen_detail(latest),
        "asesmen_berlaku_sejak": valid_from.isoformat(),
        "asesmen_valid": asesmen is not None,
        "standar": list(pegawai.required_levels),
        "standar_berikutnya": list(next_levels),
        "pendidikan": pegawai.pendidikan,
        "disiplin": {
            "terberat": heaviest,
            "jendela_mulai": window_start.isoformat(),
            "sanksi": [{"id": s.id, "tanggal_sk": s.tanggal_sk.isoformat(), "tingkat": s.tingkat} for s in in_window],
        },
    }
    return result


def _score_kinerja(result: Placement, pegawai: PegawaiInput, years: list[int], scheme: SchemeParams) -> list[str]:
    """Kinerja (§2): the mean score of the SKP years present; the reasons it is missing."""
    skp_used = [pegawai.skp[year] for year in years if year in pegawai.skp]
    result.skp_lengkap = len(skp_used) == len(years)
    if not skp_used:
        return [ALASAN_KINERJA]
    total = sum(scheme.skor_predikat[s.predikat] for s in skp_used)
    result.skor_kinerja = round2(Decimal(total) / len(skp_used))
    result.kategori_kinerja = kinerja_category(result.skor_kinerja, scheme)
    return []


def _assessment_in_force(pegawai: PegawaiInput, tanggal_acuan: dt.date, scheme: SchemeParams):
    """Assessment (§1): the latest on or before tanggal_acuan, and it only if still valid."""
    earlier = [a for a in pegawai.asesmen if a.tanggal <= tanggal_acuan]
    latest = max(earlier, key=lambda a: a.tanggal) if earlier else None
    valid_from = years_before(tanggal_acuan, scheme.masa_berlaku_asesmen_tahun)
    asesmen = latest if latest is not None and latest.tanggal >= valid_from else None
    return latest, asesmen, valid_from


def _discipline_in_window(pegawai: PegawaiInput, tanggal_acuan: dt.date, scheme: SchemeParams):
    """Discipline window (§1): the sanctions in it and the heaviest of them (§3)."""
    window_start = years_before(tanggal_acuan, scheme.jendela_disiplin_tahun)
    in_window = [s for s in pegawai.sanksi if window_start <= s.tanggal_sk <= tanggal_acuan]
    heaviest = max((s.tingkat for s in in_window), key=TINGKAT_DISIPLIN.index, default=None)
    return window_start, in_window, heaviest


def _score_potensial(result: Placement, pegawai: PegawaiInput, asesmen, next_levels, scheme: SchemeParams) -> None:
    """JPMs (§4) and potensial (§3): components as far as the inputs allow, the score only if all are there."""
    if asesmen is not None:
        result.jpm = jpm(asesmen.levels, pegawai.required_levels)
        result.jpm_berikutnya = jpm(asesmen.levels, next_levels)
        result.komponen_kompetensi = min(result.jpm_berikutnya, HUNDRED)
        result.komponen_potensi = asesmen.skor_potensi
    if pegawai.pendidikan is not None:
        result.komponen_kualifikasi = scheme.skor_pendidikan[pegawai.pendidikan]
    if asesmen is not None and pegawai.pendidikan is not None:
        weighted = (
            scheme.bobot_kompetensi * result.komponen_kompetensi
            + scheme.bobot_potensi * result.komponen_potensi
            + scheme.bobot_kualifikasi * result.komponen_kualifikasi
            + scheme.bobot_disiplin * result.komponen_disiplin
        )
        result.skor_potensial = round2(weighted / HUNDRED)
        result.kategori_potensial = potensial_category(result.skor_potensial, scheme)


def _place_in_box(result: Placement, pegawai, years, heaviest, scheme: SchemeParams, calibrated_box) -> None:
    """Box (§5) and talent pool (§6) of a complete placement."""
    result.kotak_hitung = BOX[(result.kategori_kinerja, result.kategori_potensial)]
    result.kotak = calibrated_box or result.kotak_hitung
    if result.kotak not in POOL_BOXES:
        return
    out_of_pool = _pool_exclusions(pegawai, years, heaviest, scheme.jendela_disiplin_tahun)
    if out_of_pool:
        result.alasan_krs = "; ".join(out_of_pool)
    else:
        result.krs = True
        result.label_krs = LABEL_KRS_NASIONAL if result.kotak == 9 else LABEL_KRS_INSTANSI


def _asesmen_detail(asesmen: AsesmenInput | None) -> dict | None:
    if asesmen is None:
        return None
    return {
        "id": asesmen.id,
        "tanggal": asesmen.tanggal.isoformat(),
        "lembaga": asesmen.lembaga,
        "skor_potensi": str(asesmen.skor_potensi),
        "levels": dict(zip(KOMPETENSI_FIELDS, asesmen.levels, strict=True)),
    }


def _pool_exclusions(pegawai: PegawaiInput, years: list[int], heaviest: str | None, window_years: int) -> list[str]:
    """Every rule of §6 (2 and 3) that keeps a box 7–9 employee out of the pool, in order."""
    reasons = [f"SKP {year} tidak ada" for year in years if year not in pegawai.skp]
    reasons += [
        f"Predikat SKP {year} di bawah Baik"
        for year in years
        if year in pegawai.skp and pegawai.skp[year].predikat not in PREDIKAT_BAIK_ATAU_LEBIH
    ]
    if heaviest in ("Sedang", "Berat"):
        reasons.append(f"Hukuman disiplin tingkat {heaviest} dalam {window_years} tahun terakhir")
    return reasons
