"""An import travels through Redis to a real Celery worker process and lands in PostgreSQL."""

import os
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from asn.models import ImportJob, ImportStatus, Pegawai
from asn.services import import_job_confirm, import_job_start
from talenta import celery_app, pipeline
from talenta.tabular import write_csv
from tests.asn.test_import_pegawai import HEADERS, row
from tests.conftest import require_service

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


# One queue per test session: Celery caches its routing after the first message it sends.
QUEUE = f"talenta-test-{uuid.uuid4().hex[:8]}"


def _wait_for_status(job, statuses, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in statuses:
            return job.status
        time.sleep(0.2)
    raise AssertionError(f"import job stuck in {job.status}")


@pytest.fixture
def real_worker(db):
    require_service("PostgreSQL", connection.vendor == "postgresql")
    require_service("Redis broker", settings.CELERY_BROKER_URL.startswith("redis://"))
    queue = QUEUE
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "talenta.settings.test",
        # The worker must read the test database this test writes to.
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "talenta",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "-l",
            "warning",
        ],
        env=env,
    )
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    try:
        yield worker
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous
        worker.terminate()
        worker.wait(timeout=20)


def test_import_runs_through_a_real_worker(real_worker, operator):
    upload = SimpleUploadedFile("pegawai.csv", write_csv(HEADERS, [row()]), content_type="text/csv")
    job = import_job_start(user=operator, kind="pegawai", uploaded_file=upload)

    assert _wait_for_status(job, {ImportStatus.VALID, ImportStatus.INVALID}) == ImportStatus.VALID
    assert job.summary == {"baru": 1, "diubah": 0, "tetap": 0}
    assert real_worker.poll() is None

    import_job_confirm(user=operator, job=job, accepted_structure=job.struktur["sidik"])
    assert _wait_for_status(job, {ImportStatus.DONE, ImportStatus.FAILED, ImportStatus.INVALID}) == "done"
    pegawai = Pegawai.objects.get()
    assert pegawai.nip == "198609262015051001"
    assert pegawai.history.get().history_user == operator
    assert ImportJob.objects.get().summary["baru"] == 1


def test_recompute_runs_through_a_real_worker(real_worker, operator, pegawai_sambas):
    import datetime as dt

    from assessment.models import Penempatan, Periode, SkpResult
    from assessment.services import record_save

    periode = Periode.objects.create(tahun=2026, tanggal_acuan=dt.date(2026, 1, 31))
    # Saving a record queues the recompute on commit; the worker picks it up from Redis.
    record_save(user=operator, record=SkpResult(pegawai=pegawai_sambas), data={"tahun": 2025, "predikat": "Baik"})

    deadline = time.monotonic() + 60
    while not Penempatan.objects.filter(periode=periode).exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    placement = Penempatan.objects.get(periode=periode)
    assert (placement.pegawai, str(placement.skor_kinerja)) == (pegawai_sambas, "80.00")


def test_new_skp_import_changes_the_candidate_lists_without_a_manual_step(real_worker, operator, sambas):
    import datetime as dt
    from decimal import Decimal

    from asn.models import Jenjang
    from asn.reference import KOMPETENSI_FIELDS
    from asn.services import import_run
    from assessment.models import Asesmen, Periode, SkpResult
    from succession.models import Kandidat, TargetSuksesi
    from tests.factories import JabatanFactory, PegawaiFactory

    periode = Periode.objects.create(tahun=2026, tanggal_acuan=dt.date(2026, 1, 31))
    target = JabatanFactory(
        unit_kerja__instansi=sambas,
        jenjang=Jenjang.objects.get(nama="Administrator"),
        kritikal=True,
        dalam_struktur=True,
    )
    talent = PegawaiFactory(
        nip="198001012005011001", golongan_id="III/d", pendidikan_id="S2",
        jabatan=JabatanFactory(unit_kerja=target.unit_kerja, jenjang=Jenjang.objects.get(nama="Pengawas")),
    )  # fmt: skip
    SkpResult.objects.create(pegawai=talent, tahun=2025, predikat="Sangat Baik")
    Asesmen.objects.create(
        pegawai=talent,
        tanggal_asesmen=dt.date(2024, 6, 1),
        skor_potensi=Decimal(90),
        **dict.fromkeys(KOMPETENSI_FIELDS, 3),
    )
    pipeline.refresh_now(periode_id=periode.pk)
    assert TargetSuksesi.objects.get().jumlah_kandidat == 0  # SKP 2024 missing: not in the pool

    data = write_csv(["nip", "tahun", "predikat"], [[talent.nip, "2024", "Sangat Baik"]])
    assert import_run(kind="kinerja", data=data, filename="kinerja.csv", user=operator, write=True).ok

    deadline = time.monotonic() + 60
    while not Kandidat.objects.exists() and time.monotonic() < deadline:
        time.sleep(0.3)
    candidate = Kandidat.objects.get()
    assert (candidate.pegawai, candidate.peringkat, candidate.kesiapan) == (talent, 1, "Siap sekarang")


