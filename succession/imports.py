"""The optional `jabatan` import (import-format.md §5): structure, kritikal, minimum golongan, standard."""

from functools import partial

from django.utils import timezone

from asn import selectors
from asn.importers import RowChecker, StructureEntry
from asn.models import Golongan, ImportKind, Instansi, Jabatan, Jenjang, UnitKerja
from asn.reference import KOMPETENSI_FIELDS
from asn.selectors import reference_allowed_values
from asn.services import IMPORT_KINDS, ImportKindHandler, ValidatedFile, import_structure_preview
from assessment.imports import COMPETENCY_LEVELS
from talenta import pipeline
from talenta.bulk import create_with_history, insert_rows, update_with_history
from talenta.tabular import (
    AllowedValues,
    CellError,
    Column,
    RowError,
    Table,
    as_text,
    parse_choice,
    parse_text,
    parse_whole,
)

COLUMNS = [
    Column("instansi"),
    Column("unit_kerja"),
    Column("jabatan"),
    Column("jenjang"),
    Column("kritikal", required=False),
    Column("golongan_minimal", required=False),
    *[Column(name, required=False) for name in KOMPETENSI_FIELDS],
]
EXAMPLE = ["6101", "Dinas Kesehatan", "Kepala Bidang Pelayanan Kesehatan", "Administrator", "ya", "III/d", *[3] * 9]
STD_FIELDS = [f"std_{name}" for name in KOMPETENSI_FIELDS]
KRITIKAL_OPTIONS = {"ya": True, "tidak": False}


def _instansi(value, instansi_by_kode: dict, allowed: str | None) -> int:
    kode = as_text(value).strip()
    if not kode:
        raise CellError("Wajib diisi.")
    if kode not in instansi_by_kode:
        raise CellError(f"Kode instansi {kode} tidak dikenal (gunakan kode Kemendagri, mis. 6101).")
    if allowed is not None and kode != allowed:
        raise CellError(f"Baris ini untuk instansi {kode}; Anda hanya dapat mengimpor data instansi {allowed}.")
    return instansi_by_kode[kode]


def _optional(parse, value):
    return parse(value) if as_text(value).strip() else None


def _key(values: dict) -> tuple:
    return (values["instansi"], values["unit_kerja"].casefold(), values["jabatan"].casefold(), values["jenjang"])


def _comparable(values: dict) -> tuple:
    levels = tuple(values.get(name) for name in KOMPETENSI_FIELDS)
    return (bool(values["kritikal"]), values["golongan_minimal"], True, levels)


