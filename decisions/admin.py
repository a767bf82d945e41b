"""The decision log in the Django admin: to read only. No add, change or delete path exists for it."""

from django.contrib import admin

from asn.admin import NoWritesAdminMixin

from .models import EntriKeputusan, RantaiKeputusan


class AppendOnlyAdmin(NoWritesAdminMixin, admin.ModelAdmin):
    """The chain is its own history: no simple-history views here."""


@admin.register(RantaiKeputusan)
class RantaiKeputusanAdmin(AppendOnlyAdmin):
    list_display = ["kunci", "panjang", "hash_kepala", "diperiksa", "rusak"]


@admin.register(EntriKeputusan)
class EntriKeputusanAdmin(AppendOnlyAdmin):
    list_display = ["rantai", "urutan", "jenis", "objek", "oleh_nama", "waktu"]
    list_filter = ["rantai", "jenis"]
    list_select_related = ["rantai"]
    search_fields = ["objek", "oleh_nama", "justifikasi"]
