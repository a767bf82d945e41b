from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .forms import PegawaiRulesMixin, UserRoleRulesMixin
from .models import Golongan, ImportJob, Instansi, Jabatan, Jenjang, Pegawai, Pendidikan, UnitKerja, User


class NoWritesAdminMixin:
    """An admin page that only shows: no add, change or delete path (for any ModelAdmin)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NoWritesAdminMixin, SimpleHistoryAdmin):
    """Records written by the product's own rules (pipeline, meetings, decisions): shown here, with
    their history where they have one, but changed only through the pages that keep those rules."""


class UserAdminCreationForm(UserRoleRulesMixin, AdminUserCreationForm):
    pass


class UserAdminChangeForm(UserRoleRulesMixin, UserChangeForm):
    pass


@admin.register(User)
class TalentaUserAdmin(SimpleHistoryAdmin, UserAdmin):
    # The same role rules as the account pages (/pengguna/).
    form = UserAdminChangeForm
    add_form = UserAdminCreationForm
    list_display = ["username", "first_name", "last_name", "role", "instansi", "is_active"]
    list_filter = ["role", "instansi", "is_active"]
    fieldsets = [
        *UserAdmin.fieldsets,
        ("Peran di Talenta", {"fields": ["role", "instansi", "nip"]}),
    ]
    add_fieldsets = [
        *UserAdmin.add_fieldsets,
        ("Peran di Talenta", {"fields": ["role", "instansi"]}),
    ]


@admin.register(Instansi)
class InstansiAdmin(admin.ModelAdmin):
    list_display = ["kode", "nama", "jenis", "singkatan_bkd", "jabatan_ppk"]
    search_fields = ["kode", "nama"]


@admin.register(Golongan)
class GolonganAdmin(admin.ModelAdmin):
    list_display = ["kode", "jenis_asn", "pangkat", "urutan"]
    list_filter = ["jenis_asn"]


@admin.register(Jenjang)
class JenjangAdmin(admin.ModelAdmin):
    list_display = ["nama", "kelompok", "level_standar", "bup", "urutan"]


@admin.register(Pendidikan)
class PendidikanAdmin(admin.ModelAdmin):
    list_display = ["kode", "nama", "urutan"]


@admin.register(UnitKerja)
class UnitKerjaAdmin(admin.ModelAdmin):
    list_display = ["nama", "instansi"]
    list_filter = ["instansi"]
    search_fields = ["nama"]


@admin.register(Jabatan)
class JabatanAdmin(SimpleHistoryAdmin):
    list_display = ["nama", "jenjang", "unit_kerja", "kritikal"]
    list_filter = ["jenjang", "kritikal", "unit_kerja__instansi"]
    search_fields = ["nama", "unit_kerja__nama"]
    list_select_related = ["jenjang", "unit_kerja"]
    autocomplete_fields = ["unit_kerja"]


class PegawaiAdminForm(PegawaiRulesMixin, forms.ModelForm):
    class Meta:
        model = Pegawai
        fields = [
            "nip",
            "nama",
            "gelar_depan",
            "gelar_belakang",
            "jenis_asn",
            "instansi",
            "jabatan",
            "golongan",
            "pendidikan",
            "tmt_jabatan",
        ]


@admin.register(Pegawai)
class PegawaiAdmin(SimpleHistoryAdmin):
    form = PegawaiAdminForm
    list_display = ["nip", "nama", "jenis_asn", "instansi", "jabatan", "golongan"]
    list_filter = ["jenis_asn", "instansi", "jabatan__jenjang"]
    search_fields = ["nip", "nama"]
    list_select_related = ["instansi", "jabatan__jenjang", "golongan"]
    raw_id_fields = ["jabatan"]
    readonly_fields = ["tanggal_lahir", "jenis_kelamin", "tmt_cpns", "tanggal_pensiun"]

    def save_model(self, request, obj, form, change):
        # The same write path as the pages: derived fields, rights and history.
        services.pegawai_save(user=request.user, pegawai=obj, data={})


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["original_name", "kind", "status", "created_by", "instansi", "created_at"]
    list_filter = ["kind", "status", "instansi"]
    readonly_fields = ["errors", "warnings", "summary"]
