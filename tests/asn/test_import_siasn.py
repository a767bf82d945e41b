"""The `siasn` import (issue 13 items 1–2): SIASN's "Export Data ASN" file into pegawai."""

import dataclasses
import datetime as dt
import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from asn.demo import generate_pegawai, pegawai_row_cells
from asn.importers import PEGAWAI_COLUMNS, PegawaiRow
from asn.models import Jabatan, Pegawai, PemetaanSiasn, UnitKerja
from asn.services import import_run, siasn_mapping_save
from asn.siasn import SIASN_HEADERS, guess_instansi, guess_jenjang, guess_pendidikan
from asn.siasn_sample import in_instansi, siasn_csv, siasn_id, siasn_record, siasn_records
from talenta.tabular import write_csv

pytestmark = pytest.mark.django_db

PEGAWAI_FIELDS = [
    "nip", "nama", "gelar_depan", "gelar_belakang", "jenis_asn", "instansi__kode", "jabatan__unit_kerja__nama",
    "jabatan__nama", "jabatan__jenjang__nama", "golongan_id", "pendidikan_id", "tmt_jabatan", "tanggal_lahir",
    "jenis_kelamin", "tmt_cpns", "tanggal_pensiun",
]  # fmt: skip


def pegawai_rows(n, *, seed=5, kode="6101"):
    return in_instansi(generate_pegawai(n, seed=seed, today=timezone.localdate()), kode)


EXAMPLE = PegawaiRow(
    row=2, nip="198609262015051001", nama="Yohanes Apui", gelar_depan="", gelar_belakang="S.Kom., M.T.",
    jenis_asn="PNS", instansi_kode="6101", unit_kerja="Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
    jabatan="Kepala Bidang Pengembangan Kompetensi", jenjang="Administrator", golongan="III/d", pendidikan="S2",
    tmt_jabatan=dt.date(2023, 1, 2),
)  # fmt: skip


def record(**overrides):
    values = siasn_record(EXAMPLE, random.Random(1))
    values.update(overrides)
    return values


def siasn_import(data, user, write=True, filename="siasn.csv"):
    return import_run(kind="siasn", data=data, filename=filename, user=user, write=write)


def answer_guesses(outcome, user):
    assert outcome.questions and all(q["tebakan"] for q in outcome.questions), outcome.questions
    siasn_mapping_save(
        user=user, answers=[(q["instansi"], q["jenis"], q["nilai"], q["tebakan"]) for q in outcome.questions]
    )


def import_answering(data, user):
    first = siasn_import(data, user)
    assert first.ok, first.errors[:5]
    if first.questions:
        answer_guesses(first, user)
    outcome = siasn_import(data, user)
    assert outcome.ready, (outcome.errors[:5], outcome.questions[:5])
    return outcome


def errors_of(outcome):
    return [(e.row, e.column, e.message) for e in outcome.errors]


def snapshot():
    return sorted(Pegawai.objects.values_list(*PEGAWAI_FIELDS))


# --- header, stable keys, the mapping asked once ---------------------------------------------------------


