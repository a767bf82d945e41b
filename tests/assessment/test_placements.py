"""Placements computed from the database agree with the independent implementation, set-based."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from asn.demo import generate_pegawai
from asn.models import Instansi, Jabatan, Pegawai
from asn.reference import KOMPETENSI_FIELDS
from asn.services import pegawai_bulk_upsert
from assessment.demo import generate_records
from assessment.models import Asesmen, HukumanDisiplin, Penempatan, Periode, PilihanSkema, Skema, SkpResult
from assessment.selectors import EXPORT_COLUMNS, talent_map_export_rows
from assessment.services import placements_compute
from talenta import pipeline
from tests.assessment.reference_scheme import expected_export_rows
from tests.conftest import require_service
from tests.factories import AsesmenFactory, PegawaiFactory, PeriodeFactory, SkpResultFactory

pytestmark = pytest.mark.django_db


def seed(n, *, seed=11):
    today = timezone.localdate()
    pegawai_bulk_upsert(generate_pegawai(n, seed=seed, today=today), None, "uji")
    rows = Pegawai.objects.filter(skp__isnull=True, asesmen__isnull=True, hukuman_disiplin__isnull=True).values_list(
        "id", "jabatan__jenjang__level_standar"
    )
    skp, asesmen, disiplin = generate_records(list(rows), tahun=2026, today=today, seed=seed)
    SkpResult.objects.bulk_create(skp)
    Asesmen.objects.bulk_create(asesmen)
    HukumanDisiplin.objects.bulk_create(disiplin)


def reference_input():
    """Every pegawai and their records, in the independent implementation's plain shape."""
    skp, asesmen, disiplin = {}, {}, {}
    for pegawai_id, tahun, predikat in SkpResult.objects.values_list("pegawai_id", "tahun", "predikat"):
        skp.setdefault(pegawai_id, []).append({"tahun": tahun, "predikat": predikat})
    for values in Asesmen.objects.values("pegawai_id", "tanggal_asesmen", "skor_potensi", *KOMPETENSI_FIELDS):
        asesmen.setdefault(values["pegawai_id"], []).append(
            {
                "tanggal": values["tanggal_asesmen"],
                "skor_potensi": values["skor_potensi"],
                "levels": [values[f] for f in KOMPETENSI_FIELDS],
            }
        )
    for pegawai_id, tanggal, tingkat in HukumanDisiplin.objects.values_list("pegawai_id", "tanggal_sk", "tingkat"):
        disiplin.setdefault(pegawai_id, []).append({"tanggal_sk": tanggal, "tingkat": tingkat})
    people = []
    for p in Pegawai.objects.select_related("instansi", "jabatan__jenjang"):
        stored = p.jabatan.stored_levels
        people.append(
            {
                "nip": p.nip,
                "nama": p.nama,
                "instansi": p.instansi.kode,
                "jenjang": p.jabatan.jenjang.nama,
                "jenis_asn": p.jenis_asn,
                "pendidikan": p.pendidikan_id,
                "standar": list(stored) if stored else None,
                "skp": skp.get(p.id, []),
                "asesmen": asesmen.get(p.id, []),
                "disiplin": disiplin.get(p.id, []),
            }
        )
    return people


def test_export_of_several_thousand_pegawai_matches_the_independent_implementation(periode_2026):
    seed(3000)
    # A few jabatan with their own standard, as the jabatan import would store them.
    for jabatan in {p.jabatan for p in Pegawai.objects.select_related("jabatan")[:40]}:
        for index, field in enumerate(KOMPETENSI_FIELDS):
            setattr(jabatan, f"std_{field}", 1 + (index + jabatan.pk) % 5)
        jabatan.save()

    assert pipeline.refresh_now(periode_id=periode_2026.pk)["penempatan"] == 3000

    exported = {
        row[0]: dict(zip(EXPORT_COLUMNS, row, strict=True))
        for row in talent_map_export_rows(user=None, periode=periode_2026)
    }
    expected = expected_export_rows({"tahun": 2026, "tanggal_acuan": dt.date(2026, 1, 31)}, reference_input())
    assert len(exported) == 3000
    mismatches = [nip for nip in expected if exported[nip] != expected[nip]]
    assert mismatches == []
    assert {row["instansi"] for row in exported.values()} == set(Instansi.objects.values_list("kode", flat=True))
    # The spread covers what the spec distinguishes.
    assert {row["kotak"] for row in exported.values()} >= {"", "3", "5", "7", "8", "9"}
    assert any(row["alasan_krs"] for row in exported.values())
    assert any("kedaluwarsa" in row["alasan"] for row in exported.values())


