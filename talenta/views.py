"""Health endpoints for the load balancer and the container healthchecks.

Neither needs a login nor says anything about an instansi or a person: only whether this process
and the services it leans on answer.
"""

from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import health


@never_cache
@require_GET
def healthz(request):
    """Liveness: the process serves requests. Touches neither the database nor Redis."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_GET
def readyz(request):
    """Readiness: database, Redis broker, Redis cache and a Celery worker; 503 names what failed."""
    checks = health.readiness()
    failed = [name for name, ok in checks.items() if not ok]
    body = {
        "status": "gagal" if failed else "ok",
        "gagal": failed,
        "checks": {name: "ok" if ok else "gagal" for name, ok in checks.items()},
    }
    return JsonResponse(body, status=503 if failed else 200)
