from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessment import selectors as assessment_selectors
from assessment.views import profile_section
from portal import documents, selectors, services
from portal.forms import (
    JendelaForm,
    KeberatanForm,
    KeputusanForm,
    TinjauanForm,
    UsulanPortofolioForm,
    VerifikasiPortofolioForm,
)
from portal.models import Keberatan, UsulanPortofolio


@require_GET
@login_required
def my_profile(request):
    """Profil talenta saya: the ASN's own placement explained as their profile explains it."""
    pegawai = selectors.my_pegawai(user=request.user)
    periode = assessment_selectors.periode_for_profile(tahun=request.GET.get("periode"))
    placement = assessment_selectors.placement_for_profile(pegawai=pegawai, periode=periode)
    return render(
        request,
        "portal/profile.html",
        {
            "pegawai": pegawai,
            "placement_section": profile_section(request, pegawai),
            "what_would_change": selectors.what_would_change(placement=placement) if placement else [],
            "placements": selectors.my_placements(user=request.user),
            "plan": selectors.my_development_plan(user=request.user),
            "succession": selectors.my_succession(user=request.user),
            "portfolio": selectors.my_portfolio_for_profile(user=request.user),
        },
    )


@require_GET
@login_required
def my_data_download(request):
    data = selectors.my_data_export(user=request.user)
    response = HttpResponse(documents.my_data_json(data), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="data-saya-{request.user.username}.json"'
    return response


# --- objections (keberatan) -------------------------------------------------------------------------


INBOX_PAGE_SIZE = 50


def _staff_only(user) -> None:
    """The staff's steps of the loop are no page of an ASN's: 404, as everywhere outside their portal."""
    if user.is_asn_account:
        raise Http404("Halaman ini tidak tersedia untuk akun ASN.")


def _say(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@require_GET
@login_required
def keberatan_list(request):
    """The ASN's own objections, each with its step, and the way to file a new one."""
    return render(
        request,
        "portal/keberatan_list.html",
        {
            "objections": selectors.my_objections(user=request.user),
            "windows": selectors.objection_windows_open(user=request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def keberatan_create(request):
    if not request.user.can_file_objection:
        raise Http404("Halaman ini hanya untuk akun ASN.")
    windows = selectors.objection_windows_open(user=request.user)
    form = KeberatanForm(request.POST or None, windows=windows)
    if request.method == "POST" and form.is_valid():
        try:
            objection = services.keberatan_submit(
                user=request.user,
                periode=form.cleaned_data["periode"],
                komponen=form.cleaned_data["komponen"],
                kategori=form.cleaned_data["kategori"],
                uraian=form.cleaned_data["uraian"],
                files=request.FILES.getlist("bukti"),
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, "Keberatan Anda telah diajukan.")
            return redirect("portal:keberatan-detail", pk=objection.pk)
    return render(
        request,
        "portal/keberatan_form.html",
        {"form": form, "windows": windows, "max_mb": services.EVIDENCE_MAX_BYTES // (1024 * 1024)},
    )


@require_GET
@login_required
def keberatan_detail(request, pk):
    objection = selectors.objection_detail(user=request.user, pk=pk)
    return render(
        request,
        "portal/keberatan_detail.html",
        {
            "objection": objection,
            "review_form": TinjauanForm(),
            "decision_form": KeputusanForm(),
            "may_review": request.user.may_review_objection(objection.instansi_id),
            "may_decide": request.user.may_decide_objection(objection.instansi_id),
        },
    )


@require_POST
@login_required
def keberatan_review(request, pk):
    _staff_only(request.user)
    objection = selectors.objection_detail(user=request.user, pk=pk)
    if not request.user.may_review_objection(objection.instansi_id):
        raise PermissionDenied("Hanya operator instansi ini yang meninjau keberatan.")
    form = TinjauanForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Tuliskan catatan tinjauan.")
        return redirect("portal:keberatan-detail", pk=pk)
    try:
        services.keberatan_review(user=request.user, keberatan=objection, catatan=form.cleaned_data["catatan"])
    except ValidationError as error:
        _say(request, error)
    else:
        messages.success(request, "Tinjauan disimpan; keberatan menunggu keputusan Tim Talenta.")
    return redirect("portal:keberatan-detail", pk=pk)


@require_POST
@login_required
def keberatan_decide(request, pk):
    _staff_only(request.user)
    objection = selectors.objection_detail(user=request.user, pk=pk)
    if not request.user.may_decide_objection(objection.instansi_id):
        raise PermissionDenied("Hanya Tim Talenta instansi ini yang memutuskan keberatan.")
    form = KeputusanForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pilih diterima atau ditolak dan tuliskan alasan keputusan.")
        return redirect("portal:keberatan-detail", pk=pk)
    try:
        services.keberatan_decide(
            user=request.user, keberatan=objection, hasil=form.cleaned_data["hasil"], alasan=form.cleaned_data["alasan"]
        )
    except ValidationError as error:
        _say(request, error)
    else:
        messages.success(request, "Keputusan keberatan disimpan dan dicatat di log keputusan.")
    return redirect("portal:keberatan-detail", pk=pk)


def _evidence_response(evidence) -> FileResponse:
    response = FileResponse(
        evidence.berkas.open("rb"), content_type=evidence.content_type, as_attachment=True, filename=evidence.nama_asli
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def keberatan_bukti(request, pk):
    """An evidence file, to those who may read its objection only; never a public URL."""
    return _evidence_response(selectors.objection_evidence(user=request.user, pk=pk))


@require_GET
@login_required
def keberatan_inbox(request):
    """The objections of the staff's instansi (or all, for BKN), open ones first."""
    status = request.GET.get("status", "")
    objections = selectors.objections_inbox(user=request.user, status=status)
    return render(
        request,
        "portal/keberatan_inbox.html",
        {
            "page": Paginator(objections, INBOX_PAGE_SIZE).get_page(request.GET.get("page")),
            "querystring": urlencode({"status": status}) if status else "",
            "status": status,
            "statuses": Keberatan.Status.choices,
            "may_manage_windows": request.user.can_write_data,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def keberatan_jendela(request):
    """The operator opens (or moves) the instansi's objection window for a period."""
    _staff_only(request.user)
    if not request.user.can_write_data:
        raise PermissionDenied("Hanya operator yang mengatur jendela keberatan.")
    form = JendelaForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.jendela_save(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, "Jendela keberatan disimpan.")
            return redirect("portal:keberatan-jendela")
    return render(
        request,
        "portal/keberatan_jendela.html",
        {"form": form, "windows": selectors.objection_windows(user=request.user)},
    )


# --- portfolio proposals ----------------------------------------------------------------------------


@require_GET
@login_required
def portofolio_list(request):
    """The ASN's own proposals with their status, and the way to propose a new one."""
    return render(request, "portal/portofolio_list.html", {"proposals": selectors.my_portfolio(user=request.user)})


@require_http_methods(["GET", "POST"])
@login_required
def portofolio_create(request):
    if not request.user.can_propose_portfolio:
        raise Http404("Halaman ini hanya untuk akun ASN.")
    form = UsulanPortofolioForm(request.POST or None, pegawai=request.user.pegawai)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.portofolio_submit(
                user=request.user, **form.cleaned_data, files=request.FILES.getlist("bukti")
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, "Usulan portofolio Anda telah diajukan dan menunggu verifikasi operator.")
            return redirect("portal:portofolio-detail", pk=proposal.pk)
    return render(
        request,
        "portal/portofolio_form.html",
        {"form": form, "max_mb": services.EVIDENCE_MAX_BYTES // (1024 * 1024)},
    )


@require_GET
@login_required
def portofolio_detail(request, pk):
    proposal = selectors.portfolio_detail(user=request.user, pk=pk)
    return render(
        request,
        "portal/portofolio_detail.html",
        {
            "proposal": proposal,
            "form": VerifikasiPortofolioForm(),
            "may_verify": request.user.may_verify_portfolio(proposal),
        },
    )


@require_POST
@login_required
def portofolio_verify(request, pk):
    _staff_only(request.user)
    proposal = selectors.portfolio_detail(user=request.user, pk=pk)
    if not request.user.may_verify_portfolio(proposal):
        raise PermissionDenied("Hanya operator yang mengelola data pegawai ini yang memverifikasi usulannya.")
    form = VerifikasiPortofolioForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pilih diverifikasi atau ditolak.")
        return redirect("portal:portofolio-detail", pk=pk)
    try:
        services.portofolio_verify(
            user=request.user, usulan=proposal, hasil=form.cleaned_data["hasil"], catatan=form.cleaned_data["catatan"]
        )
    except ValidationError as error:
        _say(request, error)
    else:
        messages.success(request, "Verifikasi usulan portofolio disimpan.")
    return redirect("portal:portofolio-detail", pk=pk)


@require_GET
@login_required
def portofolio_bukti(request, pk):
    """An evidence file, to those who may read its proposal only; never a public URL."""
    return _evidence_response(selectors.portfolio_evidence(user=request.user, pk=pk))


@require_GET
@login_required
def portofolio_inbox(request):
    """The proposals of the staff's instansi (or all, for BKN), those waiting first."""
    status = request.GET.get("status", "")
    proposals = selectors.portfolio_inbox(user=request.user, status=status)
    return render(
        request,
        "portal/portofolio_inbox.html",
        {
            "page": Paginator(proposals, INBOX_PAGE_SIZE).get_page(request.GET.get("page")),
            "status": status,
            "querystring": urlencode({"status": status}) if status else "",
            "statuses": UsulanPortofolio.Status.choices,
        },
    )


def portfolio_profile_section(request, pegawai):
    """The verified portfolio on the staff's pegawai profile (registered with asn): only what the
    operator has verified counts, so proposals still waiting are not shown there."""
    return render_to_string(
        "portal/_portofolio_section.html",
        {"proposals": selectors.verified_portfolio(user=request.user, pegawai=pegawai)},
        request=request,
    )
