"""Explicit serializers; field names follow the export (assessment.selectors.EXPORT_COLUMNS) and the imports.

Output serializers only read attributes the views' querysets already joined (select_related), so
a page of 500 rows costs the same queries as a page of 5.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from asn.models import Jenjang, Pegawai
from asn.reference import KOMPETENSI_FIELDS
from asn.services import IMPORT_KINDS
from assessment import selectors as assessment_selectors
from assessment.models import HukumanDisiplin, Periode, SkpResult

# Ids are 64-bit; bounding them keeps an absurd number from reaching the database driver.
MAX_ID = 2**63 - 1


def _id_field(**kwargs):
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def _score(**kwargs):
    return serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True, **kwargs)


# --- query parameters -----------------------------------------------------------------------------


class InstansiParam(serializers.Serializer):
    instansi = serializers.CharField(
        required=False, help_text="Kode Kemendagri instansi, mis. 6101; bawaan: instansi Anda."
    )


class PegawaiFilter(InstansiParam):
    q = serializers.CharField(required=False, help_text="NIP (awalan, spasi boleh) atau sebagian nama.")
    unit_kerja = _id_field(required=False, help_text="id unit kerja")
    jenjang = serializers.CharField(required=False, help_text="kode jenjang, mis. ahli_muda")
    golongan = serializers.CharField(required=False, help_text="kode golongan, mis. III/b atau IX")
    jenis_asn = serializers.ChoiceField(required=False, choices=Pegawai.JenisAsn.choices)


class JabatanFilter(InstansiParam):
    q = serializers.CharField(required=False, help_text="sebagian nama jabatan")
    unit_kerja = _id_field(required=False, help_text="id unit kerja")
    jenjang = serializers.CharField(required=False, help_text="kode jenjang, mis. administrator")
    kritikal = serializers.BooleanField(required=False, allow_null=True, default=None)


class RecordFilter(InstansiParam):
    nip = serializers.CharField(required=False, help_text="NIP pegawai (spasi boleh)")


class KinerjaFilter(RecordFilter):
    tahun = serializers.IntegerField(required=False, min_value=2000, max_value=9999)


class PenempatanFilter(InstansiParam):
    nip = serializers.CharField(required=False, help_text="NIP pegawai (spasi boleh)")
    kotak = serializers.IntegerField(required=False, min_value=1, max_value=9, help_text="kotak akhir 1–9")
    krs = serializers.BooleanField(required=False, allow_null=True, default=None, help_text="anggota KRS")
    lengkap = serializers.BooleanField(required=False, allow_null=True, default=None, help_text="data lengkap")


class PetaFilter(InstansiParam):
    """The map's own filters (assessment.forms.TalentMapFilterForm validates them, as on the page)."""

    unit_kerja = _id_field(required=False)
    jenjang = serializers.CharField(required=False, help_text="kode jenjang")
    kelompok = serializers.ChoiceField(required=False, choices=Jenjang.Kelompok.choices)
    golongan = serializers.CharField(required=False)
    jenis_asn = serializers.ChoiceField(required=False, choices=Pegawai.JenisAsn.choices)
    jenis_kelamin = serializers.ChoiceField(required=False, choices=Pegawai.JenisKelamin.choices)
    usia = serializers.ChoiceField(required=False, choices=list(assessment_selectors.AGE_BANDS))
    jpm = serializers.ChoiceField(required=False, choices=list(assessment_selectors.JPM_BANDS))


class KrsFilter(InstansiParam):
    bagian = serializers.ChoiceField(
        required=False,
        choices=[("anggota", "Anggota KRS"), ("di_luar", "Kotak 7–9 di luar KRS")],
        default="anggota",
    )


class ProvinsiFilter(serializers.Serializer):
    tahun = serializers.IntegerField(
        required=False, min_value=2000, max_value=9999, help_text="bawaan: periode terbaru"
    )


class TokenFilter(serializers.Serializer):
    aktif = serializers.BooleanField(required=False, allow_null=True, default=None)


# --- master data -----------------------------------------------------------------------------------


class PegawaiSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    nip = serializers.CharField()
    nama = serializers.CharField()
    gelar_depan = serializers.CharField()
    gelar_belakang = serializers.CharField()
    nama_lengkap = serializers.CharField()
    jenis_asn = serializers.CharField()
    instansi = serializers.CharField(source="instansi.kode")
    unit_kerja_id = serializers.IntegerField(source="jabatan.unit_kerja_id")
    unit_kerja = serializers.CharField(source="jabatan.unit_kerja.nama")
    jabatan_id = serializers.IntegerField()
    jabatan = serializers.CharField(source="jabatan.nama")
    jenjang = serializers.CharField(source="jabatan.jenjang.nama")
    golongan = serializers.CharField(source="golongan_id")
    pangkat = serializers.CharField(source="golongan.pangkat")
    pendidikan = serializers.CharField(source="pendidikan_id")
    tmt_jabatan = serializers.DateField(allow_null=True)
    tanggal_lahir = serializers.DateField()
    jenis_kelamin = serializers.CharField()
    tmt_cpns = serializers.DateField(allow_null=True)
    tanggal_pensiun = serializers.DateField()
    diubah = serializers.DateTimeField()


class PegawaiInputSerializer(serializers.Serializer):
    """The fields of the pegawai form; asn.forms.PegawaiForm checks them (NIP, golongan vs jenis ASN)."""

    nip = serializers.CharField(help_text="18 digit; spasi di antara kelompok digit boleh.")
    nama = serializers.CharField()
    gelar_depan = serializers.CharField(required=False, allow_blank=True)
    gelar_belakang = serializers.CharField(required=False, allow_blank=True)
    jenis_asn = serializers.ChoiceField(choices=Pegawai.JenisAsn.choices)
    jabatan_id = _id_field(help_text="id jabatan (lihat /api/v1/jabatan/); menentukan instansi.")
    golongan = serializers.CharField(help_text="kode golongan, mis. III/b (PNS) atau IX (PPPK)")
    pendidikan = serializers.CharField(help_text="kode pendidikan, mis. S1")
    tmt_jabatan = serializers.DateField(required=False, allow_null=True)


class JabatanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    nama = serializers.CharField()
    instansi = serializers.CharField(source="unit_kerja.instansi.kode")
    unit_kerja_id = serializers.IntegerField()
    unit_kerja = serializers.CharField(source="unit_kerja.nama")
    jenjang = serializers.CharField(source="jenjang.nama")
    jenjang_kode = serializers.CharField(source="jenjang_id")
    kritikal = serializers.BooleanField()
    dalam_struktur = serializers.BooleanField()


# --- kinerja, asesmen, disiplin ------------------------------------------------------------------------


class _RecordSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    pegawai_id = serializers.IntegerField()
    nip = serializers.CharField(source="pegawai.nip")
    diubah = serializers.DateTimeField()


class KinerjaSerializer(_RecordSerializer):
    tahun = serializers.IntegerField()
    predikat = serializers.ChoiceField(choices=SkpResult.Predikat.choices)
    rating_hasil_kerja = serializers.CharField()
    rating_perilaku = serializers.CharField()


class AsesmenSerializer(_RecordSerializer):
    tanggal_asesmen = serializers.DateField()
    lembaga = serializers.CharField()
    skor_potensi = serializers.DecimalField(max_digits=5, decimal_places=2)

    def get_fields(self):
        fields = super().get_fields()
        for name in KOMPETENSI_FIELDS:
            fields[name] = serializers.IntegerField()
        return fields


class DisiplinSerializer(_RecordSerializer):
    tingkat = serializers.ChoiceField(choices=HukumanDisiplin.Tingkat.choices)
    tanggal_sk = serializers.DateField()
    keterangan = serializers.CharField()


# How each import column is documented; the import itself (assessment/imports.py) validates.
_COLUMN_DOC = {
    "tahun": lambda required: serializers.IntegerField(required=required, help_text="tahun SKP, mis. 2025"),
    "skor_potensi": lambda required: serializers.FloatField(required=required, help_text="0–100, dua desimal"),
    "tanggal_asesmen": lambda required: serializers.DateField(
        required=required, help_text="YYYY-MM-DD (DD-MM-YYYY dan DD/MM/YYYY juga diterima)"
    ),
    "tanggal_sk": lambda required: serializers.DateField(
        required=required, help_text="YYYY-MM-DD (DD-MM-YYYY dan DD/MM/YYYY juga diterima)"
    ),
    **{
        name: (lambda required: serializers.IntegerField(required=required, help_text="level 1–5"))
        for name in KOMPETENSI_FIELDS
    },
}


def import_row_serializer(kind: str, name: str) -> type[serializers.Serializer]:
    """A serializer documenting one row of an import kind, built from the import's own columns."""
    fields = {
        column.name: _COLUMN_DOC.get(column.name, lambda required: serializers.CharField(required=required))(
            column.required
        )
        for column in IMPORT_KINDS[kind].columns
    }
    return type(name, (serializers.Serializer,), fields)


