"""Writes of the API app itself: personal tokens. Domain writes go through the apps' own services."""

import datetime as dt
import secrets

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from .models import ApiToken, hash_key

# How stale `terakhir_dipakai` may get: at most one write a minute per token.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def token_create(*, actor, owner, nama: str) -> tuple[ApiToken, str]:
    """A new token for `owner`; returns it with the key, which is shown this once and never again."""
    if not actor.may_manage_tokens(owner):
        raise PermissionDenied("Anda tidak berhak membuat token untuk pengguna ini.")
    key = secrets.token_hex(20)
    token = ApiToken(user=owner, nama=nama, awalan=key[:8], kunci_hash=hash_key(key), dibuat_oleh=actor)
    token.full_clean()
    token.save()
    return token, key


def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Revoke a token for good; revoking twice keeps the first time."""
    if not actor.may_manage_tokens(token.user):
        raise PermissionDenied("Anda tidak berhak mencabut token ini.")
    now = timezone.now()
    if ApiToken.objects.filter(pk=token.pk, dicabut__isnull=True).update(dicabut=now, dicabut_oleh=actor):
        token.dicabut, token.dicabut_oleh = now, actor
    else:
        token.refresh_from_db(fields=["dicabut", "dicabut_oleh"])
    return token


def token_authenticate(*, key: str) -> ApiToken | None:
    """The active token with this key (its user loaded), touching its last-used time; else None."""
    token = ApiToken.objects.active().select_related("user__instansi").filter(kunci_hash=hash_key(key)).first()
    if token is None:
        return None
    now = timezone.now()
    if token.terakhir_dipakai is None or token.terakhir_dipakai < now - LAST_USED_RESOLUTION:
        # Conditional, so concurrent requests of one token write once.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(terakhir_dipakai__isnull=True) | Q(terakhir_dipakai__lt=now - LAST_USED_RESOLUTION)
        ).update(terakhir_dipakai=now)
        token.terakhir_dipakai = now
    return token
