"""The `kinerja`, `asesmen` and `disiplin` import files (import-format.md §2–§4).

Each kind validates a whole table (pure checks plus lookups loaded in a few queries), then
upserts on its natural key with history, and queues one recompute for the instansi touched.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.utils import timezone

from asn import nip as nip_rules
from asn.importers import RowChecker
from asn.models import ImportKind, Pegawai, Role
from asn.reference import KOMPETENSI_FIELDS
from asn.services import IMPORT_KINDS, WRITE_BATCH, ImportKindHandler, ValidatedFile
from talenta import pipeline
from talenta.bulk import create_with_history, update_with_history
from talenta.tabular import (
    AllowedValues,
    CellError,
    Column,
    RowError,
    Table,
    as_text,
    normalize_header,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_text,
    parse_whole,
)

from . import scoring
from .models import Asesmen, HukumanDisiplin, SkpResult, skp_tahun_error

PREDIKAT_OPTIONS = {p.casefold(): p for p in scoring.PREDIKAT} | {"kurang": "Kurang/Misconduct"}
RATING_OPTIONS = {r.casefold(): r for r in scoring.RATING} | {
    # SIASN's web service may write "Diatas" / "Dibawah" as one word.
    r.casefold().replace("di ", "di", 1): r
    for r in scoring.RATING
}
TINGKAT_OPTIONS = {t.casefold(): t for t in scoring.TINGKAT_DISIPLIN}
# The template's drop-down of the nine competency columns (whole levels 1..5).
COMPETENCY_LEVELS = AllowedValues("level kompetensi", tuple(KOMPETENSI_FIELDS), (1, 2, 3, 4, 5))


@dataclass(frozen=True)
class _Pegawai:
    id: int
    instansi_id: int
    tmt_cpns: dt.date | None


def _pegawai_by_nip(table: Table, user) -> dict[str, _Pegawai]:
    """The pegawai the file names that the user may write, in one query per 5,000 NIPs."""
    nips = sorted({nip_rules.normalize(as_text(cells.get("nip", ""))) for _, cells in table.rows})
    scope = Pegawai.objects.all() if user is None else Pegawai.objects.for_user(user)
    found = {}
    for start in range(0, len(nips), WRITE_BATCH):
        for pk, nip, instansi_id, tmt_cpns in scope.filter(nip__in=nips[start : start + WRITE_BATCH]).values_list(
            "id", "nip", "instansi_id", "tmt_cpns"
        ):
            found[nip] = _Pegawai(pk, instansi_id, tmt_cpns)
    return found


def _parse_pegawai(value, known: dict[str, _Pegawai], where: str) -> _Pegawai:
    if isinstance(value, int | float):
        raise CellError("NIP harus diisi sebagai teks, bukan angka: Excel sudah memotong digit akhirnya.")
    nip = nip_rules.normalize(as_text(value).strip())
    if not nip:
        raise CellError("Wajib diisi.")
    try:
        return known[nip]
    except KeyError:
        raise CellError(f"NIP {nip} tidak terdaftar {where}. Impor data pegawai lebih dahulu.") from None


def _check_rows(table: Table, user, parse_row) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """Run `parse_row(checker)` over every row; it returns (key column, key). Repeated keys are errors."""
    known = _pegawai_by_nip(table, user)
    # Where the pegawai were looked for (the tenancy gate's scope), said in the error.
    if user is None or user.sees_all_instansi:
        where = "di Talenta"
    elif user.role == Role.OPERATOR_OPD:
        where = "di unit kerja Anda"
    else:
        where = "di instansi Anda"
    rows, errors, first_row_of_key = [], [], {}
    for row_number, cells in table.rows:
        checker = RowChecker(row_number, cells)
        checker.check("nip", partial(_parse_pegawai, known=known, where=where))
        key_column, key = parse_row(checker)
        if not checker.errors and key is not None:
            full_key = (checker.values["nip"].id, *key)
            if full_key in first_row_of_key:
                checker.errors.append(
                    RowError(
                        row_number,
                        key_column,
                        as_text(cells.get(key_column, "")),
                        f"Data yang sama (NIP dan {key_column}) sudah ada di baris {first_row_of_key[full_key]}.",
                    )
                )
            else:
                first_row_of_key[full_key] = row_number
        if checker.errors:
            errors.extend(checker.errors)
        else:
            rows.append((row_number, checker.values))
    return rows, errors


def _plan(rows_by_key: dict, existing: dict, compare) -> dict:
    plan = {"baru": 0, "diubah": 0, "tetap": 0}
    for key, values in rows_by_key.items():
        before = existing.get(key)
        if before is None:
            plan["baru"] += 1
        elif compare(before) != compare(values):
            plan["diubah"] += 1
        else:
            plan["tetap"] += 1
    return plan


def _upsert(model, validated: ValidatedFile, user, source: str, make, fields: list[str], compare) -> dict:
    """Create the new records, update the changed ones, leave the same ones; one history row each."""
    existing = validated.known["existing"]
    creates, updates = [], []
    for key, values in validated.known["rows_by_key"].items():
        before = existing.get(key)
        if before is not None and compare(before) == compare(values):
            continue
        record = make(values)
        if before is not None:
            record.pk = before["id"]
            updates.append(record)
        else:
            creates.append(record)
    now = timezone.now()
    history = {"user": user, "reason": source[:100], "date": now}
    for record in creates + updates:
        record.diubah = now
    create_with_history(model, creates, **history)
    update_with_history(model, updates, [*fields, "diubah"], **history)
    pipeline.inputs_changed(
        instansi_ids={values["nip"].instansi_id for values in validated.known["rows_by_key"].values()}
    )
    total = len(validated.known["rows_by_key"])
    return {"baru": len(creates), "diubah": len(updates), "tetap": total - len(creates) - len(updates)}


# --- kinerja ---------------------------------------------------------------------------------------

# SIASN's own field names (siasn-format.md §2, `rw-skp22`) are accepted as they are, so a file built
# from its web-service output imports unchanged; its other fields are read past without a warning.
KINERJA_COLUMNS = [
    Column("nip", aliases=("nipBaru",)),
    Column("tahun"),
    Column("predikat", required=False, aliases=("kuadranKinerja",)),
    Column("rating_hasil_kerja", required=False, aliases=("hasilKinerja",)),
    Column("rating_perilaku", required=False, aliases=("perilakuKerja",)),
]
KINERJA_SIASN_IGNORED = frozenset(
    normalize_header(name)
    for name in (
        "hasilKinerjaNilai", "PerilakuKerjaNilai", "KuadranKinerjaNilai", "namaPenilai", "nipNrpPenilai",
        "statusPenilai", "periodikNama", "persentase", "kriteria",
    )
)  # fmt: skip
KINERJA_EXAMPLE = ["19860926 201505 1 001", "2025", "Baik", "Sesuai Ekspektasi", "Di Atas Ekspektasi"]


def _optional_choice(value, options, label):
    return parse_choice(value, options, label=label) if as_text(value).strip() else ""


def _validate_kinerja(table: Table, user) -> ValidatedFile:
    this_year = timezone.localdate().year

    def parse_row(row: RowChecker):
        check = row.check
        check("tahun", lambda v: parse_whole(v, minimum=2000, maximum=this_year))
        check("predikat", lambda v: _optional_choice(v, PREDIKAT_OPTIONS, "Predikat"))
        check("rating_hasil_kerja", lambda v: _optional_choice(v, RATING_OPTIONS, "Rating hasil kerja"))
        check("rating_perilaku", lambda v: _optional_choice(v, RATING_OPTIONS, "Rating perilaku"))
        values = row.values
        if not row.errors:
            check(
                "predikat",
                lambda v: scoring.predikat_given_or_derived(
                    predikat=values["predikat"],
                    rating_hasil_kerja=values["rating_hasil_kerja"],
                    rating_perilaku=values["rating_perilaku"],
                ),
            )
            check("tahun", lambda v: _skp_tahun_allowed(values["tahun"], values["nip"].tmt_cpns))
        return "tahun", (values.get("tahun"),)

    rows, errors = _check_rows(table, user, parse_row)
    rows_by_key = {(v["nip"].id, v["tahun"]): v for _, v in rows}
    existing = {
        (r["pegawai_id"], r["tahun"]): r
        for r in SkpResult.objects.filter(
            pegawai_id__in={k[0] for k in rows_by_key}, tahun__in={k[1] for k in rows_by_key}
        ).values("id", "pegawai_id", "tahun", "predikat", "rating_hasil_kerja", "rating_perilaku")
    }
    return ValidatedFile(
        rows=rows,
        errors=errors,
        plan=_plan(rows_by_key, existing, _kinerja_compare),
        known={"existing": existing, "rows_by_key": rows_by_key},
    )


def _skp_tahun_allowed(tahun: int, tmt_cpns: dt.date | None) -> int:
    message = skp_tahun_error(tahun, tmt_cpns)
    if message:
        raise CellError(message)
    return tahun


def _kinerja_compare(values: dict) -> tuple:
    return (values["predikat"], values["rating_hasil_kerja"], values["rating_perilaku"])


def _write_kinerja(validated, user, source, report) -> dict:
    def make(values):
        return SkpResult(
            pegawai_id=values["nip"].id,
            tahun=values["tahun"],
            predikat=values["predikat"],
            rating_hasil_kerja=values["rating_hasil_kerja"],
            rating_perilaku=values["rating_perilaku"],
        )

    fields = ["predikat", "rating_hasil_kerja", "rating_perilaku"]
    return _upsert(SkpResult, validated, user, source, make, fields, _kinerja_compare)


# --- asesmen ---------------------------------------------------------------------------------------

# SIASN's save-payload names for the nine competencies and `total` for the potential score.
KOMPETENSI_SIASN = {
    "integritas": "integritas",
    "kerja_sama": "kerjasama",
    "komunikasi": "komunikasi",
    "orientasi_pada_hasil": "orientasiPadaHasil",
    "pelayanan_publik": "pelayananPublik",
    "pengembangan_diri_dan_orang_lain": "pengembanganDiriDanOrla",
    "mengelola_perubahan": "mengelolaPerubahan",
    "pengambilan_keputusan": "pengambilanKeputusan",
    "perekat_bangsa": "perekatBangsa",
}
ASESMEN_COLUMNS = [
    Column("nip", aliases=("nipBaru",)),
    Column("tanggal_asesmen"),
    Column("lembaga", required=False),
    Column("skor_potensi", aliases=("total",)),
    *[Column(name, aliases=(KOMPETENSI_SIASN[name],)) for name in KOMPETENSI_FIELDS],
]
# The potential's sub-scores SIASN sends beside `total`: Talenta keeps the total only.
ASESMEN_SIASN_IGNORED = frozenset(
    normalize_header(name)
    for name in ("berfikirKritis", "intelektual", "interpersonal", "kesadaranDiri", "motivasiKomitmen")
)
ASESMEN_EXAMPLE = [
    "19860926 201505 1 001",
    "2024-03-10",
    "UPT Penilaian Kompetensi BKD Kalbar",
    "72",
    4,
    3,
    3,
    3,
    4,
    3,
    3,
    3,
    3,
]


def _validate_asesmen(table: Table, user) -> ValidatedFile:
    today = timezone.localdate()

    def parse_row(row: RowChecker):
        check = row.check
        check("tanggal_asesmen", lambda v: parse_date(v, not_after=today))
        check("lembaga", lambda v: parse_text(v, max_length=200, required=False))
        check(
            "skor_potensi",
            lambda v: parse_decimal(v, minimum=Decimal(0), maximum=Decimal(100), places=2),
        )
        for name in KOMPETENSI_FIELDS:
            check(name, lambda v: parse_whole(v, minimum=1, maximum=5))
        return "tanggal_asesmen", (row.values.get("tanggal_asesmen"),)

    rows, errors = _check_rows(table, user, parse_row)
    rows_by_key = {(v["nip"].id, v["tanggal_asesmen"]): v for _, v in rows}
    existing = {
        (r["pegawai_id"], r["tanggal_asesmen"]): r
        for r in Asesmen.objects.filter(pegawai_id__in={k[0] for k in rows_by_key}).values(
            "id", "pegawai_id", "tanggal_asesmen", "lembaga", "skor_potensi", *KOMPETENSI_FIELDS
        )
    }
    return ValidatedFile(
        rows=rows,
        errors=errors,
        plan=_plan(rows_by_key, existing, _asesmen_compare),
        known={"existing": existing, "rows_by_key": rows_by_key},
    )


def _asesmen_compare(values: dict) -> tuple:
    return (values["lembaga"], Decimal(values["skor_potensi"]), *(values[name] for name in KOMPETENSI_FIELDS))


def _write_asesmen(validated, user, source, report) -> dict:
    def make(values):
        return Asesmen(
            pegawai_id=values["nip"].id,
            tanggal_asesmen=values["tanggal_asesmen"],
            lembaga=values["lembaga"],
            skor_potensi=values["skor_potensi"],
            **{name: values[name] for name in KOMPETENSI_FIELDS},
        )

    fields = ["lembaga", "skor_potensi", *KOMPETENSI_FIELDS]
    return _upsert(Asesmen, validated, user, source, make, fields, _asesmen_compare)


# --- disiplin --------------------------------------------------------------------------------------

DISIPLIN_COLUMNS = [Column("nip"), Column("tingkat"), Column("tanggal_sk"), Column("keterangan", required=False)]
DISIPLIN_EXAMPLE = ["19860926 201505 1 001", "Ringan", "2025-06-02", "Teguran tertulis"]


def _validate_disiplin(table: Table, user) -> ValidatedFile:
    today = timezone.localdate()

    def parse_row(row: RowChecker):
        check = row.check
        check("tingkat", lambda v: parse_choice(v, TINGKAT_OPTIONS, label="Tingkat hukuman"))
        check("tanggal_sk", lambda v: parse_date(v, not_after=today))
        check("keterangan", lambda v: parse_text(v, max_length=2000, required=False))
        values = row.values
        return "tanggal_sk", (values.get("tanggal_sk"), values.get("tingkat"))

    rows, errors = _check_rows(table, user, parse_row)
    rows_by_key = {(v["nip"].id, v["tanggal_sk"], v["tingkat"]): v for _, v in rows}
    existing = {
        (r["pegawai_id"], r["tanggal_sk"], r["tingkat"]): r
        for r in HukumanDisiplin.objects.filter(pegawai_id__in={k[0] for k in rows_by_key}).values(
            "id", "pegawai_id", "tanggal_sk", "tingkat", "keterangan"
        )
    }
    return ValidatedFile(
        rows=rows,
        errors=errors,
        plan=_plan(rows_by_key, existing, lambda v: (v["keterangan"],)),
        known={"existing": existing, "rows_by_key": rows_by_key},
    )


def _write_disiplin(validated, user, source, report) -> dict:
    def make(values):
        return HukumanDisiplin(
            pegawai_id=values["nip"].id,
            tingkat=values["tingkat"],
            tanggal_sk=values["tanggal_sk"],
            keterangan=values["keterangan"],
        )

    return _upsert(HukumanDisiplin, validated, user, source, make, ["keterangan"], lambda v: (v["keterangan"],))


IMPORT_KINDS.update(
    {
        ImportKind.KINERJA: ImportKindHandler(
            label="Kinerja (hasil SKP per tahun)",
            columns=KINERJA_COLUMNS,
            example=KINERJA_EXAMPLE,
            validate=_validate_kinerja,
            write=_write_kinerja,
            ignored=KINERJA_SIASN_IGNORED,
            allowed_values=lambda: [
                AllowedValues("predikat", ("predikat",), tuple(scoring.PREDIKAT)),
                AllowedValues("rating", ("rating_hasil_kerja", "rating_perilaku"), tuple(scoring.RATING)),
            ],
        ),
        ImportKind.ASESMEN: ImportKindHandler(
            label="Asesmen (potensi dan kompetensi)",
            columns=ASESMEN_COLUMNS,
            example=ASESMEN_EXAMPLE,
            validate=_validate_asesmen,
            write=_write_asesmen,
            ignored=ASESMEN_SIASN_IGNORED,
            allowed_values=lambda: [COMPETENCY_LEVELS],
        ),
        ImportKind.DISIPLIN: ImportKindHandler(
            label="Hukuman disiplin",
            columns=DISIPLIN_COLUMNS,
            example=DISIPLIN_EXAMPLE,
            validate=_validate_disiplin,
            write=_write_disiplin,
            allowed_values=lambda: [AllowedValues("tingkat", ("tingkat",), tuple(scoring.TINGKAT_DISIPLIN))],
        ),
    }
)
