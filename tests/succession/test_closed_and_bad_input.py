"""Succession writes refuse what they must: a foreign `next`, values that are not numbers, a closed period."""

import pytest
from django.urls import reverse

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
