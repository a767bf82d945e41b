from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessment import selectors as assessment_selectors
from assessment.views import profile_section
from portal import documents, selectors


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
        },
    )


@require_GET
@login_required
def my_data_download(request):
    data = selectors.my_data_export(user=request.user)
    response = HttpResponse(documents.my_data_json(data), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="data-saya-{request.user.username}.json"'
    return response
