"""Validation of the `pegawai` import file (import-format.md §1).

Pure: the caller loads what the rules need from the database into a `PegawaiImportContext`.
Every row is checked completely so the user gets all errors of a file at once.
"""

import datetime as dt
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError

from talenta.tabular import (
    CellError,
    Column,
    RowError,
    Table,
    as_text,
    parse_choice,
    parse_date,
    parse_text,
)

from . import nip as nip_rules

PEGAWAI_COLUMNS = [
    Column("nip"),
    Column("nama"),
    Column("gelar_depan", required=False),
    Column("gelar_belakang", required=False),
    Column("jenis_asn"),
    Column("instansi"),
    Column("unit_kerja"),
    Column("jabatan"),
    Column("jenjang"),
    Column("golongan"),
    Column("pendidikan"),
    Column("tmt_jabatan", required=False),
]

PEGAWAI_EXAMPLE = [
    "19860926 201505 1 001",
    "Yohanes Apui",
    "",
    "S.Kom., M.T.",
    "PNS",
    "6101",
    "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
    "Kepala Bidang Pengembangan Kompetensi",
    "Administrator",
    "III/d",
    "S2",
    "2023-01-02",
]


@dataclass(frozen=True)
class PegawaiImportContext:
    today: dt.date
    instansi_by_kode: dict[str, int]
    golongan_jenis: dict[str, str]  # golongan code -> "PNS" | "PPPK"
    jenjang_by_name: dict[str, str]  # casefolded name -> canonical name
    pendidikan_codes: dict[str, str]  # casefolded code -> code
    # Restricts rows to one instansi (operators); None lets a province-wide admin import any.
    allowed_instansi_kode: str | None
    existing_instansi_by_nip: dict[str, str]  # NIP -> kode of the instansi holding it now


@dataclass(frozen=True)
class PegawaiRow:
    row: int
    nip: str
    nama: str
    gelar_depan: str
    gelar_belakang: str
    jenis_asn: str
    instansi_kode: str
    unit_kerja: str
    jabatan: str
    jenjang: str
    golongan: str
    pendidikan: str
    tmt_jabatan: dt.date | None


class RowChecker:
    """Parses the cells of one row, collecting every error instead of stopping at the first."""

    def __init__(self, row_number: int, cells: dict):
        self.row_number = row_number
        self.cells = cells
        self.values: dict = {}
        self.errors: list[RowError] = []

    def check(self, column: str, parse) -> None:
        raw = self.cells.get(column, "")
        try:
            self.values[column] = parse(raw)
        except CellError as exc:
            self.errors.append(RowError(self.row_number, column, as_text(raw), str(exc)))
        except ValidationError as exc:
            self.errors.append(RowError(self.row_number, column, as_text(raw), exc.messages[0]))


def _parse_nip(value, jenis_asn: str | None) -> str:
    if isinstance(value, int | float):
        raise CellError("NIP harus diisi sebagai teks, bukan angka: Excel sudah memotong digit akhirnya.")
    text = as_text(value).strip()
    if not text:
        raise CellError("Wajib diisi.")
    nip = nip_rules.normalize(text)
    # PPPK rules are the weaker ones: use them while the jenis ASN itself is invalid.
    nip_rules.decode(nip, jenis_asn or nip_rules.PPPK)
    return nip


def validate_pegawai(table: Table, ctx: PegawaiImportContext) -> tuple[list[PegawaiRow], list[RowError]]:
    rows: list[PegawaiRow] = []
    errors: list[RowError] = []
    first_row_of_nip: dict[str, int] = {}
    golongan_options = {code.casefold(): code for code in ctx.golongan_jenis}

    for row_number, cells in table.rows:
        row = RowChecker(row_number, cells)
        _check_cells(row, ctx, golongan_options)
        # The cross-column rules run on the cells that parsed, so a row reports all its errors at once.
        row.errors += _golongan_mismatch(row, ctx)
        row.errors += _nip_conflicts(row, ctx, first_row_of_nip)
        if row.errors:
            errors.extend(row.errors)
            continue
        rows.append(_pegawai_row(row_number, row.values))
    return rows, errors


_JENIS_OPTIONS = {"pns": "PNS", "pppk": "PPPK"}


