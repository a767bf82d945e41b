from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from asn.models import Instansi
from asn.selectors import pegawai_get_for_user
from talenta import progress
from talenta.tabular import write_csv, write_xlsx

from . import selectors, services
from .forms import AsesmenForm, DisiplinForm, PeriodeForm, PilihSkemaForm, SkemaCopyForm, SkpForm
from .models import Asesmen, HukumanDisiplin, Periode, Skema, SkpResult
from .tasks import recompute_placements_task

RECORD_KINDS = {
    "skp": (SkpResult, SkpForm, "hasil SKP"),
    "asesmen": (Asesmen, AsesmenForm, "hasil asesmen"),
    "disiplin": (HukumanDisiplin, DisiplinForm, "hukuman disiplin"),
}


def _record_kind(kind):
    try:
        return RECORD_KINDS[kind]
    except KeyError:
        raise Http404 from None


def profile_section(request, pegawai):
    """The placement and the scoring data on the pegawai profile (registered with asn)."""
    periode_param = request.GET.get("periode")
    periode = Periode.objects.filter(tahun=periode_param).first() if periode_param else selectors.periode_latest()
    placement = selectors.placement_for_profile(pegawai=pegawai, periode=periode)
    explanation = selectors.placement_explanation(placement=placement) if placement else None
    skp = list(selectors.skp_history(pegawai=pegawai))
    return render_to_string(
        "assessment/_profile_section.html",
        {
            "pegawai": pegawai,
            "periode": periode,
            "periods": Periode.objects.all(),
            "placement": placement,
            "explanation": explanation,
            "skp": skp,
            "skp_trend": {"tahun": [s.tahun for s in skp], "predikat": [s.predikat for s in skp]},
            "asesmen": selectors.asesmen_list(pegawai=pegawai),
            "disiplin": selectors.disiplin_list(pegawai=pegawai),
            "can_edit": request.user.may_write_instansi(pegawai.instansi_id),
        },
        request=request,
    )


@login_required
def record_create(request, pegawai_pk, kind):
    model, form_class, label = _record_kind(kind)
    pegawai = pegawai_get_for_user(user=request.user, pk=pegawai_pk, write=True)
    return _record_form(request, kind, model(pegawai=pegawai), form_class, label, created=True)


@login_required
def record_update(request, kind, pk):
    model, form_class, label = _record_kind(kind)
    record = selectors.record_get_for_user(model=model, user=request.user, pk=pk, write=True)
    return _record_form(request, kind, record, form_class, label, created=False)


def _record_form(request, kind, record, form_class, label, *, created):
    form = form_class(request.POST or None, instance=record, pegawai=record.pegawai)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_save(user=request.user, record=record, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Data {label} {'ditambahkan' if created else 'diperbarui'}.")
            return redirect(reverse("asn:pegawai-detail", args=[record.pegawai_id]) + "#data-penilaian")
    return render(
        request,
        "assessment/record_form.html",
        {
            "form": form,
            "kind": kind,
            "record": record,
            "label": label,
            "created": created,
            "pegawai": record.pegawai,
        },
    )


@require_POST
@login_required
def record_delete(request, kind, pk):
    model, _, label = _record_kind(kind)
    record = selectors.record_get_for_user(model=model, user=request.user, pk=pk, write=True)
    pegawai_id = record.pegawai_id
    services.record_delete(user=request.user, record=record)
    messages.success(request, f"Data {label} dihapus.")
    return redirect(reverse("asn:pegawai-detail", args=[pegawai_id]) + "#data-penilaian")


# --- periods ----------------------------------------------------------------------------------------


def _is_province_admin(user) -> bool:
    return user.sees_all_instansi and user.can_write_data


@login_required
def periode_list(request):
    form = PeriodeForm(request.POST or None)
    if request.method == "POST":
        if not _is_province_admin(request.user):
            raise PermissionDenied
        if form.is_valid():
            try:
                periode = services.periode_create(**form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"Periode {periode.tahun} dibuat.")
                return redirect("assessment:periode-detail", tahun=periode.tahun)
    return render(
        request,
        "assessment/periode_list.html",
        {"periods": Periode.objects.all(), "form": form, "can_create": _is_province_admin(request.user)},
    )


@login_required
def periode_detail(request, tahun):
    periode = selectors.periode_get(tahun=tahun)
    visible = Instansi.objects.for_user(request.user)
    return render(
        request,
        "assessment/periode_detail.html",
        {
            "periode": periode,
            "summary": selectors.periode_summary(user=request.user, periode=periode),
            "pilihan": {
                p.instansi_id: p.skema for p in selectors.pilihan_skema_for_user(user=request.user, periode=periode)
            },
            "visible_instansi": visible,
            "can_recompute": request.user.can_write_data and not periode.is_closed,
            "can_manage": _is_province_admin(request.user),
            "statuses": Periode.Status.choices,
            "progress": progress.read(services.recompute_progress_name(periode.pk, _scope_instansi_id(request.user))),
        },
    )


def _scope_instansi_id(user):
    return None if user.sees_all_instansi else user.instansi_id


@require_POST
@login_required
def periode_recompute(request, tahun):
    periode = selectors.periode_get(tahun=tahun)
    if not request.user.can_write_data:
        raise PermissionDenied
    if periode.is_closed:
        messages.error(request, "Periode yang sudah ditutup tidak dapat dihitung ulang.")
    else:
        instansi_id = _scope_instansi_id(request.user)
        recompute_placements_task.delay_on_commit(periode.pk, instansi_id)
        messages.success(request, "Perhitungan ulang dijadwalkan; hasil tampil setelah selesai.")
    return redirect("assessment:periode-detail", tahun=tahun)


@require_POST
@login_required
def periode_status(request, tahun):
    periode = selectors.periode_get(tahun=tahun)
    if not _is_province_admin(request.user):
        raise PermissionDenied
    status = request.POST.get("status")
    if status not in Periode.Status.values:
        messages.error(request, "Status tidak dikenal.")
    else:
        try:
            services.periode_set_status(periode=periode, status=status)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, f"Status periode {tahun}: {periode.get_status_display()}.")
    return redirect("assessment:periode-detail", tahun=tahun)


