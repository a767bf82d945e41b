"""The talent pool page is paged: 50 people a list, filters kept, the same queries on every page."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessment.models import Penempatan, Skema
from assessment.views import KRS_PAGE_SIZE
from tests.factories import PenempatanFactory, pegawai_in_order

pytestmark = pytest.mark.django_db

URL = reverse("assessment:krs", args=[2026])


def _pool(periode, instansi, *, members: int, kept_out: int, start: int = 0):
    """`members` pool members in box 9 and `kept_out` box-7 people kept out, NIPs in order."""
    _, people = pegawai_in_order(instansi, members + kept_out, start=start, nama="Pegawai KRS {:04d}")
    skema = Skema.objects.default()
    Penempatan.objects.bulk_create(
        [
            PenempatanFactory.build(
                periode=periode,
                pegawai=pegawai,
                skema=skema,
                kotak_hitung=9 if member else 7,
                skor_kinerja=Decimal(90),
                skor_potensial=Decimal(80),
                krs=member,
                label_krs="KRS Instansi/Nasional" if member else "",
                alasan_krs="" if member else "SKP dua tahun terakhir belum minimal Baik",
            )
            for index, pegawai in enumerate(people)
            for member in [index < members]
        ]
    )
    return people


def _names(page):
    return [p.pegawai.nama for p in page]


def test_operator_pages_through_both_lists(operator_client, periode_2026, sambas):
    _pool(periode_2026, sambas, members=60, kept_out=55)
    first = operator_client.get(URL)
    assert first.status_code == 200
    members, kept_out = first.context["anggota"], first.context["di_luar"]
    assert (members.paginator.count, kept_out.paginator.count) == (60, 55)
    assert _names(members) == [f"Pegawai KRS {n:04d}" for n in range(KRS_PAGE_SIZE)]
    assert _names(kept_out) == [f"Pegawai KRS {n:04d}" for n in range(60, 60 + KRS_PAGE_SIZE)]
    page = first.content.decode()
    assert "Anggota KRS (60)" in page and "Kotak 7–9 di luar KRS (55)" in page
    assert 'href="?page=2#anggota"' in page and 'href="?page_luar=2#di-luar"' in page

    # Each list pages on its own: the second page of one keeps the page of the other.
    second = operator_client.get(URL, {"page": 2, "page_luar": 2})
    assert _names(second.context["anggota"]) == [f"Pegawai KRS {n:04d}" for n in range(50, 60)]
    assert _names(second.context["di_luar"]) == [f"Pegawai KRS {n:04d}" for n in range(110, 115)]
    page = second.content.decode()
    assert 'href="?page_luar=2&page=1#anggota"' in page
    assert 'href="?page=2&page_luar=1#di-luar"' in page


def test_a_page_past_the_end_shows_the_last(ppk_client, periode_2026, sambas):
    _pool(periode_2026, sambas, members=60, kept_out=0)
    response = ppk_client.get(URL, {"page": 99})
    assert response.status_code == 200
    assert response.context["anggota"].number == 2
    assert list(response.context["di_luar"]) == []
    assert "Tidak ada." in response.content.decode()


def test_province_user_keeps_the_chosen_instansi_across_pages(bkn_client, periode_2026, sambas, bengkayang):
    _pool(periode_2026, sambas, members=60, kept_out=0)
    _pool(periode_2026, bengkayang, members=3, kept_out=0, start=500)
    response = bkn_client.get(URL, {"instansi": sambas.pk})
    assert response.context["instansi"] == sambas
    assert response.context["anggota"].paginator.count == 60
    assert f'href="?instansi={sambas.pk}&page=2#anggota"' in response.content.decode()
    second = bkn_client.get(URL, {"instansi": sambas.pk, "page": 2})
    assert _names(second.context["anggota"]) == [f"Pegawai KRS {n:04d}" for n in range(50, 60)]
    other = bkn_client.get(URL, {"instansi": bengkayang.pk})
    assert _names(other.context["anggota"]) == [f"Pegawai KRS {n:04d}" for n in range(500, 503)]


def test_outsider_sees_only_their_own_pool(outsider_client, periode_2026, sambas):
    _pool(periode_2026, sambas, members=60, kept_out=5)
    for query in ({}, {"instansi": sambas.pk}, {"instansi": sambas.pk, "page": 2}):
        response = outsider_client.get(URL, query)
        assert response.status_code == 200
        assert response.context["instansi"].kode == "6102"
        assert response.context["anggota"].paginator.count == 0
        assert response.context["di_luar"].paginator.count == 0
        assert "Pegawai KRS" not in response.content.decode()


def test_every_page_costs_the_same_queries(operator_client, periode_2026, sambas, django_assert_num_queries):
    _pool(periode_2026, sambas, members=60, kept_out=60)
    # Session, user, periode, instansi, instansi picker, freshness line, and a count and a page per list.
    with django_assert_num_queries(10) as small:
        operator_client.get(URL)
    _pool(periode_2026, sambas, members=600, kept_out=600, start=1000)
    for query in ({}, {"page": 5, "page_luar": 12}, {"page": "last"}):
        with django_assert_num_queries(len(small.captured_queries)):
            response = operator_client.get(URL, query)
        assert len(response.context["anggota"]) == KRS_PAGE_SIZE
