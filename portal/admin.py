"""The objection loop and the portfolio proposals in the Django admin: to read, with their history;
the steps are taken on the pages, which keep the window, the roles and the decision log."""

from django.contrib import admin

from asn.admin import ReadOnlyAdmin

from .models import BuktiKeberatan, BuktiPortofolio, JendelaKeberatan, Keberatan, UsulanPortofolio


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


@admin.register(UsulanPortofolio)
class UsulanPortofolioAdmin(ReadOnlyAdmin):
    list_display = ["pk", "pegawai", "instansi", "jenis", "judul", "jp", "status", "diajukan", "diverifikasi"]
    list_filter = ["status", "jenis", "instansi"]
    list_select_related = ["pegawai", "instansi"]
    search_fields = ["pegawai__nip", "pegawai__nama", "judul"]


@admin.register(BuktiPortofolio)
class BuktiPortofolioAdmin(ReadOnlyAdmin):
    list_display = ["nama_asli", "usulan", "jenis", "ukuran", "diunggah"]
    # As for an objection's evidence: read through its view only.
    exclude = ["berkas"]
