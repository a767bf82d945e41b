"""The import templates (.xlsx): drop-downs for every closed value set, the allowed values on a
second sheet, NIP formatted as text, and an example row that imports as it is."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from asn.services import import_run
from tests.factories import PegawaiFactory

pytestmark = pytest.mark.django_db

VALUES = "'Nilai yang diizinkan'"


def _download(client, kind):
    response = client.get(reverse("asn:import-template", args=[kind]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="templat-{kind}.xlsx"'
    return response.content


def _validations(sheet):
    return {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}


def _column(sheet, letter):
    return [cell.value for cell in sheet[letter][1:] if cell.value is not None]


def test_pegawai_template_has_drop_downs_allowed_values_text_nip_and_an_example(operator_client):
    workbook = load_workbook(io.BytesIO(_download(operator_client, "pegawai")))
    assert workbook.sheetnames == ["pegawai", "Nilai yang diizinkan"]
    sheet, values = workbook.worksheets
    assert [c.value for c in sheet[1]][:6] == ["nip", "nama", "gelar_depan", "gelar_belakang", "jenis_asn", "instansi"]
    assert [c.value for c in sheet[2]][:2] == ["19860926 201505 1 001", "Yohanes Apui"]
    # NIP and the instansi code are text columns, the example NIP a text cell.
    assert sheet.column_dimensions["A"].number_format == "@"
    assert sheet.column_dimensions["F"].number_format == "@"
    assert (sheet["A2"].data_type, sheet["A2"].number_format) == ("s", "@")

    assert _validations(sheet) == {
        "E2:E1048576": f"{VALUES}!$A$2:$A$3",
        "F2:F1048576": f"{VALUES}!$C$2:$C$16",
        "I2:I1048576": f"{VALUES}!$F$2:$F$15",
        "J2:J1048576": f"{VALUES}!$H$2:$H$35",
        "K2:K1048576": f"{VALUES}!$K$2:$K$11",
    }
    assert [c.value for c in values[1]] == [
        "jenis_asn", None, "instansi", "keterangan", None, "jenjang", None, "golongan", "keterangan", None,
        "pendidikan", "keterangan",
    ]  # fmt: skip
    assert _column(values, "A") == ["PNS", "PPPK"]
    assert _column(values, "C") == [
        "61", "6101", "6102", "6103", "6104", "6105", "6106", "6107", "6108", "6109", "6110", "6111", "6112",
        "6171", "6172",
    ]  # fmt: skip
    assert values["D3"].value == "Kabupaten Sambas"
    assert _column(values, "F") == [
        "JPT Utama", "JPT Madya", "JPT Pratama", "Administrator", "Pengawas", "Ahli Utama", "Ahli Madya",
        "Ahli Muda", "Ahli Pertama", "Penyelia", "Mahir", "Terampil", "Pemula", "Pelaksana",
    ]  # fmt: skip
    golongan = _column(values, "H")
    assert (len(golongan), golongan[:2], golongan[16:18], golongan[-1]) == (34, ["I/a", "I/b"], ["IV/e", "I"], "XVII")
    assert _column(values, "K") == ["SD", "SMP", "SLTA", "D1", "D2", "D3", "D4", "S1", "S2", "S3"]


def test_the_downloaded_template_imports_its_example_row(operator_client, operator):
    outcome = import_run(
        kind="pegawai", data=_download(operator_client, "pegawai"), filename="t.xlsx", user=operator, write=False
    )
    assert outcome.ok, outcome.errors
    assert outcome.summary == {"baru": 1, "diubah": 0, "tetap": 0}


@pytest.mark.parametrize(
    ("kind", "validations", "allowed"),
    [
        (
            "kinerja",
            {"C2:C1048576": "$A$2:$A$6", "D2:D1048576 E2:E1048576": "$C$2:$C$4"},
            {"A": ["Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang/Misconduct", "Sangat Kurang"],
             "C": ["Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi"]},
        ),
        (
            "asesmen",
            {" ".join(f"{c}2:{c}1048576" for c in "EFGHIJKLM"): "$A$2:$A$6"},
            {"A": [1, 2, 3, 4, 5]},
        ),
        ("disiplin", {"B2:B1048576": "$A$2:$A$4"}, {"A": ["Ringan", "Sedang", "Berat"]}),
        (
            "jabatan",
            {
                "A2:A1048576": "$A$2:$A$16",
                "D2:D1048576": "$D$2:$D$15",
                "F2:F1048576": "$F$2:$F$18",
                "E2:E1048576": "$H$2:$H$3",
                " ".join(f"{c}2:{c}1048576" for c in "GHIJKLMNO"): "$J$2:$J$6",
            },
            {"H": ["ya", "tidak"], "J": [1, 2, 3, 4, 5]},
        ),
    ],
)  # fmt: skip
def test_every_kind_has_its_closed_value_sets_as_drop_downs(
    operator_client, operator, sambas, kind, validations, allowed
):
    data = _download(operator_client, kind)
    workbook = load_workbook(io.BytesIO(data))
    sheet, values = workbook.worksheets
    assert _validations(sheet) == {sqref: f"{VALUES}!{source}" for sqref, source in validations.items()}
    assert {letter: _column(values, letter) for letter in allowed} == allowed
    if kind != "jabatan":
        assert sheet.column_dimensions["A"].number_format == "@"
        # The example row imports once its pegawai exists.
        PegawaiFactory(nip="198609262015051001", jabatan__unit_kerja__instansi=sambas)
    outcome = import_run(kind=kind, data=data, filename="t.xlsx", user=operator, write=False)
    assert outcome.ok, outcome.errors


def test_siasn_template_keeps_the_nip_as_text_and_has_no_allowed_values_sheet(operator_client):
    workbook = load_workbook(io.BytesIO(_download(operator_client, "siasn")))
    assert workbook.sheetnames == ["siasn"]
    sheet = workbook.worksheets[0]
    assert sheet["B1"].value == "NIP BARU"
    assert sheet.column_dimensions["B"].number_format == "@"
