"""The `pegawai` import: every rule of import-format.md §1 and the all-or-nothing contract."""

import dataclasses
import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from asn.demo import generate_pegawai
from asn.models import Jabatan, Pegawai, UnitKerja
from asn.services import import_run, pegawai_bulk_upsert
from talenta.tabular import write_csv, write_xlsx

pytestmark = pytest.mark.django_db

HEADERS = [
    "nip", "nama", "gelar_depan", "gelar_belakang", "jenis_asn", "instansi", "unit_kerja",
    "jabatan", "jenjang", "golongan", "pendidikan", "tmt_jabatan",
]  # fmt: skip


def row(**overrides):
    values = {
        "nip": "19860926 201505 1 001",
        "nama": "Yohanes Apui",
        "gelar_depan": "",
        "gelar_belakang": "S.Kom., M.T.",
        "jenis_asn": "PNS",
        "instansi": "6101",
        "unit_kerja": "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "jabatan": "Kepala Bidang Pengembangan Kompetensi",
        "jenjang": "Administrator",
        "golongan": "III/d",
        "pendidikan": "S2",
        "tmt_jabatan": "2023-01-02",
    }
    values.update(overrides)
    return [values[h] for h in HEADERS]


def csv_file(*rows, headers=HEADERS):
    return write_csv(headers, rows)


def import_csv(data, user=None, write=True):
    return import_run(kind="pegawai", data=data, filename="pegawai.csv", user=user, write=write)


def errors_of(outcome):
    return [(e.row, e.column, e.message) for e in outcome.errors]


def test_valid_file_creates_pegawai_units_and_jabatan_with_decoded_nip(operator):
    outcome = import_csv(csv_file(row()), user=operator)

    assert outcome.ok
    assert outcome.summary == {
        "baru": 1, "diubah": 0, "tetap": 0, "unit_kerja_baru": 1, "jabatan_baru": 1,
    }  # fmt: skip
    pegawai = Pegawai.objects.get()
    assert pegawai.nip == "198609262015051001"
    assert pegawai.jabatan.jenjang.nama == "Administrator"
    assert pegawai.jabatan.unit_kerja.instansi.kode == "6101"
    assert pegawai.tanggal_lahir == dt.date(1986, 9, 26)
    assert pegawai.tmt_cpns == dt.date(2015, 5, 1)
    assert pegawai.jenis_kelamin == "L"
    assert pegawai.tanggal_pensiun == dt.date(2044, 10, 1)
    assert pegawai.tmt_jabatan == dt.date(2023, 1, 2)


def test_reimporting_the_same_file_changes_nothing(operator):
    data = csv_file(row(), row(nip="199001012020122001", nama="Maria Ngadan"))
    import_csv(data, user=operator)
    history_before = Pegawai.history.count()

    outcome = import_csv(data, user=operator)

    assert outcome.summary == {
        "baru": 0, "diubah": 0, "tetap": 2, "unit_kerja_baru": 0, "jabatan_baru": 0,
    }  # fmt: skip
    assert Pegawai.history.count() == history_before
    assert Pegawai.objects.count() == 2


def test_changed_rows_are_updated_and_recorded_in_history_with_the_user(operator):
    import_csv(csv_file(row()), user=operator)

    outcome = import_csv(csv_file(row(golongan="IV/a", jenjang="JPT Pratama", jabatan="Kepala Badan")), user=operator)

    assert outcome.summary["diubah"] == 1
    pegawai = Pegawai.objects.get()
    assert (pegawai.golongan_id, pegawai.jabatan.nama) == ("IV/a", "Kepala Badan")
    # BUP follows the new jenjang: 60 for JPT.
    assert pegawai.tanggal_pensiun == dt.date(2046, 10, 1)
    latest = pegawai.history.latest()
    assert latest.history_type == "~"
    assert latest.history_user == operator
    assert latest.history_change_reason == "Impor pegawai: pegawai.csv"


