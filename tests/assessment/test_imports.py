"""The kinerja, asesmen and disiplin imports (import-format.md §2–§4)."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from asn.reference import KOMPETENSI_FIELDS
from asn.services import import_run
from assessment.models import Asesmen, HukumanDisiplin, Penempatan, Perhitungan, SkpResult
from tests.factories import PegawaiFactory

pytestmark = pytest.mark.django_db

NIP = "198609262015051001"
LEVELS = ["4", "3", "3", "3", "4", "3", "3", "3", "3"]


@pytest.fixture
def pegawai(sambas):
    return PegawaiFactory(nip=NIP, jabatan__unit_kerja__instansi=sambas)


def raw_csv(headers, rows) -> bytes:
    """A file as a user's spreadsheet writes it (the export writer would guard "-1" as text)."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows([headers, *rows])
    return buffer.getvalue().encode()


def run(kind, headers, rows, user=None, write=True):
    return import_run(kind=kind, data=raw_csv(headers, rows), filename=f"{kind}.csv", user=user, write=write)


def errors(outcome):
    return [(e.row, e.column, e.message) for e in outcome.errors]


KINERJA = ["nip", "tahun", "predikat", "rating_hasil_kerja", "rating_perilaku"]
ASESMEN = ["nip", "tanggal_asesmen", "lembaga", "skor_potensi", *KOMPETENSI_FIELDS]
DISIPLIN = ["nip", "tingkat", "tanggal_sk", "keterangan"]


def test_kinerja_with_predikat_or_ratings_is_imported_and_reimport_changes_nothing(pegawai, operator):
    rows = [
        [NIP, "2025", "Sangat Baik", "", ""],
        [NIP, "2024", "", "Sesuai Ekspektasi", "Di Atas Ekspektasi"],
        [NIP, "2023", "kurang", "", ""],
    ]
    outcome = run("kinerja", KINERJA, rows, user=operator)
    assert outcome.ok, outcome.errors
    assert outcome.summary == {"baru": 3, "diubah": 0, "tetap": 0}
    assert dict(SkpResult.objects.values_list("tahun", "predikat")) == {
        2025: "Sangat Baik",
        2024: "Baik",
        2023: "Kurang/Misconduct",
    }
    assert SkpResult.objects.get(tahun=2024).history.get().history_user == operator
    assert run("kinerja", KINERJA, rows, user=operator).summary == {"baru": 0, "diubah": 0, "tetap": 3}
    assert SkpResult.history.count() == 3


def test_kinerja_update_changes_the_predikat(pegawai):
    run("kinerja", KINERJA, [[NIP, "2025", "Baik", "", ""]])
    outcome = run("kinerja", KINERJA, [[NIP, "2025", "Sangat Baik", "", ""]])
    assert outcome.summary == {"baru": 0, "diubah": 1, "tetap": 0}
    assert SkpResult.objects.get().predikat == "Sangat Baik"


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["199901012020011001", "2025", "Baik", "", ""], "nip",
         "NIP 199901012020011001 tidak terdaftar di Talenta. Impor data pegawai lebih dahulu."),
        ([NIP, "2025", "Istimewa", "", ""], "predikat", None),
        ([NIP, "2025", "Sangat Baik", "Sesuai Ekspektasi", "Sesuai Ekspektasi"], "predikat",
         "Predikat Sangat Baik bertentangan dengan rating (hasil kerja Sesuai Ekspektasi, "
         "perilaku Sesuai Ekspektasi menghasilkan Baik)."),
        ([NIP, "2025", "", "Sesuai Ekspektasi", ""], "predikat",
         "Isi rating hasil kerja dan rating perilaku keduanya, atau kosongkan keduanya."),
        ([NIP, "2025", "", "", ""], "predikat", "Isi predikat, atau rating hasil kerja dan rating perilaku."),
        ([NIP, "1999", "Baik", "", ""], "tahun", None),
        # The NIP says TMT CPNS 05/2015: the same rule as the SKP form (SkpResult.clean).
        ([NIP, "2014", "Baik", "", ""], "tahun",
         "Tahun SKP 2014 sebelum TMT CPNS pegawai ini (05/2015); SKP hanya untuk tahun sejak TMT CPNS."),
        ([NIP, str(timezone.localdate().year + 1), "Baik", "", ""], "tahun",
         f"Harus antara 2000 dan {timezone.localdate().year}."),
    ],
)  # fmt: skip
def test_bad_kinerja_rows_are_rejected_and_nothing_is_written(pegawai, row, column, message):
    outcome = run("kinerja", KINERJA, [[NIP, "2024", "Baik", "", ""], row])
    assert [(e.row, e.column) for e in outcome.errors] == [(3, column)]
    if message:
        assert outcome.errors[0].message == message
    assert SkpResult.objects.count() == 0


