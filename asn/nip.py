"""NIP (PNS) and NI PPPK: validation and decoding (talent-rules.md §6.1, import-format.md).

Pure functions, no database: used by forms, imports, the model and the seeder alike.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

PNS = "PNS"
PPPK = "PPPK"
_DIGITS_18 = re.compile(r"^\d{18}$")


@dataclass(frozen=True)
class NipInfo:
    tanggal_lahir: dt.date
    tmt_cpns: dt.date | None  # PNS only: first day of the TMT CPNS month
    jenis_kelamin: str  # "L" or "P"


def normalize(raw: str) -> str:
    """Drop the ASCII spaces people type between the NIP groups."""
    return raw.replace(" ", "")


def _parse_ymd(text: str) -> dt.date | None:
    try:
        return dt.date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def decode(nip: str, jenis_asn: str) -> NipInfo:
    """Validate a normalised NIP for its jenis ASN and return what it encodes.

    Raises ValidationError with an Indonesian message naming the first broken rule.
    """
    if not _DIGITS_18.match(nip):
        if not nip.isdigit():
            raise ValidationError("NIP hanya boleh berisi angka (18 digit).", code="nip_digits")
        raise ValidationError(f"NIP harus 18 digit, bukan {len(nip)} digit.", code="nip_length")
    tanggal_lahir = _parse_ymd(nip[0:8])
    if tanggal_lahir is None:
        raise ValidationError(f"Digit 1–8 NIP ({nip[0:8]}) bukan tanggal lahir yang valid.", code="nip_birth")
    if nip[14] not in "12":
        raise ValidationError(
            f"Digit ke-15 NIP (jenis kelamin) harus 1 atau 2, bukan {nip[14]}.",
            code="nip_gender",
        )
    tmt_cpns = None
    if jenis_asn == PNS:
        month = int(nip[12:14])
        if not 1 <= month <= 12:
            raise ValidationError(
                f"Digit 13–14 NIP (bulan TMT CPNS) harus 01–12, bukan {nip[12:14]}.",
                code="nip_month",
            )
        tmt_cpns = dt.date(int(nip[8:12]), month, 1)
    return NipInfo(
        tanggal_lahir=tanggal_lahir,
        tmt_cpns=tmt_cpns,
        jenis_kelamin="L" if nip[14] == "1" else "P",
    )


def formatted(nip: str) -> str:
    """The way NIPs are printed on decrees: `19860926 201505 1 001`."""
    if len(nip) != 18:
        return nip
    return f"{nip[0:8]} {nip[8:14]} {nip[14]} {nip[15:18]}"


def retirement_date(tanggal_lahir: dt.date, bup_years: int) -> dt.date:
    """First day of the month after the month in which the employee reaches BUP (§7)."""
    year = tanggal_lahir.year + bup_years
    month = tanggal_lahir.month + 1
    if month == 13:
        year, month = year + 1, 1
    return dt.date(year, month, 1)
