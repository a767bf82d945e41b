"""One permission class per rule; the rules themselves are in asn.permissions (User properties).

Object-level access (404 for another instansi, 403 for a read-only role) stays in the apps'
selectors (`pegawai_get_for_user(write=True)` and friends), which the views call.
"""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from .authentication import TokenAuthentication


class ReadsOrWritesData(BasePermission):
    """Everyone signed in reads (their scope); only data writers (operator, admin) write."""

    message = "Peran Anda hanya dapat membaca data."

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or request.user.can_write_data


class WritesData(BasePermission):
    message = "Peran Anda hanya dapat membaca data."

    def has_permission(self, request, view):
        return request.user.can_write_data


class BrowserSessionForNewTokens(BasePermission):
    """A token cannot mint another token: new keys come from a signed-in browser session (with CSRF)."""

    message = "Token baru hanya dapat dibuat dari sesi browser (masuk dengan kata sandi), bukan dengan token."

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS or request.method == "DELETE":
            return True
        return not isinstance(request.successful_authenticator, TokenAuthentication)
