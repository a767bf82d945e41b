"""Imports that catch typos: the preview lists the unit kerja and jabatan a file would create,
with "mirip dengan …" for near spellings, and the write needs the operator's explicit consent."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from asn.models import ImportJob, Jabatan, Jenjang, Pegawai, UnitKerja
from asn.services import STRUCTURE_CHANGED, STRUCTURE_NOT_ACCEPTED, import_job_confirm, import_job_start, import_run
from succession.imports import COLUMNS, EXAMPLE
from talenta.tabular import write_csv
from tests.asn.test_import_pegawai import HEADERS, row
from tests.factories import JabatanFactory, UnitKerjaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dinas_kesehatan(sambas):
    """An existing unit with two jabatan, as an earlier import left it."""
    unit = UnitKerjaFactory(instansi=sambas, nama="Dinas Kesehatan")
    JabatanFactory(
        unit_kerja=unit, nama="Kepala Bidang Pelayanan Kesehatan", jenjang=Jenjang.objects.get(nama="Administrator")
    )
    JabatanFactory(unit_kerja=unit, nama="Analis Kesehatan", jenjang=Jenjang.objects.get(nama="Ahli Muda"))
    return unit


def preview(user, *rows):
    return import_run(kind="pegawai", data=write_csv(HEADERS, rows), filename="p.csv", user=user, write=False)


def test_preview_lists_new_units_and_jabatan_with_near_matches_typos_first(operator, dinas_kesehatan):
    outcome = preview(
        operator,
        row(nip="198609262015051001", unit_kerja="Badan Keuangan Daerah", jabatan="Kepala Badan",
            jenjang="JPT Pratama"),
        row(nip="198609262015051002", unit_kerja="Dinas Kesehatn", jabatan="Analis Kesehatan", jenjang="Ahli Muda"),
        row(nip="198609262015051003", unit_kerja="dinas kesehatan", jabatan="Kepala Bidang Pelayanan Kesehatn",
            jenjang="Administrator"),
        row(nip="198609262015051004", unit_kerja="Dinas Kesehatan", jabatan="Analis Kesehatan", jenjang="Ahli Madya"),
        row(nip="198609262015051005", unit_kerja="Dinas Kesehatan", jabatan="Analis Kesehatan", jenjang="Ahli Muda"),
    )  # fmt: skip

    assert outcome.ok
    structure = outcome.structure
    assert (structure["unit_kerja"], structure["jabatan"], structure["mirip"]) == (2, 4, 3)
    assert len(structure["sidik"]) == 64
    shown = [
        (item["jenis"], item["unit_kerja"], item["jabatan"], item["jenjang"], item["baris"], item["jumlah"],
         [(near["nama"], near["ada"]) for near in item["mirip"]])
        for item in structure["daftar"]
    ]  # fmt: skip
    assert shown == [
        ("unit_kerja", "Dinas Kesehatn", "", "", 3, 1, [("Dinas Kesehatan", True)]),
        ("jabatan", "Dinas Kesehatan", "Kepala Bidang Pelayanan Kesehatn", "Administrator", 4, 1,
         [("Kepala Bidang Pelayanan Kesehatan (Administrator)", True)]),
        ("jabatan", "Dinas Kesehatan", "Analis Kesehatan", "Ahli Madya", 5, 1,
         [("Analis Kesehatan (Ahli Muda)", True)]),
        ("unit_kerja", "Badan Keuangan Daerah", "", "", 2, 1, []),
        ("jabatan", "Badan Keuangan Daerah", "Kepala Badan", "JPT Pratama", 2, 1, []),
        ("jabatan", "Dinas Kesehatn", "Analis Kesehatan", "Ahli Muda", 3, 1, []),
    ]  # fmt: skip
    assert outcome.summary == {"baru": 5, "diubah": 0, "tetap": 0}


def test_a_typo_among_new_names_of_the_same_file_is_shown_beside_the_others(operator):
    outcome = preview(
        operator,
        row(nip="198609262015051001", unit_kerja="Dinas Pendidikan"),
        row(nip="198609262015051002", unit_kerja="Dinas Pendidikan"),
        row(nip="198609262015051003", unit_kerja="Dinas Pendidkan"),
    )
    units = [
        (item["unit_kerja"], item["jumlah"], item["mirip"])
        for item in outcome.structure["daftar"]
        if item["jenis"] == "unit_kerja"
    ]
    assert units == [
        ("Dinas Pendidikan", 2, [{"nama": "Dinas Pendidkan", "ada": False}]),
        ("Dinas Pendidkan", 1, [{"nama": "Dinas Pendidikan", "ada": False}]),
    ]


def test_a_file_that_creates_nothing_has_no_structure_to_accept(operator, dinas_kesehatan):
    outcome = preview(operator, row(unit_kerja="DINAS KESEHATAN", jabatan="analis kesehatan", jenjang="Ahli Muda"))
    assert outcome.structure == {}


def _upload(client, capture, *rows):
    upload = SimpleUploadedFile("pegawai.csv", write_csv(HEADERS, list(rows)), content_type="text/csv")
    with capture(execute=True):
        client.post(reverse("asn:import-upload"), {"kind": "pegawai", "file": upload})
    return ImportJob.objects.get()


def test_confirming_without_the_consent_is_refused_and_writes_nothing(
    operator_client, dinas_kesehatan, django_capture_on_commit_callbacks
):
    job = _upload(operator_client, django_capture_on_commit_callbacks, row(unit_kerja="Dinas Kesehatn"))
    page = operator_client.get(reverse("asn:import-detail", args=[job.pk]))
    assert "mirip dengan “Dinas Kesehatan” (sudah ada)" in page.text
    assert f'name="struktur_diterima" value="{job.struktur["sidik"]}"' in page.text

    with django_capture_on_commit_callbacks(execute=True):
        response = operator_client.post(reverse("asn:import-confirm", args=[job.pk]), follow=True)
    assert STRUCTURE_NOT_ACCEPTED in response.text
    job.refresh_from_db()
    assert job.status == "valid"
    assert (Pegawai.objects.count(), UnitKerja.objects.count()) == (0, 1)

    with django_capture_on_commit_callbacks(execute=True):
        stale = operator_client.post(
            reverse("asn:import-confirm", args=[job.pk]), {"struktur_diterima": "0" * 64}, follow=True
        )
    assert STRUCTURE_CHANGED in stale.text
    job.refresh_from_db()
    assert job.status == "valid"

    with django_capture_on_commit_callbacks(execute=True):
        operator_client.post(reverse("asn:import-confirm", args=[job.pk]), {"struktur_diterima": job.struktur["sidik"]})
    job.refresh_from_db()
    assert job.status == "done"
    assert sorted(UnitKerja.objects.values_list("nama", flat=True)) == ["Dinas Kesehatan", "Dinas Kesehatn"]


def test_the_write_refuses_a_structure_that_changed_after_the_consent(
    operator, sambas, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile(
        "pegawai.csv", write_csv(HEADERS, [row(unit_kerja="Dinas Baru")]), content_type="text/csv"
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_start(user=operator, kind="pegawai", uploaded_file=upload)
    job.refresh_from_db()
    assert (job.struktur["unit_kerja"], job.struktur["jabatan"]) == (1, 1)
    with django_capture_on_commit_callbacks(execute=True):
        import_job_confirm(user=operator, job=job, accepted_structure=job.struktur["sidik"])
        # Between the consent and the write another operator creates the unit by hand.
        UnitKerjaFactory(instansi=sambas, nama="Dinas Baru")
    job.refresh_from_db()
    assert job.status == "valid"
    assert job.message == STRUCTURE_CHANGED
    assert (job.struktur["unit_kerja"], job.struktur["jabatan"]) == (0, 1)
    assert (Pegawai.objects.count(), Jabatan.objects.count()) == (0, 0)

    with pytest.raises(ValidationError) as refused:
        import_job_confirm(user=operator, job=job)
    assert refused.value.messages == [STRUCTURE_NOT_ACCEPTED]
    with django_capture_on_commit_callbacks(execute=True):
        import_job_confirm(user=operator, job=job, accepted_structure=job.struktur["sidik"])
    job.refresh_from_db()
    assert job.status == "done"
    assert Pegawai.objects.get().jabatan.unit_kerja.nama == "Dinas Baru"


def test_ppk_cannot_confirm_and_outsider_gets_404(
    operator_client, ppk_client, outsider_client, django_capture_on_commit_callbacks
):
    job = _upload(operator_client, django_capture_on_commit_callbacks, row())
    accepted = {"struktur_diterima": job.struktur["sidik"]}
    assert ppk_client.post(reverse("asn:import-confirm", args=[job.pk]), accepted).status_code == 403
    assert outsider_client.post(reverse("asn:import-confirm", args=[job.pk]), accepted).status_code == 404
    job.refresh_from_db()
    assert job.status == "valid"


def test_the_jabatan_import_lists_its_new_structure_too(operator, dinas_kesehatan):
    headers = [column.name for column in COLUMNS]
    rows = [EXAMPLE, ["6101", "Dinas Kesehatn", "Kepala Seksi Gizi", "Pengawas", "tidak", "", *[""] * 9]]
    outcome = import_run(kind="jabatan", data=write_csv(headers, rows), filename="j.csv", user=operator, write=False)
    assert outcome.ok, outcome.errors
    shown = [
        (i["jenis"], i["unit_kerja"], i["jabatan"], [n["nama"] for n in i["mirip"]])
        for i in outcome.structure["daftar"]
    ]
    # The example's jabatan exists already (row 2); row 3's unit is a typo and its jabatan new.
    assert shown == [
        ("unit_kerja", "Dinas Kesehatn", "", ["Dinas Kesehatan"]),
        ("jabatan", "Dinas Kesehatn", "Kepala Seksi Gizi", []),
    ]


def test_the_command_line_names_the_near_matches_it_created(tmp_path, operator, dinas_kesehatan):
    path = tmp_path / "pegawai.csv"
    path.write_bytes(write_csv(HEADERS, [row(unit_kerja="Dinas Kesehatn")]))
    err = io.StringIO()
    call_command("import_data", "pegawai", str(path), "--as", operator.username, stdout=io.StringIO(), stderr=err)
    assert (
        err.getvalue().strip()
        == 'Peringatan: Unit kerja baru "Dinas Kesehatn" (baris 2) mirip dengan "Dinas Kesehatan".'
    )
    assert UnitKerja.objects.filter(nama="Dinas Kesehatn").count() == 1
