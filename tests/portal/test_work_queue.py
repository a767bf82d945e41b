"""The work queue on every home page: each role sees what it has to do next, each item a link."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from asn.models import ImportJob, ImportStatus, Instansi, Role
from assessment.services import rapat_create
from succession.models import ItemRencana, Nominasi
from succession.services import nomination_create
from talenta import pipeline
from tests.conftest import client_for
from tests.factories import PegawaiFactory, UserFactory
from tests.succession.test_views import world  # noqa: F401 (the succession fixture)

pytestmark = pytest.mark.django_db


def _queue(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def _shown(response):
    return {s.kunci: (s.jumlah, [(i.teks, i.rincian, i.url) for i in s.items]) for s in response.context["sections"]}


@pytest.fixture
def tim(sambas):
    return UserFactory(username="tim-sambas", role=Role.TIM_TALENTA, instansi=sambas)


@pytest.fixture
def queue_world(world, operator, ppk, sambas, periode_2026):  # noqa: F811 (the imported fixture)
    """Nominations (one decided), plan items (one overdue), an incomplete placement, imports."""
    first, second = nomination_create(
        user=operator, periode=periode_2026, jabatan=world["target"], pegawai_ids=[world["ready"].pk, world["later"].pk]
    )
    second.status, second.diputuskan_oleh, second.diputuskan_pada = Nominasi.Status.DITOLAK, ppk, timezone.now()
    second.catatan_keputusan = "Belum siap"
    second.save()
    today = timezone.localdate()
    ItemRencana.objects.create(
        nominasi=first, judul="Diklat PKA", jenis="pelatihan", tanggal_target=today - dt.timedelta(days=3)
    )
    ItemRencana.objects.create(
        nominasi=first, judul="Mentoring Sekda", jenis="mentoring", tanggal_target=today + dt.timedelta(days=30)
    )
    ItemRencana.objects.create(
        nominasi=first,
        judul="Coaching",
        jenis="coaching",
        tanggal_target=today - dt.timedelta(days=9),
        status="selesai",
    )
    newcomer = PegawaiFactory(nama="Agnes Daeng", jabatan=world["target"])
    pipeline.refresh_now(periode_id=periode_2026.pk)

    def job(name, status, days_ago, **fields):
        made = ImportJob.objects.create(
            kind="pegawai", status=status, original_name=name, created_by=operator, instansi=sambas, **fields
        )
        ImportJob.objects.filter(pk=made.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))
        return made

    job("ditimpa.csv", ImportStatus.INVALID, 5, errors=[{"row": 2}])
    job("berhasil.csv", ImportStatus.DONE, 4)
    invalid = job("salah.csv", ImportStatus.INVALID, 2, errors=[{"row": 2}, {"row": 3}])
    failed = job("gagal.csv", ImportStatus.FAILED, 1, message="Impor gagal")
    job("lama.csv", ImportStatus.FAILED, 45)
    return {"first": first, "newcomer": newcomer, "invalid": invalid, "failed": failed}


def test_operator_sees_incomplete_placements_failed_imports_and_overdue_plan_items(operator_client, queue_world):
    response = _queue(operator_client)
    newcomer, first = queue_world["newcomer"], queue_world["first"]
    overdue = (timezone.localdate() - dt.timedelta(days=3)).strftime("%d-%m-%Y")
    created = {job.pk: timezone.localtime(ImportJob.objects.get(pk=job.pk).created_at).strftime("%d-%m-%Y")
               for job in (queue_world["invalid"], queue_world["failed"])}  # fmt: skip
    assert _shown(response) == {
        "penempatan": (1, [("Agnes Daeng", "Data kinerja tidak ada; Data asesmen tidak ada",
                                reverse("asn:pegawai-detail", args=[newcomer.pk]))]),
        "impor": (
            2,
            [
                ("Pegawai: gagal.csv", f"Gagal · {created[queue_world['failed'].pk]}",
                 reverse("asn:import-detail", args=[queue_world["failed"].pk])),
                ("Pegawai: salah.csv",
                 f"Tidak valid: 2 kesalahan · {created[queue_world['invalid'].pk]}",
                 reverse("asn:import-detail", args=[queue_world["invalid"].pk])),
            ],
        ),
        "rencana": (
            1, [("Diklat PKA", f"{first.pegawai.nama_lengkap} · target {overdue}",
                 reverse("succession:nomination", args=[first.pk]))]
        ),
    }  # fmt: skip
    assert 'data-testid="work-queue"' in response.text
    assert 'href="/asn/pegawai/' in response.text


def test_ppk_sees_nominations_to_decide_and_meetings_to_finalise_and_no_imports(
    ppk_client, ppk, queue_world, periode_2026, sambas
):
    rapat = rapat_create(
        user=ppk,
        periode=periode_2026,
        instansi=sambas,
        data={"tanggal": dt.date(2026, 3, 2), "tempat": "Aula BKPSDM", "ketua": "Sekda Sambas"},
    )
    response = _queue(ppk_client)
    first = queue_world["first"]
    assert _shown(response) == {
        "nominasi": (
            1,
            [(first.pegawai.nama_lengkap, "untuk Kepala Bidang Mutasi",
              reverse("succession:nomination", args=[first.pk]))],
        ),
        "rapat": (
            1,
            [("Rapat 02-03-2026, Aula BKPSDM", "Draf, ketua Sekda Sambas · Anda anggota",
              reverse("assessment:rapat-detail", args=[rapat.pk]))],
        ),
    }  # fmt: skip
    assert "Impor terakhir" not in response.text
    assert "Anda PPK Kabupaten Sambas" in response.text


def test_tim_talenta_sees_its_meetings_and_is_not_called_admin(tim, ppk, periode_2026, sambas):
    mine = rapat_create(
        user=tim,
        periode=periode_2026,
        instansi=sambas,
        data={"tanggal": dt.date(2026, 3, 9), "tempat": "Aula", "ketua": "A"},
    )
    other = rapat_create(
        user=ppk,
        periode=periode_2026,
        instansi=sambas,
        data={"tanggal": dt.date(2026, 3, 1), "tempat": "Kantor", "ketua": "B"},
    )
    ImportJob.objects.create(
        kind="pegawai", status=ImportStatus.FAILED, original_name="x.csv", created_by=ppk, instansi=sambas
    )
    response = _queue(client_for(tim))
    assert _shown(response) == {
        "rapat": (
            2,
            [
                ("Rapat 01-03-2026, Kantor", "Draf, ketua B", reverse("assessment:rapat-detail", args=[other.pk])),
                ("Rapat 09-03-2026, Aula", "Draf, ketua A · Anda anggota",
                 reverse("assessment:rapat-detail", args=[mine.pk])),
            ],
        )
    }  # fmt: skip
    assert "Anda admin Talenta" not in response.text
    assert "Anda anggota Tim Talenta Kabupaten Sambas" in response.text
    assert "Impor terakhir" not in response.text


def test_bkn_sees_instansi_without_activity_for_60_days(bkn_client, operator, sambas, bengkayang):
    PegawaiFactory(jabatan__unit_kerja__instansi=sambas)
    job = ImportJob.objects.create(
        kind="pegawai", status=ImportStatus.DONE, original_name="a.csv", created_by=operator, instansi=bengkayang
    )
    long_ago = timezone.now() - dt.timedelta(days=61)
    ImportJob.objects.filter(pk=job.pk).update(created_at=long_ago)
    response = _queue(bkn_client)
    count, items = _shown(response)["instansi"]
    never = [i for i in Instansi.objects.order_by("kode") if i.kode not in ("6101", "6102")]
    list_url = reverse("asn:pegawai-list")
    assert count == 14
    assert items == [
        *[(f"{i.kode} {i.nama}", "belum ada aktivitas", f"{list_url}?instansi={i.pk}") for i in never],
        (f"6102 {bengkayang.nama}", f"aktivitas terakhir {timezone.localtime(long_ago):%d-%m-%Y}",
         f"{list_url}?instansi={bengkayang.pk}"),
    ]  # fmt: skip
    assert list(_shown(response)) == ["instansi"]


def test_another_instansi_sees_none_of_these(outsider_client, queue_world):
    shown = _shown(_queue(outsider_client))
    assert shown == {"penempatan": (0, []), "impor": (0, []), "rencana": (0, [])}


def test_the_queue_runs_a_constant_number_of_queries(operator_client, queue_world, sambas, django_assert_num_queries):
    _queue(operator_client)
    with CaptureQueriesContext(connection) as few:
        _queue(operator_client)
    jabatan = queue_world["newcomer"].jabatan
    for number in range(12):
        PegawaiFactory(nama=f"Baru {number}", jabatan=jabatan)
        ImportJob.objects.create(
            kind="kinerja", status=ImportStatus.FAILED, original_name=f"{number}.csv",
            created_by=queue_world["invalid"].created_by, instansi=sambas,
        )  # fmt: skip
    pipeline.refresh_now(periode_id=queue_world["first"].periode_id)
    with django_assert_num_queries(len(few.captured_queries)):
        response = _queue(operator_client)
    assert _shown(response)["penempatan"][0] == 13
    assert _shown(response)["impor"][0] == 14
