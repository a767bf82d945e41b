"""Which jabatan targets a scheme simulation changes: candidates gained, lost and re-ranked."""

import pytest
from django.urls import reverse

from asn.models import Instansi, Role
from assessment.models import Skema
from assessment.services import SCHEME_NUMBER_FIELDS, simulasi_start, skema_copy
from succession.models import Kandidat
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.succession.test_views import world  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sambas_admin(sambas):
    return UserFactory(username="admin-sambas", role=Role.ADMIN, instansi=sambas)


def _simulate(user, periode, sambas, nama, capture, **changes):
    default = Skema.objects.default()
    values = {name: getattr(default, name) for name in SCHEME_NUMBER_FIELDS} | changes
    skema = skema_copy(user=user, source=default, instansi=sambas, nama=nama, values=values)
    with capture(execute=True):
        simulasi = simulasi_start(user=user, periode=periode, skema=skema)
    simulasi.refresh_from_db()
    assert simulasi.status == "selesai"
    return simulasi


def test_a_draft_that_empties_the_pool_shows_the_target_losing_every_candidate(
    world,  # noqa: F811
    periode_2026,
    sambas,
    sambas_admin,
    django_capture_on_commit_callbacks,
):
    official = list(
        Kandidat.objects.filter(target__jabatan=world["target"])
        .order_by("peringkat")
        .values_list("pegawai__nama", flat=True)
    )
    assert official == [world["ready"].nama, world["also_ready"].nama, world["later"].nama]
    # Nobody reaches potential Menengah: no one is in a pool box.
    simulasi = _simulate(
        sambas_admin, periode_2026, sambas, "Tanpa KRS", django_capture_on_commit_callbacks,
        batas_potensial_tinggi=99, batas_potensial_menengah=98,
    )  # fmt: skip
    client = client_for(sambas_admin)
    assert (
        reverse("succession:simulation-targets", args=[simulasi.pk]).encode()
        in client.get(reverse("assessment:simulasi-detail", args=[simulasi.pk])).content
    )
    page = client.get(reverse("succession:simulation-targets", args=[simulasi.pk]))
    (change,) = page.context["changes"]
    assert (change["jabatan"], change["sebelum"], change["sesudah"]) == (world["target"], 3, 0)
    assert [(p["nama"], p["sebelum"], p["sesudah"]) for p in change["keluar"]] == [
        (name, rank, None) for rank, name in enumerate(official, start=1)
    ]
    assert (change["masuk"], change["berubah_peringkat"]) == ([], [])
    assert f"{world['ready'].nama} (dari peringkat 1)" in page.content.decode()
    # The official lists are untouched.
    assert Kandidat.objects.filter(target__jabatan=world["target"]).count() == 3


def test_a_draft_equal_to_the_current_scheme_changes_no_target(
    world,  # noqa: F811
    periode_2026,
    sambas,
    sambas_admin,
    django_capture_on_commit_callbacks,
):
    simulasi = _simulate(sambas_admin, periode_2026, sambas, "Sama", django_capture_on_commit_callbacks)
    page = client_for(sambas_admin).get(reverse("succession:simulation-targets", args=[simulasi.pk]))
    assert page.context["changes"] == []
    assert "Tidak ada jabatan target yang daftar kandidatnya berubah." in page.content.decode()


def test_the_operator_is_refused_and_another_instansi_admin_gets_404(
    world,  # noqa: F811
    periode_2026,
    sambas,
    sambas_admin,
    operator_client,
    django_capture_on_commit_callbacks,
):
    simulasi = _simulate(sambas_admin, periode_2026, sambas, "Sama", django_capture_on_commit_callbacks)
    url = reverse("succession:simulation-targets", args=[simulasi.pk])
    assert operator_client.get(url).status_code == 403
    other = UserFactory(username="admin-bengkayang", role=Role.ADMIN, instansi=Instansi.objects.get(kode="6102"))
    assert client_for(other).get(url).status_code == 404
