from . import views

HEALTH_PATHS = {"/healthz": views.healthz, "/readyz": views.readyz}


class HealthCheckMiddleware:
    """Answer /healthz and /readyz before host validation and the HTTPS redirect.

    The load balancer and the container healthcheck call the process by its address over plain
    HTTP, with a Host that is not one of ALLOWED_HOSTS; the answers hold nothing a host or
    scheme could matter for.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = HEALTH_PATHS.get(request.path_info)
        if view is not None:
            return view(request)
        return self.get_response(request)
