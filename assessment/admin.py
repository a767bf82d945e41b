"""Kinerja, asesmen, periods, schemes, placements and meetings in the Django admin, read-only.

Every write goes through the pages (services): they check rights and closed periods and queue the
recompute, which an admin form would bypass.
"""

from django.contrib import admin

from asn.admin import ReadOnlyAdmin

from .models import (
    AnggotaRapat,
    Asesmen,
    ExportJob,
    HukumanDisiplin,
    Kalibrasi,
    KonflikKepentingan,
    Penempatan,
    Perhitungan,
    Periode,
    PilihanSkema,
    RapatTalentReview,
    Simulasi,
    SimulasiPenempatan,
    Skema,
    SkpResult,
    TahapanInstansi,
)


@admin.register(Periode)
class PeriodeAdmin(ReadOnlyAdmin):
    list_display = ["tahun", "tanggal_acuan", "status", "dibuat"]
    list_filter = ["status"]


@admin.register(Skema)
class SkemaAdmin(ReadOnlyAdmin):
    list_display = ["nama", "instansi", "bawaan", "disalin_dari", "dibuat_oleh", "dibuat"]
    list_filter = ["bawaan", "instansi"]
    list_select_related = ["instansi", "disalin_dari", "dibuat_oleh"]


@admin.register(PilihanSkema)
class PilihanSkemaAdmin(ReadOnlyAdmin):
    list_display = ["periode", "instansi", "skema"]
    list_filter = ["periode", "instansi"]
    list_select_related = ["periode", "instansi", "skema"]


class _PegawaiRecordAdmin(ReadOnlyAdmin):
    list_select_related = ["pegawai__instansi"]
    search_fields = ["pegawai__nip", "pegawai__nama"]
    list_filter = ["pegawai__instansi"]


@admin.register(SkpResult)
class SkpResultAdmin(_PegawaiRecordAdmin):
    list_display = ["pegawai", "tahun", "predikat", "rating_hasil_kerja", "rating_perilaku", "diubah"]


@admin.register(Asesmen)
class AsesmenAdmin(_PegawaiRecordAdmin):
    list_display = ["pegawai", "tanggal_asesmen", "skor_potensi", "lembaga", "diubah"]


@admin.register(HukumanDisiplin)
class HukumanDisiplinAdmin(_PegawaiRecordAdmin):
    list_display = ["pegawai", "tingkat", "tanggal_sk", "diubah"]


@admin.register(Penempatan)
class PenempatanAdmin(ReadOnlyAdmin):
    list_display = ["pegawai", "periode", "instansi", "kotak_hitung", "kotak", "krs", "lengkap", "dihitung"]
    list_filter = ["periode", "instansi", "kotak", "krs", "lengkap"]
    list_select_related = ["pegawai", "periode", "instansi"]
    search_fields = ["pegawai__nip", "pegawai__nama"]


@admin.register(RapatTalentReview)
class RapatTalentReviewAdmin(ReadOnlyAdmin):
    list_display = ["tanggal", "instansi", "periode", "tempat", "ketua", "status"]
    list_filter = ["periode", "instansi", "status"]
    list_select_related = ["instansi", "periode"]


@admin.register(AnggotaRapat)
class AnggotaRapatAdmin(ReadOnlyAdmin):
    list_display = ["nama", "peran", "rapat", "user"]
    list_select_related = ["rapat__instansi", "user"]


@admin.register(KonflikKepentingan)
class KonflikKepentinganAdmin(ReadOnlyAdmin):
    list_display = ["anggota", "pegawai", "jenis", "rapat"]
    list_select_related = ["anggota", "pegawai", "rapat__instansi"]


@admin.register(Kalibrasi)
class KalibrasiAdmin(ReadOnlyAdmin):
    list_display = [
        "penempatan", "kotak_sebelumnya", "kotak_baru", "jenis_alasan", "oleh", "waktu", "disetujui_oleh",
        "perlu_ditinjau",
    ]  # fmt: skip
    list_filter = ["perlu_ditinjau", "jenis_alasan", "rapat__status", "rapat__instansi"]
    list_select_related = ["penempatan__pegawai", "oleh", "disetujui_oleh"]


@admin.register(TahapanInstansi)
class TahapanInstansiAdmin(ReadOnlyAdmin):
    list_display = ["instansi", "tahap", "sejak", "dicatat_oleh", "dicatat_pada"]
    list_filter = ["tahap", "instansi"]
    list_select_related = ["instansi", "dicatat_oleh"]


@admin.register(Perhitungan)
class PerhitunganAdmin(ReadOnlyAdmin):
    list_display = ["periode", "instansi", "diantrekan", "dimulai", "selesai", "jumlah_penempatan", "galat"]
    list_filter = ["periode"]
    list_select_related = ["periode", "instansi"]


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    list_display = ["kind", "periode", "instansi", "status", "total_rows", "created_by", "created_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["periode", "instansi", "created_by"]


@admin.register(Simulasi)
class SimulasiAdmin(ReadOnlyAdmin):
    list_display = ["skema", "instansi", "periode", "status", "jumlah", "dibuat_oleh", "dibuat", "diadopsi_pada"]
    list_filter = ["status", "periode"]
    list_select_related = ["skema", "instansi", "periode", "dibuat_oleh"]


@admin.register(SimulasiPenempatan)
class SimulasiPenempatanAdmin(ReadOnlyAdmin):
    list_display = ["simulasi", "pegawai", "kotak_hitung", "kotak", "krs", "lengkap"]
    list_filter = ["kotak"]
    list_select_related = ["simulasi", "pegawai"]
    raw_id_fields = ["simulasi", "pegawai"]
