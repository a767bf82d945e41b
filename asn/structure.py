"""Which unit kerja and jabatan the rows of a pegawai or SIASN file mean, planned before anything is written.

Pure: the caller loads the instansi's units and jabatan as tuples. The plan says, per distinct
(unit, jabatan) a file names, the existing row it is or the new one to make, which SIASN renames
to apply, and which renames or new jabatan would take a name another jabatan of the unit already
holds. Validation runs it to report those rows in the preview; the write applies the same plan.

SIASN's units are keyed by their UNOR ID: two units of one instansi may share a leaf name
("Subbagian Umum" of several dinas) and stay distinct. Units entered in Talenta (template, jabatan
import) have no UNOR ID and are known by their name, unique in the instansi. Jabatan are unique by
name and jenjang within their unit, from SIASN or not.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from talenta.tabular import RowError

# A reference to a unit or jabatan: its pk when it exists, else the key of the one to make.
Ref = int | tuple


@dataclass(frozen=True)
class ExistingUnit:
    pk: int
    instansi_id: int
    nama: str
    siasn_id: str


@dataclass(frozen=True)
class ExistingJabatan:
    pk: int
    unit_id: int
    nama: str
    jenjang_id: str
    siasn_id: str


@dataclass
class StructurePlan:
    # Per (instansi id, UNOR ID, unit name, jabatan siasn id, jabatan name, jenjang id): (unit ref, jabatan ref).
    placement: dict[tuple, tuple[Ref, Ref]] = field(default_factory=dict)
    new_units: dict[tuple, dict] = field(default_factory=dict)  # key -> instansi_id, nama, siasn_id
    unit_changes: dict[int, dict] = field(default_factory=dict)  # pk -> nama, siasn_id (as they become)
    new_jabatan: dict[tuple, dict] = field(default_factory=dict)  # key -> unit (ref), nama, jenjang_id, siasn_id
    jabatan_changes: dict[int, dict] = field(default_factory=dict)  # pk -> unit, nama, jenjang_id, siasn_id
    errors: list[RowError] = field(default_factory=list)


def row_key(row, instansi_id: int, jenjang_id: str) -> tuple:
    return (
        instansi_id,
        getattr(row, "unor_id", ""),
        row.unit_kerja,
        getattr(row, "jabatan_siasn_id", ""),
        row.jabatan,
        jenjang_id,
    )


def plan_structure(
    rows, instansi_of_row, jenjang_of_row, units: list[ExistingUnit], jabatan: list[ExistingJabatan]
) -> StructurePlan:
    """`instansi_of_row(row)` and `jenjang_of_row(row)` give the ids a row's kode and jenjang name mean."""
    plan = StructurePlan()
    unit_by_siasn: dict[tuple, Ref] = {}
    unit_by_name: dict[tuple, list[Ref]] = defaultdict(list)
    # Units entered in Talenta, by name: the first SIASN import gives each the UNOR ID of its name.
    unclaimed_units: dict[tuple, int] = {}
    unit_name: dict[Ref, str] = {}
    for unit in units:
        unit_name[unit.pk] = unit.nama
        unit_by_name[(unit.instansi_id, unit.nama.casefold())].append(unit.pk)
        if unit.siasn_id:
            unit_by_siasn[(unit.instansi_id, unit.siasn_id)] = unit.pk
        else:
            unclaimed_units[(unit.instansi_id, unit.nama.casefold())] = unit.pk

    # The jabatan of each unit as they will be once the plan is applied.
    current: dict[Ref, dict] = {}  # jabatan ref -> unit, nama, jenjang_id, siasn_id
    jabatan_by_siasn: dict[tuple, Ref] = {}
    jabatan_by_name: dict[tuple, Ref] = {}
    for item in jabatan:
        current[item.pk] = {"unit": item.unit_id, "nama": item.nama, "jenjang_id": item.jenjang_id,
                            "siasn_id": item.siasn_id}  # fmt: skip
        jabatan_by_name[(item.unit_id, item.nama.casefold(), item.jenjang_id)] = item.pk
        if item.siasn_id:
            jabatan_by_siasn[(item.unit_id, item.siasn_id)] = item.pk
    first_row: dict[Ref, int] = {}  # the first row naming a renamed or new jabatan
    changed: set[Ref] = set()

    def unit_for(instansi_id, unor_id, nama, row_number) -> Ref:
        if not unor_id:
            found = unit_by_name.get((instansi_id, nama.casefold()))
            if found and len(found) > 1:
                plan.errors.append(
                    RowError(
                        row_number,
                        "unit_kerja",
                        nama,
                        f'Ada {len(found)} unit kerja bernama "{nama}" di instansi ini (dari SIASN, masing-masing '
                        "dengan UNOR ID sendiri), sehingga nama saja tidak menunjuk satu unit. Perbarui pegawai "
                        "unit ini lewat impor SIASN.",
                    )
                )
            if found:
                return found[0]
            ref = ("unit", instansi_id, "", nama.casefold())
            plan.new_units[ref] = {"instansi_id": instansi_id, "nama": nama, "siasn_id": ""}
            unit_by_name[(instansi_id, nama.casefold())].append(ref)
            unit_name[ref] = nama
            return ref
        ref = unit_by_siasn.get((instansi_id, unor_id))
        if ref is None:
            ref = unclaimed_units.pop((instansi_id, nama.casefold()), None)
            if ref is not None:
                plan.unit_changes[ref] = {"nama": unit_name[ref], "siasn_id": unor_id}
            else:
                ref = ("unit", instansi_id, unor_id, "")
                plan.new_units[ref] = {"instansi_id": instansi_id, "nama": nama, "siasn_id": unor_id}
                unit_name[ref] = nama
            unit_by_siasn[(instansi_id, unor_id)] = ref
        elif unit_name[ref] != nama and isinstance(ref, int):
            # Renamed in SIASN: the same unit under its new name (another unit may share it).
            plan.unit_changes[ref] = {"nama": nama, "siasn_id": unor_id}
            unit_name[ref] = nama
        return ref

    def jabatan_for(unit, siasn_id, nama, jenjang_id, row_number) -> Ref:
        name_key = (unit, nama.casefold(), jenjang_id)
        ref = jabatan_by_siasn.get((unit, siasn_id)) if siasn_id else None
        if ref is None:
            holder = jabatan_by_name.get(name_key)
            if holder is not None and not (siasn_id and current[holder]["siasn_id"]):
                if siasn_id:
                    # Entered in Talenta before the first SIASN import: it takes the id.
                    current[holder]["siasn_id"] = siasn_id
                    jabatan_by_siasn[(unit, siasn_id)] = holder
                    changed.add(holder)
                return holder
            ref = ("jabatan", unit, siasn_id, nama.casefold(), jenjang_id)
            current[ref] = {"unit": unit, "nama": nama, "jenjang_id": jenjang_id, "siasn_id": siasn_id}
            plan.new_jabatan[ref] = current[ref]
            first_row[ref] = row_number
            if siasn_id:
                jabatan_by_siasn[(unit, siasn_id)] = ref
            jabatan_by_name.setdefault(name_key, ref)
            return ref
        before = current[ref]
        if (before["nama"], before["jenjang_id"]) != (nama, jenjang_id):
            # Renamed in SIASN (or its jenjang mapped anew): the same jabatan, changed.
            old_key = (unit, before["nama"].casefold(), before["jenjang_id"])
            if jabatan_by_name.get(old_key) == ref:
                del jabatan_by_name[old_key]
            before.update(nama=nama, jenjang_id=jenjang_id)
            changed.add(ref)
            first_row.setdefault(ref, row_number)
            jabatan_by_name.setdefault(name_key, ref)
        return ref

    for row in rows:
        instansi_id, jenjang_id = instansi_of_row(row), jenjang_of_row(row)
        key = row_key(row, instansi_id, jenjang_id)
        if key in plan.placement:
            continue
        unit = unit_for(instansi_id, key[1], key[2], row.row)
        plan.placement[key] = (unit, jabatan_for(unit, key[3], key[4], jenjang_id, row.row))

    # A jabatan new in this file and changed again later is still just a new one.
    plan.jabatan_changes = {ref: current[ref] for ref in changed if isinstance(ref, int)}
    plan.errors.extend(_name_collisions(current, first_row, unit_name))
    plan.errors.sort(key=lambda error: error.row)
    return plan


