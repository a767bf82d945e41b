"""Independent reference implementation of §7 of the default scheme (succession for a jabatan target).

Written from `/work/shared/domain/default-scheme.md` alone, without reading the production code, so a
test suite can cross-check the production succession lists against it. Pure standard library.

Entry point: `expected_candidate_rows(periode, jabatan, pegawai)`; see its docstring for the input shape.
"""

import calendar
import datetime
from decimal import ROUND_HALF_UP, Decimal

MANAJERIAL_TARGET_JENJANG = ("JPT Madya", "JPT Pratama", "Administrator", "Pengawas")

# §7 table: target jenjang → the current jenjang that feed it.
FEEDING_JENJANG = {
    "JPT Madya": ("JPT Pratama",),
    "JPT Pratama": ("Administrator", "Ahli Madya"),
    "Administrator": ("Pengawas", "Ahli Muda"),
    "Pengawas": ("Pelaksana", "Ahli Pertama", "Penyelia"),
}

# §7: default minimum golongan by target jenjang.
DEFAULT_GOLONGAN_MINIMAL = {
    "Pengawas": "III/b",
    "Administrator": "III/d",
    "JPT Pratama": "IV/b",
    "JPT Madya": "IV/c",
}

# PNS golongan/ruang in ascending order (I/a .. IV/e).
PNS_GOLONGAN_ORDER = (
    "I/a",
    "I/b",
    "I/c",
    "I/d",
    "II/a",
    "II/b",
    "II/c",
    "II/d",
    "III/a",
    "III/b",
    "III/c",
    "III/d",
    "IV/a",
    "IV/b",
    "IV/c",
    "IV/d",
    "IV/e",
)
PNS_GOLONGAN_RANK = {golongan: index for index, golongan in enumerate(PNS_GOLONGAN_ORDER)}

# §4 table: default required level (all nine competencies) by jenjang.
DEFAULT_LEVEL = {
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

# §7: BUP (batas usia pensiun) by the employee's current jenjang; 58 otherwise.
BUP_DEFAULT = 58
BUP_BY_JENJANG = {
    "JPT Utama": 60,
    "JPT Madya": 60,
    "JPT Pratama": 60,
    "Ahli Madya": 60,
    "Ahli Utama": 65,
}

KESIAPAN_SEKARANG = "Siap sekarang"
KESIAPAN_1_2_TAHUN = "Siap 1-2 tahun"
KESIAPAN_3_TAHUN = "Siap 3 tahun atau lebih"

ROW_KEYS = (
    "instansi",
    "unit_kerja",
    "jabatan",
    "jenjang",
    "alasan_target",
    "peringkat",
    "nip",
    "jpm_target",
    "kotak",
    "skor_potensial",
    "skor_kinerja",
    "kesiapan",
)
CANDIDATE_KEYS = ("peringkat", "nip", "jpm_target", "kotak", "skor_potensial", "skor_kinerja", "kesiapan")

TWO_PLACES = Decimal("0.01")


# --- dates -------------------------------------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` + `months`, keeping the day of month or taking the target month's last day (§7)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def birth_date(pegawai: dict) -> datetime.date:
    """The given `tanggal_lahir`; when absent, the NIP's first eight digits (YYYYMMDD)."""
    tanggal = pegawai.get("tanggal_lahir")
    if tanggal is not None:
        return tanggal
    nip = str(pegawai["nip"]).replace(" ", "")
    return datetime.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))


def bup(jenjang: str | None) -> int:
    return BUP_BY_JENJANG.get(jenjang, BUP_DEFAULT)


def retirement_date(tanggal_lahir: datetime.date, jenjang: str | None) -> datetime.date:
    """First day of the month after the month in which the employee reaches BUP (§7).

    The employee reaches BUP in their birth month of the year `birth year + BUP` (29 February included:
    the month is February either way), so the date is the first of the following month.
    """
    year = tanggal_lahir.year + bup(jenjang)
    month = tanggal_lahir.month + 1
    if month > 12:
        year, month = year + 1, 1
    return datetime.date(year, month, 1)


# --- numbers -----------------------------------------------------------------------------------------------------


def jpm(achieved: list[int], required: list[int]) -> Decimal:
    """Σ achieved × 100 / Σ required: the exact quotient rounded half-up to 2 decimals (§4).

    Done in integers so no intermediate rounding can creep in: round_half_up(n / d, 2) for n, d >= 0 equals
    floor((2·n·100 + d) / (2·d)) hundredths.
    """
    numerator = sum(achieved) * 100
    denominator = sum(required)
    if denominator <= 0:
        raise ValueError("required levels must sum to a positive number")
    hundredths = (2 * numerator * 100 + denominator) // (2 * denominator)
    return (Decimal(hundredths) / 100).quantize(TWO_PLACES)


def default_kesiapan(jpm_target: Decimal) -> str:
    if jpm_target >= 90:
        return KESIAPAN_SEKARANG
    if jpm_target >= 78:
        return KESIAPAN_1_2_TAHUN
    return KESIAPAN_3_TAHUN


def _decimal(value) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def _fmt2(value) -> str:
    number = _decimal(value)
    if number is None:
        return ""
    return f"{number.quantize(TWO_PLACES, rounding=ROUND_HALF_UP):f}"


# --- jabatan -----------------------------------------------------------------------------------------------------


def target_standard(jabatan: dict) -> list[int]:
    """The jabatan's own nine required levels, else nine times its jenjang's default (§4)."""
    standar = jabatan.get("standar")
    if standar is not None:
        return list(standar)
    return [DEFAULT_LEVEL[jabatan["jenjang"]]] * 9


