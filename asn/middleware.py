"""Two page gates in front of every view, both decided by the signed-in account alone."""

from django.http import Http404
from django.shortcuts import redirect

# The pages an account may open while it must still replace its one-time password.
PASSWORD_CHANGE_PAGES = frozenset({"password-change", "password-change-done", "logout"})

# An ASN account (role Pegawai) has the ASN portal and the account pages; every other page is
# about other people or about running the instansi, so it is 404 to them, as the tenancy gate
# answers for rows that are not their own (a 403 would tell them the page exists).
ASN_NAMESPACES = frozenset({"portal"})
# Pages of other apps that an ASN page embeds: the freshness line of their own placement polls.
ASN_SHARED_PAGES = frozenset({("assessment", "kesegaran")})
ASN_PAGES = frozenset(
    {
        "home",
        "login",
        "logout",
        "password-set",
        "password-set-done",
        "password-change",
        "password-change-done",
        "healthz",
        "readyz",
    }
)


def _url_name(request) -> tuple[str, str]:
    match = request.resolver_match
    return match.namespace, match.url_name


def _asn_may_open(namespace: str, name: str) -> bool:
    if namespace:
        return namespace in ASN_NAMESPACES or (namespace, name) in ASN_SHARED_PAGES
    return name in ASN_PAGES


class AccountGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        namespace, name = _url_name(request)
        if user.wajib_ganti_sandi and (namespace or name not in PASSWORD_CHANGE_PAGES):
            return redirect("password-change")
        if user.is_asn_account and not _asn_may_open(namespace, name):
            raise Http404("Halaman ini tidak tersedia untuk akun ASN.")
        return None
