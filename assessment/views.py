from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from asn.models import Instansi, Jenjang
from asn.selectors import pegawai_get_for_user
from decisions.selectors import chain_head
from talenta import exports, params, pipeline
from talenta.tabular import XLSX_CONTENT_TYPE

from . import documents, scoring, selectors, services, simata
from .forms import (
    AdopsiSkemaForm,
    AnggotaForm,
    AsesmenForm,
    DisiplinForm,
    KalibrasiFilterForm,
    KalibrasiForm,
    KonflikForm,
    PeriodeForm,
    PilihSkemaForm,
    RapatForm,
    SkemaCopyForm,
    SkpForm,
    TalentMapFilterForm,
)
from .models import (
    AnggotaRapat,
    Asesmen,
    ExportJob,
    HukumanDisiplin,
    Periode,
    Skema,
    SkpResult,
)

KRS_PAGE_SIZE = 50

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
    periode = selectors.periode_for_profile(tahun=request.GET.get("periode"))
    placement = selectors.placement_for_profile(pegawai=pegawai, periode=periode)
    explanation = selectors.placement_explanation(placement=placement) if placement else None
    skp = list(selectors.skp_history(pegawai=pegawai))
    scheme = selectors.scheme_for_profile(pegawai=pegawai, periode=periode, placement=placement)
    return render_to_string(
        "assessment/_profile_section.html",
        {
            "pegawai": pegawai,
            "periode": periode,
            "periods": Periode.objects.all(),
            "placement": placement,
            "explanation": explanation,
            "skp": skp,
            # The chart scores each predikat as the scheme does; the JS holds no score table of its own.
            "skp_trend": {
                "tahun": [s.tahun for s in skp],
                "predikat": [s.predikat for s in skp],
                "skor_predikat": {name: float(score) for name, score in scheme.skor_predikat.items()},
            },
            "asesmen": selectors.asesmen_list(pegawai=pegawai),
            "disiplin": selectors.disiplin_list(pegawai=pegawai),
            "can_edit": request.user.may_write_pegawai(pegawai),
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
            messages.success(
                request,
                f"Data {label} {'ditambahkan' if created else 'diperbarui'}; "
                "penempatan pegawai di peta talenta akan dihitung ulang.",
            )
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


@login_required
def periode_list(request):
    form = PeriodeForm(request.POST or None)
    if request.method == "POST":
        if not request.user.can_manage_periods:
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
        {"periods": Periode.objects.all(), "form": form, "can_create": request.user.can_manage_periods},
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
            "can_manage": request.user.can_manage_periods,
            "statuses": Periode.Status.choices,
            "rantai": None if request.user.sees_all_instansi else chain_head(instansi=request.user.instansi),
        },
    )


@login_required
def freshness(request, tahun):
    """The freshness line of a page, polled while a refresh is queued or running (htmx)."""
    periode = selectors.periode_get(tahun=tahun)
    instansi = None
    if request.GET.get("instansi"):
        instansi = get_object_or_404(
            Instansi.objects.for_user(request.user), pk=params.int_or_none(request.GET["instansi"])
        )
    state = selectors.freshness(user=request.user, periode=periode, instansi=instansi)
    return render(
        request,
        "assessment/_kesegaran.html",
        {"state": state, "selesai_barusan": bool(request.GET.get("berjalan")) and not state["aktif"]},
    )


@require_POST
@login_required
def periode_recompute(request, tahun):
    periode = selectors.periode_get(tahun=tahun)
    if not request.user.can_write_data:
        raise PermissionDenied
    if periode.is_closed:
        messages.error(request, "Periode yang sudah ditutup tidak dapat dihitung ulang.")
    else:
        scope_id = request.user.scope_instansi_id
        try:
            pipeline.queue_refresh(periode_ids=[periode.pk], instansi_ids=None if scope_id is None else [scope_id])
        except pipeline.QueueUnavailable as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Perhitungan ulang dijadwalkan; hasil tampil setelah selesai.")
    return redirect("assessment:periode-detail", tahun=tahun)