def test_each_placement_stores_the_scheme_version(periode_2026, pegawai_sambas):
    pipeline.refresh_now(periode_id=periode_2026.pk)
    assert Penempatan.objects.get().skema.nama == "Skema Bawaan 2026.1"


def test_an_instansi_scheme_choice_is_used_for_its_pegawai_only(periode_2026, sambas, bengkayang):
    own = PegawaiFactory(jabatan__unit_kerja__instansi=sambas)
    other = PegawaiFactory(jabatan__unit_kerja__instansi=bengkayang)
    for p in (own, other):
        SkpResultFactory(pegawai=p, tahun=2025, predikat="Baik")
        AsesmenFactory(pegawai=p, tanggal_asesmen=dt.date(2025, 1, 1), skor_potensi=Decimal("70"), levels=(3,) * 9)
    default = Skema.objects.default()
    strict = Skema.objects.create(
        nama="Skema Sambas 2026", instansi=sambas, disalin_dari=default,
        **{f.name: getattr(default, f.name) for f in Skema._meta.concrete_fields
           if f.name not in ("id", "nama", "instansi", "bawaan", "disalin_dari", "dibuat_oleh", "dibuat")}
        | {"batas_kinerja_sesuai": Decimal("85"), "batas_kinerja_atas": Decimal("95")},
    )  # fmt: skip
    PilihanSkema.objects.create(periode=periode_2026, instansi=sambas, skema=strict)

    pipeline.refresh_now(periode_id=periode_2026.pk)

    own_placement = Penempatan.objects.get(pegawai=own)
    other_placement = Penempatan.objects.get(pegawai=other)
    assert (own_placement.skema, own_placement.kategori_kinerja) == (strict, "Di Bawah Ekspektasi")
    assert (other_placement.skema, other_placement.kategori_kinerja) == (default, "Sesuai Ekspektasi")


def test_recompute_is_idempotent_and_updates_in_place(periode_2026, pegawai_sambas):
    pipeline.refresh_now(periode_id=periode_2026.pk)
    first = Penempatan.objects.get()
    SkpResultFactory(pegawai=pegawai_sambas, tahun=2025, predikat="Baik")
    pipeline.refresh_now(periode_id=periode_2026.pk)
    again = Penempatan.objects.get()
    assert again.pk == first.pk
    assert (again.skor_kinerja, again.alasan) == (Decimal("80.00"), "Data asesmen tidak ada")


def test_a_closed_period_never_changes(periode_2026, pegawai_sambas):
    pipeline.refresh_now(periode_id=periode_2026.pk)
    before = Penempatan.objects.get()
    Periode.objects.filter(pk=periode_2026.pk).update(status=Periode.Status.CLOSED)
    SkpResultFactory(pegawai=pegawai_sambas, tahun=2025, predikat="Baik")
    assert pipeline.refresh_now(periode_id=periode_2026.pk)["penempatan"] == 0
    after = Penempatan.objects.get()
    assert (after.skor_kinerja, after.dihitung) == (before.skor_kinerja, before.dihitung)


def test_recompute_of_one_instansi_leaves_the_others_alone(periode_2026, sambas, bengkayang):
    PegawaiFactory(jabatan__unit_kerja__instansi=sambas)
    PegawaiFactory(jabatan__unit_kerja__instansi=bengkayang)
    assert pipeline.refresh_now(periode_id=periode_2026.pk, instansi_ids=[sambas.pk])["penempatan"] == 1
    assert list(Penempatan.objects.values_list("instansi__kode", flat=True)) == ["6101"]


def test_a_pegawai_who_moved_instansi_is_placed_under_the_new_one(periode_2026, sambas, bengkayang):
    pegawai = PegawaiFactory(jabatan__unit_kerja__instansi=sambas)
    pipeline.refresh_now(periode_id=periode_2026.pk, instansi_ids=[sambas.pk])
    new_jabatan = PegawaiFactory(jabatan__unit_kerja__instansi=bengkayang).jabatan
    Pegawai.objects.filter(pk=pegawai.pk).update(instansi=bengkayang, jabatan=new_jabatan)
    pipeline.refresh_now(periode_id=periode_2026.pk, instansi_ids=[sambas.pk])
    assert not Penempatan.objects.filter(pegawai=pegawai).exists()
    pipeline.refresh_now(periode_id=periode_2026.pk, instansi_ids=[bengkayang.pk])
    assert Penempatan.objects.get(pegawai=pegawai).instansi == bengkayang