def test_full_siasn_header_in_any_order_imports_with_stable_keys_and_no_warnings(operator):
    shuffled = list(SIASN_HEADERS)
    random.Random(3).shuffle(shuffled)
    data = siasn_csv([record()], headers=shuffled)

    first = siasn_import(data, operator)

    # Every value SIASN spells its own way is asked, each with its guess; nothing is written meanwhile.
    assert first.ok and first.warnings == []
    assert [(q["instansi"], q["jenis"], q["nilai"], q["tebakan"], q["baris"]) for q in first.questions] == [
        ("6101", "instansi", "Pemerintah Kab. Sambas", "6101", 1),
        ("6101", "jenis_pegawai", "PNS Daerah Kabupaten/Kota", "PNS", 1),
        ("6101", "jenjang", "Kepala Bidang Pengembangan Kompetensi", "Administrator", 1),
        ("6101", "pendidikan", "S-2", "S2", 1),
    ]
    assert Pegawai.objects.count() == 0
    answer_guesses(first, operator)

    outcome = siasn_import(data, operator)

    assert outcome.ready
    assert outcome.summary["baru"] == 1
    pegawai = Pegawai.objects.select_related("jabatan__unit_kerja").get()
    assert pegawai.pns_id == record()["PNS ID"]
    assert pegawai.jabatan.siasn_id == record()["JABATAN ID"]
    assert pegawai.jabatan.unit_kerja.siasn_id == record()["UNOR ID"]
    assert pegawai.jabatan.unit_kerja.nama == record()["UNOR NAMA"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("S-1/Sarjana", "S1"), ("Diploma III/Sarjana Muda", "D3"), ("S-2", "S2"), ("SLTA/Sederajat", "SLTA"),
     ("SLTP/Sederajat", "SMP"), ("SD/Sederajat", "SD"), ("Diploma IV", "D4"), ("S-3/Doktor", "S3"),
     ("Strata I", "S1"), ("Diploma I", "D1")],
)  # fmt: skip
def test_pendidikan_guess(value, expected):
    assert guess_pendidikan(value) == expected


@pytest.mark.parametrize(
    ("jabatan", "jenis", "expected"),
    [
        ("Analis Sumber Daya Manusia Aparatur Ahli Muda", "Jabatan Fungsional Tertentu", "Ahli Muda"),
        ("Perawat Mahir", "Jabatan Fungsional Tertentu", "Mahir"),
        ("Kepala Dinas Kesehatan", "Jabatan Struktural", "JPT Pratama"),
        ("Kepala Bidang Mutasi", "Jabatan Struktural", "Administrator"),
        ("Kepala Subbagian Umum dan Kepegawaian", "Jabatan Struktural", "Pengawas"),
        ("Sekretaris", "Jabatan Struktural", "Administrator"),
        ("Pengadministrasi Perkantoran", "Jabatan Fungsional Umum", "Pelaksana"),
        ("Penjaga Malam", "", ""),
    ],
)
def test_jenjang_guess(reference_data, jabatan, jenis, expected):
    from asn.models import Jenjang

    assert guess_jenjang(jabatan, jenis, list(Jenjang.objects.values_list("nama", flat=True))) == expected


def test_instansi_guess(reference_data):
    from asn.models import Instansi

    names = dict(Instansi.objects.values_list("kode", "nama"))
    assert guess_instansi("PEMERINTAH KAB. SAMBAS", names) == "6101"
    assert guess_instansi("Pemerintah Kota Singkawang", names) == "6172"
    assert guess_instansi("Pemerintah Provinsi Kalimantan Barat", names) == "61"
    assert guess_instansi("Kementerian Dalam Negeri", names) == ""


def test_3000_rows_give_the_same_pegawai_as_the_talenta_template_field_by_field(operator):
    rows = pegawai_rows(3000)
    template = write_csv([c.name for c in PEGAWAI_COLUMNS], (pegawai_row_cells(r) for r in rows))
    outcome = import_run(kind="pegawai", data=template, filename="pegawai.csv", user=operator, write=True)
    assert outcome.ok and outcome.summary["baru"] == 3000
    from_template = snapshot()
    Pegawai.objects.all().delete()
    Jabatan.objects.all().delete()
    UnitKerja.objects.all().delete()

    outcome = import_answering(siasn_csv(siasn_records(rows)), operator)

    assert outcome.summary["baru"] == 3000
    assert snapshot() == from_template


def test_reimport_unchanged_changes_nothing_and_the_mapping_is_not_asked_again(operator):
    data = siasn_csv(siasn_records(pegawai_rows(300)))
    import_answering(data, operator)
    history = Pegawai.history.count()
    mappings = PemetaanSiasn.objects.count()

    outcome = siasn_import(data, operator)

    assert outcome.ready
    assert (outcome.summary["baru"], outcome.summary["diubah"], outcome.summary["tetap"]) == (0, 0, 300)
    assert outcome.summary["unit_kerja_diubah"] == outcome.summary["jabatan_diubah"] == 0
    assert Pegawai.history.count() == history
    assert PemetaanSiasn.objects.count() == mappings


