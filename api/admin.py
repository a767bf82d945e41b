from django.contrib import admin, messages

from .models import ApiToken
from .services import token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are listed and revoked here; they are created at /api/v1/token/, where the key is shown once."""

    list_display = ["nama", "user", "awalan", "dibuat", "terakhir_dipakai", "dicabut"]
    list_filter = [("dicabut", admin.EmptyFieldListFilter), "user__role"]
    search_fields = ["nama", "awalan", "user__username"]
    list_select_related = ["user"]
    readonly_fields = [
        "user",
        "nama",
        "awalan",
        "dibuat",
        "dibuat_oleh",
        "terakhir_dipakai",
        "dicabut",
        "dicabut_oleh",
    ]
    exclude = ["kunci_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # Revoked tokens stay for the record of who used the API.
        return False

    @admin.action(description="Cabut token terpilih")
    def revoke(self, request, queryset):
        for token in queryset.select_related("user"):
            token_revoke(actor=request.user, token=token)
        messages.success(request, f"{queryset.count()} token dicabut.")
