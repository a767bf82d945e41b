import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q


def hash_key(key: str) -> str:
    """Only this hash is stored: a leaked database does not leak usable keys."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def for_user(self, user):
        """The tokens `user` may list and revoke: their own, plus their scope's for admins."""
        if not user.is_authenticated:
            return self.none()
        if not user.is_talenta_admin:
            return self.filter(user=user)
        if user.sees_all_instansi:
            return self
        return self.filter(Q(user=user) | Q(user__instansi_id=user.instansi_id))

    def active(self):
        return self.filter(dicabut__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A personal API key: `Authorization: Token <kunci>`; the key itself is shown once and never stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="pengguna"
    )
    nama = models.CharField(max_length=100, help_text="untuk apa token ini, mis. 'SIMPEG Kab. Sambas'")
    awalan = models.CharField(max_length=8, help_text="8 karakter pertama kunci, untuk mengenali token")
    kunci_hash = models.CharField("hash kunci (SHA-256)", max_length=64, unique=True)
    dibuat = models.DateTimeField(auto_now_add=True)
    dibuat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Updated at most once a minute, so that reading the API is not a write per request.
    terakhir_dipakai = models.DateTimeField("terakhir dipakai", null=True, blank=True)
    dicabut = models.DateTimeField("dicabut pada", null=True, blank=True)
    dicabut_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-dibuat", "-id"]
        verbose_name = "token API"
        verbose_name_plural = "token API"

    def __str__(self):
        return f"{self.nama} ({self.awalan}…)"

    @property
    def aktif(self) -> bool:
        return self.dicabut is None