def test_next_monthly_file_with_the_same_values_imports_with_no_questions(operator):
    rows = pegawai_rows(200, seed=1)
    import_answering(siasn_csv(siasn_records(rows)), operator)
    # A month later: ten pegawai left, ten joined in the same units and jabatan.
    joined = [dataclasses.replace(r, nip=r.nip[:15] + f"9{i:02d}", nama=f"Baru {i}") for i, r in enumerate(rows[:10])]

    outcome = siasn_import(siasn_csv(siasn_records(rows[10:] + joined)), operator)

    assert outcome.ready and outcome.questions == []
    assert (outcome.summary["baru"], outcome.summary["tetap"]) == (10, 190)
    assert outcome.summary["tidak_ada_di_siasn"] == 10


def test_a_rename_in_siasn_renames_the_unit_and_jabatan_instead_of_adding_new_ones(operator):
    rows = pegawai_rows(50)
    records = siasn_records(rows)
    import_answering(siasn_csv(records), operator)
    unit_name = records[0]["UNOR NAMA"]
    unor_id = records[0]["UNOR ID"]
    units, jabatan = UnitKerja.objects.count(), Jabatan.objects.count()
    jabatan_id, old_jabatan = records[0]["JABATAN ID"], records[0]["JABATAN NAMA"]
    for item in records:
        if item["UNOR ID"] == unor_id:
            item["UNOR NAMA"] = unit_name + " (Baru)"
            if item["JABATAN ID"] == jabatan_id:
                item["JABATAN NAMA"] = old_jabatan + " Baru"

    first = siasn_import(siasn_csv(records), operator)
    # The new jabatan name's jenjang is asked: a name is what the jenjang mapping reads.
    assert [(q["jenis"], q["nilai"]) for q in first.questions] == [("jenjang", old_jabatan + " Baru")]
    siasn_mapping_save(
        user=operator,
        answers=[(q["instansi"], q["jenis"], q["nilai"], q["tebakan"] or "Pelaksana") for q in first.questions],
    )
    outcome = siasn_import(siasn_csv(records), operator)

    assert outcome.ready
    assert (outcome.summary["unit_kerja_baru"], outcome.summary["unit_kerja_diubah"]) == (0, 1)
    assert (outcome.summary["jabatan_baru"], outcome.summary["jabatan_diubah"]) == (0, 1)
    assert (UnitKerja.objects.count(), Jabatan.objects.count()) == (units, jabatan)
    unit = UnitKerja.objects.get(siasn_id=unor_id)
    assert unit.nama == unit_name + " (Baru)"
    assert unit.jabatan.get(siasn_id=jabatan_id).nama == old_jabatan + " Baru"


def test_units_made_by_the_template_take_the_siasn_id_on_the_first_siasn_import(operator):
    rows = pegawai_rows(30)
    template = write_csv([c.name for c in PEGAWAI_COLUMNS], (pegawai_row_cells(r) for r in rows))
    import_run(kind="pegawai", data=template, filename="pegawai.csv", user=operator, write=True)
    units, jabatan = UnitKerja.objects.count(), Jabatan.objects.count()

    outcome = import_answering(siasn_csv(siasn_records(rows)), operator)

    assert (outcome.summary["unit_kerja_baru"], outcome.summary["jabatan_baru"]) == (0, 0)
    assert (UnitKerja.objects.count(), Jabatan.objects.count()) == (units, jabatan)
    assert not UnitKerja.objects.filter(siasn_id="").exists()
    assert not Jabatan.objects.filter(siasn_id="").exists()
    # The pegawai gained their PNS ID; a later template import leaves it.
    assert not Pegawai.objects.filter(pns_id="").exists()
    import_run(kind="pegawai", data=template, filename="pegawai.csv", user=operator, write=True)
    assert not Pegawai.objects.filter(pns_id="").exists()


