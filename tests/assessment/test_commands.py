import csv
import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from assessment.models import Periode
from tests.factories import PegawaiFactory, PeriodeFactory

pytestmark = pytest.mark.django_db


def test_create_period_compute_and_export(tmp_path, sambas, bengkayang):
    PegawaiFactory(jabatan__unit_kerja__instansi=sambas)
    PegawaiFactory(jabatan__unit_kerja__instansi=bengkayang)
    out = StringIO()
    call_command("create_period", "--tahun", "2026", "--tanggal-acuan", "2026-01-31", stdout=out)
    assert out.getvalue().strip() == "Periode 2026 dibuat (tanggal acuan 2026-01-31)."

    out = StringIO()
    call_command("compute_placements", "--tahun", "2026", "--instansi", "6101", stdout=out)
    assert out.getvalue().startswith("Periode 2026: 1 penempatan dan 0 jabatan target dihitung dalam ")
    call_command("compute_placements", "--tahun", "2026", stdout=StringIO())

    path = tmp_path / "peta.csv"
    call_command("export_talent_map", "--tahun", "2026", "--output", str(path), "--instansi", "6101", stdout=StringIO())
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert [(r["instansi"], r["lengkap"], r["alasan"], r["kotak"]) for r in rows] == [
        ("6101", "tidak", "Data kinerja tidak ada; Data asesmen tidak ada", "")
    ]
    xlsx = tmp_path / "peta.xlsx"
    call_command("export_talent_map", "--tahun", "2026", "--output", str(xlsx), stdout=StringIO())
    sheet = load_workbook(xlsx).active
    assert [c.value for c in sheet[1]][:4] == ["nip", "nama", "instansi", "jenjang"]
    assert sheet.max_row == 3


def test_create_period_rejects_a_date_outside_the_year_and_a_second_period(reference_data):
    with pytest.raises(CommandError, match="Tanggal acuan harus berada di tahun 2026."):
        call_command("create_period", "--tahun", "2026", "--tanggal-acuan", "2025-12-31")
    call_command("create_period", "--tahun", "2026", "--tanggal-acuan", "2026-01-31", stdout=StringIO())
    with pytest.raises(CommandError, match="Periode 2026 sudah ada."):
        call_command("create_period", "--tahun", "2026", "--tanggal-acuan", "2026-02-28")
    assert Periode.objects.count() == 1


def test_compute_refuses_a_closed_period(reference_data):
    PeriodeFactory(tahun=2025, status=Periode.Status.CLOSED)
    with pytest.raises(CommandError, match="sudah ditutup"):
        call_command("compute_placements", "--tahun", "2025")


def test_nightly_beat_schedule_refreshes_every_instansi_of_the_open_periods(settings, reference_data, sambas):
    from celery.schedules import crontab

    from assessment.models import Penempatan, Perhitungan
    from talenta.pipeline import refresh_open_periods_task

    entry = settings.CELERY_BEAT_SCHEDULE["refresh-open-periods"]
    assert entry["task"] == "talenta.pipeline.refresh_open_periods_task"
    assert entry["schedule"] == crontab(hour=1, minute=30)
    PegawaiFactory(jabatan__unit_kerja__instansi=sambas)
    open_periode = PeriodeFactory(tahun=2026)
    PeriodeFactory(tahun=2025, status=Periode.Status.CLOSED)
    # One task per instansi of the open period (a group), none for the closed one.
    assert refresh_open_periods_task.delay().get() == 15
    assert Penempatan.objects.count() == 1
    assert set(Perhitungan.objects.filter(selesai__isnull=False).values_list("periode_id", flat=True)) == {
        open_periode.pk
    }
    assert Perhitungan.objects.filter(selesai__isnull=False).count() == 15
