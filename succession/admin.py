"""Succession records in the Django admin, read-only: targets and candidates are computed by the
pipeline, nominations and plans follow the decision rules of the succession pages."""

from django.contrib import admin

from asn.admin import ReadOnlyAdmin

from .models import ItemRencana, Kandidat, Nominasi, PengangkatanDiluarRencana, TargetSuksesi


@admin.register(TargetSuksesi)
class TargetSuksesiAdmin(ReadOnlyAdmin):
    list_display = ["jabatan", "periode", "instansi", "alasan", "jumlah_kandidat", "dihitung"]
    list_filter = ["periode", "instansi"]
    list_select_related = ["jabatan", "periode", "instansi"]
    search_fields = ["jabatan__nama"]


@admin.register(Kandidat)
class KandidatAdmin(ReadOnlyAdmin):
    list_display = ["target", "peringkat", "pegawai", "jpm_target", "kesiapan"]
    list_filter = ["target__periode", "target__instansi"]
    list_select_related = ["target__jabatan", "pegawai"]
    search_fields = ["pegawai__nip", "pegawai__nama", "target__jabatan__nama"]


@admin.register(Nominasi)
class NominasiAdmin(ReadOnlyAdmin):
    list_display = ["pegawai", "jabatan", "periode", "instansi", "status", "urutan", "perlu_ditinjau"]
    list_filter = ["periode", "instansi", "status", "perlu_ditinjau"]
    list_select_related = ["pegawai", "jabatan", "periode", "instansi"]
    search_fields = ["pegawai__nip", "pegawai__nama", "jabatan__nama"]


@admin.register(PengangkatanDiluarRencana)
class PengangkatanDiluarRencanaAdmin(ReadOnlyAdmin):
    list_display = ["pegawai", "jabatan", "periode", "instansi", "terdeteksi", "dicatat_oleh"]
    list_filter = ["periode", "instansi"]
    list_select_related = ["pegawai", "jabatan", "periode", "instansi", "dicatat_oleh"]


@admin.register(ItemRencana)
class ItemRencanaAdmin(ReadOnlyAdmin):
    list_display = ["judul", "nominasi", "jenis", "tanggal_target", "status"]
    list_filter = ["jenis", "status", "nominasi__instansi"]
    list_select_related = ["nominasi__pegawai"]
