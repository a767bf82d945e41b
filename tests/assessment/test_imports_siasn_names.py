"""The kinerja and asesmen imports take SIASN's web-service field names as they are (issue 13 item 3)."""

import datetime as dt
from decimal import Decimal

import pytest

from asn.reference import KOMPETENSI_FIELDS
from assessment.models import Asesmen, SkpResult

from .test_imports import NIP, errors, pegawai, run  # noqa: F401 (pegawai is a fixture)

pytestmark = pytest.mark.django_db

# As SIASN's rw-skp22 writes a row, with its fields Talenta does not read.
SKP22 = [
    "nipBaru", "tahun", "hasilKinerja", "hasilKinerjaNilai", "perilakuKerja", "PerilakuKerjaNilai",
    "kuadranKinerja", "KuadranKinerjaNilai", "namaPenilai", "nipNrpPenilai", "statusPenilai",
]  # fmt: skip
COMPETENCIES = [
    "integritas", "kerjasama", "komunikasi", "orientasiPadaHasil", "pelayananPublik", "pengembanganDiriDanOrla",
    "mengelolaPerubahan", "pengambilanKeputusan", "perekatBangsa",
]  # fmt: skip


def test_kinerja_in_siasn_field_names_imports_as_it_is(pegawai, operator):  # noqa: F811
    rows = [
        [NIP, "2025", "Diatas Ekspektasi", "3", "DIATAS EKSPEKTASI", "3", "Sangat Baik", "4", "Drs. A", "1970", "1"],
        [NIP, "2024", "Sesuai Ekspektasi", "2", "Dibawah Ekspektasi", "1", "", "", "Drs. A", "1970", "1"],
    ]
    outcome = run("kinerja", SKP22, rows, user=operator)

    assert outcome.ok, outcome.errors
    assert outcome.warnings == []
    assert sorted(SkpResult.objects.values_list("tahun", "predikat", "rating_hasil_kerja", "rating_perilaku")) == [
        (2024, "Kurang/Misconduct", "Sesuai Ekspektasi", "Di Bawah Ekspektasi"),
        (2025, "Sangat Baik", "Di Atas Ekspektasi", "Di Atas Ekspektasi"),
    ]


def test_a_siasn_name_beside_its_talenta_column_is_an_error(pegawai, operator):  # noqa: F811
    outcome = run("kinerja", ["nip", "tahun", "predikat", "kuadranKinerja"], [[NIP, "2025", "Baik", "Baik"]])
    assert errors(outcome) == [(1, "predikat", "Kolom predikat muncul lebih dari sekali.")]
    assert not SkpResult.objects.exists()


def test_asesmen_in_siasn_field_names_imports_as_it_is(pegawai, operator):  # noqa: F811
    headers = [
        "nipBaru", "tanggal_asesmen", "berfikirKritis", "intelektual", "interpersonal", "kesadaranDiri",
        "motivasiKomitmen", "total", *COMPETENCIES,
    ]  # fmt: skip
    levels = ["4", "3", "3", "3", "4", "3", "3", "2", "5"]
    outcome = run("asesmen", headers, [[NIP, "2024-03-10", "70", "72", "75", "71", "74", "72,5", *levels]])

    assert outcome.ok, outcome.errors
    assert outcome.warnings == []
    asesmen = Asesmen.objects.get()
    assert (asesmen.tanggal_asesmen, asesmen.skor_potensi) == (dt.date(2024, 3, 10), Decimal("72.50"))
    assert [getattr(asesmen, name) for name in KOMPETENSI_FIELDS] == [int(level) for level in levels]


def test_a_siasn_asesmen_file_without_total_names_the_missing_column(pegawai, operator):  # noqa: F811
    outcome = run("asesmen", ["nipBaru", "tanggal_asesmen", *COMPETENCIES], [[NIP, "2024-03-10", *["3"] * 9]])
    assert errors(outcome) == [(1, "skor_potensi", "Kolom wajib skor_potensi tidak ada.")]
    assert not Asesmen.objects.exists()