def test_preview_reports_the_plan_without_writing(operator):
    outcome = import_csv(csv_file(row()), user=operator, write=False)
    assert outcome.ok
    assert outcome.summary == {"baru": 1, "diubah": 0, "tetap": 0}
    assert Pegawai.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "column", "message"),
    [
        ({"nip": "19860926201505100"}, "nip", "NIP harus 18 digit, bukan 17 digit."),
        ({"nip": "1986092620150510011"}, "nip", "NIP harus 18 digit, bukan 19 digit."),
        ({"nip": "1986O926201505100l"}, "nip", "NIP hanya boleh berisi angka (18 digit)."),
        ({"nip": "198609262015131001"}, "nip", "Digit 13–14 NIP (bulan TMT CPNS) harus 01–12, bukan 13."),
        ({"nip": "198609262015053001"}, "nip", "Digit ke-15 NIP (jenis kelamin) harus 1 atau 2, bukan 3."),
        ({"nip": "198602312015051001"}, "nip", "Digit 1–8 NIP (19860231) bukan tanggal lahir yang valid."),
        (
            {"instansi": "6199"},
            "instansi",
            "Kode instansi 6199 tidak dikenal (gunakan kode Kemendagri, mis. 6101).",
        ),
        (
            {"golongan": "IX"},
            "golongan",
            "Golongan IX adalah golongan PPPK, tidak sesuai dengan jenis ASN PNS.",
        ),
        ({"jenjang": "Eselon III"}, "jenjang", None),
        ({"pendidikan": "S4"}, "pendidikan", None),
        ({"jenis_asn": "Honorer"}, "jenis_asn", 'Jenis ASN "Honorer" tidak dikenal. Pilihan: PNS, PPPK.'),
        ({"nama": ""}, "nama", "Wajib diisi."),
        ({"tmt_jabatan": "31/02/2020"}, "tmt_jabatan", None),
    ],
)
def test_bad_values_are_reported_and_nothing_is_written(overrides, column, message):
    outcome = import_csv(csv_file(row(nip="199001012020122001"), row(**overrides)))

    assert [(e.row, e.column) for e in outcome.errors] == [(3, column)]
    if message:
        assert outcome.errors[0].message == message
    assert Pegawai.objects.count() == 0
    assert UnitKerja.objects.count() == 0


def test_tmt_jabatan_in_the_future_is_rejected():
    outcome = import_csv(csv_file(row(tmt_jabatan="2999-01-01")))
    assert errors_of(outcome)[0][:2] == (2, "tmt_jabatan")
    assert outcome.errors[0].message.startswith("Tanggal 01-01-2999 melewati hari ini")


def test_duplicate_nip_in_one_file_names_the_first_row():
    outcome = import_csv(csv_file(row(), row(nip="198609262015051001", nama="Lain")))
    assert errors_of(outcome) == [(3, "nip", "NIP 198609262015051001 sudah ada di baris 2.")]
    assert Pegawai.objects.count() == 0


def test_operator_cannot_import_rows_of_another_instansi(operator):
    outcome = import_csv(csv_file(row(), row(nip="199001012020122001", instansi="6102")), user=operator)
    assert errors_of(outcome) == [
        (3, "instansi", "Baris ini untuk instansi 6102; Anda hanya dapat mengimpor data instansi 6101.")
    ]
    assert Pegawai.objects.count() == 0


def test_operator_cannot_take_over_a_nip_held_by_another_instansi(operator, outsider):
    import_csv(csv_file(row(instansi="6102")), user=outsider)
    outcome = import_csv(csv_file(row()), user=operator)
    assert errors_of(outcome) == [
        (
            2,
            "nip",
            "NIP 198609262015051001 terdaftar di instansi 6102. Perpindahan antar-instansi "
            "hanya dapat dicatat oleh admin provinsi.",
        )
    ]
    assert Pegawai.objects.get().instansi.kode == "6102"


