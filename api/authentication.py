from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from asn.models import Role

from .services import token_authenticate


class TokenAuthentication(BaseAuthentication):
    """`Authorization: Token <kunci>` with a personal token (api.ApiToken).

    Listed before session authentication, so that a request without credentials gets 401 with
    `WWW-Authenticate: Token` instead of 403.
    """

    keyword = "Token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("Header Authorization harus berbentuk 'Token <kunci>'.")
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed("Kunci token hanya berisi huruf dan angka.") from None
        token = token_authenticate(key=key)
        if token is None or token.user.role == Role.PEGAWAI:
            raise AuthenticationFailed("Token tidak valid atau sudah dicabut.")
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
