from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from asn.models import Instansi, Jabatan
from asn.reference import KOMPETENSI
from assessment import selectors as assessment_selectors
from assessment.models import ExportJob, Periode, TahapanInstansi
from assessment.views import _instansi_for, export_response
from decisions.selectors import broken_chains, chain_head
from talenta import params
from talenta.tabular import XLSX_CONTENT_TYPE

from . import dashboard, documents, selectors, services
from .forms import ItemRencanaForm, JabatanForm, JustifikasiForm, KeputusanForm, KesiapanForm, UrutanForm
from .models import ItemRencana, Nominasi, PengangkatanDiluarRencana


def _periode(request) -> Periode:
    tahun = request.GET.get("tahun")
    periode = Periode.objects.filter(tahun=params.int_or_none(tahun)).first() if tahun else selectors.open_periode()
    if periode is None:
        raise Http404("Belum ada periode terbuka.")
    return periode


def _target_url(target) -> str:
    return reverse("succession:target", args=[target.periode.tahun, target.jabatan_id])


@login_required
def target_list(request):
    periode = _periode(request)
    instansi = _instansi_for(request)
    summary = selectors.coverage(user=request.user, periode=periode, instansi=instansi)
    return render(
        request,
        "succession/target_list.html",
        {
            "periode": periode,
            "instansi": instansi,
            "summary": summary,
            "out_of_plan": selectors.out_of_plan(user=request.user, periode=periode, instansi=instansi),
            "can_write": request.user.may_write_instansi(instansi.pk),
            "can_draft_decree": request.user.may_draft_succession_decree(instansi.pk),
        },
    )


@login_required
def target_detail(request, tahun, jabatan_id):
    periode = get_object_or_404(Periode, tahun=tahun)
    target = selectors.target_get_for_user(user=request.user, periode=periode, jabatan_id=jabatan_id)
    page = Paginator(selectors.candidates_of(target=target), 50).get_page(request.GET.get("page"))
    nominations = list(selectors.nominations_of(periode=periode, jabatan=target.jabatan))
    selectors.readiness_details(target=target, candidates=list(page), nominations=nominations)
    return render(
        request,
        "succession/target_detail.html",
        {
            "periode": periode,
            "target": target,
            "page": page,
            "non_candidates": selectors.non_candidates(target=target),
            "nominations": [n for n in nominations if n.status != Nominasi.Status.MENJABAT],
            "appointed": [n for n in nominations if n.status == Nominasi.Status.MENJABAT],
            "nominated_ids": {n.pegawai_id for n in nominations},
            "bench_strength": sum(
                1 for n in nominations if n.status == Nominasi.Status.DISETUJUI and n.kesiapan == "Siap sekarang"
            ),
            "can_nominate": request.user.may_write_instansi(target.instansi_id) and not periode.is_closed,
            "is_ppk": request.user.is_ppk_of(target.instansi_id),
            "kesiapan_form": KesiapanForm(),
            "standar": list(zip([label for _, label in KOMPETENSI], target.jabatan.required_levels, strict=True)),
            "same_list": selectors.same_list_targets(target=target),
        },
    )


@require_POST
@login_required
def nominate(request, tahun, jabatan_id):
    periode = get_object_or_404(Periode, tahun=tahun)
    target = selectors.target_get_for_user(user=request.user, periode=periode, jabatan_id=jabatan_id)
    if not request.user.may_write_instansi(target.instansi_id):
        raise PermissionDenied
    ids = params.ints(request.POST.getlist("pegawai"))
    if not ids:
        messages.error(request, "Pilih minimal satu kandidat.")
    else:
        try:
            created = services.nomination_create(
                user=request.user, periode=periode, jabatan=target.jabatan, pegawai_ids=ids
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, f"{len(created)} kandidat diusulkan; menunggu keputusan PPK.")
    return redirect(_target_url(target))