@require_POST
@login_required
def periode_status(request, tahun):
    periode = selectors.periode_get(tahun=tahun)
    if not request.user.can_manage_periods:
        raise PermissionDenied
    status = request.POST.get("status")
    if status not in Periode.Status.values:
        messages.error(request, "Status tidak dikenal.")
    else:
        try:
            services.periode_set_status(user=request.user, periode=periode, status=status)
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
        instansi = get_object_or_404(Instansi.objects.for_user(request.user), kode=params.text(request.GET["instansi"]))
    return export_response(request, kind=ExportJob.Kind.PETA_TALENTA, periode=periode, instansi=instansi)


def export_response(request, *, kind, periode, instansi):
    """The file when it is small; else a background job, and the user goes to its page."""
    fmt = ExportJob.Format.CSV if request.GET.get("format") == "csv" else ExportJob.Format.XLSX
    body, job = exports.export_or_job(user=request.user, kind=kind, periode=periode, instansi=instansi, fmt=fmt)
    if job is not None:
        return redirect("assessment:ekspor-detail", pk=job.pk)
    response = HttpResponse(body, content_type=exports.CONTENT_TYPES[fmt])
    filename = exports.export_filename(kind=kind, periode=periode, instansi=instansi, fmt=fmt)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def simata_export(request, tahun):
    """The talent mapping SIASN/SIMATA take back, of the instansi the user sees."""
    periode = selectors.periode_get(tahun=tahun)
    fmt = request.GET.get("format", "csv")
    if fmt not in simata.CONTENT_TYPES:
        raise Http404
    instansi = None
    if request.GET.get("instansi"):
        instansi = get_object_or_404(Instansi.objects.for_user(request.user), kode=params.text(request.GET["instansi"]))
    records = selectors.simata_records(user=request.user, periode=periode, instansi=instansi)
    response = HttpResponse(simata.simata_file(records, fmt=fmt, tahun=tahun), content_type=simata.CONTENT_TYPES[fmt])
    name = f"simata-{tahun}{'-' + instansi.kode if instansi else ''}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def export_detail(request, pk):
    job = selectors.export_job_get_for_user(user=request.user, pk=pk)
    context = {"job": job, "progress": exports.export_progress(job)}
    template = "assessment/_ekspor_status.html" if request.htmx else "assessment/ekspor_detail.html"
    return render(request, template, context)


@login_required
def export_download(request, pk):
    job = selectors.export_job_get_for_user(user=request.user, pk=pk)
    if job.status != ExportJob.Status.DONE:
        raise Http404
    return FileResponse(
        job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=exports.CONTENT_TYPES[job.format]
    )


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
            "simulations": selectors.simulations_for_user(user=request.user) if request.user.is_talenta_admin else [],
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
    instansi = get_object_or_404(Instansi.objects.for_user(request.user), kode=params.text(instansi_kode))
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


# --- what-if simulation of a scheme version -------------------------------------------------------


@require_POST
@login_required
def simulasi_start(request, pk):
    skema = get_object_or_404(selectors.skema_for_user(user=request.user).select_related("instansi"), pk=pk)
    tahun = params.int_or_none(request.POST.get("tahun"))
    periode = selectors.periode_get(tahun=tahun) if tahun else selectors.periode_latest()
    if periode is None:
        raise Http404("Belum ada periode.")
    if skema.instansi is None or not request.user.may_manage_scheme(skema.instansi_id):
        raise PermissionDenied
    # "provinsi": the draft simulated for every instansi (a province admin's button).
    provinsi = request.POST.get("cakupan") == "provinsi"
    if provinsi and not request.user.sees_all_instansi:
        raise PermissionDenied
    try:
        simulasi = services.simulasi_start(user=request.user, periode=periode, skema=skema, provinsi=provinsi)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("assessment:skema-list")
    messages.success(request, f"Simulasi {skema.nama} untuk periode {periode.tahun} dijalankan.")
    return redirect("assessment:simulasi-detail", pk=simulasi.pk)


