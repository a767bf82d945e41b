"""Succession rules of default-scheme.md §7 as pure functions: targets, gates, ranking, readiness."""

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from asn.reference import KOMPETENSI_FIELDS
from assessment.scoring import jpm

MANAJERIAL_TARGET_JENJANG = ("JPT Madya", "JPT Pratama", "Administrator", "Pengawas")

FEEDING_JENJANG = {
    "JPT Madya": ("JPT Pratama",),
    "JPT Pratama": ("Administrator", "Ahli Madya"),
    "Administrator": ("Pengawas", "Ahli Muda"),
    "Pengawas": ("Pelaksana", "Ahli Pertama", "Penyelia"),
}

DEFAULT_GOLONGAN_MINIMAL = {"Pengawas": "III/b", "Administrator": "III/d", "JPT Pratama": "IV/b", "JPT Madya": "IV/c"}

ALASAN_KRITIKAL = "Kritikal"
ALASAN_KOSONG = "Kosong"

SIAP_SEKARANG = "Siap sekarang"
SIAP_1_2 = "Siap 1-2 tahun"
SIAP_3 = "Siap 3 tahun atau lebih"
KESIAPAN = [SIAP_SEKARANG, SIAP_1_2, SIAP_3]


def add_months(day: dt.date, months: int) -> dt.date:
    """Keep the day, or take the month's last day where it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def target_reasons(
    *, jenjang: str, kritikal: bool, dalam_struktur: bool, holder_retirements: list[dt.date], tanggal_acuan: dt.date
) -> list[str]:
    """Why a jabatan is a target, in the spec's order; empty when it is not one."""
    if jenjang not in MANAJERIAL_TARGET_JENJANG:
        return []
    reasons = []
    if kritikal:
        reasons.append(ALASAN_KRITIKAL)
    if dalam_struktur and not holder_retirements:
        reasons.append(ALASAN_KOSONG)
    if holder_retirements:
        earliest = min(holder_retirements)
        if earliest <= add_months(tanggal_acuan, 24):
            reasons.append(f"Pemangku pensiun {earliest.isoformat()}")
    return reasons


@dataclass(frozen=True)
class Person:
    """A pegawai of the instansi as the gates and the ranking see them."""

    pegawai_id: int
    penempatan_id: int | None
    nip: str
    jenjang: str
    jenis_asn: str
    golongan_rank: int | None  # PNS order 1..17; None for PPPK
    tanggal_pensiun: dt.date
    krs: bool
    kotak: int | None
    skor_potensial: Decimal | None
    skor_kinerja: Decimal | None
    asesmen_levels: tuple[int, ...] | None


@dataclass(frozen=True)
class Candidate:
    person: Person
    jpm_target: Decimal
    kesiapan: str


def readiness(jpm_target: Decimal) -> str:
    if jpm_target >= 90:
        return SIAP_SEKARANG
    if jpm_target >= 78:
        return SIAP_1_2
    return SIAP_3


def competency_gaps(levels: dict | None, required_levels: tuple[int, ...]) -> list[tuple[str, int]]:
    """Required minus achieved, where positive, in the order of the nine; none without levels.

    JPM sums the nine levels and is not capped at 100 (§4): a level above the standard in one
    competency makes up for one below it in another, so a JPM of 90 or more ("Siap sekarang") can
    still hide gaps. The gaps are what the pages show beside it.
    """
    if not levels:
        return []
    required = dict(zip(KOMPETENSI_FIELDS, required_levels, strict=True))
    return [(field, required[field] - levels[field]) for field in KOMPETENSI_FIELDS if required[field] > levels[field]]


def gate_failures(
    person: Person, *, golongan_minimal: str, golongan_minimal_rank: int, tanggal_acuan: dt.date
) -> list[str]:
    """Every gate a person of a feeding jenjang fails, with the reason shown to users."""
    reasons = []
    if not person.krs:
        reasons.append("Bukan anggota Kelompok Rencana Suksesi periode ini")
    if person.jenis_asn == "PPPK":
        reasons.append("PPPK tidak dapat menjadi kandidat jabatan manajerial")
    elif person.golongan_rank is None or person.golongan_rank < golongan_minimal_rank:
        reasons.append(f"Golongan di bawah minimal {golongan_minimal}")
    if person.tanggal_pensiun <= add_months(tanggal_acuan, 12):
        reasons.append(f"Pensiun {person.tanggal_pensiun.isoformat()}, dalam 12 bulan setelah tanggal acuan")
    return reasons


def rank_candidates(people: list[Person], required_levels: tuple[int, ...]) -> list[Candidate]:
    """Ranking: JPM against the target desc, final box desc, P desc, K desc, NIP asc."""
    candidates = [
        Candidate(person=p, jpm_target=(value := jpm(p.asesmen_levels, required_levels)), kesiapan=readiness(value))
        for p in people
    ]
    candidates.sort(
        key=lambda c: (
            -c.jpm_target,
            -(c.person.kotak or 0),
            -(c.person.skor_potensial or 0),
            -(c.person.skor_kinerja or 0),
            c.person.nip,
        )
    )
    return candidates