@login_required
def compare(request, tahun, jabatan_id):
    periode = get_object_or_404(Periode, tahun=tahun)
    target = selectors.target_get_for_user(user=request.user, periode=periode, jabatan_id=jabatan_id)
    ids = params.ints(request.GET.getlist("p"))[:4]
    allowed = set(target.kandidat.filter(pegawai_id__in=ids).values_list("pegawai_id", flat=True)) | set(
        Nominasi.objects.filter(periode=periode, jabatan=target.jabatan, pegawai_id__in=ids).values_list(
            "pegawai_id", flat=True
        )
    )
    people = selectors.comparison(target=target, pegawai_ids=[pk for pk in ids if pk in allowed])
    chart = {
        "labels": [label for _, label in KOMPETENSI],
        "standar": list(target.jabatan.required_levels),
        "people": [{"nama": p["placement"].pegawai.nama, "levels": p["levels"]} for p in people],
    }
    return render(
        request, "succession/compare.html", {"periode": periode, "target": target, "people": people, "chart": chart}
    )


@login_required
def target_print(request, tahun, jabatan_id):
    periode = get_object_or_404(Periode, tahun=tahun)
    target = selectors.target_get_for_user(user=request.user, periode=periode, jabatan_id=jabatan_id)
    candidates = list(selectors.candidates_of(target=target)[:50])
    nominations = list(selectors.nominations_of(periode=periode, jabatan=target.jabatan))
    selectors.readiness_details(target=target, candidates=candidates, nominations=nominations)
    return render(
        request,
        "succession/target_print.html",
        {"periode": periode, "target": target, "candidates": candidates, "nominations": nominations},
    )


@login_required
def nomination_detail(request, pk):
    nomination = selectors.nomination_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "succession/nomination_detail.html",
        {
            "nomination": nomination,
            "gaps": selectors.nomination_gaps(nomination=nomination),
            "labels": dict(KOMPETENSI),
            "items": nomination.rencana.all(),
            "item_form": ItemRencanaForm(),
            "can_write": request.user.may_write_instansi(nomination.instansi_id),
            "is_ppk": request.user.is_ppk_of(nomination.instansi_id),
            "keputusan_form": KeputusanForm(),
            "kesiapan_form": KesiapanForm(
                initial={"kesiapan": nomination.kesiapan_ppk, "justifikasi": nomination.justifikasi_kesiapan}
            ),
        },
    )


@require_POST
@login_required
def nomination_decide(request, pk):
    nomination = selectors.nomination_get_for_user(user=request.user, pk=pk, decide=True)
    form = KeputusanForm(request.POST)
    if form.is_valid():
        try:
            services.nomination_decide(
                user=request.user,
                nomination=nomination,
                approve=form.cleaned_data["keputusan"] == "setujui",
                catatan=form.cleaned_data["catatan"],
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, f"Nominasi {nomination.pegawai.nama}: {nomination.get_status_display().lower()}.")
    return redirect(params.next_url(request, reverse("succession:nomination", args=[pk])))


@require_POST
@login_required
def nomination_readiness(request, pk):
    nomination = selectors.nomination_get_for_user(user=request.user, pk=pk)
    form = KesiapanForm(request.POST)
    if form.is_valid():
        try:
            services.readiness_override(
                user=request.user,
                nomination=nomination,
                kesiapan=form.cleaned_data["kesiapan"],
                justifikasi=form.cleaned_data["justifikasi"],
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, f"Kesiapan {nomination.pegawai.nama}: {nomination.kesiapan}.")
    return redirect(params.next_url(request, reverse("succession:nomination", args=[pk])))


@require_POST
@login_required
def nomination_reorder(request, pk):
    nomination = selectors.nomination_get_for_user(user=request.user, pk=pk)
    if not request.user.may_write_instansi(nomination.instansi_id):
        raise PermissionDenied
    form = UrutanForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["urutan"][0])
    else:
        try:
            services.nomination_reorder(user=request.user, nomination=nomination, urutan=form.cleaned_data["urutan"])
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, f"Urutan {nomination.pegawai.nama}: {nomination.urutan}.")
    return redirect(reverse("succession:target", args=[nomination.periode.tahun, nomination.jabatan_id]))


@require_POST
@login_required
def plan_propose(request, pk):
    nomination = selectors.nomination_get_for_user(user=request.user, pk=pk)
    if not request.user.may_write_instansi(nomination.instansi_id):
        raise PermissionDenied
    items = services.plan_propose(user=request.user, nomination=nomination)
    messages.success(request, f"{len(items)} item rencana diusulkan dari kesenjangan kompetensi.")
    return redirect("succession:nomination", pk=pk)