KinerjaBarisSerializer = import_row_serializer("kinerja", "KinerjaBarisSerializer")
AsesmenBarisSerializer = import_row_serializer("asesmen", "AsesmenBarisSerializer")
DisiplinBarisSerializer = import_row_serializer("disiplin", "DisiplinBarisSerializer")


class RingkasanImporSerializer(serializers.Serializer):
    jumlah_baris = serializers.IntegerField()
    baru = serializers.IntegerField()
    diubah = serializers.IntegerField()
    tetap = serializers.IntegerField()


# --- periods, placements, map, pool ----------------------------------------------------------------------


class PeriodeSerializer(serializers.Serializer):
    tahun = serializers.IntegerField()
    tanggal_acuan = serializers.DateField()
    status = serializers.ChoiceField(choices=Periode.Status.choices)
    dibuat = serializers.DateTimeField()


class ProgresSerializer(serializers.Serializer):
    stage = serializers.CharField(help_text="tahap: memuat data, menghitung, menyimpan, selesai")
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField(required=False)
    tersedia = serializers.BooleanField(
        help_text="false bila progres tidak dapat dibaca (cache tidak tersedia); status hitung ada di header"
    )


class PeriodeDetailSerializer(PeriodeSerializer):
    terakhir_dihitung = serializers.DateTimeField(
        allow_null=True, help_text="waktu hitung terbaru penempatan yang terlihat oleh Anda"
    )
    perhitungan = ProgresSerializer(allow_null=True, help_text="progres hitung ulang yang sedang berjalan")


class HitungUlangInputSerializer(serializers.Serializer):
    instansi = serializers.CharField(
        required=False, help_text="hanya admin provinsi: kode instansi; kosong = semua instansi"
    )


class HitungUlangSerializer(serializers.Serializer):
    detail = serializers.CharField()
    periode = serializers.IntegerField()
    instansi = serializers.CharField(allow_null=True)


class PenempatanSerializer(serializers.Serializer):
    """One placement with the export's column names (booleans as JSON booleans, scores as "85.50")."""

    id = serializers.IntegerField()
    pegawai_id = serializers.IntegerField()
    nip = serializers.CharField(source="pegawai.nip")
    nama = serializers.CharField(source="pegawai.nama")
    instansi = serializers.CharField(source="instansi.kode")
    jenjang = serializers.CharField(source="jenjang.nama")
    skor_kinerja = _score()
    kategori_kinerja = serializers.CharField()
    skor_potensial = _score()
    kategori_potensial = serializers.CharField()
    jpm = _score()
    jpm_berikutnya = _score()
    kotak_hitung = serializers.IntegerField(allow_null=True)
    kotak = serializers.IntegerField(allow_null=True)
    krs = serializers.BooleanField()
    label_krs = serializers.CharField()
    alasan_krs = serializers.CharField()
    lengkap = serializers.BooleanField()
    alasan = serializers.CharField()
    dihitung = serializers.DateTimeField()


class KotakSerializer(serializers.Serializer):
    kotak = serializers.IntegerField()
    nama = serializers.CharField()
    jumlah = serializers.IntegerField()
    persen = serializers.FloatField(help_text="persen dari penempatan lengkap")
    rekomendasi = serializers.CharField()
    warna = serializers.CharField()


class AlasanJumlahSerializer(serializers.Serializer):
    alasan = serializers.CharField()
    jumlah = serializers.IntegerField()


class PetaSerializer(serializers.Serializer):
    periode = serializers.IntegerField()
    instansi = serializers.CharField()
    kotak = KotakSerializer(many=True, help_text="kotak 1–9, urut nomor")
    lengkap = serializers.IntegerField()
    tidak_lengkap = serializers.IntegerField()
    alasan_tidak_lengkap = AlasanJumlahSerializer(many=True)
    total = serializers.IntegerField()


class ProvinsiSerializer(serializers.Serializer):
    """One row of the provincial dashboard (succession.dashboard.dashboard_rows)."""

    kode = serializers.CharField()
    nama = serializers.CharField()
    jumlah_pegawai = serializers.IntegerField(source="asn")
    jumlah_penempatan = serializers.IntegerField(source="penempatan")
    penempatan_lengkap = serializers.IntegerField(source="lengkap")
    persen_terpetakan = serializers.FloatField(source="terpetakan_persen", allow_null=True)
    persen_kualitas_data = serializers.FloatField(source="kualitas_persen", allow_null=True)
    jumlah_krs = serializers.IntegerField(source="krs")
    jumlah_jabatan_target = serializers.IntegerField(source="target")
    jabatan_target_tercakup = serializers.IntegerField(source="target_tercakup")
    persen_cakupan_suksesi = serializers.FloatField(source="cakupan_persen", allow_null=True)
    persen_kalibrasi = serializers.FloatField(source="kalibrasi_persen", allow_null=True)
    tahap = serializers.CharField()

    def get_fields(self):
        fields = super().get_fields()
        for box in range(1, 10):
            fields[f"kotak_{box}"] = serializers.IntegerField()
        return fields


