from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from asn import user_views
from asn import views as asn_views
from asn.forms import LoginForm
from assessment import urls as assessment_urls
from succession import views as succession_views
from talenta import views as talenta_views

# The provincial dashboard rolls up assessment's and succession's figures, so its view lives in
# succession, the app that may read both; it keeps its address and name among assessment's pages.
assessment_patterns = [
    *assessment_urls.urlpatterns,
    path("provinsi/", succession_views.provincial_dashboard, name="provinsi"),
    # Drill-down by Kemendagri code (61, 6101 … 6172): the address a monitor can bookmark and cite.
    re_path(
        r"^provinsi/(?P<kode>61(?:\d{2})?)/$", succession_views.provincial_dashboard_instansi, name="provinsi-instansi"
    ),
]

urlpatterns = [
    path("", asn_views.home, name="home"),
    path(
        "masuk/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    # Replacing one's own password; an account opened with a one-time password is sent here first.
    # Listed before the one-time link, whose pattern would read "ganti/selesai" as a uid and token.
    path("sandi/ganti/", user_views.password_change, name="password-change"),
    path("sandi/ganti/selesai/", user_views.password_change_done, name="password-change-done"),
    # The one-time link an administrator hands over (no e-mail server is assumed).
    path("sandi/<uidb64>/<token>/", user_views.password_set, name="password-set"),
    path("sandi/selesai/", user_views.password_set_done, name="password-set-done"),
    path("pengguna/", include("asn.user_urls")),
    path("asn/", include("asn.urls")),
    path("penilaian/", include((assessment_patterns, assessment_urls.app_name))),
    path("suksesi/", include("succession.urls")),
    path("keputusan/", include("decisions.urls")),
    path("api/", include("api.urls")),
    path("saya/", include("portal.urls")),
    path("admin/", admin.site.urls),
    # Answered by talenta.middleware.HealthCheckMiddleware first; named here for reverse() and the URL table.
    path("healthz", talenta_views.healthz, name="healthz"),
    path("readyz", talenta_views.readyz, name="readyz"),
]

admin.site.site_header = "Talenta — Administrasi"
admin.site.site_title = "Talenta"
# Uploaded files (imports with NIPs and names) are never served by URL, not even in local mode:
# only the import machinery reads them from MEDIA_ROOT.