@require_POST
@login_required
def plan_item_add(request, pk):
    nomination = selectors.nomination_get_for_user(user=request.user, pk=pk)
    if not request.user.may_write_instansi(nomination.instansi_id):
        raise PermissionDenied
    form = ItemRencanaForm(request.POST)
    if form.is_valid():
        services.plan_item_save(user=request.user, item=ItemRencana(nominasi=nomination), data=form.cleaned_data)
        messages.success(request, "Item rencana ditambahkan.")
    else:
        messages.error(request, "Periksa isian item: " + "; ".join(e for errs in form.errors.values() for e in errs))
    return redirect("succession:nomination", pk=pk)


@login_required
def plan_item_edit(request, pk):
    item = selectors.plan_item_get_for_user(user=request.user, pk=pk, write=True)
    form = ItemRencanaForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        services.plan_item_save(user=request.user, item=item, data=form.cleaned_data)
        messages.success(request, "Item rencana diperbarui.")
        return redirect("succession:nomination", pk=item.nominasi_id)
    return render(request, "succession/item_form.html", {"form": form, "item": item})


@login_required
def coverage(request):
    periode = _periode(request)
    instansi = _instansi_for(request)
    summary = selectors.coverage(user=request.user, periode=periode, instansi=instansi)
    risk = selectors.retirement_risk(user=request.user, periode=periode, instansi=instansi)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(documents.coverage_xlsx(summary=summary, risk=risk), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="cakupan-suksesi-{periode.tahun}-{instansi.kode}.xlsx"'
        return response
    return render(
        request,
        "succession/coverage.html",
        {"periode": periode, "instansi": instansi, "summary": summary, "risk": risk},
    )


@login_required
def export(request, tahun):
    periode = get_object_or_404(Periode, tahun=tahun)
    instansi = _instansi_for(request) if request.GET.get("instansi") or not request.user.sees_all_instansi else None
    return export_response(request, kind=ExportJob.Kind.KANDIDAT, periode=periode, instansi=instansi)


@login_required
def sk_ppk(request, tahun, instansi_kode):
    """The draft SK PPK on the succession groups of a period, with the decision log's head."""
    periode = get_object_or_404(Periode, tahun=tahun)
    instansi = get_object_or_404(Instansi.objects.for_user(request.user), kode=instansi_kode)
    if not request.user.may_draft_succession_decree(instansi.pk):
        raise PermissionDenied("Rancangan SK PPK disiapkan oleh PPK, operator atau admin instansi ini.")
    pdf = documents.sk_ppk_pdf(
        instansi=instansi,
        periode=periode,
        groups=selectors.sk_ppk_groups(user=request.user, periode=periode, instansi=instansi),
        rantai=chain_head(instansi=instansi),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="rancangan-sk-ppk-suksesi-{instansi.kode}-{tahun}.pdf"'
    return response


@login_required
def simulation_targets(request, pk):
    """The jabatan targets a scheme simulation changes (the simulation's diff page links here)."""
    simulasi = assessment_selectors.simulasi_get_for_user(user=request.user, pk=pk)
    if simulasi.status != simulasi.Status.SELESAI:
        raise Http404("Simulasi belum selesai.")
    return render(
        request,
        "succession/simulasi_target.html",
        {"simulasi": simulasi, "changes": selectors.simulation_target_changes(simulasi=simulasi)},
    )


@require_POST
@login_required
def out_of_plan_justify(request, pk):
    record = get_object_or_404(PengangkatanDiluarRencana.objects.for_user(request.user), pk=pk)
    form = JustifikasiForm(request.POST)
    form.is_valid()
    try:
        services.out_of_plan_justify(
            user=request.user, record=record, justifikasi=form.cleaned_data.get("justifikasi", "")
        )
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, "Justifikasi pengangkatan di luar rencana dicatat.")
    return redirect("succession:targets")


@login_required
def structure(request):
    instansi = _instansi_for(request)
    return render(
        request,
        "succession/structure.html",
        {
            "instansi": instansi,
            "jabatan": selectors.structure_jabatan(user=request.user, instansi=instansi),
            "can_write": request.user.may_write_instansi(instansi.pk),
        },
    )


@login_required
def jabatan_form(request, pk=None):
    instansi = _instansi_for(request)
    if pk is None:
        jabatan = Jabatan()
    else:
        jabatan = get_object_or_404(Jabatan.objects.for_user(request.user).select_related("unit_kerja"), pk=pk)
        instansi = jabatan.unit_kerja.instansi
    if not request.user.may_write_instansi(instansi.pk):
        raise PermissionDenied
    form = JabatanForm(request.POST or None, instance=jabatan, instansi=instansi)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.jabatan_save(user=request.user, jabatan=jabatan, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Jabatan {saved.nama} disimpan; daftar target dihitung ulang.")
            return redirect(
                reverse("succession:structure") + (f"?instansi={instansi.pk}" if request.user.sees_all_instansi else "")
            )
    return render(request, "succession/jabatan_form.html", {"form": form, "jabatan": jabatan, "instansi": instansi})


def profile_section(request, pegawai):
    nominations = list(selectors.nominations_of_pegawai(pegawai=pegawai))
    if not nominations:
        return ""
    return render_to_string("succession/_profile_section.html", {"nominations": nominations}, request=request)


# --- provincial dashboard ---------------------------------------------------------------------------
# Its address and name stay among assessment's pages (talenta/urls.py); it lives here because it rolls
# up succession's figures with assessment's (succession.dashboard).


def _dashboard_periode(request) -> Periode:
    tahun = request.GET.get("tahun")
    periode = (
        Periode.objects.filter(tahun=params.int_or_none(tahun)).first()
        if tahun
        else assessment_selectors.periode_latest()
    )
    if periode is None:
        raise Http404
    return periode


@login_required
def provincial_dashboard(request):
    if not request.user.can_see_province_dashboard:
        raise Http404
    periode = _dashboard_periode(request)
    data = dashboard.dashboard_rows(periode=periode)
    sort = request.GET.get("urut", "kode")
    key = dashboard.DASHBOARD_SORTS.get(sort.lstrip("-"), dashboard.DASHBOARD_SORTS["kode"])
    rows = sorted(data["rows"], key=key, reverse=sort.startswith("-"))
    if request.GET.get("format") == "xlsx":
        body = documents.dashboard_xlsx(periode=periode, rows=rows, total=data["total"])
        response = HttpResponse(body, content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="dasbor-provinsi-{periode.tahun}.xlsx"'
        return response
    periods = Periode.objects.order_by("tahun")
    return render(
        request,
        "assessment/provinsi_cetak.html" if request.GET.get("cetak") else "assessment/provinsi.html",
        {
            "periode": periode,
            "periods": periods,
            "rows": rows,
            "total": data["total"],
            "tahapan": data["tahapan"],
            "kop": data["kop"],
            "dibuat": data["dibuat"],
            "sort": sort,
            "chart": _share_chart([*rows, data["total"]]),
            "trends": dashboard.dashboard_trends(periods=periods),
            "rantai_rusak": broken_chains(),
            "thresholds": dashboard.DASHBOARD_THRESHOLDS,
            "inactive_days": dashboard.INACTIVE_DAYS,
            "stages": TahapanInstansi.Tahap.choices,
            "can_set_stage": request.user.can_set_stage,
            "today": timezone.localdate(),
        },
    )


def _share_chart(rows: list[dict]) -> dict:
    """The 100 % bars of the box distribution: each box's share per row, the counts for the tooltips."""
    return {
        "labels": [r["nama"] for r in rows],
        "persen": [[r["kotak_persen"][box] for r in rows] for box in range(9)],
        "jumlah": [[r["kotak"][box] for r in rows] for box in range(9)],
        "warna": [assessment_selectors.BOX_COLOURS[box] for box in range(1, 10)],
    }


@login_required
def provincial_dashboard_instansi(request, kode):
    """One instansi's row of the dashboard, addressed by its Kemendagri code (a stable drill-down URL)."""
    if not request.user.can_see_province_dashboard:
        raise Http404
    periode = _dashboard_periode(request)
    data = dashboard.dashboard_rows(periode=periode)
    row = next((r for r in data["rows"] if r["kode"] == kode), None)
    if row is None:
        raise Http404
    periods = Periode.objects.order_by("tahun")
    trends = dashboard.dashboard_trends(periods=periods)
    return render(
        request,
        "assessment/provinsi_instansi.html",
        {
            "periode": periode,
            "periods": periods,
            "r": row,
            "total": data["total"],
            "dibuat": data["dibuat"],
            "tahun": trends["tahun"],
            "trend": next(series for series in trends["instansi"] if series["kode"] == kode),
            "thresholds": dashboard.DASHBOARD_THRESHOLDS,
            "inactive_days": dashboard.INACTIVE_DAYS,
        },
    )
