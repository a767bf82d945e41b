"""Operator OPD: an operator of some unit kerja, opened by the instansi's operator, who reads and
writes only the pegawai and records of those units; the instansi's operator keeps seeing it all."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from asn.models import Pegawai, Role, User
from asn.services import import_run, user_create
from assessment.models import SkpResult
from talenta.tabular import write_csv
from tests.asn.test_import_pegawai import HEADERS, row
from tests.factories import JabatanFactory, PegawaiFactory, UnitKerjaFactory

pytestmark = pytest.mark.django_db

BKPSDM = "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"


@pytest.fixture
def units(sambas):
    return {
        "bkpsdm": UnitKerjaFactory(instansi=sambas, nama=BKPSDM),
        "dinkes": UnitKerjaFactory(instansi=sambas, nama="Dinas Kesehatan"),
    }


@pytest.fixture
def people(units):
    return {
        "ours": PegawaiFactory(nip="198609262015051001", nama="Agnes Daeng", jabatan__unit_kerja=units["bkpsdm"]),
        "theirs": PegawaiFactory(nip="199001012015011002", nama="Budi Santoso", jabatan__unit_kerja=units["dinkes"]),
    }


@pytest.fixture
def opd(operator, units):
    return user_create(
        actor=operator,
        data={"username": "opd-bkpsdm", "role": Role.OPERATOR_OPD, "instansi": operator.instansi,
              "unit_kerja": [units["bkpsdm"]]},
    )  # fmt: skip


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_instansi_operator_opens_an_operator_opd_account_on_the_page(operator_client, units):
    page = operator_client.get("/pengguna/tambah/").content.decode()
    assert '<option value="operator_opd">Operator OPD</option>' in page
    data = {"username": "opd-dinkes", "role": "operator_opd", "unit_kerja": [units["dinkes"].pk]}
    response = operator_client.post("/pengguna/tambah/", data)
    assert response.status_code == 200
    account = User.objects.get(username="opd-dinkes")
    assert (account.role, account.instansi.kode, list(account.unit_kerja.all())) == (
        Role.OPERATOR_OPD, "6101", [units["dinkes"]],
    )  # fmt: skip


def test_an_operator_opd_needs_units_of_its_own_instansi(operator, ppk, units, bengkayang):
    base = {"role": Role.OPERATOR_OPD, "instansi": operator.instansi}
    with pytest.raises(ValidationError) as no_unit:
        user_create(actor=operator, data=base | {"username": "opd-a", "unit_kerja": []})
    assert no_unit.value.message_dict == {"unit_kerja": ["Pilih sedikitnya satu unit kerja untuk Operator OPD."]}
    foreign = UnitKerjaFactory(instansi=bengkayang, nama="Dinas Pendidikan Bengkayang")
    with pytest.raises(ValidationError) as wrong:
        user_create(actor=operator, data=base | {"username": "opd-b", "unit_kerja": [foreign]})
    assert wrong.value.message_dict == {
        "unit_kerja": ["Unit kerja Dinas Pendidikan Bengkayang bukan unit kerja instansi akun ini."]
    }
    with pytest.raises(ValidationError) as ppk_units:
        user_create(actor=operator, data={"username": "ppk-2", "role": Role.PPK, "instansi": operator.instansi,
                                          "unit_kerja": [units["dinkes"]]})  # fmt: skip
    assert ppk_units.value.message_dict == {"unit_kerja": ["Unit kerja hanya dipilih untuk peran Operator OPD."]}
    with pytest.raises(PermissionDenied):
        user_create(actor=ppk, data=base | {"username": "opd-c", "unit_kerja": [units["dinkes"]]})
    assert not User.objects.filter(username__startswith="opd-").exists()


def test_operator_opd_reads_and_writes_only_its_units(opd, operator_client, people):
    client = client_for(opd)
    listing = client.get("/asn/pegawai/").content.decode()
    assert "Agnes Daeng" in listing and "Budi Santoso" not in listing
    assert client.get(f"/asn/pegawai/{people['theirs'].pk}/").status_code == 404
    assert client.get(f"/penilaian/pegawai/{people['theirs'].pk}/skp/tambah/").status_code == 404

    saved = client.post(f"/penilaian/pegawai/{people['ours'].pk}/skp/tambah/", {"tahun": 2025, "predikat": "Baik"})
    assert saved.status_code == 302
    assert SkpResult.objects.get(pegawai=people["ours"]).predikat == "Baik"

    # Moving one of its people into another unit's jabatan is not among the choices.
    other_jabatan = people["theirs"].jabatan
    page = client.get(f"/asn/pegawai/{people['ours'].pk}/ubah/").content.decode()
    assert f'value="{other_jabatan.pk}"' not in page
    # The instansi's operator sees both units.
    everyone = operator_client.get("/asn/pegawai/").content.decode()
    assert "Agnes Daeng" in everyone and "Budi Santoso" in everyone


def test_a_pegawai_import_with_rows_of_other_units_is_refused_row_by_row(opd, people):
    data = write_csv(
        HEADERS,
        [
            row(nip="198609262015051001", nama="Agnes Daeng", unit_kerja=BKPSDM),
            row(nip="199201012016011003", nama="Citra Ayu", unit_kerja="Dinas Kesehatan", jabatan="Perawat Ahli"),
            row(nip="199001012015011002", nama="Budi Santoso", unit_kerja=BKPSDM),
        ],
    )
    outcome = import_run(kind="pegawai", data=data, filename="p.csv", user=opd, write=True)
    assert [(e.row, e.column, e.message) for e in outcome.errors] == [
        (3, "unit_kerja",
         f"Unit kerja Dinas Kesehatan bukan unit kerja Anda; Anda hanya dapat mengimpor pegawai {BKPSDM}."),
        (4, "nip",
         "NIP 199001012015011002 terdaftar di unit kerja lain. "
         "Perpindahan antar-unit dicatat oleh operator BKD/BKPSDM."),
    ]  # fmt: skip
    assert not Pegawai.objects.filter(nip="199201012016011003").exists()
    assert Pegawai.objects.get(nip="199001012015011002").jabatan.unit_kerja.nama == "Dinas Kesehatan"


def test_a_kinerja_import_names_only_its_units_pegawai(opd, people):
    data = write_csv(
        ["nip", "tahun", "predikat"], [["198609262015051001", "2025", "Baik"], ["199001012015011002", "2025", "Baik"]]
    )
    outcome = import_run(kind="kinerja", data=data, filename="k.csv", user=opd, write=True)
    assert [(e.row, e.column, e.message) for e in outcome.errors] == [
        (3, "nip", "NIP 199001012015011002 tidak terdaftar di unit kerja Anda. Impor data pegawai lebih dahulu.")
    ]
    assert not SkpResult.objects.exists()


def test_instansi_wide_imports_are_the_bkpsdm_operators(opd):
    page = client_for(opd).get("/asn/impor/").content.decode()
    assert 'value="kinerja"' in page
    assert 'value="siasn"' not in page and 'value="jabatan"' not in page
    with pytest.raises(
        PermissionDenied, match="mencakup seluruh instansi; impor ini dilakukan oleh operator BKD/BKPSDM"
    ):
        import_run(kind="siasn", data=b"", filename="s.csv", user=opd, write=False)


def test_instansi_level_writes_stay_403(opd, people, periode_2026):
    client = client_for(opd)
    assert client.get("/pengguna/").status_code == 403
    assert client.post("/penilaian/periode/2026/hitung/").status_code == 403
    jabatan = JabatanFactory(unit_kerja=people["ours"].jabatan.unit_kerja)
    assert client.get(f"/suksesi/struktur/{jabatan.pk}/").status_code == 403
