"""Validation of SIASN's "Export Data ASN" file (siasn-format.md §1) into pegawai rows.

Pure: the caller loads what the rules need into a `SiasnContext`. A row becomes the same
`PegawaiRow` the `pegawai` import writes, plus SIASN's stable keys (PNS ID, UNOR ID, JABATAN ID).
Values Talenta has no spelling of (jenis pegawai, tingkat pendidikan, instansi kerja, the jenjang
of a jabatan) are read through the instansi's saved mapping; a value without one becomes a
question with a best guess, and the file waits until the operator answers.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import partial

from talenta.tabular import CellError, Column, RowError, Table, as_text, normalize_header, parse_date, parse_text

from . import nip as nip_rules
from .importers import PegawaiRow, RowChecker, _parse_nip

# The 64 columns of SIASN's download, verbatim and in its order.
SIASN_HEADERS = [
    "PNS ID", "NIP BARU", "NIP LAMA", "NAMA", "GELAR DEPAN", "GELAR BELAKANG", "TEMPAT LAHIR ID",
    "TEMPAT LAHIR NAMA", "TANGGAL LAHIR", "JENIS KELAMIN", "AGAMA ID", "AGAMA NAMA", "JENIS KAWIN ID",
    "JENIS KAWIN NAMA", "NIK", "NOMOR HP", "EMAIL", "EMAIL GOV", "ALAMAT", "NPWP NOMOR", "BPJS",
    "JENIS PEGAWAI ID", "JENIS PEGAWAI NAMA", "KEDUDUKAN HUKUM ID", "KEDUDUKAN HUKUM NAMA",
    "STATUS CPNS PNS", "KARTU ASN VIRTUAL", "NOMOR SK CPNS", "TANGGAL SK CPNS", "TMT CPNS",
    "NOMOR SK PNS", "TANGGAL SK PNS", "TMT PNS", "GOL AWAL ID", "GOL AWAL NAMA", "GOL AKHIR ID",
    "GOL AKHIR NAMA", "TMT GOLONGAN", "MK TAHUN", "MK BULAN", "JENIS JABATAN ID", "JENIS JABATAN NAMA",
    "JABATAN ID", "JABATAN NAMA", "TMT JABATAN", "TINGKAT PENDIDIKAN ID", "TINGKAT PENDIDIKAN NAMA",
    "PENDIDIKAN ID", "PENDIDIKAN NAMA", "TAHUN LULUS", "KPKN ID", "KPKN NAMA", "LOKASI KERJA ID",
    "LOKASI KERJA NAMA", "UNOR ID", "UNOR NAMA", "INSTANSI INDUK ID", "INSTANSI INDUK NAMA",
    "INSTANSI KERJA ID", "INSTANSI KERJA NAMA", "SATUAN KERJA INDUK ID", "SATUAN KERJA INDUK NAMA",
    "SATUAN KERJA KERJA ID", "SATUAN KERJA KERJA NAMA",
]  # fmt: skip

_USED = {
    # header: required column
    "PNS ID": True,
    "NIP BARU": True,
    "NAMA": True,
    "GELAR DEPAN": False,
    "GELAR BELAKANG": False,
    "JENIS PEGAWAI NAMA": True,
    "KEDUDUKAN HUKUM NAMA": True,
    "GOL AKHIR NAMA": True,
    "JENIS JABATAN NAMA": False,
    "JABATAN ID": True,
    "JABATAN NAMA": True,
    "TMT JABATAN": False,
    "TINGKAT PENDIDIKAN NAMA": True,
    "UNOR ID": True,
    "UNOR NAMA": True,
    "INSTANSI KERJA NAMA": True,
}
SIASN_COLUMNS = [Column(normalize_header(header), required, label=header) for header, required in _USED.items()]
# Recognised and read past without a warning; never kept (UU 27/2022: only what the purpose needs).
SIASN_DROPPED = frozenset(normalize_header(h) for h in SIASN_HEADERS) - {c.name for c in SIASN_COLUMNS}
SIASN_KEPT = frozenset(c.name for c in SIASN_COLUMNS)
SIASN_LABELS = {c.name: c.label for c in SIASN_COLUMNS}

# KEDUDUKAN HUKUM NAMA of an ASN in service; every other value (pensiun, meninggal, CLTN, …) is
# reported in the preview and not imported.
AKTIF = "aktif"

JENIS_PEGAWAI = "jenis_pegawai"
PENDIDIKAN = "pendidikan"
INSTANSI = "instansi"
JENJANG = "jenjang"


@dataclass(frozen=True)
class SiasnRow(PegawaiRow):
    pns_id: str = ""
    unor_id: str = ""
    jabatan_siasn_id: str = ""


@dataclass(frozen=True)
class SiasnContext:
    today: dt.date
    golongan_jenis: dict[str, str]  # golongan code -> "PNS" | "PPPK"
    jenjang_names: list[str]  # canonical names, in their order
    pendidikan_codes: list[str]
    instansi_names: dict[str, str]  # kode -> nama
    # The operator's instansi kode; None lets a province-wide admin import any.
    allowed_instansi_kode: str | None
    # (instansi kode, jenis, casefolded SIASN value) -> Talenta value; for INSTANSI the kode is that
    # of the instansi the mapping belongs to (which is also its value).
    mapping: dict[tuple[str, str, str], str]
    existing_instansi_by_nip: dict[str, str]
    nip_by_pns_id: dict[str, str]  # PNS IDs already held in Talenta -> the NIP holding each


@dataclass
class SiasnValidation:
    rows: list[SiasnRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # One entry per value to map: {"instansi", "jenis", "nilai", "tebakan", "baris"}.
    questions: list[dict] = field(default_factory=list)
    # Rows of ASN not in service: {"baris", "nip", "nama", "kedudukan"}.
    inactive: list[dict] = field(default_factory=list)


# --- best guesses --------------------------------------------------------------------------------

_PENDIDIKAN_PATTERNS = [
    ("S3", r"\bs-?\s?3\b|doktor|strata\s*(3|iii)\b"),
    ("S2", r"\bs-?\s?2\b|magister|pasca\s*sarjana|strata\s*(2|ii)\b"),
    # Diplomas before S1: "Diploma III/Sarjana Muda" is a D3.
    ("D4", r"\bd-?\s?(4|iv)\b|diploma\s*(4|iv)\b"),
    ("D3", r"\bd-?\s?(3|iii)\b|diploma\s*(3|iii)\b"),
    ("D2", r"\bd-?\s?(2|ii)\b|diploma\s*(2|ii)\b"),
    ("D1", r"\bd-?\s?(1|i)\b|diploma\s*(1|i)\b"),
    ("S1", r"\bs-?\s?1\b|sarjana|strata\s*(1|i)\b"),
    ("SLTA", r"\bsma|\bslta|\bsmk|\bsmu|\bma\b|menengah atas|menengah kejuruan"),
    ("SMP", r"\bsmp|\bsltp|\bmts\b|menengah pertama"),
    ("SD", r"\bsd\b|sekolah dasar|\bmi\b"),
]

# Structural titles, most specific first: (pattern at the start of the title, jenjang).
_STRUKTURAL = [
    (r"sekretaris daerah|asisten|staf ahli|inspektur\b(?! pembantu)", "JPT Pratama"),
    (r"kepala (seksi|sub\s?bagian|sub\s?bidang|upt|uptd|tata usaha|unit)|lurah|sekretaris (kel|kec)", "Pengawas"),
    (r"kepala (bidang|bagian)|camat|inspektur pembantu|sekretaris\b", "Administrator"),
    (r"kepala\b|direktur", "JPT Pratama"),
]  # fmt: skip


def guess_jenis_pegawai(value: str) -> str:
    text = value.casefold()
    if "pppk" in text or "perjanjian kerja" in text:
        return nip_rules.PPPK
    if "pns" in text or "pegawai negeri" in text:
        return nip_rules.PNS
    return ""


def guess_pendidikan(value: str) -> str:
    text = value.casefold()
    for kode, pattern in _PENDIDIKAN_PATTERNS:
        if re.search(pattern, text):
            return kode
    return ""


def guess_jenjang(jabatan: str, jenis_jabatan: str, jenjang_names: list[str]) -> str:
    """The jenjang a title names ("Perencana Ahli Muda" -> Ahli Muda), else a structural rule."""
    text = jabatan.casefold()
    # Longest first: "Ahli Muda" before any shorter name it contains.
    for nama in sorted(jenjang_names, key=len, reverse=True):
        if re.search(rf"\b{re.escape(nama.casefold())}\b", text):
            return nama
    for pattern, nama in _STRUKTURAL:
        if re.match(pattern, text):
            return nama
    jenis = jenis_jabatan.casefold()
    if "pelaksana" in jenis or "fungsional umum" in jenis:
        return "Pelaksana"
    return ""


def _place(nama: str) -> str:
    return re.sub(r"^(provinsi|kabupaten|kota)\s+", "", nama.casefold())


def guess_instansi(value: str, instansi_names: dict[str, str]) -> str:
    """The instansi a SIASN name means ("Pemerintah Kab. Sambas" -> 6101), by its place name."""
    text = re.sub(r"\bkab\.?\s*", "kabupaten ", value.casefold())
    text = re.sub(r"\b(prov\.?|pemprov)\s*", "provinsi ", text)
    text = text.replace("kalbar", "kalimantan barat")
    # Kabupaten and kota first: "Kab. Sambas, Kalimantan Barat" is Sambas, not the province.
    ordered = sorted(instansi_names.items(), key=lambda item: len(item[0]) == 2)
    for kode, nama in ordered:
        place = _place(nama)
        if re.search(rf"\b{re.escape(place)}\b", text):
            if nama.casefold().startswith("kota") and "kabupaten" in text:
                continue
            return kode
    return ""


# --- validation ----------------------------------------------------------------------------------


def _label(column: str) -> str:
    return SIASN_LABELS.get(column, column)


def validate_siasn(table: Table, ctx: SiasnContext) -> SiasnValidation:
    result = SiasnValidation()
    errors = result.errors
    golongan_options = {code.casefold(): code for code in ctx.golongan_jenis}
    pendidikan_options = {kode.casefold(): kode for kode in ctx.pendidikan_codes}
    jenis_options = {"pns": nip_rules.PNS, "pppk": nip_rules.PPPK}
    questions: dict[tuple[str, str, str], dict] = {}
    first_row_of_nip: dict[str, int] = {}
    first_row_of_pns_id: dict[str, int] = {}
    instansi_values: dict[str, tuple[int, str]] = {}  # casefolded -> (first row, as written)
    unor_name: dict[tuple[str, str], tuple[int, str]] = {}  # (instansi, UNOR ID) -> (row, name)
    jabatan_name: dict[tuple[str, str, str], tuple[int, str]] = {}
    jabatan_by_name: dict[tuple[str, str, str], tuple[int, str]] = {}
    # The instansi each saved INSTANSI KERJA NAMA belongs to, looked up once per row.
    instansi_of_name: dict[str, set[str]] = {}
    for kode, jenis, value in ctx.mapping:
        if jenis == INSTANSI:
            instansi_of_name.setdefault(value, set()).add(kode)
    # Columns whose values repeat across a monthly file (units, jabatan, codes): each value parsed once.
    repeated = [
        (column, _memo(parse))
        for column, parse in [
            ("unor_id", partial(parse_text, max_length=64)),
            ("unor_nama", partial(parse_text, max_length=200)),
            ("jabatan_id", partial(parse_text, max_length=64)),
            ("jabatan_nama", partial(parse_text, max_length=200)),
            ("jenis_jabatan_nama", partial(parse_text, max_length=100, required=False)),
            ("tmt_jabatan", lambda v: parse_date(v, not_after=ctx.today) if as_text(v).strip() else None),
            ("gol_akhir_nama", partial(_parse_golongan, options=golongan_options)),
            ("instansi_kerja_nama", partial(parse_text, max_length=200)),
            ("jenis_pegawai_nama", partial(parse_text, max_length=100)),
            ("tingkat_pendidikan_nama", partial(parse_text, max_length=100)),
        ]
    ]

    def ask(instansi_kode: str, jenis: str, nilai: str, guess: str, row_number: int) -> None:
        key = (instansi_kode, jenis, nilai.casefold())
        if key in questions:
            questions[key]["baris"] += 1
        else:
            questions[key] = {
                "instansi": instansi_kode,
                "jenis": jenis,
                "nilai": nilai,
                "tebakan": guess,
                "baris_pertama": row_number,
                "baris": 1,
            }

    def mapped(instansi_kode: str, jenis: str, nilai: str) -> str | None:
        return ctx.mapping.get((instansi_kode, jenis, nilai.casefold()))

    for row_number, cells in table.rows:
        row = RowChecker(row_number, cells)
        check, values, row_errors = row.check, row.values, row.errors
        kedudukan = as_text(cells.get("kedudukan_hukum_nama", "")).strip()
        if not kedudukan:
            errors.append(RowError(row_number, "KEDUDUKAN HUKUM NAMA", "", "Wajib diisi."))
            continue
        if kedudukan.casefold() != AKTIF:
            result.inactive.append(
                {
                    "baris": row_number,
                    "nip": nip_rules.normalize(as_text(cells.get("nip_baru", ""))),
                    "nama": as_text(cells.get("nama", "")),
                    "kedudukan": kedudukan,
                }
            )
            continue

        check("pns_id", lambda v: parse_text(v, max_length=64))
        check("nama", lambda v: parse_text(v, max_length=150))
        check("gelar_depan", lambda v: parse_text(v, max_length=50, required=False))
        check("gelar_belakang", lambda v: parse_text(v, max_length=80, required=False))
        for column, parse in repeated:
            check(column, parse)

        # Instansi first: the other mappings belong to it.
        instansi_kode, instansi_mapped = None, False
        instansi_nilai = values.get("instansi_kerja_nama")
        if instansi_nilai:
            instansi_values.setdefault(instansi_nilai.casefold(), (row_number, instansi_nilai))
            saved = instansi_of_name.get(instansi_nilai.casefold(), set())
            instansi_kode, instansi_mapped = _resolve_instansi(instansi_nilai, saved, ctx, row_number, row_errors, ask)

        jenis_asn = None
        jenis_nilai = values.get("jenis_pegawai_nama")
        if jenis_nilai and instansi_kode:
            jenis_asn = jenis_options.get(jenis_nilai.casefold()) or mapped(instansi_kode, JENIS_PEGAWAI, jenis_nilai)
            if jenis_asn is None:
                ask(instansi_kode, JENIS_PEGAWAI, jenis_nilai, guess_jenis_pegawai(jenis_nilai), row_number)
        check("nip_baru", partial(_parse_nip, jenis_asn=jenis_asn))

        pendidikan = None
        pendidikan_nilai = values.get("tingkat_pendidikan_nama")
        if pendidikan_nilai and instansi_kode:
            pendidikan = pendidikan_options.get(pendidikan_nilai.casefold()) or mapped(
                instansi_kode, PENDIDIKAN, pendidikan_nilai
            )
            if pendidikan is None:
                ask(instansi_kode, PENDIDIKAN, pendidikan_nilai, guess_pendidikan(pendidikan_nilai), row_number)

        jenjang = None
        jabatan = values.get("jabatan_nama")
        if jabatan and instansi_kode:
            jenjang = mapped(instansi_kode, JENJANG, jabatan)
            if jenjang is None:
                guess = guess_jenjang(jabatan, values.get("jenis_jabatan_nama") or "", ctx.jenjang_names)
                ask(instansi_kode, JENJANG, jabatan, guess, row_number)

        golongan = values.get("gol_akhir_nama")
        if golongan and jenis_asn and ctx.golongan_jenis[golongan] != jenis_asn:
            row_errors.append(
                RowError(
                    row_number,
                    "GOL AKHIR NAMA",
                    golongan,
                    f"Golongan {golongan} adalah golongan {ctx.golongan_jenis[golongan]}, "
                    f"tidak sesuai dengan JENIS PEGAWAI NAMA {jenis_nilai} ({jenis_asn}).",
                )
            )

        nip = values.get("nip_baru")
        if nip and not any(e.column == "nip_baru" for e in row_errors):
            _check_nip(nip, row_number, instansi_kode, ctx, first_row_of_nip, row_errors)
        pns_id = values.get("pns_id")
        if pns_id:
            if pns_id in first_row_of_pns_id:
                first = first_row_of_pns_id[pns_id]
                message = f"PNS ID {pns_id} sudah ada di baris {first}."
                row_errors.append(RowError(row_number, "PNS ID", pns_id, message))
            else:
                first_row_of_pns_id[pns_id] = row_number
            holder = ctx.nip_by_pns_id.get(pns_id)
            if nip and holder and holder != nip:
                row_errors.append(
                    RowError(
                        row_number,
                        "PNS ID",
                        pns_id,
                        f"PNS ID {pns_id} di Talenta milik pegawai NIP {holder}, bukan NIP {nip}. "
                        "Periksa NIP BARU di SIASN.",
                    )
                )
        if instansi_kode:
            # Units only one way: a leaf name ("Subbagian Umum") repeats under several dinas, each its own UNOR ID.
            _check_same_key(
                (instansi_kode, values.get("unor_id")), values.get("unor_nama"), row_number, unor_name, None,
                row_errors, ("UNOR ID", "UNOR NAMA"),
            )  # fmt: skip
            _check_same_key(
                (instansi_kode, values.get("unor_id"), values.get("jabatan_id")),
                values.get("jabatan_nama"),
                row_number,
                jabatan_name,
                jabatan_by_name,
                row_errors,
                ("JABATAN ID", "JABATAN NAMA"),
            )

        if row_errors:
            errors.extend(_labelled(e) for e in row_errors)
            continue
        if not instansi_mapped or None in (jenis_asn, pendidikan, jenjang):
            continue  # waits for its mapping
        result.rows.append(
            SiasnRow(
                row=row_number,
                nip=nip,
                nama=values["nama"],
                gelar_depan=values["gelar_depan"],
                gelar_belakang=values["gelar_belakang"],
                jenis_asn=jenis_asn,
                instansi_kode=instansi_kode,
                unit_kerja=values["unor_nama"],
                jabatan=values["jabatan_nama"],
                jenjang=jenjang,
                golongan=golongan,
                pendidikan=pendidikan,
                tmt_jabatan=values["tmt_jabatan"],
                pns_id=pns_id,
                unor_id=values["unor_id"],
                jabatan_siasn_id=values["jabatan_id"],
            )
        )

    if ctx.allowed_instansi_kode is not None and len(instansi_values) > 1:
        shown = ", ".join(f'"{nilai}" (baris {first})' for first, nilai in sorted(instansi_values.values()))
        errors.insert(
            0,
            RowError(
                1,
                "INSTANSI KERJA NAMA",
                "",
                f"Berkas memuat lebih dari satu instansi kerja: {shown}. Unduh dari SIASN satu berkas per "
                "instansi; Anda hanya dapat mengimpor data instansi Anda.",
            ),
        )
    result.errors.sort(key=lambda error: error.row)
    result.questions = sorted(questions.values(), key=lambda q: (q["instansi"], q["jenis"], q["nilai"].casefold()))
    return result


def _labelled(error: RowError) -> RowError:
    return RowError(error.row, _label(error.column), error.value, error.message)


def _parse_golongan(value, options: dict[str, str]) -> str:
    text = as_text(value).strip()
    if not text:
        raise CellError("Wajib diisi.")
    try:
        return options[text.casefold()]
    except KeyError:
        raise CellError(
            f'GOL AKHIR NAMA "{text}" bukan golongan: PNS I/a … IV/e (mis. III/c), PPPK I … XVII.'
        ) from None


def _memo(parse):
    """`parse` once per distinct cell: a monthly file repeats its dates thousands of times."""
    results: dict = {}

    def parse_once(value):
        key = (type(value), value)
        if key not in results:
            try:
                results[key] = (parse(value), None)
            except CellError as exc:
                results[key] = (None, exc)
        parsed, error = results[key]
        if error is not None:
            raise error
        return parsed

    return parse_once


def _resolve_instansi(nilai: str, saved: set[str], ctx: SiasnContext, row_number: int, row_errors: list, ask) -> tuple:
    """(instansi kode the row's other values are mapped for, whether INSTANSI KERJA NAMA is mapped).

    An operator's rows can only be of their own instansi: its other values are asked together with
    the instansi's name. A province-wide admin's rows wait for the name before anything else.
    """
    own = ctx.allowed_instansi_kode
    if own is None:
        if len(saved) == 1:
            return next(iter(saved)), True
        ask("", INSTANSI, nilai, guess_instansi(nilai, ctx.instansi_names), row_number)
        return None, False
    if own in saved:
        return own, True
    other = next(iter(saved), None) or guess_instansi(nilai, ctx.instansi_names)
    if other and other != own:
        row_errors.append(
            RowError(
                row_number,
                "INSTANSI KERJA NAMA",
                nilai,
                f'"{nilai}" adalah {ctx.instansi_names[other]}, bukan instansi Anda ({ctx.instansi_names[own]}). '
                "Anda hanya dapat mengimpor data instansi Anda.",
            )
        )
        return None, False
    ask(own, INSTANSI, nilai, other or "", row_number)
    return own, False


def _check_nip(nip, row_number, instansi_kode, ctx: SiasnContext, first_row_of_nip: dict, row_errors: list) -> None:
    if nip in first_row_of_nip:
        row_errors.append(
            RowError(row_number, "NIP BARU", nip, f"NIP {nip} sudah ada di baris {first_row_of_nip[nip]}.")
        )
    else:
        first_row_of_nip[nip] = row_number
    holder = ctx.existing_instansi_by_nip.get(nip)
    if ctx.allowed_instansi_kode is not None and holder and instansi_kode and holder != instansi_kode:
        row_errors.append(
            RowError(
                row_number,
                "NIP BARU",
                nip,
                f"NIP {nip} terdaftar di instansi {holder}. Perpindahan antar-instansi "
                "hanya dapat dicatat oleh admin provinsi.",
            )
        )


def _check_same_key(key, name, row_number, name_of_key: dict, key_of_name: dict | None, row_errors, labels) -> None:
    """One SIASN id has one name and, unless `key_of_name` is None, one name one id (a jabatan's name
    is unique in its unit)."""
    if None in key or not name:
        return
    id_label, name_label = labels
    seen = name_of_key.setdefault(key, (row_number, name))
    if seen[1].casefold() != name.casefold():
        row_errors.append(
            RowError(
                row_number,
                name_label,
                name,
                f'{id_label} {key[-1]} bernama "{seen[1]}" di baris {seen[0]}; satu {id_label} satu nama.',
            )
        )
        return
    if key_of_name is None:
        return
    name_key = (*key[:-1], name.casefold())
    other = key_of_name.setdefault(name_key, (row_number, key[-1]))
    if other[1] != key[-1]:
        row_errors.append(
            RowError(
                row_number,
                id_label,
                key[-1],
                f'{name_label} "{name}" sudah dipakai {id_label} {other[1]} di baris {other[0]}; '
                "Talenta memerlukan nama yang berbeda.",
            )
        )


# The template's example row, in the order of SIASN_COLUMNS.
SIASN_EXAMPLE = [
    "A8ACA7397C5D3912E040640A040269BB",
    "198609262015051001",
    "Yohanes Apui",
    "",
    "S.Kom., M.T.",
    "PNS Daerah Kabupaten/Kota",
    "Aktif",
    "III/d",
    "Jabatan Struktural",
    "8AE483C5782F4D8A017830DD38761A2C",
    "Kepala Bidang Pengembangan Kompetensi",
    "02-01-2023",
    "S-2",
    "8AE483C5782F4D8A017830DD2F0C19F5",
    "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
    "Pemerintah Kab. Sambas",
]
