"""Every page with derived data says when it was computed and whether a refresh is pending."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from assessment.models import Perhitungan
from talenta import celery_app, pipeline
from tests.factories import PegawaiFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def nobody_consumes():
    """Tasks go to a queue no worker reads, so a queued refresh stays queued (as behind a busy worker)."""
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = f"talenta-test-idle-{uuid.uuid4().hex[:8]}"
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous


def fragment(client, tahun=2026, **params):
    return client.get(reverse("assessment:kesegaran", args=[tahun]), params)


def test_a_queued_refresh_shows_on_the_page_and_the_banner_goes_when_it_ends(
    operator_client, periode_2026, pegawai_sambas, nobody_consumes
):
    pipeline.refresh_now(periode_id=periode_2026.pk, instansi_ids=[pegawai_sambas.instansi_id])
    computed = Perhitungan.objects.get(periode=periode_2026, instansi=pegawai_sambas.instansi).selesai

    operator_client.post(reverse("assessment:periode-recompute", args=[2026]))
    page = operator_client.get(reverse("assessment:peta", args=[2026])).content.decode()
    assert "Hitung ulang diantrekan." in page
    assert f'hx-get="/penilaian/periode/2026/kesegaran/?berjalan=1&instansi={pegawai_sambas.instansi_id}"' in page

    # What the worker does when it takes the message off the queue.
    pipeline.refresh_task.apply(args=[periode_2026.pk, pegawai_sambas.instansi_id])
    done = fragment(operator_client, berjalan=1, instansi=pegawai_sambas.instansi_id).content.decode()
    assert "Perhitungan ulang selesai." in done and "hx-trigger" not in done
    later = Perhitungan.objects.get(periode=periode_2026, instansi=pegawai_sambas.instansi).selesai
    assert later > computed
    page = operator_client.get(reverse("assessment:peta", args=[2026])).content.decode()
    assert "diantrekan" not in page and "hx-trigger" not in page
    assert "Data turunan dihitung " in page


def test_province_view_counts_the_instansi_in_flight(bkn_client, periode_2026, sambas, bengkayang, nobody_consumes):
    PegawaiFactory(jabatan__unit_kerja__instansi=sambas)
    pipeline.queue_refresh(periode_ids=[periode_2026.pk], instansi_ids=[sambas.pk, bengkayang.pk])
    body = fragment(bkn_client).content.decode()
    assert "Hitung ulang berjalan untuk 0 dan diantrekan untuk 2 dari 15 instansi." in body
    assert "Belum pernah dihitung untuk periode ini." in body
    page = bkn_client.get(reverse("assessment:provinsi")).content.decode()
    assert "diantrekan untuk 2 dari 15 instansi" in page


def test_a_second_change_while_queued_is_coalesced(periode_2026, pegawai_sambas, nobody_consumes):
    assert pipeline.queue_refresh(periode_ids=[periode_2026.pk], instansi_ids=[pegawai_sambas.instansi_id]) == 1
    assert pipeline.queue_refresh(periode_ids=[periode_2026.pk], instansi_ids=[pegawai_sambas.instansi_id]) == 0


def test_freshness_fragment_personas(operator_client, ppk_client, outsider_client, periode_2026, sambas):
    pipeline.refresh_now(periode_id=periode_2026.pk, instansi_ids=[sambas.pk])
    assert "Data turunan dihitung " in fragment(ppk_client, instansi=sambas.pk).content.decode()
    assert fragment(operator_client, instansi=sambas.pk).status_code == 200
    assert fragment(outsider_client, instansi=sambas.pk).status_code == 404
    assert fragment(outsider_client, instansi="abc").status_code == 404
    assert fragment(operator_client, tahun=2031).status_code == 404
    anonymous = fragment(Client(), instansi=sambas.pk)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/masuk/")