def _name_collisions(current: dict, first_row: dict, unit_name: dict) -> list[RowError]:
    """Jabatan a file renames or adds onto the name and jenjang another jabatan of the unit keeps.

    A chain or swap of names within the file is no collision: each name ends up held once.
    """
    holders: dict[tuple, list] = defaultdict(list)
    for ref, item in current.items():
        holders[(item["unit"], item["nama"].casefold(), item["jenjang_id"])].append(ref)
    errors = []
    for refs in holders.values():
        if len(refs) < 2:
            continue
        moved = [ref for ref in refs if ref in first_row]
        kept = [ref for ref in refs if ref not in first_row] or moved[:1]
        holder = current[kept[0]]
        for ref in moved:
            if ref == kept[0]:
                continue
            item = current[ref]
            held_by = (
                f"JABATAN ID {holder['siasn_id']}, tidak ada di berkas ini"
                if holder["siasn_id"]
                else "dicatat di Talenta tanpa JABATAN ID SIASN"
            )
            if kept[0] in first_row:
                held_by = f"JABATAN ID {holder['siasn_id']} di baris {first_row[kept[0]]}"
            errors.append(
                RowError(
                    first_row[ref],
                    "JABATAN NAMA",
                    item["nama"],
                    f'Jabatan "{item["nama"]}" (JABATAN ID {item["siasn_id"] or "-"}) tidak dapat disimpan di unit '
                    f'kerja "{unit_name[item["unit"]]}": nama dan jenjang itu sudah dipakai jabatan lain di Talenta '
                    f'("{holder["nama"]}", {held_by}). Satu unit kerja tidak memuat dua jabatan dengan nama dan '
                    "jenjang yang sama; periksa nama jabatan di SIASN, atau ubah nama jabatan yang lama di Talenta.",
                )
            )
    return sorted(errors, key=lambda error: error.row)