# --- inactive ASN, pegawai missing from SIASN -------------------------------------------------------------


def test_inactive_asn_are_reported_not_imported_and_missing_pegawai_are_listed_not_deleted(operator):
    rows = pegawai_rows(20)
    import_answering(siasn_csv(siasn_records(rows)), operator)
    retired, gone = rows[0], rows[1]
    records = siasn_records([r for r in rows if r is not gone], inactive={retired.nip: "Pensiun"})

    outcome = siasn_import(siasn_csv(records), operator)

    assert outcome.ready
    assert outcome.summary["tidak_aktif"] == 1
    assert [(i["nip"], i["kedudukan"]) for i in outcome.summary["daftar_tidak_aktif"]] == [(retired.nip, "Pensiun")]
    assert outcome.summary["tidak_ada_di_siasn"] == 2
    assert {(i["nip"], i["keterangan"]) for i in outcome.summary["daftar_tidak_ada_di_siasn"]} == {
        (retired.nip, "Kedudukan di SIASN: Pensiun"),
        (gone.nip, "Tidak ada di berkas SIASN"),
    }
    assert Pegawai.objects.count() == 20


# --- bad input: a clear message, nothing written -------------------------------------------------------------


def _mapped(operator):
    """The operator's mapping for the example record's values, so that only the rule under test fails."""
    siasn_import(siasn_csv([record()]), operator)
    answer_guesses(siasn_import(siasn_csv([record()]), operator), operator)


@pytest.mark.parametrize("missing", ["NIP BARU", "JABATAN NAMA"])
def test_missing_required_column(operator, missing):
    headers = [h for h in SIASN_HEADERS if h != missing]
    outcome = siasn_import(siasn_csv([record()], headers=headers), operator)
    assert errors_of(outcome) == [(1, missing, f"Kolom wajib {missing} tidak ada.")]
    assert Pegawai.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "column", "message"),
    [
        ({"NIP BARU": "19860926201505100"}, "NIP BARU", "NIP harus 18 digit, bukan 17 digit."),
        ({"NIP BARU": "198609262015131001"}, "NIP BARU", "Digit 13–14 NIP (bulan TMT CPNS) harus 01–12, bukan 13."),
        ({"GOL AKHIR NAMA": "III/f"}, "GOL AKHIR NAMA",
         'GOL AKHIR NAMA "III/f" bukan golongan: PNS I/a … IV/e (mis. III/c), PPPK I … XVII.'),
        ({"GOL AKHIR NAMA": "IX"}, "GOL AKHIR NAMA",
         "Golongan IX adalah golongan PPPK, tidak sesuai dengan JENIS PEGAWAI NAMA PNS Daerah Kabupaten/Kota (PNS)."),
        ({"INSTANSI KERJA NAMA": "Pemerintah Kab. Bengkayang"}, "INSTANSI KERJA NAMA",
         '"Pemerintah Kab. Bengkayang" adalah Kabupaten Bengkayang, bukan instansi Anda (Kabupaten Sambas). '
         "Anda hanya dapat mengimpor data instansi Anda."),
        ({"PNS ID": ""}, "PNS ID", "Wajib diisi."),
    ],
)  # fmt: skip
def test_bad_values_write_nothing(operator, overrides, column, message):
    _mapped(operator)
    outcome = siasn_import(siasn_csv([record(**overrides)]), operator)
    assert errors_of(outcome) == [(2, column, message)]
    assert Pegawai.objects.count() == 0


def test_two_rows_with_the_same_pns_id_or_nip(operator):
    _mapped(operator)
    first = record()
    same_pns_id = record(**{"NIP BARU": "199001012020122001"})
    same_nip = record(**{"PNS ID": "ANOTHER"})
    outcome = siasn_import(siasn_csv([first, same_pns_id, same_nip]), operator)
    assert errors_of(outcome) == [
        (3, "PNS ID", f"PNS ID {first['PNS ID']} sudah ada di baris 2."),
        (4, "NIP BARU", f"NIP {first['NIP BARU']} sudah ada di baris 2."),
    ]
    assert Pegawai.objects.count() == 0


