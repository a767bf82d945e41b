"""Succession writes refuse what they must: a foreign `next`, values that are not numbers, a closed period."""

import pytest
from django.urls import reverse

from assessment.services import periode_set_status
from succession.models import Nominasi

from .test_views import (
    _target_url,
    world,  # noqa: F401  (the fixture)
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def nominated(operator_client, world):  # noqa: F811
    """The world of test_views with `ready` and `later` nominated; nominations by pegawai id under "by"."""
    operator_client.post(
        reverse("succession:nominate", args=[2026, world["target"].pk]),
        {"pegawai": [world["ready"].pk, world["later"].pk]},
        follow=True,  # the page shows (and so consumes) the success message
    )
    return world | {"by": {n.pegawai_id: n for n in Nominasi.objects.all()}}


EVIL = ["https://evil.example/", "//evil.example/", "https:evil.example", "javascript:alert(1)", "/\\evil.example/"]


@pytest.mark.parametrize("next_value", EVIL)
def test_decision_never_redirects_off_site(ppk_client, nominated, next_value):
    nomination = nominated["by"][nominated["ready"].pk]
    response = ppk_client.post(
        reverse("succession:nomination-decide", args=[nomination.pk]), {"keputusan": "setujui", "next": next_value}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("succession:nomination", args=[nomination.pk])
    nomination.refresh_from_db()
    assert nomination.status == "disetujui"


@pytest.mark.parametrize("next_value", EVIL)
def test_readiness_never_redirects_off_site(ppk_client, nominated, next_value):
    nomination = nominated["by"][nominated["later"].pk]
    response = ppk_client.post(
        reverse("succession:nomination-readiness", args=[nomination.pk]),
        {"kesiapan": "Siap sekarang", "justifikasi": "Memimpin proyek lintas OPD.", "next": next_value},
    )
    assert response["Location"] == reverse("succession:nomination", args=[nomination.pk])


def test_decision_from_the_target_page_returns_to_it(ppk_client, nominated):
    page = ppk_client.get(_target_url(nominated))
    assert f'name="next" value="{_target_url(nominated)}"' in page.text
    nomination = nominated["by"][nominated["ready"].pk]
    response = ppk_client.post(
        reverse("succession:nomination-decide", args=[nomination.pk]),
        {"keputusan": "setujui", "next": _target_url(nominated)},
    )
    assert response["Location"] == _target_url(nominated)


@pytest.mark.parametrize(
    ("urutan", "message"),
    [
        ("abc", "Urutan harus bilangan bulat, mis. 1."),
        ("1.5", "Urutan harus bilangan bulat, mis. 1."),
        ("²", "Urutan harus bilangan bulat, mis. 1."),
        ("", "Isi urutan nominasi."),
        ("0", "Urutan paling kecil 1."),
        ("-3", "Urutan paling kecil 1."),
        ("99999999999999999999", "Urutan paling besar 999."),
    ],
)
def test_reorder_with_a_bad_number_says_why_and_changes_nothing(operator_client, nominated, urutan, message):
    nomination = nominated["by"][nominated["later"].pk]
    response = operator_client.post(
        reverse("succession:nomination-reorder", args=[nomination.pk]), {"urutan": urutan}, follow=True
    )
    assert response.redirect_chain == [(_target_url(nominated), 302)]
    assert [str(m) for m in response.context["messages"]] == [message]
    nomination.refresh_from_db()
    assert nomination.urutan == 2


def test_reorder_without_the_field_says_why(operator_client, nominated):
    nomination = nominated["by"][nominated["later"].pk]
    response = operator_client.post(reverse("succession:nomination-reorder", args=[nomination.pk]), {}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Isi urutan nominasi."]


def test_reorder_says_what_it_did(operator_client, nominated):
    nomination = nominated["by"][nominated["later"].pk]
    response = operator_client.post(
        reverse("succession:nomination-reorder", args=[nomination.pk]), {"urutan": " 1 "}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [f"Urutan {nomination.pegawai.nama}: 1."]
    nomination.refresh_from_db()
    assert nomination.urutan == 1


@pytest.mark.parametrize("instansi", ["²", "abc", "-1", "99999999999999999999999"])
def test_freshness_line_with_a_bad_instansi_is_404(bkn_client, nominated, instansi):
    response = bkn_client.get(reverse("assessment:kesegaran", args=[2026]), {"instansi": instansi})
    assert response.status_code == 404


# --- a closed period is frozen ---------------------------------------------------------------------------


CLOSED = "Periode ini sudah ditutup; daftar suksesinya dibekukan."


@pytest.fixture
def closed(nominated, periode_2026, province_admin):
    periode_set_status(user=province_admin, periode=periode_2026, status=periode_2026.Status.CLOSED)
    return nominated


def test_readiness_override_on_a_closed_period_is_refused(ppk_client, closed):
    nomination = closed["by"][closed["later"].pk]
    response = ppk_client.post(
        reverse("succession:nomination-readiness", args=[nomination.pk]),
        {"kesiapan": "Siap sekarang", "justifikasi": "Memimpin proyek lintas OPD."},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [CLOSED]
    nomination.refresh_from_db()
    assert (nomination.kesiapan_ppk, nomination.justifikasi_kesiapan) == ("", "")
    assert nomination.history.count() == 1


def test_reorder_on_a_closed_period_is_refused(operator_client, closed):
    nomination = closed["by"][closed["later"].pk]
    response = operator_client.post(
        reverse("succession:nomination-reorder", args=[nomination.pk]), {"urutan": "1"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [CLOSED]
    nomination.refresh_from_db()
    assert nomination.urutan == 2
    assert nomination.history.count() == 1


def test_reorder_on_a_closed_period_is_still_403_for_a_ppk(ppk_client, closed):
    nomination = closed["by"][closed["later"].pk]
    response = ppk_client.post(reverse("succession:nomination-reorder", args=[nomination.pk]), {"urutan": "abc"})
    assert response.status_code == 403
