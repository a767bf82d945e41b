from django.db import migrations

from asn.reference import GOLONGAN_PNS, GOLONGAN_PPPK, INSTANSI, JENJANG, PENDIDIKAN, instansi_detail


def load_reference_data(apps, schema_editor):
    Instansi = apps.get_model("asn", "Instansi")
    Golongan = apps.get_model("asn", "Golongan")
    Jenjang = apps.get_model("asn", "Jenjang")
    Pendidikan = apps.get_model("asn", "Pendidikan")
    for kode, nama, jenis in INSTANSI:
        Instansi.objects.update_or_create(
            kode=kode, defaults={"nama": nama, "jenis": jenis, **instansi_detail(kode, nama, jenis)}
        )
    for urutan, (kode, pangkat) in enumerate(GOLONGAN_PNS, start=1):
        Golongan.objects.update_or_create(
            kode=kode, defaults={"jenis_asn": "PNS", "pangkat": pangkat, "urutan": urutan}
        )
    for urutan, kode in enumerate(GOLONGAN_PPPK, start=1):
        Golongan.objects.update_or_create(
            kode=kode, defaults={"jenis_asn": "PPPK", "pangkat": "", "urutan": urutan}
        )
    for urutan, (kode, nama, kelompok, level, bup) in enumerate(JENJANG, start=1):
        Jenjang.objects.update_or_create(
            kode=kode,
            defaults={
                "nama": nama,
                "kelompok": kelompok,
                "level_standar": level,
                "bup": bup,
                "urutan": urutan,
            },
        )
    for urutan, (kode, nama) in enumerate(PENDIDIKAN, start=1):
        Pendidikan.objects.update_or_create(kode=kode, defaults={"nama": nama, "urutan": urutan})


class Migration(migrations.Migration):
    dependencies = [("asn", "0001_initial")]

    operations = [migrations.RunPython(load_reference_data, migrations.RunPython.noop)]