def _queries_of_first_and_second_run(periode, instansi_id) -> tuple[int, int]:
    """The placement step of one instansi, first run (inserts) and second run (updates)."""
    Penempatan.objects.all().delete()
    with CaptureQueriesContext(connection) as first:
        placements_compute(periode_id=periode.pk, instansi_id=instansi_id)
    with CaptureQueriesContext(connection) as second:
        placements_compute(periode_id=periode.pk, instansi_id=instansi_id)
    return len(first.captured_queries), len(second.captured_queries)


def test_query_count_of_a_recompute_does_not_grow_with_pegawai(periode_2026):
    # SQLite caps the variables of one statement, so its ORM fallback batches; PostgreSQL uses COPY.
    require_service("PostgreSQL", connection.vendor == "postgresql")
    seed(30, seed=1)
    # The instansi with the most pegawai: it has rows of every kind at both sizes.
    largest = Pegawai.objects.values("instansi_id").annotate(n=Count("id")).order_by("-n")[0]["instansi_id"]
    small = _queries_of_first_and_second_run(periode_2026, largest)
    seed(900, seed=2)
    assert Pegawai.objects.count() == 930
    assert _queries_of_first_and_second_run(periode_2026, largest) == small


@pytest.mark.django_db(transaction=True)
def test_two_recomputes_at_once_leave_exactly_one_placement_each(reference_data):
    require_service("PostgreSQL", connection.vendor == "postgresql")
    periode = PeriodeFactory(tahun=2026)
    seed(300, seed=5)
    errors = []

    def run():
        try:
            pipeline.refresh_now(periode_id=periode.pk)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Penempatan.objects.count() == 300
    assert Penempatan.objects.values("pegawai").distinct().count() == 300


def _rows_written(tables: tuple[str, ...]) -> dict[str, int]:
    """Rows inserted, updated or deleted per table so far in this transaction (PostgreSQL's counters)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables WHERE relname = ANY(%s)",
            [list(tables)],
        )
        return dict(cursor.fetchall())


DERIVED_TABLES = ("assessment_penempatan", "succession_kandidat", "succession_targetsuksesi")


def test_a_refresh_with_nothing_changed_writes_no_placement_or_candidate(periode_2026):
    require_service("PostgreSQL", connection.vendor == "postgresql")
    seed(400, seed=3)
    Jabatan.objects.filter(jenjang__kelompok="manajerial").update(dalam_struktur=True, kritikal=True)
    first = pipeline.refresh_now(periode_id=periode_2026.pk)
    assert first["kandidat"] > 0
    before = list(Penempatan.objects.order_by("pk").values_list("pk", "sidik", "dihitung"))
    written = _rows_written(DERIVED_TABLES)
    assert written["succession_kandidat"] >= first["kandidat"]

    assert pipeline.refresh_now(periode_id=periode_2026.pk) == first

    assert _rows_written(DERIVED_TABLES) == written
    assert list(Penempatan.objects.order_by("pk").values_list("pk", "sidik", "dihitung")) == before


def test_a_changed_record_rewrites_only_its_placement(periode_2026):
    require_service("PostgreSQL", connection.vendor == "postgresql")
    seed(200, seed=4)
    pipeline.refresh_now(periode_id=periode_2026.pk)
    changed = SkpResult.objects.filter(tahun=2025).order_by("pk").first()
    changed.predikat = "Sangat Kurang" if changed.predikat != "Sangat Kurang" else "Sangat Baik"
    changed.save()
    before = dict(Penempatan.objects.values_list("pegawai_id", "dihitung"))

    pipeline.refresh_now(periode_id=periode_2026.pk)

    after = dict(Penempatan.objects.values_list("pegawai_id", "dihitung"))
    assert [pk for pk in after if after[pk] != before[pk]] == [changed.pegawai_id]
    placement = Penempatan.objects.get(pegawai_id=changed.pegawai_id)
    assert placement.rincian["skp"][0] == {
        "tahun": 2025,
        "predikat": changed.predikat,
        "skor": {"Sangat Kurang": "20", "Sangat Baik": "100"}[changed.predikat],
        "id": changed.pk,
    }
