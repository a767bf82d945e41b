"""The Content-Security-Policy holds on the product's pages: no violation while they load and work."""

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from asn.models import Instansi
from assessment.services import rapat_create
from tests.e2e.conftest import login
from tests.succession.test_views import world  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Reports every violation the browser sees, whatever the page does later.
LISTEN = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.cspViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def violations(page):
    seen = []
    page.expose_function("cspViolation", lambda text: seen.append(f"{page.url}: {text}"))
    page.add_init_script(LISTEN)
    page.on("console", lambda m: "Content Security Policy" in m.text and seen.append(f"{page.url}: {m.text}"))
    return seen


def _visit(page, live_server, path):
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 200, path
    assert "default-src 'self'" in response.headers["content-security-policy"], path
    page.wait_for_load_state("networkidle")


def test_main_pages_load_without_a_csp_violation(
    page,
    live_server,
    operator,
    ppk,
    province_admin,
    world,  # noqa: F811
    violations,
):
    target, ready = world["target"], world["ready"]
    meeting = rapat_create(
        user=ppk, periode=target.target_suksesi.get().periode, instansi=target.unit_kerja.instansi,
        data={"tanggal": dt.date(2026, 3, 12), "tempat": "Aula BKPSDM", "ketua": "Sekretaris Daerah"},
    )  # fmt: skip

    _visit(page, live_server, reverse("login"))
    login(page, live_server, operator.username)
    for path in [
        reverse("home"),
        reverse("asn:pegawai-list"),
        reverse("asn:pegawai-detail", args=[ready.pk]),
        reverse("asn:import-upload"),
        reverse("assessment:peta", args=[2026]),
        reverse("assessment:peta", args=[2026]) + "?cetak=1",
        reverse("assessment:peta-kotak", args=[2026, 9]),
        reverse("assessment:krs", args=[2026]),
        reverse("assessment:periode-list"),
        reverse("assessment:periode-detail", args=[2026]),
        reverse("assessment:skema-list"),
        reverse("succession:targets"),
        reverse("succession:target", args=[2026, target.pk]),
        reverse("succession:compare", args=[2026, target.pk]) + f"?p={ready.pk}&p={world['later'].pk}",
        reverse("succession:target-print", args=[2026, target.pk]),
        reverse("succession:coverage"),
        reverse("succession:structure"),
        reverse("users:list"),
    ]:
        _visit(page, live_server, path)

    # The box colours come from data-warna through static JS, not from a style attribute.
    page.goto(f"{live_server.url}{reverse('assessment:peta', args=[2026])}")
    expect(page.get_by_test_id("kotak-9")).to_have_css("background-color", "rgb(25, 135, 84)")
    page.get_by_role("button", name="Keluar").click()

    login(page, live_server, ppk.username)
    _visit(page, live_server, reverse("assessment:rapat-list"))
    _visit(page, live_server, reverse("assessment:rapat-detail", args=[meeting.pk]))
    expect(page.get_by_test_id("zona-9")).to_have_css("background-color", "rgb(25, 135, 84)")
    # Finalising asks first (data-konfirmasi); dismissing keeps the meeting open.
    page.once("dialog", lambda d: d.dismiss())
    page.get_by_role("button", name="Finalkan rapat").click()
    expect(page.get_by_role("button", name="Finalkan rapat")).to_be_visible()
    meeting.refresh_from_db()
    assert meeting.status == "draft"
    page.get_by_role("button", name="Keluar").click()

    login(page, live_server, province_admin.username)
    _visit(page, live_server, reverse("assessment:provinsi"))
    _visit(page, live_server, reverse("assessment:provinsi") + "?cetak=1")
    _visit(page, live_server, reverse("assessment:provinsi-instansi", args=["6101"]))
    # The instansi picker still submits on change, without an inline handler.
    page.goto(f"{live_server.url}{reverse('assessment:krs', args=[2026])}")
    bengkayang = Instansi.objects.get(kode="6102")
    page.locator("#pilih-instansi").select_option(str(bengkayang.pk))
    expect(page).to_have_url(f"{live_server.url}{reverse('assessment:krs', args=[2026])}?instansi={bengkayang.pk}")

    # The API documentation (public) allows its own inline code; Swagger UI is then clean, and
    # Redoc is refused only what it fetches from other hosts (Google Fonts, its logo): the product
    # is served offline, and Redoc falls back to system fonts.
    _visit(page, live_server, reverse("api:docs"))
    assert violations == []
    _visit(page, live_server, reverse("api:redoc"))
    assert violations, "Redoc's Google Fonts stylesheet is refused"  # the listener works on this page
    external = ("https://fonts.googleapis.com/", "https://cdn.redoc.ly/")
    assert all(any(host in v for host in external) for v in violations), violations