def test_kinerja_for_the_year_of_tmt_cpns_is_imported(pegawai):
    outcome = run("kinerja", KINERJA, [[NIP, "2015", "Baik", "", ""]])
    assert outcome.ok, outcome.errors
    assert list(SkpResult.objects.values_list("tahun", flat=True)) == [2015]


def test_duplicate_year_in_one_kinerja_file(pegawai):
    outcome = run("kinerja", KINERJA, [[NIP, "2025", "Baik", "", ""], [NIP, "2025", "Baik", "", ""]])
    assert errors(outcome) == [(3, "tahun", "Data yang sama (NIP dan tahun) sudah ada di baris 2.")]


def test_operator_cannot_import_kinerja_for_another_instansi(pegawai, outsider):
    outcome = run("kinerja", KINERJA, [[NIP, "2025", "Baik", "", ""]], user=outsider)
    assert errors(outcome) == [
        (2, "nip", f"NIP {NIP} tidak terdaftar di instansi Anda. Impor data pegawai lebih dahulu.")
    ]


def test_asesmen_import_and_upsert(pegawai):
    outcome = run("asesmen", ASESMEN, [[NIP, "10/03/2024", "UPT BKD", "72,5", *LEVELS]])
    assert outcome.ok, outcome.errors
    asesmen = Asesmen.objects.get()
    assert (asesmen.tanggal_asesmen, asesmen.skor_potensi, asesmen.levels) == (
        dt.date(2024, 3, 10),
        Decimal("72.50"),
        (4, 3, 3, 3, 4, 3, 3, 3, 3),
    )
    again = run("asesmen", ASESMEN, [[NIP, "2024-03-10", "UPT BKD", "80", *LEVELS]])
    assert again.summary == {"baru": 0, "diubah": 1, "tetap": 0}
    assert Asesmen.objects.get().skor_potensi == Decimal("80.00")


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("skor_potensi", "100.01", "Harus antara 0 dan 100."),
        ("skor_potensi", "-1", "Harus antara 0 dan 100."),
        ("skor_potensi", "tinggi", '"tinggi" bukan angka.'),
        ("skor_potensi", "72.555", "Paling banyak 2 angka di belakang koma."),
        ("integritas", "0", "Harus antara 1 dan 5."),
        ("integritas", "6", "Harus antara 1 dan 5."),
        ("integritas", "3.5", "Harus bilangan bulat 1–5."),
        ("tanggal_asesmen", "2999-01-01", None),
    ],
)
def test_bad_asesmen_values_are_rejected(pegawai, column, value, message):
    row = dict(zip(ASESMEN, [NIP, "2024-03-10", "", "72", *LEVELS], strict=True))
    row[column] = value
    outcome = run("asesmen", ASESMEN, [list(row.values())])
    assert [(e.row, e.column) for e in outcome.errors] == [(2, column)]
    if message:
        assert outcome.errors[0].message == message
    assert Asesmen.objects.count() == 0


def test_disiplin_import_and_unknown_level(pegawai):
    assert run("disiplin", DISIPLIN, [[NIP, "sedang", "2025-06-02", "Teguran"]]).ok
    assert HukumanDisiplin.objects.get().tingkat == "Sedang"
    outcome = run("disiplin", DISIPLIN, [[NIP, "Sangat Berat", "2025-06-02", ""]])
    assert errors(outcome) == [
        (2, "tingkat", 'Tingkat hukuman "Sangat Berat" tidak dikenal. Pilihan: Ringan, Sedang, Berat.')
    ]


def test_an_import_recomputes_the_open_period_once(pegawai, periode_2026, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run("kinerja", KINERJA, [[NIP, "2025", "Sangat Baik", "", ""], [NIP, "2024", "Baik", "", ""]])
    # One refresh of the pegawai's instansi for the whole file (placements, then candidates), whose
    # own commit then drops that instansi's cached dashboard figures.
    assert [(c.func.__name__, c.args) for c in callbacks] == [
        ("_enqueue", ([(periode_2026.pk, pegawai.instansi_id)],)),
        ("dashboard_invalidate", (periode_2026.pk, pegawai.instansi_id)),
    ]
    assert Perhitungan.objects.get(periode=periode_2026, instansi_id=pegawai.instansi_id).selesai is not None
    placement = Penempatan.objects.get()
    assert (placement.skor_kinerja, placement.alasan) == (Decimal("90.00"), "Data asesmen tidak ada")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1E+999999", "Harus antara 0 dan 100."),
        ("-1e999999", "Harus antara 0 dan 100."),
        ("1e-999999", "Paling banyak 2 angka di belakang koma."),
    ],
)
def test_absurd_numbers_are_a_clear_error_not_a_crash(pegawai, value, message):
    outcome = run("asesmen", ASESMEN, [[NIP, "2024-03-10", "", value, *LEVELS]])
    assert [(e.row, e.column, e.message) for e in outcome.errors] == [(2, "skor_potensi", message)]
