import pytest
from django.db import IntegrityError, transaction

from asn.models import Golongan, Instansi, Jenjang, Pendidikan
from tests.factories import JabatanFactory, PegawaiFactory

pytestmark = pytest.mark.django_db


def test_reference_data_is_loaded_by_migration():
    assert list(Instansi.objects.values_list("kode", flat=True)) == [
        "61", "6101", "6102", "6103", "6104", "6105", "6106", "6107", "6108", "6109",
        "6110", "6111", "6112", "6171", "6172",
    ]  # fmt: skip
    prov = Instansi.objects.get(kode="61")
    assert (prov.singkatan_bkd, prov.jabatan_ppk) == ("BKD", "Gubernur Kalimantan Barat")
    pontianak = Instansi.objects.get(kode="6171")
    assert (pontianak.jenis, pontianak.jabatan_ppk) == ("kota", "Wali Kota Pontianak")
    assert Golongan.objects.filter(jenis_asn="PNS").count() == 17
    assert Golongan.objects.filter(jenis_asn="PPPK").count() == 17
    assert Golongan.objects.get(kode="III/b").pangkat == "Penata Muda Tingkat I"
    assert Jenjang.objects.get(nama="Ahli Utama").bup == 65
    assert Jenjang.objects.get(nama="JPT Pratama").level_standar == 4
    assert Jenjang.objects.get(nama="Mahir").kelompok == "fungsional_keterampilan"
    assert list(Pendidikan.objects.values_list("kode", flat=True)) == [
        "SD", "SMP", "SLTA", "D1", "D2", "D3", "D4", "S1", "S2", "S3",
    ]  # fmt: skip


def test_nip_is_unique_in_the_database():
    PegawaiFactory(nip="198609262015051001")
    with pytest.raises(IntegrityError), transaction.atomic():
        PegawaiFactory(nip="198609262015051001")


def test_database_rejects_a_pppk_golongan_on_a_pns():
    with pytest.raises(IntegrityError), transaction.atomic():
        PegawaiFactory(jenis_asn="PNS", golongan_id="IX")


def test_database_rejects_a_pns_golongan_on_a_pppk():
    with pytest.raises(IntegrityError), transaction.atomic():
        PegawaiFactory(jenis_asn="PPPK", golongan_id="III/a")


def test_database_rejects_a_nip_that_is_not_18_digits():
    with pytest.raises(IntegrityError), transaction.atomic():
        PegawaiFactory(nip="1986092620150510")


def test_database_rejects_an_unknown_jenis_asn():
    with pytest.raises(IntegrityError), transaction.atomic():
        PegawaiFactory(jenis_asn="PTT", golongan_id="IX")


def test_required_levels_default_to_the_jenjang_standard():
    jabatan = JabatanFactory(jenjang=Jenjang.objects.get(nama="Administrator"))
    assert jabatan.required_levels == (3,) * 9


def test_database_rejects_a_partial_competency_standard():
    with pytest.raises(IntegrityError), transaction.atomic():
        JabatanFactory(std_integritas=3)
