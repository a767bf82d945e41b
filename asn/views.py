from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from talenta.tabular import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE

from . import documents, selectors, services
from .forms import ImportUploadForm, PegawaiFilterForm, PegawaiForm
from .models import ImportStatus, Pegawai, PemetaanSiasn

PAGE_SIZE = 25

# Other apps add their part of the pegawai profile here (placements, records): each entry is
# called with (request, pegawai) and returns the rendered HTML of its section.
profile_sections: list = []


@login_required
def home(request):
    user = request.user
    return render(
        request,
        "home.html",
        {
            "instansi_rows": selectors.instansi_pegawai_counts(user=user),
            # Only the roles that import see them (a PPK or Tim Talenta cannot open an import).
            "recent_imports": selectors.import_jobs_recent(user=user, limit=5) if user.can_write_data else [],
        },
    )


@login_required
def pegawai_list(request):
    form = PegawaiFilterForm(request.GET or None, user=request.user)
    lookups, query = {}, ""
    if form.is_bound and form.is_valid():
        lookups, query = form.lookups(), form.cleaned_data["q"]
    pegawai = selectors.pegawai_search(user=request.user, query=query, filters=lookups)
    page = Paginator(pegawai, PAGE_SIZE).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(
        request,
        "asn/pegawai_list.html",
        {"form": form, "page": page, "querystring": querystring.urlencode()},
    )


@login_required
def pegawai_detail(request, pk):
    pegawai = selectors.pegawai_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "asn/pegawai_detail.html",
        {
            "pegawai": pegawai,
            "history": selectors.pegawai_history(pegawai=pegawai),
            "can_edit": request.user.may_write_pegawai(pegawai),
            "sections": [section(request, pegawai) for section in profile_sections],
        },
    )


def _save_pegawai_form(request, pegawai, *, created):
    form = PegawaiForm(request.POST or None, instance=pegawai, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.pegawai_save(user=request.user, pegawai=pegawai, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Pegawai {saved.nama} {'ditambahkan' if created else 'diperbarui'}.")
            return redirect("asn:pegawai-detail", pk=saved.pk)
    return render(request, "asn/pegawai_form.html", {"form": form, "pegawai": pegawai, "created": created})


@login_required
def pegawai_create(request):
    if not request.user.can_write_records:
        raise PermissionDenied
    return _save_pegawai_form(request, Pegawai(), created=True)


@login_required
def pegawai_update(request, pk):
    pegawai = selectors.pegawai_get_for_user(user=request.user, pk=pk, write=True)
    return _save_pegawai_form(request, pegawai, created=False)


@login_required
def import_upload(request):
    if not request.user.can_write_records:
        raise PermissionDenied
    form = ImportUploadForm(
        request.POST or None, request.FILES or None, initial={"kind": request.GET.get("jenis")}, actor=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_job_start(
                user=request.user, kind=form.cleaned_data["kind"], uploaded_file=form.cleaned_data["file"]
            )
        except ValidationError as exc:
            # The job queue is down: nothing was stored; the form stays filled in to send again.
            messages.error(request, exc.messages[0])
        else:
            return redirect("asn:import-detail", pk=job.pk)
    return render(
        request,
        "asn/import_upload.html",
        {
            "form": form,
            "kinds": services.IMPORT_KINDS,
            "recent": selectors.import_jobs_recent(user=request.user),
        },
    )


@login_required
def import_detail(request, pk):
    job = selectors.import_job_get_for_user(user=request.user, pk=pk)
    services.import_job_fail_if_stale(job=job)
    can_write = request.user.can_write_records
    context = {
        "job": job,
        "progress": selectors.import_job_progress(job),
        "can_confirm": job.status == ImportStatus.VALID and can_write,
        "can_retry": job.status == ImportStatus.FAILED and can_write,
        "can_map": job.status == ImportStatus.MAPPING and can_write,
        "questions": _questions_with_options(job, request.user) if job.status == ImportStatus.MAPPING else [],
    }
    template = "asn/_import_status.html" if request.htmx else "asn/import_detail.html"
    return render(request, template, context)


@require_POST
@login_required
def import_confirm(request, pk):
    job = selectors.import_job_get_for_user(user=request.user, pk=pk)
    try:
        services.import_job_confirm(
            user=request.user, job=job, accepted_structure=request.POST.get("struktur_diterima", "")
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("asn:import-detail", pk=job.pk)


def _questions_with_options(job, user) -> list[dict]:
    options = selectors.siasn_mapping_options(user=user) if user.can_write_data else {}
    labels = dict(PemetaanSiasn.Jenis.choices)
    return [
        {**q, "field": f"q{index}", "label": labels[q["jenis"]], "options": options.get(q["jenis"], {})}
        for index, q in enumerate(job.summary.get("pemetaan", []))
    ]


@require_POST
@login_required
def import_mapping(request, pk):
    """The operator's answers to a SIASN file's questions: saved for the instansi, then validated again."""
    job = selectors.import_job_get_for_user(user=request.user, pk=pk)
    if not request.user.can_write_data:
        raise PermissionDenied
    answers = [
        (q["instansi"], q["jenis"], q["nilai"], request.POST.get(f"q{index}", ""))
        for index, q in enumerate(job.summary.get("pemetaan", []))
    ]
    try:
        services.import_job_map(user=request.user, job=job, answers=answers)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"{len(answers)} pemetaan nilai SIASN disimpan; berkas diperiksa ulang.")
    return redirect("asn:import-detail", pk=job.pk)


@login_required
def siasn_mapping_list(request):
    mappings = selectors.siasn_mappings_for_user(user=request.user)
    return render(
        request,
        "asn/siasn_mapping_list.html",
        {"mappings": mappings, "options": selectors.siasn_mapping_options(user=request.user)},
    )


@require_POST
@login_required
def siasn_mapping_update(request, pk):
    mapping = selectors.siasn_mapping_get_for_user(user=request.user, pk=pk)
    try:
        services.siasn_mapping_update(
            user=request.user, mapping=mapping, nilai_talenta=request.POST.get("nilai_talenta", "")
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f'Pemetaan "{mapping.nilai_siasn}" diubah menjadi {mapping.nilai_talenta}.')
    return redirect("asn:siasn-mapping-list")


@require_POST
@login_required
def siasn_mapping_delete(request, pk):
    mapping = selectors.siasn_mapping_get_for_user(user=request.user, pk=pk)
    services.siasn_mapping_delete(user=request.user, mapping=mapping)
    messages.success(request, f'Pemetaan "{mapping.nilai_siasn}" dihapus; impor berikutnya menanyakannya lagi.')
    return redirect("asn:siasn-mapping-list")


@require_POST
@login_required
def import_retry(request, pk):
    job = selectors.import_job_get_for_user(user=request.user, pk=pk)
    try:
        services.import_job_retry(user=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("asn:import-detail", pk=job.pk)


@login_required
def import_template(request, kind):
    handler = services.IMPORT_KINDS.get(kind)
    if handler is None:
        raise Http404
    if request.GET.get("format") == "csv":
        body, content_type, suffix = documents.import_template_csv(kind=kind), CSV_CONTENT_TYPE, "csv"
    else:
        body, content_type, suffix = documents.import_template_xlsx(kind=kind), XLSX_CONTENT_TYPE, "xlsx"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="templat-{kind}.{suffix}"'
    return response
