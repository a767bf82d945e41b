"""The SIASN import in the browser: upload, mapping questions, preview, confirm; the mapping page."""

import random

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from asn.models import ImportJob, Pegawai, PemetaanSiasn
from asn.siasn import SIASN_HEADERS
from asn.siasn_sample import siasn_csv, siasn_record
from talenta.tabular import write_xlsx

from .test_import_siasn import EXAMPLE, record

pytestmark = pytest.mark.django_db


def _upload(client, data, name="siasn.csv"):
    upload = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post(reverse("asn:import-upload"), {"kind": "siasn", "file": upload})


def test_operator_uploads_maps_once_confirms_and_the_next_file_asks_nothing(
    operator_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(operator_client, siasn_csv([record()]))
    job = ImportJob.objects.get()
    page = operator_client.get(response["Location"])
    assert page.context["job"].status == "mapping"
    assert "Berkas SIASN memuat 4 nilai yang belum dipetakan." in page.text
    # Each question comes with its best guess preselected.
    assert '<option value="S2" selected>S2</option>' in page.text
    assert '<option value="Administrator" selected>Administrator</option>' in page.text
    questions = page.context["questions"]

    # An answer left empty: nothing saved, the import keeps waiting.
    answers = {q["field"]: q["tebakan"] for q in questions}
    with django_capture_on_commit_callbacks(execute=True):
        operator_client.post(reverse("asn:import-mapping", args=[job.pk]), {**answers, "q3": ""})
    job.refresh_from_db()
    assert job.status == "mapping"
    assert PemetaanSiasn.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        operator_client.post(reverse("asn:import-mapping", args=[job.pk]), answers)
    job.refresh_from_db()
    assert job.status == "valid", (job.errors, job.summary)
    assert PemetaanSiasn.objects.count() == 4
    assert Pegawai.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        operator_client.post(reverse("asn:import-confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done"
    assert Pegawai.objects.get().pns_id == record()["PNS ID"]

    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(operator_client, siasn_csv([record()]))
    assert ImportJob.objects.latest("pk").status == "valid"


def test_the_kept_copy_holds_only_the_columns_the_import_reads(operator_client, django_capture_on_commit_callbacks):
    personal = record()
    with django_capture_on_commit_callbacks(execute=True):
        _upload(operator_client, siasn_csv([personal]))
    job = ImportJob.objects.get()
    with job.file.open("rb") as handle:
        kept = handle.read().decode("utf-8")
    header = kept.splitlines()[0].split(",")
    assert "NIK" not in header and "NOMOR HP" not in header and "ALAMAT" not in header
    assert set(header) == {
        "PNS ID", "NIP BARU", "NAMA", "GELAR DEPAN", "GELAR BELAKANG", "JENIS PEGAWAI NAMA", "KEDUDUKAN HUKUM NAMA",
        "GOL AKHIR NAMA", "JENIS JABATAN NAMA", "JABATAN ID", "JABATAN NAMA", "TMT JABATAN",
        "TINGKAT PENDIDIKAN NAMA", "UNOR ID", "UNOR NAMA", "INSTANSI KERJA NAMA",
    }  # fmt: skip
    for column in ("NIK", "NOMOR HP", "EMAIL", "ALAMAT", "NPWP NOMOR", "BPJS", "AGAMA NAMA", "TANGGAL LAHIR"):
        assert personal[column] not in kept, column


def test_an_xlsx_copy_keeps_cell_types_so_a_numeric_nip_is_still_refused(
    operator_client, django_capture_on_commit_callbacks
):
    values = siasn_record(EXAMPLE, random.Random(1))
    cells = [int(values[h]) if h == "NIP BARU" else values[h] for h in SIASN_HEADERS]
    with django_capture_on_commit_callbacks(execute=True):
        _upload(operator_client, write_xlsx(SIASN_HEADERS, [cells], sheet_title="ASN"), name="siasn.xlsx")
    job = ImportJob.objects.get()
    with job.file.open("rb") as handle:
        sheet = load_workbook(handle, read_only=True).worksheets[0]
        header = [c.value for c in next(sheet.iter_rows())]
    assert "NIK" not in header and len(header) == 16
    assert job.status == "invalid"
    assert job.errors[0]["column"] == "NIP BARU"
    assert job.errors[0]["message"] == "NIP harus diisi sebagai teks, bukan angka: Excel sudah memotong digit akhirnya."


def test_an_unreadable_siasn_upload_is_refused_and_nothing_of_it_is_kept(
    operator_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _upload(operator_client, b"PK\x03\x04broken", name="siasn.xlsx")
    job = ImportJob.objects.get()
    assert job.status == "invalid"
    assert job.errors[0]["message"].startswith("Berkas .xlsx rusak atau terpotong.")
    with job.file.open("rb") as handle:
        assert handle.read() == b""


# --- the mapping page: three personas ----------------------------------------------------------------------


@pytest.fixture
def mapping(sambas, operator):
    return PemetaanSiasn.objects.create(
        instansi=sambas, jenis="pendidikan", nilai_siasn="S-1/Sarjana", nilai_talenta="S1", diubah_oleh=operator
    )


def test_operator_sees_and_edits_the_mapping_of_their_instansi(operator_client, mapping):
    page = operator_client.get(reverse("asn:siasn-mapping-list"))
    assert page.status_code == 200
    assert "S-1/Sarjana" in page.text

    response = operator_client.post(reverse("asn:siasn-mapping-update", args=[mapping.pk]), {"nilai_talenta": "D4"})
    assert response.status_code == 302
    mapping.refresh_from_db()
    assert mapping.nilai_talenta == "D4"

    response = operator_client.post(reverse("asn:siasn-mapping-update", args=[mapping.pk]), {"nilai_talenta": "S9"})
    mapping.refresh_from_db()
    assert mapping.nilai_talenta == "D4"
    assert (
        "Nilai &quot;S9&quot; tidak dapat dipilih untuk pemetaan ini." in operator_client.get(response["Location"]).text
    )

    operator_client.post(reverse("asn:siasn-mapping-delete", args=[mapping.pk]))
    assert not PemetaanSiasn.objects.exists()


def test_ppk_gets_403_on_the_mapping_page_and_its_writes(ppk_client, mapping):
    assert ppk_client.get(reverse("asn:siasn-mapping-list")).status_code == 403
    response = ppk_client.post(reverse("asn:siasn-mapping-update", args=[mapping.pk]), {"nilai_talenta": "D4"})
    assert response.status_code == 403
    assert ppk_client.post(reverse("asn:siasn-mapping-delete", args=[mapping.pk])).status_code == 403
    mapping.refresh_from_db()
    assert mapping.nilai_talenta == "S1"


def test_outsider_never_sees_or_changes_another_instansis_mapping(outsider_client, mapping):
    page = outsider_client.get(reverse("asn:siasn-mapping-list"))
    assert page.status_code == 200
    assert "S-1/Sarjana" not in page.text
    response = outsider_client.post(reverse("asn:siasn-mapping-update", args=[mapping.pk]), {"nilai_talenta": "D4"})
    assert response.status_code == 404
    assert outsider_client.post(reverse("asn:siasn-mapping-delete", args=[mapping.pk])).status_code == 404
    mapping.refresh_from_db()
    assert mapping.nilai_talenta == "S1"