def _validate(table: Table, user) -> ValidatedFile:
    instansi_by_kode = dict(Instansi.objects.values_list("kode", "id"))
    allowed = None if user is None or user.sees_all_instansi else user.instansi.kode
    jenjang = {nama.casefold(): kode for kode, nama in Jenjang.objects.values_list("kode", "nama")}
    golongan = {
        kode.casefold(): kode for kode in Golongan.objects.filter(jenis_asn="PNS").values_list("kode", flat=True)
    }
    rows, errors, first_row, entries = [], [], {}, []
    for row_number, cells in table.rows:
        row = RowChecker(row_number, cells)
        row.check("instansi", partial(_instansi, instansi_by_kode=instansi_by_kode, allowed=allowed))
        row.check("unit_kerja", lambda v: parse_text(v, max_length=200))
        row.check("jabatan", lambda v: parse_text(v, max_length=200))
        row.check("jenjang", lambda v: parse_choice(v, jenjang, label="Jenjang"))
        row.check("kritikal", partial(_optional, partial(parse_choice, options=KRITIKAL_OPTIONS, label="Kritikal")))
        row.check(
            "golongan_minimal",
            partial(_optional, partial(parse_choice, options=golongan, label="Golongan minimal (PNS)")),
        )
        given = [name for name in KOMPETENSI_FIELDS if as_text(cells.get(name, "")).strip()]
        if given and len(given) != len(KOMPETENSI_FIELDS):
            message = "Isi kesembilan level kompetensi standar, atau kosongkan semuanya."
            row.errors.append(RowError(row_number, given[0], as_text(cells[given[0]]), message))
        else:
            for name in KOMPETENSI_FIELDS:
                row.check(name, partial(_optional, partial(parse_whole, minimum=1, maximum=5)))
        if not row.errors:
            key = _key(row.values)
            if key in first_row:
                message = f"Jabatan yang sama sudah ada di baris {first_row[key]}."
                row.errors.append(RowError(row_number, "jabatan", row.values["jabatan"], message))
            first_row.setdefault(key, row_number)
        if row.errors:
            errors.extend(row.errors)
        else:
            rows.append({**row.values, "_row": row_number})
            entries.append(
                StructureEntry(
                    row_number,
                    row.values["instansi"],
                    row.values["unit_kerja"],
                    row.values["jabatan"],
                    row.values["jenjang"],
                )
            )

    shared = selectors.unit_names_held_more_than_once(instansi_ids={r["instansi"] for r in rows})
    if shared:
        kept = []
        for values in rows:
            count = shared.get((values["instansi"], values["unit_kerja"].lower()))
            if count is None:
                kept.append(values)
                continue
            nama = values["unit_kerja"]
            errors.append(
                RowError(
                    values["_row"],
                    "unit_kerja",
                    nama,
                    f'Ada {count} unit kerja bernama "{nama}" di instansi ini (dari SIASN, masing-masing dengan UNOR '
                    "ID sendiri), sehingga nama saja tidak menunjuk satu unit. Jabatan unit ini tidak dapat diimpor "
                    "lewat nama unitnya.",
                )
            )
        rows = kept
        errors.sort(key=lambda error: error.row)
    existing = {}
    for values in Jabatan.objects.filter(unit_kerja__instansi_id__in={r["instansi"] for r in rows}).values(
        "id", "unit_kerja__instansi_id", "unit_kerja__nama", "nama", "jenjang_id", "kritikal", "golongan_minimal_id",
        "dalam_struktur", *STD_FIELDS,
    ):  # fmt: skip
        key = (
            values["unit_kerja__instansi_id"],
            values["unit_kerja__nama"].casefold(),
            values["nama"].casefold(),
            values["jenjang_id"],
        )
        levels = tuple(values[f] for f in STD_FIELDS)
        existing[key] = (
            values["id"],
            (values["kritikal"], values["golongan_minimal_id"], values["dalam_struktur"], levels),
        )
    plan = {"baru": 0, "diubah": 0, "tetap": 0}
    for values in rows:
        before = existing.get(_key(values))
        if before is None:
            plan["baru"] += 1
        elif before[1] != _comparable(values):
            plan["diubah"] += 1
        else:
            plan["tetap"] += 1
    return ValidatedFile(
        rows=rows,
        errors=errors,
        plan=plan,
        known={"existing": existing},
        structure=import_structure_preview(entries=entries),
    )


def _write(validated: ValidatedFile, user, source: str, report) -> dict:
    rows, existing = validated.rows, validated.known["existing"]
    units = {
        (instansi, nama.casefold()): pk
        for pk, instansi, nama in UnitKerja.objects.filter(instansi_id__in={r["instansi"] for r in rows}).values_list(
            "id", "instansi_id", "nama"
        )
    }
    new_units = {}
    for values in rows:
        key = (values["instansi"], values["unit_kerja"].casefold())
        if key not in units and key not in new_units:
            new_units[key] = UnitKerja(instansi_id=values["instansi"], nama=values["unit_kerja"])
    insert_rows(UnitKerja, list(new_units.values()))
    units.update({key: unit.pk for key, unit in new_units.items()})

    creates, updates = [], []
    for values in rows:
        before = existing.get(_key(values))
        if before is not None and before[1] == _comparable(values):
            continue
        jabatan = Jabatan(
            id=before[0] if before else None,
            unit_kerja_id=units[(values["instansi"], values["unit_kerja"].casefold())],
            nama=values["jabatan"],
            jenjang_id=values["jenjang"],
            kritikal=bool(values["kritikal"]),
            golongan_minimal_id=values["golongan_minimal"],
            dalam_struktur=True,
            **{f"std_{name}": values.get(name) for name in KOMPETENSI_FIELDS},
        )
        (updates if before else creates).append(jabatan)
    history = {"user": user, "reason": source[:100], "date": timezone.now()}
    create_with_history(Jabatan, creates, **history)
    update_with_history(Jabatan, updates, ["kritikal", "golongan_minimal", "dalam_struktur", *STD_FIELDS], **history)
    pipeline.inputs_changed(instansi_ids={values["instansi"] for values in rows})
    return {"baru": len(creates), "diubah": len(updates), "tetap": len(rows) - len(creates) - len(updates)}


IMPORT_KINDS[ImportKind.JABATAN] = ImportKindHandler(
    label="Jabatan (struktur, kritikal, standar kompetensi)",
    columns=COLUMNS,
    example=EXAMPLE,
    validate=_validate,
    write=_write,
    allowed_values=lambda: [
        *(reference_allowed_values()[name] for name in ("instansi", "jenjang", "golongan_pns")),
        AllowedValues("kritikal", ("kritikal",), tuple(KRITIKAL_OPTIONS)),
        COMPETENCY_LEVELS,
    ],
)
