"""The objection loop in the Django admin: to read, with its history; the steps are taken on the
pages, which keep the window, the roles and the decision log."""

from django.contrib import admin

from asn.admin import ReadOnlyAdmin

from .models import BuktiKeberatan, JendelaKeberatan, Keberatan


@admin.register(JendelaKeberatan)
class JendelaKeberatanAdmin(ReadOnlyAdmin):
    list_display = ["periode", "instansi", "dibuka", "ditutup", "diubah_oleh"]
    list_filter = ["instansi", "periode"]


@admin.register(Keberatan)
class KeberatanAdmin(ReadOnlyAdmin):
    list_display = ["pk", "pegawai", "instansi", "periode", "komponen", "status", "diajukan", "diputuskan"]
    list_filter = ["status", "komponen", "instansi"]
    list_select_related = ["pegawai", "instansi", "periode"]
    search_fields = ["pegawai__nip", "pegawai__nama"]


@admin.register(BuktiKeberatan)
class BuktiKeberatanAdmin(ReadOnlyAdmin):
    list_display = ["nama_asli", "keberatan", "jenis", "ukuran", "diunggah"]
    # The file's storage path is not shown: evidence is read through its view only.
    exclude = ["berkas"]