def test_missing_required_column_is_a_file_error():
    headers = [h for h in HEADERS if h != "golongan"]
    data = write_csv(headers, [[v for h, v in zip(HEADERS, row(), strict=False) if h != "golongan"]])
    outcome = import_csv(data)
    assert errors_of(outcome) == [(1, "golongan", "Kolom wajib golongan tidak ada.")]


def test_two_headers_meaning_the_same_column_is_an_error():
    data = write_csv([*HEADERS, "Unit Kerja"], [[*row(), "x"]])
    assert errors_of(import_csv(data)) == [(1, "unit_kerja", "Kolom unit_kerja muncul lebih dari sekali.")]


def test_headers_match_case_and_spacing_insensitively_and_unknown_columns_warn():
    headers = [h.replace("_", " ").upper() for h in HEADERS] + ["Catatan"]
    outcome = import_csv(write_csv(headers, [[*row(), "bebas"]]))
    assert outcome.ok
    assert outcome.warnings == ['Kolom "Catatan" tidak dikenal dan diabaikan.']


def test_semicolon_csv_with_bom_and_lowercase_values_is_read():
    text = (
        ";".join(HEADERS)
        + "\n"
        + ";".join(
            row(
                jenis_asn="pns",
                jenjang="administrator",
                golongan="iii/d",
                pendidikan="s2",
                tmt_jabatan="2/1/2023",
            )
        )
    )
    outcome = import_csv(("\ufeff" + text).encode("utf-8"))
    assert outcome.ok, outcome.errors
    pegawai = Pegawai.objects.get()
    assert (pegawai.jenis_asn, pegawai.golongan_id, pegawai.pendidikan_id) == ("PNS", "III/d", "S2")
    assert pegawai.tmt_jabatan == dt.date(2023, 1, 2)


def test_empty_rows_are_skipped_but_still_counted():
    data = csv_file(row(), ["" for _ in HEADERS], row(nip="bad"))
    assert [(e.row, e.column) for e in import_csv(data).errors] == [(4, "nip")]


def test_empty_file_is_rejected():
    assert errors_of(import_csv(b"")) == [(1, "", "Berkas kosong.")]


def test_header_only_file_is_rejected():
    assert errors_of(import_csv(csv_file())) == [(1, "", "Berkas tidak berisi baris data di bawah baris judul.")]


def test_a_file_that_is_not_a_spreadsheet_is_rejected():
    outcome = import_run(kind="pegawai", data=b"%PDF-1.4 not a workbook", filename="x.xlsx", user=None, write=True)
    assert outcome.errors[0].message.startswith("Berkas tidak dapat dibaca sebagai lembar kerja Excel")
    outcome = import_run(kind="pegawai", data=b"abc", filename="pegawai.pdf", user=None, write=True)
    assert errors_of(outcome) == [(1, "", "Berkas harus berformat .xlsx atau .csv.")]