def test_a_file_mixing_two_instansi_is_refused_for_an_operator(operator):
    _mapped(operator)
    other = record(**{"NIP BARU": "199001012020122001", "PNS ID": "X2", "INSTANSI KERJA NAMA": "Pemkab Sambas"})
    outcome = siasn_import(siasn_csv([record(), other]), operator)
    assert errors_of(outcome)[0] == (
        1,
        "INSTANSI KERJA NAMA",
        'Berkas memuat lebih dari satu instansi kerja: "Pemerintah Kab. Sambas" (baris 2), "Pemkab Sambas" '
        "(baris 3). Unduh dari SIASN satu berkas per instansi; Anda hanya dapat mengimpor data instansi Anda.",
    )
    assert Pegawai.objects.count() == 0


def test_an_unanswered_mapping_waits_and_the_command_never_guesses_silently(operator, tmp_path, capsys):
    path = tmp_path / "siasn.csv"
    path.write_bytes(siasn_csv([record()]))

    with pytest.raises(CommandError, match="4 nilai SIASN belum dipetakan; tidak ada data yang disimpan"):
        call_command("import_data", "siasn", str(path), "--as", operator.username)
    assert Pegawai.objects.count() == 0
    assert PemetaanSiasn.objects.count() == 0

    call_command("import_data", "siasn", str(path), "--as", operator.username, "--terima-tebakan")
    assert "4 pemetaan nilai SIASN disimpan dari tebakan." in capsys.readouterr().out
    assert Pegawai.objects.get().pns_id == record()["PNS ID"]


def test_tmt_jabatan_is_read_as_siasn_writes_it(operator):
    _mapped(operator)
    siasn_import(siasn_csv([record(**{"TMT JABATAN": "02-01-2023"})]), operator)
    assert Pegawai.objects.get().tmt_jabatan == dt.date(2023, 1, 2)


# --- leaf names that repeat, renames onto a name already held ------------------------------------------------


def _subbagian_umum(rows, parents):
    """The rows' SIASN records with each pegawai in the "Subbagian Umum" of one of `parents` (a UNOR each)."""
    records = siasn_records(rows)
    for index, item in enumerate(records):
        parent = parents[index % len(parents)]
        unor_id = siasn_id("6101", "unor", parent, "Subbagian Umum")
        item.update(
            {
                "UNOR ID": unor_id,
                "UNOR NAMA": "Subbagian Umum",
                "SATUAN KERJA KERJA NAMA": parent,
                "JABATAN ID": siasn_id(unor_id, "jabatan", item["JABATAN NAMA"]),
            }
        )
    return records


PARENTS = ["Dinas Kesehatan", "Dinas Sosial", "Dinas Pendidikan dan Kebudayaan"]


def test_a_leaf_name_repeated_under_several_dinas_imports_as_distinct_units(operator):
    records = _subbagian_umum(pegawai_rows(60, seed=8), PARENTS)

    outcome = import_answering(siasn_csv(records), operator)

    assert outcome.summary["baru"] == 60 and outcome.summary["unit_kerja_baru"] == 3
    units = UnitKerja.objects.filter(nama="Subbagian Umum")
    assert sorted(units.values_list("siasn_id", flat=True)) == sorted(
        siasn_id("6101", "unor", parent, "Subbagian Umum") for parent in PARENTS
    )
    for item in records:
        pegawai = Pegawai.objects.select_related("jabatan__unit_kerja").get(nip=item["NIP BARU"])
        assert pegawai.jabatan.unit_kerja.siasn_id == item["UNOR ID"]

    # Unchanged next month: nothing moves; a pegawai moved to another dinas's Subbagian Umum does.
    assert siasn_import(siasn_csv(records), operator).summary["tetap"] == 60
    moved = records[0]
    moved["UNOR ID"] = records[1]["UNOR ID"]
    moved["JABATAN ID"] = siasn_id(moved["UNOR ID"], "jabatan", moved["JABATAN NAMA"])
    outcome = siasn_import(siasn_csv(records), operator)
    assert (outcome.summary["diubah"], outcome.summary["tetap"], outcome.summary["unit_kerja_baru"]) == (1, 59, 0)
    pegawai = Pegawai.objects.select_related("jabatan__unit_kerja").get(nip=moved["NIP BARU"])
    assert pegawai.jabatan.unit_kerja.siasn_id == records[1]["UNOR ID"]
    assert UnitKerja.objects.filter(nama="Subbagian Umum").count() == 3


