import datetime as dt

import factory

from asn.models import Instansi, Jabatan, Jenjang, Pegawai, Role, UnitKerja, User
from asn.nip import retirement_date


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.OPERATOR
    instansi = factory.LazyFunction(lambda: Instansi.objects.get(kode="6101"))
    password = factory.PostGenerationMethodCall("set_password", "rahasia-uji")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class UnitKerjaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitKerja

    instansi = factory.LazyFunction(lambda: Instansi.objects.get(kode="6101"))
    nama = factory.Sequence(lambda n: f"Dinas Uji {n}")


class JabatanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Jabatan

    unit_kerja = factory.SubFactory(UnitKerjaFactory)
    nama = factory.Sequence(lambda n: f"Analis Uji {n}")
    jenjang = factory.LazyFunction(lambda: Jenjang.objects.get(nama="Ahli Muda"))


class PegawaiFactory(factory.django.DjangoModelFactory):
    """A PNS whose NIP, birth date and retirement date agree, like the import writes them."""

    class Meta:
        model = Pegawai

    class Params:
        birth = dt.date(1986, 9, 26)

    nip = factory.Sequence(lambda n: f"19860926201505{1 + n % 2}{n % 1000:03d}")
    nama = factory.Sequence(lambda n: f"Pegawai Uji {n}")
    jenis_asn = "PNS"
    jabatan = factory.SubFactory(JabatanFactory)
    instansi = factory.LazyAttribute(lambda o: o.jabatan.unit_kerja.instansi)
    golongan_id = "III/c"
    pendidikan_id = "S1"
    tanggal_lahir = factory.LazyAttribute(lambda o: dt.date(int(o.nip[:4]), int(o.nip[4:6]), int(o.nip[6:8])))
    jenis_kelamin = factory.LazyAttribute(lambda o: "L" if o.nip[14] == "1" else "P")
    tmt_cpns = dt.date(2015, 5, 1)
    tanggal_pensiun = factory.LazyAttribute(lambda o: retirement_date(o.tanggal_lahir, o.jabatan.jenjang.bup))


def pegawai_in_order(instansi, count: int, *, start: int = 0, nama: str) -> tuple[Jabatan, list[Pegawai]]:
    """`count` pegawai of one new jabatan in bulk, NIPs and names numbered in order (from `start`).

    For tests that need thousands of people fast: their derived fields are fixed, not decoded.
    """
    jabatan = JabatanFactory(unit_kerja__instansi=instansi)
    people = Pegawai.objects.bulk_create(
        [
            Pegawai(
                nip=str(198501012010011000 + start + n),
                nama=nama.format(start + n),
                jenis_asn="PNS",
                instansi=instansi,
                jabatan=jabatan,
                golongan_id="III/c",
                pendidikan_id="S1",
                tanggal_lahir=dt.date(1985, 1, 1),
                jenis_kelamin="L",
                tmt_cpns=dt.date(2010, 1, 1),
                tanggal_pensiun=dt.date(2043, 2, 1),
            )
            for n in range(count)
        ],
        batch_size=2000,
    )
    return jabatan, people