# --- succession ---------------------------------------------------------------------------------------


class TargetSerializer(serializers.Serializer):
    jabatan_id = serializers.IntegerField()
    jabatan = serializers.CharField(source="jabatan.nama")
    unit_kerja = serializers.CharField(source="jabatan.unit_kerja.nama")
    jenjang = serializers.CharField(source="jabatan.jenjang.nama")
    instansi = serializers.CharField(source="instansi.kode")
    alasan = serializers.CharField()
    pensiun_pemangku = serializers.DateField(allow_null=True)
    jumlah_kandidat = serializers.IntegerField()
    dihitung = serializers.DateTimeField()


class TargetListSerializer(TargetSerializer):
    nominasi_disetujui = serializers.IntegerField(source="disetujui")
    nominasi_diusulkan = serializers.IntegerField(source="diusulkan")


class KandidatSerializer(serializers.Serializer):
    peringkat = serializers.IntegerField()
    pegawai_id = serializers.IntegerField()
    nip = serializers.CharField(source="pegawai.nip")
    nama = serializers.CharField(source="pegawai.nama")
    jabatan = serializers.CharField(source="pegawai.jabatan.nama")
    unit_kerja = serializers.CharField(source="pegawai.jabatan.unit_kerja.nama")
    golongan = serializers.CharField(source="pegawai.golongan_id")
    jpm_target = _score()
    kesiapan = serializers.CharField()
    kotak = serializers.IntegerField(source="penempatan.kotak", allow_null=True)
    skor_potensial = _score(source="penempatan.skor_potensial")
    skor_kinerja = _score(source="penempatan.skor_kinerja")


@extend_schema_field({"type": "string", "nullable": True})
class _UsernameField(serializers.Field):
    def to_representation(self, value):
        return value.username if value is not None else None

    def get_attribute(self, instance):
        return getattr(instance, self.source)


class NominasiSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    jabatan_id = serializers.IntegerField()
    pegawai_id = serializers.IntegerField()
    nip = serializers.CharField(source="pegawai.nip")
    nama = serializers.CharField(source="pegawai.nama")
    status = serializers.CharField()
    urutan = serializers.IntegerField()
    jpm_target = _score()
    kesiapan = serializers.CharField(help_text="kesiapan menurut PPK bila diisi, selain itu kesiapan bawaan")
    kesiapan_bawaan = serializers.CharField()
    kesiapan_ppk = serializers.CharField()
    catatan_keputusan = serializers.CharField()
    perlu_ditinjau = serializers.BooleanField()
    alasan_tinjau = serializers.CharField()
    diusulkan_oleh = _UsernameField()
    diputuskan_oleh = _UsernameField()
    diputuskan_pada = serializers.DateTimeField(allow_null=True)
    dibuat = serializers.DateTimeField()


class NominasiInputSerializer(serializers.Serializer):
    pegawai = serializers.ListField(
        child=_id_field(), min_length=1, max_length=100, help_text="id pegawai dari daftar kandidat"
    )


class KeputusanInputSerializer(serializers.Serializer):
    keputusan = serializers.ChoiceField(choices=[("setujui", "Setujui"), ("tolak", "Tolak")])
    catatan = serializers.CharField(required=False, allow_blank=True, default="", help_text="wajib bila menolak")


# --- tokens ---------------------------------------------------------------------------------------------


class TokenSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    nama = serializers.CharField()
    awalan = serializers.CharField(help_text="8 karakter pertama kunci")
    pengguna = serializers.CharField(source="user.username")
    dibuat = serializers.DateTimeField()
    dibuat_oleh = _UsernameField()
    terakhir_dipakai = serializers.DateTimeField(allow_null=True)
    dicabut = serializers.DateTimeField(allow_null=True)
    aktif = serializers.BooleanField()


class TokenBaruSerializer(TokenSerializer):
    kunci = serializers.CharField(help_text="ditampilkan sekali ini saja; simpan di tempat aman")


class TokenInputSerializer(serializers.Serializer):
    nama = serializers.CharField(help_text="untuk apa token ini, mis. 'SIMPEG Kab. Sambas'")
    pengguna = serializers.CharField(
        required=False, help_text="hanya admin: username pemilik token; bawaan: Anda sendiri"
    )