@login_required
def periode_export(request, tahun):
    periode = selectors.periode_get(tahun=tahun)
    instansi = None
    if request.GET.get("instansi"):
        instansi = get_object_or_404(Instansi.objects.for_user(request.user), kode=request.GET["instansi"])
    rows = selectors.talent_map_export_rows(user=request.user, periode=periode, instansi=instansi)
    name = f"peta-talenta-{tahun}{'-' + instansi.kode if instansi else ''}"
    if request.GET.get("format") == "csv":
        response = HttpResponse(write_csv(selectors.EXPORT_COLUMNS, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    body = write_xlsx(selectors.EXPORT_COLUMNS, rows, sheet_title=f"Peta talenta {tahun}")
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


# --- schemes ---------------------------------------------------------------------------------------


@login_required
def skema_list(request):
    periode = selectors.periode_latest()
    return render(
        request,
        "assessment/skema_list.html",
        {
            "schemes": selectors.skema_for_user(user=request.user),
            "periode": periode,
            "can_manage": request.user.is_talenta_admin,
        },
    )


@login_required
def skema_copy(request, pk):
    source = get_object_or_404(selectors.skema_for_user(user=request.user), pk=pk)
    if not request.user.is_talenta_admin:
        raise PermissionDenied
    initial = {name: getattr(source, name) for name in services.SCHEME_NUMBER_FIELDS}
    initial["nama"] = f"{source.nama} (salinan)"
    form = SkemaCopyForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            skema = services.skema_copy(
                user=request.user,
                source=source,
                instansi=form.cleaned_data["instansi"],
                nama=form.cleaned_data["nama"],
                values=form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Skema {skema.nama} dibuat untuk {skema.instansi.nama}.")
            return redirect("assessment:skema-list")
    return render(request, "assessment/skema_form.html", {"form": form, "source": source})


@require_POST
@login_required
def skema_choose(request, tahun, instansi_kode):
    periode = selectors.periode_get(tahun=tahun)
    instansi = get_object_or_404(Instansi.objects.for_user(request.user), kode=instansi_kode)
    if not request.user.is_talenta_admin:
        raise PermissionDenied
    queryset = Skema.objects.filter(instansi=instansi)
    form = PilihSkemaForm(request.POST, queryset=queryset)
    if form.is_valid():
        try:
            services.skema_choose(
                user=request.user, periode=periode, instansi=instansi, skema=form.cleaned_data["skema"]
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, f"Skema {instansi.nama} untuk periode {tahun} disimpan.")
    else:
        messages.error(request, "Skema tidak dikenal.")
    return redirect("assessment:periode-detail", tahun=tahun)
