"""Listing 10,000 placements in pages of 500 costs the same few queries on every page."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from asn.models import Pegawai
from assessment.models import Penempatan, Skema
from tests.factories import JabatanFactory

pytestmark = pytest.mark.django_db

TOTAL = 10_000
PAGE_SIZE = 500


@pytest.fixture
def ten_thousand_placements(periode_2026, sambas):
    jabatan = JabatanFactory(unit_kerja__instansi=sambas)
    born = dt.date(1985, 1, 1)
    Pegawai.objects.bulk_create(
        [
            Pegawai(
                nip=str(198501012010011000 + n),
                nama=f"Pegawai {n:05d}",
                jenis_asn="PNS",
                instansi=sambas,
                jabatan=jabatan,
                golongan_id="III/c",
                pendidikan_id="S1",
                tanggal_lahir=born,
                jenis_kelamin="L",
                tmt_cpns=dt.date(2010, 1, 1),
                tanggal_pensiun=dt.date(2043, 2, 1),
            )
            for n in range(TOTAL)
        ],
        batch_size=2000,
    )
    skema = Skema.objects.default()
    now = timezone.now()
    Penempatan.objects.bulk_create(
        [
            Penempatan(
                periode=periode_2026,
                pegawai_id=pegawai_id,
                instansi=sambas,
                jenjang=jabatan.jenjang,
                skema=skema,
                dihitung=now,
                lengkap=complete,
                kotak_hitung=5 if complete else None,
                kotak=5 if complete else None,
                alasan="" if complete else "Data kinerja tidak lengkap",
            )
            for index, pegawai_id in enumerate(Pegawai.objects.values_list("id", flat=True))
            for complete in [index % 2 == 0]
        ],
        batch_size=2000,
    )
    assert Penempatan.objects.count() == TOTAL


def _page(client, number):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/periode/2026/penempatan/", {"page": number, "page_size": PAGE_SIZE})
    assert response.status_code == 200
    return response.json(), len(queries)


@pytest.mark.parametrize("persona", ["api_operator", "api_bkn"])
def test_every_page_of_500_costs_the_same_queries(request, ten_thousand_placements, persona):
    client = request.getfixturevalue(persona)
    _page(client, 1)  # the token's last-used time is written on the first request only
    first, first_queries = _page(client, 1)
    last, last_queries = _page(client, TOTAL // PAGE_SIZE)
    assert first["count"] == TOTAL
    assert len(first["results"]) == len(last["results"]) == PAGE_SIZE
    assert last["next"] is None
    assert first_queries == last_queries
    # Token (with its user), period, count, page, and the freshness of the instansi in view (one
    # query for the headers): never one query per row.
    assert first_queries <= 5


def test_page_size_is_capped_at_500(api_operator, ten_thousand_placements):
    body = api_operator.get("/api/v1/periode/2026/penempatan/", {"page_size": 5000}).json()
    assert len(body["results"]) == PAGE_SIZE
