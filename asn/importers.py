"""Validation of the `pegawai` import file (import-format.md §1).

Pure: the caller loads what the rules need from the database into a `PegawaiImportContext`.
Every row is checked completely so the user gets all errors of a file at once.
"""

import datetime as dt
from dataclasses import dataclass, field
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
    # Restricts rows to an Operator OPD's units (casefolded name -> name); None: any unit.
    allowed_units: dict[str, str] | None = None
    existing_unit_by_nip: dict[str, str] = field(default_factory=dict)  # NIP -> casefolded unit now


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
    jenis_options = {"pns": "PNS", "pppk": "PPPK"}
    golongan_options = {code.casefold(): code for code in ctx.golongan_jenis}

    for row_number, cells in table.rows:
        row = RowChecker(row_number, cells)
        check, values, row_errors = row.check, row.values, row.errors
        check("nama", lambda v: parse_text(v, max_length=150))
        check("gelar_depan", lambda v: parse_text(v, max_length=50, required=False))
        check("gelar_belakang", lambda v: parse_text(v, max_length=80, required=False))
        check("jenis_asn", lambda v: parse_choice(v, jenis_options, label="Jenis ASN"))
        check("nip", partial(_parse_nip, jenis_asn=values.get("jenis_asn")))
        check("instansi", lambda v: _parse_instansi(v, ctx))
        check("unit_kerja", lambda v: _parse_unit(v, ctx))
        check("jabatan", lambda v: parse_text(v, max_length=200))
        check("jenjang", lambda v: parse_choice(v, ctx.jenjang_by_name, label="Jenjang"))
        check("golongan", lambda v: parse_choice(v, golongan_options, label="Golongan"))
        check("pendidikan", lambda v: parse_choice(v, ctx.pendidikan_codes, label="Pendidikan"))
        check(
            "tmt_jabatan",
            lambda v: parse_date(v, not_after=ctx.today) if as_text(v).strip() else None,
        )

        golongan, jenis = values.get("golongan"), values.get("jenis_asn")
        if golongan and jenis and ctx.golongan_jenis[golongan] != jenis:
            row_errors.append(
                RowError(
                    row_number,
                    "golongan",
                    golongan,
                    f"Golongan {golongan} adalah golongan {ctx.golongan_jenis[golongan]}, "
                    f"tidak sesuai dengan jenis ASN {jenis}.",
                )
            )
        nip = values.get("nip")
        if nip and not any(e.column == "nip" for e in row_errors):
            if nip in first_row_of_nip:
                row_errors.append(
                    RowError(row_number, "nip", nip, f"NIP {nip} sudah ada di baris {first_row_of_nip[nip]}.")
                )
            else:
                first_row_of_nip[nip] = row_number
            holder = ctx.existing_instansi_by_nip.get(nip)
            kode = values.get("instansi")
            unit_now = ctx.existing_unit_by_nip.get(nip)
            if ctx.allowed_units is not None and unit_now is not None and unit_now not in ctx.allowed_units:
                row_errors.append(
                    RowError(
                        row_number,
                        "nip",
                        nip,
                        f"NIP {nip} terdaftar di unit kerja lain. Perpindahan antar-unit dicatat oleh "
                        "operator BKD/BKPSDM.",
                    )
                )
            if ctx.allowed_instansi_kode is not None and holder and kode and holder != kode:
                row_errors.append(
                    RowError(
                        row_number,
                        "nip",
                        nip,
                        f"NIP {nip} terdaftar di instansi {holder}. Perpindahan antar-instansi "
                        "hanya dapat dicatat oleh admin provinsi.",
                    )
                )

        if row_errors:
            errors.extend(row_errors)
            continue
        rows.append(
            PegawaiRow(
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
        )
    return rows, errors


def _parse_unit(value, ctx: PegawaiImportContext) -> str:
    nama = parse_text(value, max_length=200)
    if ctx.allowed_units is not None and nama.casefold() not in ctx.allowed_units:
        raise CellError(
            f"Unit kerja {nama} bukan unit kerja Anda; Anda hanya dapat mengimpor pegawai "
            f"{', '.join(sorted(ctx.allowed_units.values()))}."
        )
    return nama


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