def golongan_minimal(jabatan: dict) -> str:
    return jabatan.get("golongan_minimal") or DEFAULT_GOLONGAN_MINIMAL[jabatan["jenjang"]]


def target_reasons(jabatan: dict, holders: list[dict], jenjang_by_id: dict, tanggal_acuan: datetime.date) -> list[str]:
    """The §7 target reasons of one jabatan, in order; empty when it is not a target."""
    if jabatan["jenjang"] not in MANAJERIAL_TARGET_JENJANG:
        return []
    reasons = []
    if jabatan.get("kritikal"):
        reasons.append("Kritikal")
    if not holders and jabatan.get("dalam_struktur"):
        reasons.append("Kosong")
    if holders:
        limit = add_months(tanggal_acuan, 24)
        earliest = min(retirement_date(birth_date(p), jenjang_by_id.get(p["jabatan_id"])) for p in holders)
        if earliest <= limit:
            reasons.append(f"Pemangku pensiun {earliest.isoformat()}")
    return reasons


# --- candidates --------------------------------------------------------------------------------------------------


def passes_gates(pegawai: dict, target: dict, jenjang: str, tanggal_acuan: datetime.date) -> bool:
    """Golongan gate (PPPK never pass for manajerial targets) and retirement gate (§7)."""
    if pegawai.get("jenis_asn") != "PNS":
        return False
    own = PNS_GOLONGAN_RANK.get(pegawai.get("golongan"))
    minimum = PNS_GOLONGAN_RANK[golongan_minimal(target)]
    if own is None or own < minimum:
        return False
    return retirement_date(birth_date(pegawai), jenjang) > add_months(tanggal_acuan, 12)


def _desc(value) -> tuple[int, Decimal]:
    """Sort key part for a descending value; a missing value sorts after every present one."""
    if value is None:
        return (1, Decimal(0))
    return (0, -Decimal(value))


def candidates_for(
    target: dict, pegawai: list[dict], jenjang_by_id: dict, tanggal_acuan: datetime.date
) -> list[tuple[dict, Decimal | None]]:
    """Ranked (pegawai, JPM target) pairs for one target."""
    feeding = FEEDING_JENJANG[target["jenjang"]]
    standard = target_standard(target)
    found = []
    for person in pegawai:
        placement = person.get("placement")
        if not placement or not placement.get("krs"):
            continue
        if person.get("instansi") != target["instansi"]:
            continue
        jenjang = jenjang_by_id.get(person.get("jabatan_id"))
        if jenjang not in feeding:
            continue
        if not passes_gates(person, target, jenjang, tanggal_acuan):
            continue
        levels = placement.get("asesmen_levels")
        score = jpm(levels, standard) if levels is not None else None
        found.append((person, score))

    def key(item):
        person, score = item
        placement = person["placement"]
        return (
            _desc(score),
            _desc(placement.get("kotak")),
            _desc(_decimal(placement.get("skor_potensial"))),
            _desc(_decimal(placement.get("skor_kinerja"))),
            str(person["nip"]),
        )

    return sorted(found, key=key)


# --- rows --------------------------------------------------------------------------------------------------------


def expected_candidate_rows(periode: dict, jabatan: list[dict], pegawai: list[dict]) -> list[dict[str, str]]:
    """Expected succession rows: one per target × candidate, or one empty-candidate row per target.

    periode: {"tahun": int, "tanggal_acuan": date}.
    jabatan: [{"id", "instansi" (code), "unit_kerja", "nama", "jenjang", "kritikal", "dalam_struktur",
               "golongan_minimal" (str or None), "standar" (9 ints or None)}].
    pegawai: [{"nip", "instansi" (code), "jabatan_id", "jenis_asn", "golongan", "tanggal_lahir",
               "placement": None or {"krs", "kotak", "skor_potensial", "skor_kinerja", "asesmen_levels"}}].
    """
    tanggal_acuan = periode["tanggal_acuan"]
    jenjang_by_id = {j["id"]: j["jenjang"] for j in jabatan}
    holders_by_id: dict = {}
    for person in pegawai:
        holders_by_id.setdefault(person.get("jabatan_id"), []).append(person)

    ordered = sorted(jabatan, key=lambda j: (str(j["instansi"]), j["unit_kerja"], j["nama"], j["jenjang"], j["id"]))
    rows: list[dict[str, str]] = []
    for target in ordered:
        reasons = target_reasons(target, holders_by_id.get(target["id"], []), jenjang_by_id, tanggal_acuan)
        if not reasons:
            continue
        base = {
            "instansi": str(target["instansi"]),
            "unit_kerja": target["unit_kerja"],
            "jabatan": target["nama"],
            "jenjang": target["jenjang"],
            "alasan_target": "; ".join(reasons),
        }
        ranked = candidates_for(target, pegawai, jenjang_by_id, tanggal_acuan)
        if not ranked:
            rows.append({**base, **dict.fromkeys(CANDIDATE_KEYS, "")})
            continue
        for rank, (person, score) in enumerate(ranked, start=1):
            placement = person["placement"]
            kotak = placement.get("kotak")
            rows.append(
                {
                    **base,
                    "peringkat": str(rank),
                    "nip": str(person["nip"]),
                    "jpm_target": _fmt2(score),
                    "kotak": "" if kotak is None else str(kotak),
                    "skor_potensial": _fmt2(placement.get("skor_potensial")),
                    "skor_kinerja": _fmt2(placement.get("skor_kinerja")),
                    "kesiapan": default_kesiapan(score) if score is not None else "",
                }
            )
    return rows
