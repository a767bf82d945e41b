"""Helpers every API view shares: query parameters, the instansi a request is about, import errors."""

from django.shortcuts import get_object_or_404
from rest_framework.exceptions import ValidationError

from asn import nip as nip_rules
from asn.selectors import instansi_for_user
from assessment.selectors import freshness


def query_params(request, serializer_class) -> dict:
    """The validated query parameters (400 with the messages per parameter)."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def instansi_param(user, kode: str | None, *, required: bool = False):
    """The instansi a request names by kode (404 outside the user's scope), else the user's own.

    Province-wide users (BKN, admin) have no own instansi: with `required`, they must name one.
    """
    visible = instansi_for_user(user=user)
    if kode:
        return get_object_or_404(visible, kode=kode)
    if not user.sees_all_instansi:
        return get_object_or_404(visible, pk=user.instansi_id)
    if required:
        raise ValidationError({"instansi": ["Pilih instansi (kode Kemendagri, mis. 6101)."]})
    return None


def row_errors(errors) -> list[dict]:
    """Import RowErrors in the API's vocabulary."""
    return [{"baris": e.row, "kolom": e.column, "nilai": e.value, "pesan": e.message} for e in errors]


def normalized_nip(value: str) -> str:
    """A NIP as typed (spaces between the groups allowed), as stored."""
    return nip_rules.normalize(value.strip())


class FreshnessHeaders:
    """Answers with derived data say when it was computed and whether a refresh is pending.

    `Talenta-Dihitung`: when the oldest refresh of the instansi in view finished (ISO 8601; empty
    while one was never computed). `Talenta-Status-Hitung`: `selesai`, `antre` or `berjalan`.
    A view calls `note_freshness` with the period and instansi (None: every instansi in view).
    """

    freshness_scope = None

    def note_freshness(self, periode, instansi=None) -> None:
        self.freshness_scope = (periode, instansi)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.freshness_scope is not None and 200 <= response.status_code < 300:
            periode, instansi = self.freshness_scope
            state = freshness(user=request.user, periode=periode, instansi=instansi)
            response["Talenta-Dihitung"] = state["dihitung"].isoformat() if state["dihitung"] else ""
            response["Talenta-Status-Hitung"] = (
                "berjalan" if state["berjalan"] else "antre" if state["antre"] else "selesai"
            )
        return response