@login_required
def simulasi_detail(request, pk):
    simulasi = selectors.simulasi_get_for_user(user=request.user, pk=pk)
    if simulasi.is_running or simulasi.status == simulasi.Status.GAGAL:
        template = "assessment/_simulasi_status.html" if request.htmx else "assessment/simulasi_detail.html"
        return render(request, template, {"simulasi": simulasi, "progress": selectors.simulation_progress(simulasi)})
    if request.htmx:
        # The status poll sees the run finished: the whole page reloads with the diff.
        return HttpResponseClientRefresh()
    others = selectors.comparable_simulations(simulasi=simulasi)
    chosen = params.int_or_none(request.GET.get("banding"))
    dibanding = get_object_or_404(others, pk=chosen) if request.GET.get("banding") else None
    diff = selectors.simulasi_diff(simulasi=simulasi, dibanding=dibanding, urut=request.GET.get("urut", "nama"))
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            documents.simulasi_xlsx(simulasi=simulasi, diff=diff, dibanding=dibanding), content_type=XLSX_CONTENT_TYPE
        )
        scope = simulasi.instansi.kode if simulasi.instansi else "provinsi"
        name = f"simulasi-skema-{scope}-{simulasi.periode.tahun}-{simulasi.pk}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(
        request,
        "assessment/simulasi_detail.html",
        {
            "simulasi": simulasi,
            "diff": diff,
            "dibanding": dibanding,
            "others": others,
            "form": AdopsiSkemaForm(),
        },
    )