def test_the_talenta_template_cannot_name_a_unit_siasn_holds_several_times(operator):
    rows = pegawai_rows(6, seed=8)
    import_answering(siasn_csv(_subbagian_umum(rows, PARENTS)), operator)
    newcomer = dataclasses.replace(rows[0], nip=rows[0].nip[:15] + "977", unit_kerja="Subbagian Umum")
    template = write_csv([c.name for c in PEGAWAI_COLUMNS], [pegawai_row_cells(newcomer)])

    outcome = import_run(kind="pegawai", data=template, filename="pegawai.csv", user=operator, write=True)

    assert errors_of(outcome) == [
        (
            2,
            "unit_kerja",
            'Ada 3 unit kerja bernama "Subbagian Umum" di instansi ini (dari SIASN, masing-masing dengan UNOR ID '
            "sendiri), sehingga nama saja tidak menunjuk satu unit. Perbarui pegawai unit ini lewat impor SIASN.",
        )
    ]
    assert not Pegawai.objects.filter(nip=newcomer.nip).exists()


def _two_jabatan(operator):
    """Two pegawai in one unit, in two jabatan of the same jenjang; imported and mapped."""
    first = dataclasses.replace(pegawai_rows(1, seed=3)[0], jabatan="Perencana Ahli Muda", jenjang="Ahli Muda")
    second = dataclasses.replace(
        first, nip=first.nip[:15] + "988", nama="Dewi Lestari", jabatan="Analis Kebijakan Ahli Muda"
    )
    records = siasn_records([first, second])
    import_answering(siasn_csv(records), operator)
    return records


def test_a_jabatan_renamed_onto_the_name_of_another_jabatan_of_its_unit_is_a_row_error(operator):
    records = _two_jabatan(operator)
    renamed, holder = records[0], records[1]
    holder_before = Jabatan.objects.get(siasn_id=holder["JABATAN ID"])
    renamed["JABATAN NAMA"] = holder["JABATAN NAMA"]
    history = Pegawai.history.count()

    # The holder's pegawai left this month: the other jabatan is not in the file but still in Talenta.
    outcome = siasn_import(siasn_csv([renamed]), operator)

    assert errors_of(outcome) == [
        (
            2,
            "JABATAN NAMA",
            f'Jabatan "Analis Kebijakan Ahli Muda" (JABATAN ID {renamed["JABATAN ID"]}) tidak dapat disimpan di unit '
            f'kerja "{renamed["UNOR NAMA"]}": nama dan jenjang itu sudah dipakai jabatan lain di Talenta ("Analis '
            f'Kebijakan Ahli Muda", JABATAN ID {holder["JABATAN ID"]}, tidak ada di berkas ini). Satu unit kerja '
            "tidak memuat dua jabatan dengan nama dan jenjang yang sama; periksa nama jabatan di SIASN, atau ubah "
            "nama jabatan yang lama di Talenta.",
        )
    ]
    assert Jabatan.objects.get(siasn_id=renamed["JABATAN ID"]).nama == "Perencana Ahli Muda"
    assert Jabatan.objects.get(pk=holder_before.pk).nama == holder_before.nama
    assert Pegawai.history.count() == history


