from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny

from .views import pegawai, periode, provinsi, records, suksesi, token

app_name = "api"

# drf-spectacular's Swagger UI and Redoc pages carry their own inline script and style, and Redoc
# runs a worker from a blob: URL; only these two documentation pages (public, without data) allow it.
documentation_csp = csp_update(
    {"script-src": [UNSAFE_INLINE], "style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"]}
)

v1 = [
    path("pegawai/", pegawai.PegawaiList.as_view(), name="pegawai-list"),
    path("pegawai/<int:pk>/", pegawai.PegawaiDetail.as_view(), name="pegawai-detail"),
    path("jabatan/", pegawai.JabatanList.as_view(), name="jabatan-list"),
    path("kinerja/", records.KinerjaList.as_view(), name="kinerja-list"),
    path("kinerja/massal/", records.KinerjaBulk.as_view(), name="kinerja-bulk"),
    path("kinerja/<int:pk>/", records.KinerjaDetail.as_view(), name="kinerja-detail"),
    path("asesmen/", records.AsesmenList.as_view(), name="asesmen-list"),
    path("asesmen/massal/", records.AsesmenBulk.as_view(), name="asesmen-bulk"),
    path("asesmen/<int:pk>/", records.AsesmenDetail.as_view(), name="asesmen-detail"),
    path("disiplin/", records.DisiplinList.as_view(), name="disiplin-list"),
    path("disiplin/massal/", records.DisiplinBulk.as_view(), name="disiplin-bulk"),
    path("disiplin/<int:pk>/", records.DisiplinDetail.as_view(), name="disiplin-detail"),
    path("periode/", periode.PeriodeList.as_view(), name="periode-list"),
    path("periode/<int:tahun>/", periode.PeriodeDetail.as_view(), name="periode-detail"),
    path("periode/<int:tahun>/hitung-ulang/", periode.HitungUlang.as_view(), name="periode-recompute"),
    path("periode/<int:tahun>/penempatan/", periode.PenempatanList.as_view(), name="penempatan-list"),
    path("periode/<int:tahun>/peta/", periode.Peta.as_view(), name="peta"),
    path("periode/<int:tahun>/krs/", periode.Krs.as_view(), name="krs"),
    path("periode/<int:tahun>/target/", suksesi.TargetList.as_view(), name="target-list"),
    path("periode/<int:tahun>/target/<int:jabatan_id>/", suksesi.TargetDetail.as_view(), name="target-detail"),
    path("periode/<int:tahun>/target/<int:jabatan_id>/kandidat/", suksesi.KandidatList.as_view(), name="kandidat-list"),
    path("periode/<int:tahun>/target/<int:jabatan_id>/nominasi/", suksesi.NominasiList.as_view(), name="nominasi-list"),
    path("nominasi/<int:pk>/keputusan/", suksesi.NominasiKeputusan.as_view(), name="nominasi-keputusan"),
    path("provinsi/", provinsi.ProvinsiList.as_view(), name="provinsi"),
    path("token/", token.TokenList.as_view(), name="token-list"),
    path("token/<int:pk>/", token.TokenDetail.as_view(), name="token-detail"),
    # The documentation is public (it holds no data) and served offline from drf-spectacular-sidecar.
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="schema"),
    path(
        "docs/",
        documentation_csp(SpectacularSwaggerView.as_view(url_name="api:schema", permission_classes=[AllowAny])),
        name="docs",
    ),
    path(
        "redoc/",
        documentation_csp(SpectacularRedocView.as_view(url_name="api:schema", permission_classes=[AllowAny])),
        name="redoc",
    ),
]

urlpatterns = [path("v1/", include(v1))]
