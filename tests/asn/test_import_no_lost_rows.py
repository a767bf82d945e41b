"""No lost rows: a file is imported whole or refused with its reason, and every job ends done or failed.

Files are built as the programs that make them do (openpyxl, and sheet XML rewritten inside the zip
where another program writes what openpyxl would not) and driven through the upload page and the
`import_data` command.
"""

import datetime as dt
import io
import os
import re
import subprocess
import sys
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from asn.models import ImportJob, ImportStatus, Jabatan, Pegawai, UnitKerja
from asn.services import import_run
from asn.tasks import fail_stale_imports_task
from assessment.models import Asesmen, HukumanDisiplin, SkpResult
from talenta import celery_app
from talenta.tabular import write_csv
from tests.asn.test_import_pegawai import HEADERS, row
from tests.factories import PegawaiFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET = "xl/worksheets/sheet1.xml"
FORMULA = '=CONCAT("Bu","di")'
BROKEN = "Berkas .xlsx rusak atau terpotong. Simpan ulang berkas dari Excel lalu unggah kembali."


def pegawai_rows(count: int) -> list[list]:
    return [row(nip=f"19860926201505{1}{number:03d}", nama=f"Pegawai {number}") for number in range(1, count + 1)]


def workbook_bytes(rows, headers=HEADERS) -> bytes:
    """An .xlsx as openpyxl writes it: a text starting with "=" becomes a formula cell, as in Excel."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewrite_sheet(data: bytes, change) -> bytes:
    """The same workbook with the first sheet's XML changed as another program would write it."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            target.writestr(item, change(content) if item.filename == SHEET else content)
    return out.getvalue()