def test_two_jabatan_swapping_their_names_in_siasn_are_both_renamed(operator):
    records = _two_jabatan(operator)
    records[0]["JABATAN NAMA"], records[1]["JABATAN NAMA"] = records[1]["JABATAN NAMA"], records[0]["JABATAN NAMA"]
    history = Pegawai.history.count()

    outcome = siasn_import(siasn_csv(records), operator)

    assert outcome.ready, errors_of(outcome)
    assert (outcome.summary["jabatan_diubah"], outcome.summary["jabatan_baru"], outcome.summary["tetap"]) == (2, 0, 2)
    for item in records:
        assert Jabatan.objects.get(siasn_id=item["JABATAN ID"]).nama == item["JABATAN NAMA"]
        assert Pegawai.objects.get(nip=item["NIP BARU"]).jabatan.siasn_id == item["JABATAN ID"]
    # The pegawai did not change: only their jabatan did (with its own history).
    assert Pegawai.history.count() == history
    assert Jabatan.history.filter(nama__startswith="\u2063").count() == 0


def test_a_unit_renamed_onto_the_name_of_another_unit_stays_a_distinct_unit(operator):
    records = _subbagian_umum(pegawai_rows(4, seed=9), PARENTS[:2])
    for item in records[::2]:
        item["UNOR NAMA"] = "Subbagian Umum dan Kepegawaian"
    import_answering(siasn_csv(records), operator)
    for item in records[::2]:
        item["UNOR NAMA"] = "Subbagian Umum"

    outcome = siasn_import(siasn_csv(records), operator)

    assert outcome.ready, errors_of(outcome)
    assert (outcome.summary["unit_kerja_diubah"], outcome.summary["unit_kerja_baru"], outcome.summary["tetap"]) == (
        1,
        0,
        4,
    )
    assert UnitKerja.objects.filter(nama="Subbagian Umum").count() == 2


def test_the_jabatan_import_cannot_name_a_unit_siasn_holds_several_times(operator):
    import_answering(siasn_csv(_subbagian_umum(pegawai_rows(6, seed=8), PARENTS)), operator)
    jabatan = Jabatan.objects.count()
    data = write_csv(
        ["instansi", "unit_kerja", "jabatan", "jenjang"], [["6101", "Subbagian Umum", "Kepala", "Pengawas"]]
    )

    outcome = import_run(kind="jabatan", data=data, filename="jabatan.csv", user=operator, write=True)

    assert errors_of(outcome) == [
        (
            2,
            "unit_kerja",
            'Ada 3 unit kerja bernama "Subbagian Umum" di instansi ini (dari SIASN, masing-masing dengan UNOR ID '
            "sendiri), sehingga nama saja tidak menunjuk satu unit. Jabatan unit ini tidak dapat diimpor lewat nama "
            "unitnya.",
        )
    ]
    assert Jabatan.objects.count() == jabatan


def test_a_file_of_two_different_instansi_is_refused_for_an_operator_and_writes_nothing(operator):
    _mapped(operator)
    other = record(
        **{"NIP BARU": "199001012020122001", "PNS ID": "X2", "INSTANSI KERJA NAMA": "Pemerintah Kab. Bengkayang"}
    )

    outcome = siasn_import(siasn_csv([record(), other]), operator)

    assert errors_of(outcome) == [
        (
            1,
            "INSTANSI KERJA NAMA",
            'Berkas memuat lebih dari satu instansi kerja: "Pemerintah Kab. Sambas" (baris 2), "Pemerintah Kab. '
            'Bengkayang" (baris 3). Unduh dari SIASN satu berkas per instansi; Anda hanya dapat mengimpor data '
            "instansi Anda.",
        ),
        (
            3,
            "INSTANSI KERJA NAMA",
            '"Pemerintah Kab. Bengkayang" adalah Kabupaten Bengkayang, bukan instansi Anda (Kabupaten Sambas). '
            "Anda hanya dapat mengimpor data instansi Anda.",
        ),
    ]
    assert outcome.questions == []
    assert (Pegawai.objects.count(), UnitKerja.objects.count(), Jabatan.objects.count()) == (0, 0, 0)
