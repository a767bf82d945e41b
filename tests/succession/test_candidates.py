"""Targets and ranked candidates against the independent implementation of §7."""

import datetime as dt

import pytest

from asn.models import Jabatan, Jenjang, Pegawai, UnitKerja
from asn.reference import KOMPETENSI_FIELDS
from succession.models import Kandidat, TargetSuksesi
from succession.selectors import EXPORT_COLUMNS, candidate_export_rows
from talenta import pipeline
from tests.assessment.test_placements import seed
from tests.succession.reference_succession import expected_candidate_rows

pytestmark = pytest.mark.django_db


def reference_input(periode):
    jabatan = [
        {
            "id": j.pk,
            "instansi": j.unit_kerja.instansi.kode,
            "unit_kerja": j.unit_kerja.nama,
            "nama": j.nama,
            "jenjang": j.jenjang.nama,
            "kritikal": j.kritikal,
            "dalam_struktur": j.dalam_struktur,
            "golongan_minimal": j.golongan_minimal_id,
            "standar": list(j.stored_levels) if j.stored_levels else None,
        }
        for j in Jabatan.objects.select_related("unit_kerja__instansi", "jenjang")
    ]
    placements = {p.pegawai_id: p for p in periode.penempatan.all()}
    people = []
    for p in Pegawai.objects.select_related("instansi"):
        placement = placements.get(p.pk)
        levels = None
        if placement and placement.rincian.get("asesmen_valid"):
            levels = [placement.rincian["asesmen"]["levels"][f] for f in KOMPETENSI_FIELDS]
        people.append(
            {
                "nip": p.nip,
                "instansi": p.instansi.kode,
                "jabatan_id": p.jabatan_id,
                "jenis_asn": p.jenis_asn,
                "golongan": p.golongan_id,
                "tanggal_lahir": p.tanggal_lahir,
                "placement": None
                if placement is None
                else {
                    "krs": placement.krs,
                    "kotak": placement.kotak,
                    "skor_potensial": placement.skor_potensial,
                    "skor_kinerja": placement.skor_kinerja,
                    "asesmen_levels": levels,
                },
            }
        )
    return jabatan, people


def test_candidate_lists_match_the_independent_implementation(periode_2026):
    seed(2500, seed=21)
    # Structure recorded by the jabatan form or import: critical flags, own standards and minima,
    # and vacant jabatan with nobody in them.
    manajerial = list(Jabatan.objects.filter(jenjang__kelompok="manajerial").order_by("pk"))
    for index, jabatan in enumerate(manajerial):
        jabatan.dalam_struktur = True
        jabatan.kritikal = index % 4 == 0
        if index % 5 == 0:
            jabatan.golongan_minimal_id = "III/c"
        if index % 7 == 0:
            for i, field in enumerate(KOMPETENSI_FIELDS):
                setattr(jabatan, f"std_{field}", 2 + (i + index) % 4)
        jabatan.save()
    for unit in UnitKerja.objects.filter(instansi__kode__in=["6101", "61"]):
        Jabatan.objects.create(
            unit_kerja=unit, nama="Kepala Seksi Baru", jenjang=Jenjang.objects.get(nama="Pengawas"), dalam_struktur=True
        )
        Jabatan.objects.create(
            unit_kerja=unit, nama="Kepala Seksi Usulan", jenjang=Jenjang.objects.get(nama="Pengawas")
        )
    pipeline.refresh_now(periode_id=periode_2026.pk)
    summary = pipeline.refresh_now(periode_id=periode_2026.pk)

    exported = [
        dict(zip(EXPORT_COLUMNS, row, strict=True)) for row in candidate_export_rows(user=None, periode=periode_2026)
    ]
    jabatan, people = reference_input(periode_2026)
    expected = expected_candidate_rows({"tahun": 2026, "tanggal_acuan": dt.date(2026, 1, 31)}, jabatan, people)
    assert summary["target"] == TargetSuksesi.objects.count() > 0
    assert summary["kandidat"] == Kandidat.objects.count() > 0
    assert len(exported) == len(expected)
    assert exported == expected
    reasons = {row["alasan_target"] for row in exported}
    assert any("Kritikal" in r for r in reasons) and any("Kosong" in r for r in reasons)
    assert any("Pemangku pensiun" in r for r in reasons)
    assert any(row["peringkat"] == "" for row in exported)


def test_recompute_is_idempotent(periode_2026):
    seed(300, seed=4)
    pipeline.refresh_now(periode_id=periode_2026.pk)
    first = pipeline.refresh_now(periode_id=periode_2026.pk)
    rows = candidate_export_rows(user=None, periode=periode_2026)
    assert pipeline.refresh_now(periode_id=periode_2026.pk) == first
    assert candidate_export_rows(user=None, periode=periode_2026) == rows