def with_dimension(data: bytes, ref: str) -> bytes:
    def change(xml: bytes) -> bytes:
        changed, count = re.subn(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>'.encode(), xml)
        assert count == 1
        return changed

    return rewrite_sheet(data, change)


def upload(client, data: bytes, name: str, kind: str = "pegawai"):
    content_type = XLSX if name.endswith(".xlsx") else "text/csv"
    file = SimpleUploadedFile(name, data, content_type=content_type)
    return client.post(reverse("asn:import-upload"), {"kind": kind, "file": file})


def upload_and_validate(client, capture, data: bytes, name: str) -> ImportJob:
    with capture(execute=True):
        response = upload(client, data, name)
    assert response.status_code == 302, response.context["form"].errors
    return ImportJob.objects.get()


def confirm(client, capture, job: ImportJob) -> ImportJob:
    with capture(execute=True):
        # The file's new unit kerja and jabatan accepted, as the operator ticks the box.
        client.post(reverse("asn:import-confirm", args=[job.pk]), {"struktur_diterima": job.struktur.get("sidik", "")})
    job.refresh_from_db()
    return job


def run_command(path: Path, **env) -> subprocess.CompletedProcess:
    """`import_data` as the administrator runs it, in its own process, for its real exit code."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "talenta.settings.test",
        "DATABASE_URL": f"sqlite:///{path.parent / 'cli.sqlite3'}",
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "import_data", "pegawai", str(path)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


# --- the <dimension> tag -----------------------------------------------------------------------------


def test_xlsx_whose_dimension_tag_understates_the_sheet_imports_all_50_rows(
    operator_client, django_capture_on_commit_callbacks
):
    data = with_dimension(workbook_bytes(pegawai_rows(50)), "A1:B2")
    # The file really claims two rows: openpyxl's read-only mode alone would stop there.
    assert load_workbook(io.BytesIO(data), read_only=True).worksheets[0].max_row == 2

    job = upload_and_validate(operator_client, django_capture_on_commit_callbacks, data, "pegawai.xlsx")
    assert (job.status, job.total_rows, job.summary) == ("valid", 50, {"baru": 50, "diubah": 0, "tetap": 0})

    job = confirm(operator_client, django_capture_on_commit_callbacks, job)
    assert job.status == "done"
    assert Pegawai.objects.count() == 50
    assert Pegawai.objects.get(nip="198609262015051050").nama == "Pegawai 50"


def test_import_data_reads_every_row_despite_the_dimension_tag(tmp_path):
    path = tmp_path / "pegawai.xlsx"
    path.write_bytes(with_dimension(workbook_bytes(pegawai_rows(50)), "A1:B2"))
    out = StringIO()
    call_command("import_data", "pegawai", str(path), stdout=out)
    assert (
        out.getvalue().strip()
        == "Impor pegawai selesai: baru 50, diubah 0, tetap 0, unit kerja baru 1, jabatan baru 1."
    )
    assert Pegawai.objects.count() == 50


def two_million_row_workbook() -> bytes:
    """A sheet of 2,000,000 data rows whose tag claims A1:L2, streamed into the zip row by row."""
    header_only = workbook_bytes([["x"] * len(HEADERS)])
    source = zipfile.ZipFile(io.BytesIO(header_only))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename != SHEET:
                target.writestr(item, content)
                continue
            head, tail = content.split(b"</sheetData>")
            head = head.split(b'<row r="2">')[0]
            with target.open(SHEET, "w") as sheet:
                sheet.write(head)
                for _ in range(200):
                    sheet.write(b"<row><c><v>1</v></c></row>" * 10_000)
                sheet.write(b"</sheetData>" + tail)
    return out.getvalue()


def test_a_two_million_row_workbook_is_refused_by_the_row_limit(
    operator_client, django_capture_on_commit_callbacks, settings
):
    settings.IMPORT_MAX_ROWS = 1000
    data = two_million_row_workbook()
    assert len(data) < django_settings.IMPORT_MAX_BYTES  # small on disk: only the row limit can refuse it
    assert load_workbook(io.BytesIO(data), read_only=True).worksheets[0].max_row == 2

    job = upload_and_validate(operator_client, django_capture_on_commit_callbacks, data, "pegawai.xlsx")

    assert job.status == "invalid"
    assert job.errors == [
        {
            "row": 1,
            "column": "",
            "value": "",
            "message": "Berkas memuat lebih dari 1.000 baris data; paling banyak 1.000 baris per impor. "
            "Pecah berkas menjadi beberapa bagian.",
        }
    ]
    assert (
        "Berkas memuat lebih dari 1.000 baris data"
        in operator_client.get(reverse("asn:import-detail", args=[job.pk])).text
    )
    assert Pegawai.objects.count() == 0


# --- size and row limits ---------------------------------------------------------------------------------


def test_the_limits_come_from_the_environment_with_documented_defaults():
    assert (django_settings.IMPORT_MAX_BYTES, django_settings.IMPORT_MAX_ROWS) == (50 * 1024 * 1024, 200_000)
    readme = (ROOT / "README.md").read_text()
    for name in ("IMPORT_MAX_BYTES", "IMPORT_MAX_ROWS", "IMPORT_STALE_MINUTES"):
        assert f"| `{name}` |" in readme


def csv_of_size(size: int) -> bytes:
    """A valid one-row file padded to `size` bytes with an ignored column."""
    data = write_csv([*HEADERS, "catatan"], [[*row(), "x"]])
    return write_csv([*HEADERS, "catatan"], [[*row(), "x" * (size - len(data) + 1)]])


def test_upload_over_the_size_limit_is_refused_at_once(operator_client, settings):
    settings.IMPORT_MAX_BYTES = 2**20
    response = upload(operator_client, csv_of_size(3 * 2**19), "pegawai.csv")
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Berkas terlalu besar (1,5 MB); paling besar 1 MB per impor. Pecah berkas menjadi beberapa bagian."
    ]
    assert ImportJob.objects.count() == 0

    # A file of exactly the limit goes through.
    assert upload(operator_client, csv_of_size(2**20), "pegawai.csv").status_code == 302


def test_import_data_refuses_a_file_over_the_size_limit_with_exit_code_1(tmp_path):
    path = tmp_path / "pegawai.csv"
    path.write_bytes(csv_of_size(3 * 2**19))
    result = run_command(path, IMPORT_MAX_BYTES=str(2**20))
    assert result.returncode == 1
    assert result.stderr == (
        "CommandError: Berkas terlalu besar (1,5 MB); paling besar 1 MB per impor. "
        "Pecah berkas menjadi beberapa bagian. Tidak ada data yang disimpan.\n"
    )


def test_the_service_refuses_an_oversized_file_too(settings):
    settings.IMPORT_MAX_BYTES = 1000
    outcome = import_run(kind="pegawai", data=csv_of_size(1500), filename="p.csv", user=None, write=True)
    assert [e.message for e in outcome.errors] == [
        "Berkas terlalu besar (2 KB); paling besar 1 KB per impor. Pecah berkas menjadi beberapa bagian."
    ]
    assert Pegawai.objects.count() == 0


def test_rows_over_the_limit_are_refused_and_empty_rows_do_not_count(
    operator_client, django_capture_on_commit_callbacks, settings
):
    settings.IMPORT_MAX_ROWS = 3
    empty = ["" for _ in HEADERS]
    rows = pegawai_rows(3)
    job = upload_and_validate(
        operator_client, django_capture_on_commit_callbacks, write_csv(HEADERS, [rows[0], empty, *rows[1:]]), "a.csv"
    )
    assert (job.status, job.total_rows) == ("valid", 3)

    ImportJob.objects.all().delete()
    job = upload_and_validate(
        operator_client, django_capture_on_commit_callbacks, write_csv(HEADERS, pegawai_rows(4)), "b.csv"
    )
    assert job.status == "invalid"
    assert [e["message"] for e in job.errors] == [
        "Berkas memuat lebih dari 3 baris data; paling banyak 3 baris per impor. Pecah berkas menjadi beberapa bagian."
    ]
    assert Pegawai.objects.count() == 0


def test_import_data_refuses_rows_over_the_limit(tmp_path, settings):
    settings.IMPORT_MAX_ROWS = 3
    path = tmp_path / "pegawai.xlsx"
    path.write_bytes(workbook_bytes(pegawai_rows(4)))
    err = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_data", "pegawai", str(path), stderr=err)
    assert str(excinfo.value) == "Berkas tidak valid: 1 kesalahan. Tidak ada data yang disimpan."
    assert err.getvalue().strip() == (
        "Baris 1, kolom -: Berkas memuat lebih dari 3 baris data; paling banyak 3 baris per impor. "
        "Pecah berkas menjadi beberapa bagian."
    )
    assert Pegawai.objects.count() == 0


# --- CSV field limits ----------------------------------------------------------------------------------


def test_csv_field_over_131072_characters_is_a_row_error_not_a_stuck_job(
    operator_client, django_capture_on_commit_callbacks
):
    long_name = "A" * 200_000
    data = write_csv(HEADERS, [row(), row(nip="199001012020122001", nama=long_name)])
    job = upload_and_validate(operator_client, django_capture_on_commit_callbacks, data, "pegawai.csv")

    assert job.status == "invalid"
    assert job.errors == [
        {
            "row": 3,
            "column": "nama",
            "value": "A" * 100 + "…",
            "message": "Isian terlalu panjang (lebih dari 32.767 karakter).",
        }
    ]
    page = operator_client.get(reverse("asn:import-detail", args=[job.pk]))
    assert "Isian terlalu panjang (lebih dari 32.767 karakter)." in page.text
    assert Pegawai.objects.count() == 0


# --- formula cells ------------------------------------------------------------------------------------


def test_formula_cell_is_a_row_error_in_the_browser(operator_client, django_capture_on_commit_callbacks):
    data = workbook_bytes([row(), row(nip="199001012020122001", nama=FORMULA)])
    job = upload_and_validate(operator_client, django_capture_on_commit_callbacks, data, "pegawai.xlsx")

    assert job.status == "invalid"
    assert job.errors == [
        {"row": 3, "column": "nama", "value": FORMULA, "message": "Sel berisi rumus; isi dengan nilai."}
    ]
    assert (
        "Sel berisi rumus; isi dengan nilai." in operator_client.get(reverse("asn:import-detail", args=[job.pk])).text
    )
    assert Pegawai.objects.count() == 0


def test_formula_cell_with_a_cached_result_is_still_a_row_error(tmp_path):
    # Excel stores the last result next to the formula; it is not what the user typed either.
    def cache_result(xml: bytes) -> bytes:
        changed, count = re.subn(rb'<c r="B2"><f>(.*?)</f><v\s*/>', rb'<c r="B2" t="str"><f>\1</f><v>Budi</v>', xml)
        assert count == 1
        return changed

    path = tmp_path / "pegawai.xlsx"
    path.write_bytes(rewrite_sheet(workbook_bytes([row(nama=FORMULA)]), cache_result))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_data", "pegawai", str(path), stderr=err)
    assert err.getvalue().strip() == f"Baris 2, kolom nama ({FORMULA}): Sel berisi rumus; isi dengan nilai."
    assert Pegawai.objects.count() == 0


def test_formula_in_the_header_is_refused():
    headers = [*HEADERS[:-1], '=LOWER("TMT_JABATAN")']
    outcome = import_run(
        kind="pegawai", data=workbook_bytes([row()], headers), filename="p.xlsx", user=None, write=True
    )
    assert [(e.row, e.value, e.message) for e in outcome.errors] == [
        (1, '=LOWER("TMT_JABATAN")', "Judul kolom berisi rumus; tulis nama kolom sebagai teks.")
    ]


@pytest.fixture
def nip_of_sambas(sambas):
    return PegawaiFactory(nip="198609262015051001", jabatan__unit_kerja__instansi=sambas).nip


# For each kind: its template's example row and a column the formula is put in.
KIND_CASES = [
    ("kinerja", "predikat", SkpResult),
    ("asesmen", "lembaga", Asesmen),
    ("disiplin", "keterangan", HukumanDisiplin),
    ("jabatan", "jabatan", Jabatan),
]


@pytest.mark.parametrize(("kind", "column", "model"), KIND_CASES)
def test_formula_cell_is_a_row_error_in_every_import_kind(kind, column, model, operator, nip_of_sambas):
    from asn.services import IMPORT_KINDS

    handler = IMPORT_KINDS[kind]
    headers = [c.name for c in handler.columns]
    example = list(handler.example)
    before = model.objects.count()
    # The template's own example imports (checked as preview) ...
    plain = import_run(
        kind=kind, data=workbook_bytes([example], headers), filename="t.xlsx", user=operator, write=False
    )
    assert plain.ok, plain.errors
    # ... and the same row with a formula in one cell is refused there.
    example[headers.index(column)] = FORMULA
    outcome = import_run(
        kind=kind, data=workbook_bytes([example], headers), filename="t.xlsx", user=operator, write=True
    )

    assert [(e.row, e.column, e.value, e.message) for e in outcome.errors] == [
        (2, column, FORMULA, "Sel berisi rumus; isi dengan nilai.")
    ]
    assert model.objects.count() == before


# --- damaged files --------------------------------------------------------------------------------------


def test_xlsx_cut_in_half_is_refused_as_damaged(operator_client, django_capture_on_commit_callbacks):
    data = workbook_bytes(pegawai_rows(20))
    job = upload_and_validate(operator_client, django_capture_on_commit_callbacks, data[: len(data) // 2], "p.xlsx")
    assert job.status == "invalid"
    assert [e["message"] for e in job.errors] == [BROKEN]
    assert BROKEN in operator_client.get(reverse("asn:import-detail", args=[job.pk])).text
    assert (Pegawai.objects.count(), UnitKerja.objects.count()) == (0, 0)


def test_xlsx_whose_sheet_breaks_off_inside_is_refused_as_damaged(tmp_path):
    # The archive is whole but the sheet's XML stops mid-row, as a program interrupted while saving leaves it.
    data = rewrite_sheet(workbook_bytes(pegawai_rows(20)), lambda xml: xml[: len(xml) // 2])
    path = tmp_path / "pegawai.xlsx"
    path.write_bytes(data)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_data", "pegawai", str(path), stderr=err)
    assert err.getvalue().strip() == f"Baris 1, kolom -: {BROKEN}"
    assert Pegawai.objects.count() == 0


def test_a_non_spreadsheet_named_xlsx_keeps_its_own_message():
    outcome = import_run(kind="pegawai", data=b"%PDF-1.4", filename="p.xlsx", user=None, write=True)
    assert [e.message for e in outcome.errors] == [
        "Berkas tidak dapat dibaca sebagai lembar kerja Excel (.xlsx). Simpan ulang berkas sebagai .xlsx atau .csv."
    ]


# --- every job ends done or failed with a reason -------------------------------------------------------


def test_a_failure_during_validation_ends_the_job_failed_with_its_reason(
    operator_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        upload(operator_client, write_csv(HEADERS, [row()]), "pegawai.csv")
    job = ImportJob.objects.get()
    job.file.storage.delete(job.file.name)  # the upload is lost before the worker reads it
    for callback in callbacks:
        callback()

    job.refresh_from_db()
    assert job.status == "failed"
    assert job.message == "Berkas unggahan tidak ditemukan lagi di server; unggah ulang berkasnya."
    assert job.finished_at is not None
    page = operator_client.get(reverse("asn:import-detail", args=[job.pk]))
    assert "Berkas unggahan tidak ditemukan lagi di server" in page.text


def test_a_failure_during_the_write_ends_the_job_failed_and_writes_nothing(
    operator_client, django_capture_on_commit_callbacks
):
    job = upload_and_validate(
        operator_client, django_capture_on_commit_callbacks, write_csv(HEADERS, [row()]), "pegawai.csv"
    )
    job.file.storage.delete(job.file.name)
    job = confirm(operator_client, django_capture_on_commit_callbacks, job)
    assert job.status == "failed"
    assert job.message == "Berkas unggahan tidak ditemukan lagi di server; unggah ulang berkasnya."
    assert Pegawai.objects.count() == 0


def _left_running(client, capture, status: str, minutes_ago: int) -> ImportJob:
    """An uploaded job whose worker stopped while it was in `status` that long ago."""
    with capture(execute=False):
        upload(client, write_csv(HEADERS, [row()]), "pegawai.csv")
    job = ImportJob.objects.latest("pk")
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, status_changed_at=timezone.now() - dt.timedelta(minutes=minutes_ago)
    )
    return job


def test_stale_time_exceeds_the_hard_time_limit_of_every_task():
    # Before it, a slow but living worker could still finish the job.
    assert django_settings.IMPORT_STALE_MINUTES * 60 > django_settings.CELERY_TASK_TIME_LIMIT


STALE_MESSAGE = (
    "Proses impor terhenti: statusnya tidak berubah selama lebih dari 35 menit (proses latar belakang mati "
    'atau tugasnya hilang). Tidak ada data yang disimpan. Tekan "Coba lagi" untuk memvalidasi ulang berkas yang sama.'
)


@pytest.fixture
def stale_after_35_minutes(settings):
    settings.IMPORT_STALE_MINUTES = 35


def test_a_job_left_validating_is_shown_failed_and_retry_validates_and_imports(
    operator_client, django_capture_on_commit_callbacks, stale_after_35_minutes
):
    job = _left_running(operator_client, django_capture_on_commit_callbacks, "validating", minutes_ago=120)

    page = operator_client.get(reverse("asn:import-detail", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.message) == ("failed", STALE_MESSAGE)
    assert STALE_MESSAGE.replace('"', "&quot;") in page.text
    assert "Coba lagi</button>" in page.text

    with django_capture_on_commit_callbacks(execute=True):
        response = operator_client.post(reverse("asn:import-retry", args=[job.pk]))
    assert response["Location"] == reverse("asn:import-detail", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.message, job.summary) == ("valid", "", {"baru": 1, "diubah": 0, "tetap": 0})

    job = confirm(operator_client, django_capture_on_commit_callbacks, job)
    assert job.status == "done"
    assert Pegawai.objects.get().nip == "198609262015051001"


def test_a_running_job_within_the_time_is_left_alone(
    operator_client, django_capture_on_commit_callbacks, stale_after_35_minutes
):
    job = _left_running(operator_client, django_capture_on_commit_callbacks, "importing", minutes_ago=34)
    page = operator_client.get(reverse("asn:import-detail", args=[job.pk]))
    assert page.context["job"].status == "importing"
    assert "Coba lagi</button>" not in page.text


def test_the_periodic_task_fails_only_stale_jobs_and_is_scheduled(
    operator_client, django_capture_on_commit_callbacks, stale_after_35_minutes
):
    stale = [
        _left_running(operator_client, django_capture_on_commit_callbacks, status, minutes_ago=36)
        for status in ("pending", "validating", "importing")
    ]
    fresh = _left_running(operator_client, django_capture_on_commit_callbacks, "validating", minutes_ago=1)

    assert fail_stale_imports_task.delay().get() == 3

    assert {job.status for job in ImportJob.objects.filter(pk__in=[j.pk for j in stale])} == {"failed"}
    assert ImportJob.objects.get(pk=fresh.pk).status == "validating"
    schedule = django_settings.CELERY_BEAT_SCHEDULE["fail-stale-imports"]
    assert schedule["task"] in celery_app.tasks
    assert schedule["task"] == fail_stale_imports_task.name


def test_only_a_failed_job_can_be_retried(operator_client, django_capture_on_commit_callbacks):
    job = upload_and_validate(
        operator_client, django_capture_on_commit_callbacks, write_csv(HEADERS, [row()]), "pegawai.csv"
    )
    response = operator_client.post(reverse("asn:import-retry", args=[job.pk]), follow=True)
    assert "Hanya impor yang gagal yang dapat dicoba lagi." in response.text
    job.refresh_from_db()
    assert job.status == "valid"


def test_retry_is_for_writers_of_the_instansi_only(
    client, operator_client, ppk_client, outsider_client, django_capture_on_commit_callbacks
):
    job = _left_running(operator_client, django_capture_on_commit_callbacks, "validating", minutes_ago=120)
    operator_client.get(reverse("asn:import-detail", args=[job.pk]))
    url = reverse("asn:import-retry", args=[job.pk])

    assert "Coba lagi</button>" not in ppk_client.get(reverse("asn:import-detail", args=[job.pk])).text
    assert ppk_client.post(url).status_code == 403
    assert outsider_client.post(url).status_code == 404
    assert client.post(url)["Location"].startswith(reverse("login"))
    assert operator_client.get(url).status_code == 405
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
