from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from . import selectors, services


def _check_may_verify(user) -> None:
    if not user.can_verify_decisions:
        raise PermissionDenied("Hanya monitor BKN dan admin provinsi yang memeriksa log keputusan.")


@login_required
def chains(request):
    """Every chain with its head and the last verification; POST verifies all of them now."""
    _check_may_verify(request.user)
    if request.method == "POST":
        findings = services.chains_verify()
        broken = [f for f in findings if not f["utuh"]]
        if broken:
            messages.error(
                request, f"{len(broken)} dari {len(findings)} rantai rusak: " + " ".join(f["pesan"] for f in broken)
            )
        else:
            messages.success(request, f"{len(findings)} rantai diperiksa, semuanya utuh.")
        return redirect("decisions:chains")
    return render(request, "decisions/chains.html", {"chains": selectors.chains_list()})