def _check_cells(row: RowChecker, ctx: PegawaiImportContext, golongan_options: dict[str, str]) -> None:
    """Each cell on its own; `jenis_asn` comes before `nip`, whose rules depend on it."""
    check, values = row.check, row.values
    check("nama", lambda v: parse_text(v, max_length=150))
    check("gelar_depan", lambda v: parse_text(v, max_length=50, required=False))
    check("gelar_belakang", lambda v: parse_text(v, max_length=80, required=False))
    check("jenis_asn", lambda v: parse_choice(v, _JENIS_OPTIONS, label="Jenis ASN"))
    check("nip", partial(_parse_nip, jenis_asn=values.get("jenis_asn")))
    check("instansi", lambda v: _parse_instansi(v, ctx))
    check("unit_kerja", lambda v: parse_text(v, max_length=200))
    check("jabatan", lambda v: parse_text(v, max_length=200))
    check("jenjang", lambda v: parse_choice(v, ctx.jenjang_by_name, label="Jenjang"))
    check("golongan", lambda v: parse_choice(v, golongan_options, label="Golongan"))
    check("pendidikan", lambda v: parse_choice(v, ctx.pendidikan_codes, label="Pendidikan"))
    check(
        "tmt_jabatan",
        lambda v: parse_date(v, not_after=ctx.today) if as_text(v).strip() else None,
    )


def _golongan_mismatch(row: RowChecker, ctx: PegawaiImportContext) -> list[RowError]:
    """A PNS golongan on a PPPK row or the other way round."""
    golongan, jenis = row.values.get("golongan"), row.values.get("jenis_asn")
    if not (golongan and jenis and ctx.golongan_jenis[golongan] != jenis):
        return []
    message = (
        f"Golongan {golongan} adalah golongan {ctx.golongan_jenis[golongan]}, tidak sesuai dengan jenis ASN {jenis}."
    )
    return [RowError(row.row_number, "golongan", golongan, message)]


def _nip_conflicts(row: RowChecker, ctx: PegawaiImportContext, first_row_of_nip: dict[str, int]) -> list[RowError]:
    """A NIP already used higher up in the file, or held by another instansi (a move only the province
    records). Records the first row of each valid NIP in `first_row_of_nip`."""
    nip = row.values.get("nip")
    # A NIP with an error of its own is not a person yet: it neither conflicts nor claims a row.
    if not nip or any(e.column == "nip" for e in row.errors):
        return []
    conflicts = []
    if nip in first_row_of_nip:
        conflicts.append(RowError(row.row_number, "nip", nip, f"NIP {nip} sudah ada di baris {first_row_of_nip[nip]}."))
    else:
        first_row_of_nip[nip] = row.row_number
    holder = ctx.existing_instansi_by_nip.get(nip)
    kode = row.values.get("instansi")
    if ctx.allowed_instansi_kode is not None and holder and kode and holder != kode:
        conflicts.append(
            RowError(
                row.row_number,
                "nip",
                nip,
                f"NIP {nip} terdaftar di instansi {holder}. Perpindahan antar-instansi "
                "hanya dapat dicatat oleh admin provinsi.",
            )
        )
    return conflicts


def _pegawai_row(row_number: int, values: dict) -> PegawaiRow:
    return PegawaiRow(
        row=row_number,
        nip=values["nip"],
        nama=values["nama"],
        gelar_depan=values["gelar_depan"],
        gelar_belakang=values["gelar_belakang"],
        jenis_asn=values["jenis_asn"],
        instansi_kode=values["instansi"],
        unit_kerja=values["unit_kerja"],
        jabatan=values["jabatan"],
        jenjang=values["jenjang"],
        golongan=values["golongan"],
        pendidikan=values["pendidikan"],
        tmt_jabatan=values["tmt_jabatan"],
    )


def _parse_instansi(value, ctx: PegawaiImportContext) -> str:
    kode = as_text(value).strip()
    if not kode:
        raise CellError("Wajib diisi.")
    if kode not in ctx.instansi_by_kode:
        raise CellError(f"Kode instansi {kode} tidak dikenal (gunakan kode Kemendagri, mis. 6101).")
    if ctx.allowed_instansi_kode is not None and kode != ctx.allowed_instansi_kode:
        raise CellError(
            f"Baris ini untuk instansi {kode}; Anda hanya dapat mengimpor data instansi {ctx.allowed_instansi_kode}."
        )
    return kode
