"""Validation of the `pegawai` import file (import-format.md §1).

Pure: the caller loads what the rules need from the database into a `PegawaiImportContext`.
Every row is checked completely so the user gets all errors of a file at once.
"""

import datetime as dt
import difflib
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


# --- new unit kerja and jabatan (the preview's typo check) ---------------------------------------

# difflib's ratio from which a name counts as "mirip": "Dinas Kesehatn" / "Dinas Kesehatan" is 0.97,
# "Bidang Mutasi" / "Bidang Mutasi dan Promosi" 0.68.
NEAR_MATCH_CUTOFF = 0.85
NEAR_MATCHES_SHOWN = 3


@dataclass(frozen=True)
class StructureEntry:
    """What one row names: the unit kerja and jabatan it would be placed in."""

    row: int
    instansi_id: int
    unit_kerja: str
    jabatan: str
    jenjang: str  # kode


@dataclass
class ExistingStructure:
    """The instansi's units and jabatan as they are, keyed casefolded (as the write matches them)."""

    units: dict[tuple[int, str], str]  # (instansi_id, unit casefold) -> name
    # (instansi_id, unit casefold) -> {(jabatan casefold, jenjang): name}
    jabatan: dict[tuple[int, str], dict[tuple[str, str], str]]
    instansi_kode: dict[int, str]
    jenjang_nama: dict[str, str]


def _near(name: str, own_key, candidates: dict) -> list[str]:
    """Keys of the candidates spelt almost like `name` (never the key itself), closest first."""
    others = [key for key in candidates if key != own_key]
    return difflib.get_close_matches(name.casefold(), others, n=NEAR_MATCHES_SHOWN, cutoff=NEAR_MATCH_CUTOFF)


def new_structure(entries: list[StructureEntry], existing: ExistingStructure) -> list[dict]:
    """Every unit kerja and jabatan the rows would create, each with its near matches.

    A near match is an existing name of the same instansi (units) or of the same unit (jabatan,
    where the same name with another jenjang counts), or another new name of the file: a typo in
    one row ("Dinas Kesehatn") shows beside the spelling the other rows use.
    """
    new_units: dict[tuple[int, str], dict] = {}
    new_jabatan: dict[tuple[int, str, str, str], dict] = {}
    for entry in entries:
        unit_key = (entry.instansi_id, entry.unit_kerja.casefold())
        if unit_key not in existing.units:
            unit = new_units.setdefault(unit_key, {"nama": entry.unit_kerja, "baris": entry.row, "jumlah": 0})
            unit["jumlah"] += 1
        jabatan_key = (entry.jabatan.casefold(), entry.jenjang)
        if jabatan_key not in existing.jabatan.get(unit_key, {}):
            # The unit as it is (or will be) named, whatever the row's spelling of it.
            unit_name = existing.units.get(unit_key) or new_units[unit_key]["nama"]
            item = new_jabatan.setdefault(
                (*unit_key, *jabatan_key),
                {"nama": entry.jabatan, "unit_kerja": unit_name, "baris": entry.row, "jumlah": 0},
            )
            item["jumlah"] += 1

    listed = []
    units_by_instansi: dict[int, dict[str, tuple[str, bool]]] = {}
    for (instansi_id, key), nama in existing.units.items():
        units_by_instansi.setdefault(instansi_id, {})[key] = (nama, True)
    for (instansi_id, key), unit in new_units.items():
        units_by_instansi.setdefault(instansi_id, {}).setdefault(key, (unit["nama"], False))
    for (instansi_id, key), unit in new_units.items():
        candidates = units_by_instansi[instansi_id]
        listed.append(
            {
                "jenis": "unit_kerja",
                "instansi": existing.instansi_kode[instansi_id],
                "unit_kerja": unit["nama"],
                "jabatan": "",
                "jenjang": "",
                "baris": unit["baris"],
                "jumlah": unit["jumlah"],
                "mirip": [
                    {"nama": candidates[near][0], "ada": candidates[near][1]} for near in _near(key, key, candidates)
                ],
            }
        )

    jabatan_by_unit: dict[tuple[int, str], dict[str, list[tuple[str, str, bool]]]] = {}
    for unit_key, items in existing.jabatan.items():
        for (key, jenjang), nama in items.items():
            jabatan_by_unit.setdefault(unit_key, {}).setdefault(key, []).append((nama, jenjang, True))
    for (instansi_id, unit, key, jenjang), item in new_jabatan.items():
        jabatan_by_unit.setdefault((instansi_id, unit), {}).setdefault(key, []).append((item["nama"], jenjang, False))
    for (instansi_id, unit, key, jenjang), item in new_jabatan.items():
        candidates = jabatan_by_unit[(instansi_id, unit)]
        mirip = []
        for near in _near(key, None, candidates):
            for nama, other_jenjang, ada in candidates[near]:
                if (near, other_jenjang) != (key, jenjang):
                    mirip.append({"nama": f"{nama} ({existing.jenjang_nama[other_jenjang]})", "ada": ada})
        listed.append(
            {
                "jenis": "jabatan",
                "instansi": existing.instansi_kode[instansi_id],
                "unit_kerja": item["unit_kerja"],
                "jabatan": item["nama"],
                "jenjang": existing.jenjang_nama[jenjang],
                "baris": item["baris"],
                "jumlah": item["jumlah"],
                "mirip": mirip[:NEAR_MATCHES_SHOWN],
            }
        )
    # Likely typos first, then in the file's order.
    listed.sort(key=lambda entry: (not entry["mirip"], entry["baris"], entry["jenis"] != "unit_kerja"))
    return listed