@require_POST
@login_required
def simulasi_adopt(request, pk):
    simulasi = selectors.simulasi_get_for_user(user=request.user, pk=pk)
    form = AdopsiSkemaForm(request.POST)
    form.is_valid()
    try:
        services.simulasi_adopt(
            user=request.user,
            simulasi=simulasi,
            justifikasi=form.cleaned_data.get("justifikasi", ""),
            dasar_hukum=form.cleaned_data.get("dasar_hukum", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("assessment:simulasi-detail", pk=simulasi.pk)
    messages.success(
        request,
        f"Skema {simulasi.skema.nama} diadopsi untuk periode {simulasi.periode.tahun}; penempatan dihitung ulang.",
    )
    return redirect("assessment:periode-detail", tahun=simulasi.periode.tahun)


# --- nine-box map -------------------------------------------------------------------------------------


def _instansi_for(request):
    """The instansi a page is about: the user's own, or the one a province-wide user picked (404 outside)."""
    visible = Instansi.objects.for_user(request.user)
    if request.user.sees_all_instansi:
        chosen = request.GET.get("instansi")
        if chosen:
            return get_object_or_404(visible, pk=params.int_or_none(chosen))
        return visible.order_by("kode").first()
    return get_object_or_404(visible, pk=request.user.instansi_id)


def _map_context(request, tahun):
    periode = selectors.periode_get(tahun=tahun)
    instansi = _instansi_for(request)
    form = TalentMapFilterForm(
        request.GET or None, user=request.user, instansi=instansi, initial={"instansi": instansi}
    )
    filters = form.filters() if form.is_bound else {}
    placements = selectors.placements_for_map(user=request.user, periode=periode, instansi=instansi, filters=filters)
    querystring = request.GET.copy()
    querystring.pop("page", None)
    querystring.pop("urut", None)
    return {
        "periode": periode,
        "instansi": instansi,
        "form": form,
        "placements": placements,
        "querystring": querystring.urlencode(),
    }


@login_required
def talent_map_latest(request):
    periode = selectors.periode_latest()
    if periode is None:
        messages.info(request, "Belum ada periode pemetaan.")
        return redirect("assessment:periode-list")
    return redirect("assessment:peta", tahun=periode.tahun)


@login_required
def talent_map(request, tahun):
    context = _map_context(request, tahun)
    context["map"] = selectors.talent_map(placements=context["placements"])
    context["periods"] = Periode.objects.all()
    template = "assessment/peta_cetak.html" if request.GET.get("cetak") else "assessment/peta.html"
    return render(request, template, context)


@login_required
def talent_map_box(request, tahun, kotak):
    if not 0 <= kotak <= 9:
        raise Http404
    context = _map_context(request, tahun)
    sort = request.GET.get("urut", "-potensial")
    people = selectors.box_list(placements=context["placements"], kotak=kotak or None, sort=sort)
    context.update(
        {
            "kotak": kotak,
            "nama_kotak": selectors.BOX_NAMES.get(kotak, "Data tidak lengkap"),
            "rekomendasi": scoring.REKOMENDASI.get(kotak, ""),
            "page": Paginator(people, 50).get_page(request.GET.get("page")),
            "sort": sort,
        }
    )
    return render(request, "assessment/peta_kotak.html", context)


@login_required
def talent_map_export(request, tahun):
    context = _map_context(request, tahun)
    body = documents.talent_map_xlsx(
        grid=selectors.talent_map(placements=context["placements"]), placements=context["placements"]
    )
    response = HttpResponse(body, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="peta-talenta-{tahun}-{context["instansi"].kode}.xlsx"'
    return response


@login_required
def movement(request):
    instansi = _instansi_for(request)
    periods = list(Periode.objects.order_by("-tahun"))
    if len(periods) < 2:
        return render(request, "assessment/perpindahan.html", {"instansi": instansi, "periods": periods, "table": None})
    ke = next((p for p in periods if str(p.tahun) == request.GET.get("ke")), periods[0])
    dari = next((p for p in periods if str(p.tahun) == request.GET.get("dari")), None)
    if dari is None:
        dari = next((p for p in periods if p.tahun < ke.tahun), periods[1])
    table = selectors.movement_table(user=request.user, instansi=instansi, dari=dari, ke=ke)
    return render(
        request,
        "assessment/perpindahan.html",
        {"instansi": instansi, "periods": periods, "dari": dari, "ke": ke, "table": table},
    )


@login_required
def talent_pool(request, tahun):
    periode = selectors.periode_get(tahun=tahun)
    instansi = _instansi_for(request)
    pool = selectors.talent_pool(user=request.user, periode=periode, instansi=instansi)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(documents.talent_pool_xlsx(pool), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="krs-{tahun}-{instansi.kode}.xlsx"'
        return response
    # Two lists on one page, each paged on its own; a link of one keeps the other's page and the filters.
    return render(
        request,
        "assessment/krs.html",
        {
            "periode": periode,
            "instansi": instansi,
            "anggota": Paginator(pool["anggota"], KRS_PAGE_SIZE).get_page(request.GET.get("page")),
            "di_luar": Paginator(pool["di_luar"], KRS_PAGE_SIZE).get_page(request.GET.get("page_luar")),
            "querystring_anggota": _querystring_without(request, "page"),
            "querystring_luar": _querystring_without(request, "page_luar"),
        },
    )


def _querystring_without(request, name: str) -> str:
    querystring = request.GET.copy()
    querystring.pop(name, None)
    querystring.pop("format", None)
    return querystring.urlencode()


@login_required
def calibration_audit(request, tahun):
    periode = selectors.periode_get(tahun=tahun)
    form = KalibrasiFilterForm(request.GET or None, user=request.user)
    filters = form.filters() if form.is_bound else {}
    calibrations = selectors.calibrations_for_user(user=request.user, periode=periode, filters=filters)
    page = Paginator(calibrations, 50).get_page(request.GET.get("page"))
    querystring = request.GET.copy()
    querystring.pop("page", None)
    return render(
        request,
        "assessment/kalibrasi.html",
        {"periode": periode, "form": form, "page": page, "querystring": querystring.urlencode()},
    )


# --- talent review meetings ---------------------------------------------------------------------------


@login_required
def rapat_list(request):
    instansi = _instansi_for(request)
    can_create = request.user.may_review_instansi(instansi.pk)
    form = RapatForm(request.POST or None)
    periode_options = Periode.objects.exclude(status=Periode.Status.CLOSED)
    if request.method == "POST":
        if not can_create:
            raise PermissionDenied
        periode = periode_options.filter(pk=params.int_or_none(request.POST.get("periode"))).first()
        if form.is_valid() and periode is None:
            form.add_error(None, "Pilih periode yang masih terbuka.")
        elif form.is_valid():
            try:
                rapat = services.rapat_create(
                    user=request.user, periode=periode, instansi=instansi, data=form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Rapat talent review dibuat.")
                return redirect("assessment:rapat-detail", pk=rapat.pk)
    return render(
        request,
        "assessment/rapat_list.html",
        {
            "instansi": instansi,
            "meetings": selectors.rapat_for_user(user=request.user).filter(instansi=instansi),
            "form": form,
            "can_create": can_create,
            "periode_options": periode_options,
        },
    )


@login_required
def rapat_detail(request, pk):
    rapat = selectors.rapat_get_for_user(user=request.user, pk=pk)
    filters = {key: params.text(request.GET.get(key)) for key in ("unit_kerja", "jenjang", "q") if request.GET.get(key)}
    if params.int_or_none(filters.get("unit_kerja")) is None:
        # A unit id that is not a number names no unit: no filter, as the select offers.
        filters.pop("unit_kerja", None)
    member = rapat.anggota.filter(user=request.user).first() if request.user.is_authenticated else None
    can_move = not rapat.is_final and member is not None and request.user.may_review_instansi(rapat.instansi_id)
    cari = params.text(request.GET.get("cari")) or ""
    return render(
        request,
        "assessment/rapat_detail.html",
        {
            "rapat": rapat,
            "grid": selectors.meeting_grid(rapat=rapat, filters=filters),
            "members": rapat.anggota.select_related("user"),
            "conflicts": rapat.konflik.select_related("anggota", "pegawai"),
            "moves": selectors.meeting_moves(rapat=rapat),
            "pending": selectors.meeting_pending_agreements(rapat=rapat) if not rapat.is_final else [],
            "flagged": selectors.calibrations_for_user(
                user=request.user, periode=rapat.periode, filters={"instansi": rapat.instansi, "perlu_ditinjau": True}
            ),
            "my_conflicts": set(member.konflik.values_list("pegawai_id", flat=True)) if member else set(),
            "can_manage": not rapat.is_final and request.user.may_review_instansi(rapat.instansi_id),
            "can_move": can_move,
            "is_member": member is not None,
            "move_form": KalibrasiForm(),
            "cari": cari,
            "found": selectors.meeting_people_find(rapat=rapat, text=cari) if can_move and cari else None,
            "member_form": AnggotaForm(instansi=rapat.instansi),
            "conflict_form": KonflikForm(instansi=rapat.instansi),
            "unit_options": rapat.instansi.unit_kerja.all(),
            "jenjang_options": Jenjang.objects.all(),
            "filters": filters,
        },
    )


@require_POST
@login_required
def rapat_move(request, pk):
    rapat = selectors.rapat_get_for_user(user=request.user, pk=pk, review=True)
    form = KalibrasiForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(error for errors in form.errors.values() for error in errors))
    else:
        try:
            kalibrasi = services.kalibrasi_propose(
                user=request.user,
                rapat=rapat,
                penempatan_id=form.cleaned_data["penempatan"],
                kotak_baru=form.cleaned_data["kotak_baru"],
                jenis_alasan=form.cleaned_data["jenis_alasan"],
                alasan=form.cleaned_data["alasan"],
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(
                request,
                f"{kalibrasi.penempatan.pegawai.nama} dipindahkan dari kotak {kalibrasi.kotak_sebelumnya} "
                f"ke kotak {kalibrasi.kotak_baru} (usulan; berlaku setelah rapat difinalkan).",
            )
    return redirect(reverse("assessment:rapat-detail", args=[rapat.pk]) + _keep_filters(request))


def _keep_filters(request) -> str:
    # The finder's text too: its matches stay offered (a refused move is tried again, a done one shows its new box).
    kept = {key: request.POST.get(key) for key in ("unit_kerja", "jenjang", "q", "cari") if request.POST.get(key)}
    return "?" + urlencode(kept) if kept else ""


@require_POST
@login_required
def rapat_member_add(request, pk):
    rapat = selectors.rapat_get_for_user(user=request.user, pk=pk, review=True)
    form = AnggotaForm(request.POST, instansi=rapat.instansi)
    if form.is_valid():
        try:
            services.anggota_add(user=request.user, rapat=rapat, data=form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, f"{form.cleaned_data['nama']} ditambahkan sebagai peserta.")
    else:
        messages.error(request, "Periksa isian peserta: " + "; ".join(e for errs in form.errors.values() for e in errs))
    return redirect("assessment:rapat-detail", pk=rapat.pk)


@require_POST
@login_required
def rapat_member_remove(request, pk):
    anggota = get_object_or_404(AnggotaRapat.objects.for_user(request.user).select_related("rapat"), pk=pk)
    try:
        services.anggota_remove(user=request.user, anggota=anggota)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("assessment:rapat-detail", pk=anggota.rapat_id)


@require_POST
@login_required
def rapat_conflict(request, pk):
    rapat = selectors.rapat_get_for_user(user=request.user, pk=pk, review=True)
    form = KonflikForm(request.POST, instansi=rapat.instansi)
    if form.is_valid():
        try:
            services.konflik_declare(
                user=request.user,
                rapat=rapat,
                pegawai=form.cleaned_data["pegawai"],
                jenis=form.cleaned_data["jenis"],
                keterangan=form.cleaned_data["keterangan"],
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, "Konflik kepentingan dicatat; Anda tidak dapat memindahkan pegawai ini.")
    else:
        messages.error(request, "; ".join(e for errs in form.errors.values() for e in errs))
    return redirect("assessment:rapat-detail", pk=rapat.pk)


@require_POST
@login_required
def rapat_agree(request, pk):
    kalibrasi = selectors.kalibrasi_get_for_user(user=request.user, pk=pk)
    try:
        move = services.kalibrasi_agree(user=request.user, kalibrasi=kalibrasi)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request, f"Persetujuan atas pemindahan {move.penempatan.pegawai.nama} ke kotak {move.ke} dicatat."
        )
    return redirect("assessment:rapat-detail", pk=kalibrasi.rapat_id)


@require_POST
@login_required
def rapat_discard(request, pk):
    rapat = selectors.rapat_get_for_user(user=request.user, pk=pk, review=True)
    try:
        discarded = services.rapat_discard(user=request.user, rapat=rapat)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"Draf dibuang: {discarded} pemindahan dihapus; peta talenta resmi tidak berubah.")
    return redirect("assessment:rapat-detail", pk=rapat.pk)


@require_POST
@login_required
def rapat_finalise(request, pk):
    rapat = selectors.rapat_get_for_user(user=request.user, pk=pk, review=True)
    try:
        services.rapat_finalise(user=request.user, rapat=rapat)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            "Rapat difinalkan dan dikunci. Hasil kalibrasi berlaku: peta talenta, KRS dan suksesi dihitung ulang. "
            "Berita acara dapat diunduh.",
        )
    return redirect("assessment:rapat-detail", pk=rapat.pk)


@login_required
def rapat_berita_acara(request, pk, fmt):
    rapat = selectors.rapat_get_for_user(user=request.user, pk=pk)
    if not rapat.is_final or fmt not in ("pdf", "xlsx"):
        raise Http404
    name = f"berita-acara-talent-review-{rapat.instansi.kode}-{rapat.periode.tahun}-{rapat.pk}"
    if fmt == "pdf":
        pdf = documents.berita_acara_pdf(rapat, rantai=chain_head(instansi=rapat.instansi))
        response = HttpResponse(pdf, content_type="application/pdf")
    else:
        response = HttpResponse(
            documents.berita_acara_xlsx(rapat),
            content_type=XLSX_CONTENT_TYPE,
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


# --- provincial dashboard (the page itself is succession.views.provincial_dashboard) -----------------


@require_POST
@login_required
def pipeline_set(request, instansi_id):
    if not request.user.can_see_province_dashboard:
        raise Http404
    instansi = get_object_or_404(Instansi, pk=instansi_id)
    written = request.POST.get("sejak", "").strip()
    sejak = params.date_or_none(written) if written else timezone.localdate()
    tahun = params.int_or_none(request.POST.get("tahun"))
    back = reverse("assessment:provinsi") + (f"?tahun={tahun}" if tahun else "")
    if sejak is None:
        messages.error(request, "Tanggal tahapan tidak valid; tulis seperti 2026-02-01.")
        return redirect(back)
    try:
        services.tahapan_set(
            user=request.user,
            instansi=instansi,
            tahap=request.POST.get("tahap", ""),
            sejak=sejak,
            catatan=request.POST.get("catatan", ""),
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, f"Tahapan {instansi.nama} diperbarui.")
    return redirect(back)
