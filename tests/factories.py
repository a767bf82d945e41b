"""factory-boy factories for every app's records, and bulk builders for tests that need thousands.

A factory builds what its tests need as a precondition. Records whose making is the behaviour under
test (a meeting, a calibration, a nomination through its page) are made through services or pages.
"""

import datetime as dt
from decimal import Decimal

import factory

from asn.models import Instansi, Jabatan, Jenjang, Pegawai, Role, UnitKerja, User
from asn.nip import retirement_date
from asn.reference import KOMPETENSI_FIELDS
from assessment.models import Asesmen, Penempatan, Periode, Skema, SkpResult
from succession.models import Nominasi
from succession.rules import KESIAPAN


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


# --- assessment ----------------------------------------------------------------------------------


class PeriodeFactory(factory.django.DjangoModelFactory):
    """An open period whose reference date is the end of January, as the seeded ones are."""

    class Meta:
        model = Periode

    tahun = 2026
    tanggal_acuan = factory.LazyAttribute(lambda o: dt.date(o.tahun, 1, 31))


class SkpResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkpResult

    pegawai = factory.SubFactory(PegawaiFactory)
    tahun = 2025
    predikat = "Baik"


class AsesmenFactory(factory.django.DjangoModelFactory):
    """An assessment; `levels` gives the nine competency levels in KOMPETENSI_FIELDS order."""

    class Meta:
        model = Asesmen

    class Params:
        levels = (3,) * 9

    pegawai = factory.SubFactory(PegawaiFactory)
    tanggal_asesmen = dt.date(2024, 6, 1)
    skor_potensi = Decimal(70)

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        # The nine level fields are named by KOMPETENSI_FIELDS, so they are spread from one parameter.
        levels = kwargs.pop("levels")
        return dict(zip(KOMPETENSI_FIELDS, levels, strict=True)) | kwargs


class PenempatanFactory(factory.django.DjangoModelFactory):
    """A complete placement in box 5, as if computed; `build()` them for `bulk_create`.

    Pass `skema` when building many: the default scheme is otherwise looked up once per row.
    """

    class Meta:
        model = Penempatan

    periode = factory.SubFactory(PeriodeFactory)
    pegawai = factory.SubFactory(PegawaiFactory)
    instansi = factory.LazyAttribute(lambda o: o.pegawai.instansi)
    jenjang = factory.LazyAttribute(lambda o: o.pegawai.jabatan.jenjang)
    skema = factory.LazyFunction(lambda: Skema.objects.default())
    dihitung = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
    lengkap = True
    kotak_hitung = 5
    kotak = factory.LazyAttribute(lambda o: o.kotak_hitung)


def talent(jabatan, nip, *, levels=(3,) * 9, golongan="III/d", skor=Decimal(90), lembaga=""):
    """A pegawai with two SKP years and an assessment: complete, high in the map, in the pool."""
    pegawai = PegawaiFactory(nip=nip, jabatan=jabatan, golongan_id=golongan, pendidikan_id="S2")
    SkpResultFactory(pegawai=pegawai, tahun=2025, predikat="Sangat Baik")
    SkpResultFactory(pegawai=pegawai, tahun=2024, predikat="Sangat Baik")
    AsesmenFactory(pegawai=pegawai, lembaga=lembaga, skor_potensi=skor, levels=levels)
    return pegawai


# --- succession ----------------------------------------------------------------------------------


class NominasiFactory(factory.django.DjangoModelFactory):
    """A proposed nominee of the jabatan's own instansi, recorded directly (not through its page)."""

    class Meta:
        model = Nominasi

    periode = factory.SubFactory(PeriodeFactory)
    jabatan = factory.SubFactory(JabatanFactory)
    instansi = factory.LazyAttribute(lambda o: o.jabatan.unit_kerja.instansi)
    pegawai = factory.SubFactory(PegawaiFactory, jabatan__unit_kerja__instansi=factory.SelfAttribute("...instansi"))
    kesiapan_bawaan = KESIAPAN[0]
    diusulkan_oleh = factory.SubFactory(UserFactory, role=Role.OPERATOR, instansi=factory.SelfAttribute("..instansi"))
