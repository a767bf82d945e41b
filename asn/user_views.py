"""Account management pages: admins for every instansi, an instansi's own staff for its accounts."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from talenta.tabular import write_xlsx

from . import selectors, services
from .forms import AsnAccountsForm, PasswordChangeRequiredForm, PasswordSetForm, UserAccountForm, UserFilterForm
from .models import Role, User

PAGE_SIZE = 50


@login_required
def user_list(request):
    form = UserFilterForm(request.GET or None, actor=request.user)
    accounts = selectors.users_for_manager(user=request.user, **form.filters())
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(request, "asn/user_list.html", {"form": form, "page": page, "querystring": querystring.urlencode()})


def _show_link(request, account, path, *, created):
    """The one time the link is shown: rendered into this response only, never stored or cached."""
    response = render(
        request,
        "asn/user_link.html",
        {"account": account, "link": request.build_absolute_uri(path), "created": created},
    )
    add_never_cache_headers(response)
    return response


@login_required
def user_create(request):
    if not request.user.can_manage_users:
        raise PermissionDenied
    form = UserAccountForm(request.POST or None, instance=User(), actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            account = services.user_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            path = services.user_password_link(actor=request.user, account=account)
            return _show_link(request, account, path, created=True)
    return render(request, "asn/user_form.html", {"form": form, "account": None})


@login_required
def user_detail(request, pk):
    account = selectors.user_get_for_manager(user=request.user, pk=pk)
    form = UserAccountForm(request.POST or None, instance=account, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(actor=request.user, account=account, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Akun {account.username} diperbarui.")
            return redirect("users:detail", pk=account.pk)
    return render(
        request,
        "asn/user_form.html",
        {
            "form": form,
            "account": account,
            "history": selectors.user_history(account=account),
            "lockouts": selectors.user_lockouts(account=account),
        },
    )


@require_POST
@login_required
def user_set_active(request, pk):
    account = selectors.user_get_for_manager(user=request.user, pk=pk)
    active = {"1": True, "0": False}.get(request.POST.get("aktif", ""))
    if active is None:
        messages.error(request, "Status akun tidak dikenal; pilih aktifkan atau nonaktifkan.")
        return redirect("users:detail", pk=account.pk)
    try:
        services.user_set_active(actor=request.user, account=account, active=active)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        state = "diaktifkan kembali" if active else "dinonaktifkan; akun ini tidak dapat masuk lagi"
        messages.success(request, f"Akun {account.username} {state}.")
    return redirect("users:detail", pk=account.pk)


@require_POST
@login_required
def user_unlock(request, pk):
    account = selectors.user_get_for_manager(user=request.user, pk=pk)
    if services.user_unlock(actor=request.user, account=account):
        messages.success(request, f"Kunci masuk akun {account.username} dibuka; pemiliknya dapat masuk lagi.")
    else:
        messages.info(request, f"Akun {account.username} tidak sedang terkunci.")
    return redirect("users:detail", pk=account.pk)


@require_POST
@login_required
def user_password_link(request, pk):
    account = selectors.user_get_for_manager(user=request.user, pk=pk)
    try:
        path = services.user_password_link(actor=request.user, account=account)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("users:detail", pk=account.pk)
    return _show_link(request, account, path, created=False)


password_set = auth_views.PasswordResetConfirmView.as_view(
    form_class=PasswordSetForm,
    template_name="registration/password_set.html",
    success_url=reverse_lazy("password-set-done"),
)
password_set_done = auth_views.PasswordResetCompleteView.as_view(template_name="registration/password_set_done.html")


# The credentials of the last bulk run, kept in the operator's own session until downloaded once.
_SHEET_SESSION_KEY = "akun_asn_lembar"


def _asn_accounts_instansi(request):
    """The instansi whose ASN accounts are opened: one's own, or the one a province admin picked."""
    form = AsnAccountsForm(request.POST or request.GET or None, actor=request.user)
    if not request.user.sees_all_instansi:
        return form, request.user.instansi
    return form, (form.cleaned_data["instansi"] if form.is_valid() else None)


def _check_opens_asn_accounts(user) -> None:
    if Role.PEGAWAI not in user.manageable_roles:
        raise PermissionDenied


@login_required
def asn_accounts(request):
    _check_opens_asn_accounts(request.user)
    form, instansi = _asn_accounts_instansi(request)
    if request.method == "POST" and instansi is not None:
        credentials = services.asn_accounts_create(actor=request.user, instansi=instansi)
        request.session[_SHEET_SESSION_KEY] = {
            "instansi": instansi.kode,
            "baris": [[c.nip, c.nama, c.unit_kerja, c.sandi] for c in credentials],
        }
        response = render(request, "asn/asn_accounts_created.html", {"instansi": instansi, "credentials": credentials})
        # The one time the passwords are shown: never cached by the browser or a proxy.
        add_never_cache_headers(response)
        return response
    summary = selectors.asn_accounts_summary(user=request.user, instansi=instansi) if instansi else None
    return render(request, "asn/asn_accounts.html", {"form": form, "instansi": instansi, "summary": summary})


@require_POST
@login_required
def asn_accounts_sheet(request):
    """The sheet of one-time passwords, once: downloading it removes it from the session."""
    _check_opens_asn_accounts(request.user)
    sheet = request.session.pop(_SHEET_SESSION_KEY, None)
    if sheet is None:
        messages.error(
            request,
            "Lembar sandi sekali pakai sudah diunduh atau tidak ada. Untuk akun yang sandinya hilang, "
            "buat tautan atur sandi dari halaman akunnya.",
        )
        return redirect("users:asn-accounts")
    response = HttpResponse(
        write_xlsx(
            ["NIP (nama pengguna)", "Nama", "Unit kerja", "Sandi sekali pakai"], sheet["baris"], sheet_title="Akun ASN"
        ),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="akun-asn-{sheet["instansi"]}.xlsx"'
    add_never_cache_headers(response)
    return response


password_change = auth_views.PasswordChangeView.as_view(
    form_class=PasswordChangeRequiredForm,
    template_name="registration/password_change.html",
    success_url=reverse_lazy("password-change-done"),
)
# Django's done page answers anyone; it says "your password changed", so only to the signed-in.
password_change_done = login_required(
    auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_change_done.html")
)