def _xlsx(rows, headers=HEADERS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_text_nip_and_date_cells_imports_with_leading_zeros_kept():
    values = row(nip="199001012020122001", tmt_jabatan=dt.datetime(2023, 1, 2))
    values[HEADERS.index("instansi")] = 6101  # a number cell is fine for the code
    outcome = import_run(kind="pegawai", data=_xlsx([values]), filename="p.xlsx", user=None, write=True)
    assert outcome.ok, outcome.errors
    assert Pegawai.objects.get().tmt_jabatan == dt.date(2023, 1, 2)


def test_xlsx_nip_stored_as_a_number_is_rejected():
    values = row()
    values[0] = 198609262015051001
    outcome = import_run(kind="pegawai", data=_xlsx([values]), filename="p.xlsx", user=None, write=True)
    assert errors_of(outcome) == [
        (2, "nip", "NIP harus diisi sebagai teks, bukan angka: Excel sudah memotong digit akhirnya.")
    ]


def test_a_text_cell_starting_with_equals_is_kept_as_text_and_never_a_formula_on_export():
    # write_xlsx stores the text as a text cell, as Excel does for '=… typed with an apostrophe.
    text_cell = write_xlsx(HEADERS, [row(unit_kerja='=HYPERLINK("http://x")')], sheet_title="pegawai")
    outcome = import_run(kind="pegawai", data=text_cell, filename="p.xlsx", user=None, write=True)
    assert outcome.ok
    unit = UnitKerja.objects.get()
    assert unit.nama == '=HYPERLINK("http://x")'

    exported = load_workbook(io.BytesIO(write_xlsx(["unit"], [[unit.nama]], sheet_title="x"))).active["A2"]
    assert (exported.value, exported.data_type) == ('=HYPERLINK("http://x")', "s")
    assert write_csv(["unit"], [[unit.nama]]).decode("utf-8-sig") == 'unit\n"\'=HYPERLINK(""http://x"")"\n'


def test_pppk_row_with_pppk_golongan_imports():
    outcome = import_csv(
        csv_file(row(nip="199001012021132001", jenis_asn="PPPK", golongan="IX", jenjang="Ahli Pertama"))
    )
    assert outcome.ok, outcome.errors
    pegawai = Pegawai.objects.get()
    assert (pegawai.jenis_asn, pegawai.tmt_cpns, pegawai.jenis_kelamin) == ("PPPK", None, "P")


def test_units_and_jabatan_are_matched_case_insensitively():
    import_csv(csv_file(row()))
    import_csv(csv_file(row(nip="199001012020122001", unit_kerja=row()[6].upper(), jabatan=row()[7].lower())))
    assert UnitKerja.objects.count() == 1
    assert Jabatan.objects.count() == 1


def test_a_read_only_role_cannot_import_through_the_service(ppk):
    from django.core.exceptions import PermissionDenied

    from asn.services import import_rows_run

    with pytest.raises(PermissionDenied):
        import_csv(csv_file(row()), user=ppk)
    with pytest.raises(PermissionDenied):
        import_rows_run(kind="pegawai", rows=[dict(zip(HEADERS, row(), strict=True))], user=ppk, write=True)
    assert Pegawai.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_an_upsert_outside_a_transaction_updates_the_changed_rows_with_history(reference_data):
    # seed_demo and the benchmark call the service in autocommit: the staged copy of the update path
    # must outlive its own CREATE statement.
    rows = generate_pegawai(3, seed=1, today=dt.date(2026, 1, 31))
    pegawai_bulk_upsert(rows, None, "seed")

    summary = pegawai_bulk_upsert([dataclasses.replace(rows[0], nama="Nama Baru"), *rows[1:]], None, "seed lagi")

    assert (summary["baru"], summary["diubah"], summary["tetap"]) == (0, 1, 2)
    pegawai = Pegawai.objects.get(nip=rows[0].nip)
    assert pegawai.nama == "Nama Baru"
    latest = pegawai.history.latest()
    assert (latest.history_type, latest.history_change_reason) == ("~", "seed lagi")


def test_blocks_generated_with_the_taken_nips_are_different_people():
    taken: set[str] = set()
    first = generate_pegawai(2000, seed=7, today=dt.date(2026, 1, 31), nip_taken=taken)
    second = generate_pegawai(2000, seed=8, today=dt.date(2026, 1, 31), nip_taken=taken)

    assert not {row.nip for row in first} & {row.nip for row in second}
    assert len(taken) == 4000


def test_the_bulk_write_builds_every_column_of_a_pegawai_row():
    """The import writes tuples, not model instances: a column it left out would be written empty."""
    from asn.services import _PEGAWAI_COLUMNS

    assert sorted(_PEGAWAI_COLUMNS) == sorted(f.attname for f in Pegawai._meta.concrete_fields if not f.primary_key)