def test_nightly_refresh_on_a_real_worker_covers_all_15_instansi(real_worker, reference_data):
    """The day the review found: five files for all 15 instansi, a period, the nightly job — every
    instansi gets its jabatan target and candidates (the old chain refreshed only the first)."""
    import datetime as dt

    from asn.models import Instansi, Role
    from asn.reference import KOMPETENSI_FIELDS
    from asn.services import import_run
    from assessment.models import Perhitungan, Periode
    from succession.models import Kandidat, TargetSuksesi
    from talenta.pipeline import refresh_open_periods_task
    from tests.factories import UserFactory

    admin = UserFactory(role=Role.ADMIN, instansi=None)
    kodes = list(Instansi.objects.order_by("kode").values_list("kode", flat=True))
    pegawai, jabatan, kinerja, asesmen = [], [], [], []
    for number, kode in enumerate(kodes):
        unit = f"Sekretariat Daerah {kode}"
        head = row(
            nip=f"19700101 200001 1 {number:03d}",
            instansi=kode,
            unit_kerja=unit,
            jabatan="Kepala Bagian Umum",
            jenjang="Administrator",
            golongan="IV/a",
        )
        talent = row(
            nip=f"19800101 200501 1 {number:03d}",
            instansi=kode,
            unit_kerja=unit,
            jabatan="Kepala Subbagian Umum",
            jenjang="Pengawas",
            golongan="III/d",
            pendidikan="S2",
        )
        pegawai += [head, talent]  # fmt: skip
        jabatan.append([kode, unit, "Kepala Bagian Umum", "Administrator", "ya", "", *[""] * 9])
        nip = f"198001012005011{number:03d}"
        kinerja += [[nip, "2025", "Sangat Baik"], [nip, "2024", "Sangat Baik"]]
        asesmen.append([nip, "2025-03-01", "", "90", *[3] * len(KOMPETENSI_FIELDS)])
    files = [
        ("pegawai", HEADERS, pegawai),
        ("jabatan", ["instansi", "unit_kerja", "jabatan", "jenjang", "kritikal", "golongan_minimal",
                     *KOMPETENSI_FIELDS], jabatan),
        ("kinerja", ["nip", "tahun", "predikat"], kinerja),
        ("asesmen", ["nip", "tanggal_asesmen", "lembaga", "skor_potensi", *KOMPETENSI_FIELDS], asesmen),
    ]  # fmt: skip
    for kind, headers, rows in files:
        outcome = import_run(kind=kind, data=write_csv(headers, rows), filename=f"{kind}.csv", user=admin, write=True)
        assert outcome.ok, (kind, outcome.errors)
    periode = Periode.objects.create(tahun=2026, tanggal_acuan=dt.date(2026, 1, 31))

    refresh_open_periods_task.delay()  # the beat's message; the worker fans it out, one task per instansi
    deadline = time.monotonic() + 120
    while Perhitungan.objects.filter(periode=periode, selesai__isnull=False).count() < 15:
        assert time.monotonic() < deadline, "the worker did not refresh every instansi"
        time.sleep(0.5)
    targets = dict(TargetSuksesi.objects.filter(periode=periode).values_list("instansi__kode", "jumlah_kandidat"))
    assert targets == dict.fromkeys(kodes, 1)
    assert Kandidat.objects.filter(target__periode=periode).count() == 15
