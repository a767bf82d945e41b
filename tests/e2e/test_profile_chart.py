"""The SKP trend on the profile scores each predikat as the scheme of the placement does."""

import datetime as dt
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from assessment.models import Periode, Skema, SkpResult
from assessment.services import skema_choose
from talenta import pipeline
from tests.e2e.conftest import login
from tests.factories import PegawaiFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
SAMBAS_SCORES = {"Sangat Baik": 95, "Baik": 75, "Butuh Perbaikan": 50, "Kurang/Misconduct": 30, "Sangat Kurang": 10}


def test_skp_chart_uses_the_scores_of_the_instansi_scheme(page, live_server, operator, province_admin, sambas):
    periode = Periode.objects.create(tahun=2026, tanggal_acuan=dt.date(2026, 1, 31))
    default = Skema.objects.default()
    # A version of Sambas whose predikat scores differ from the default scheme's.
    scheme = Skema.objects.create(
        nama="Skema Sambas 2026.2", instansi=sambas, disalin_dari=default,
        **{f.name: getattr(default, f.name) for f in Skema._meta.concrete_fields
           if f.name not in ("id", "nama", "instansi", "bawaan", "disalin_dari", "dibuat", "skor_predikat")},
        skor_predikat=SAMBAS_SCORES,
    )  # fmt: skip
    skema_choose(user=province_admin, periode=periode, instansi=sambas, skema=scheme)
    pegawai = PegawaiFactory(jabatan__unit_kerja__instansi=sambas)
    for tahun, predikat in ((2023, "Butuh Perbaikan"), (2024, "Baik"), (2025, "Sangat Baik")):
        SkpResult.objects.create(pegawai=pegawai, tahun=tahun, predikat=predikat)
    pipeline.refresh_now(periode_id=periode.pk)

    login(page, live_server, operator.username)
    page.goto(f"{live_server.url}/asn/pegawai/{pegawai.pk}/")
    expect(page.locator("#tren-skp")).to_be_visible()
    plotted = page.evaluate("() => Chart.getChart(document.getElementById('tren-skp')).data.datasets[0].data")
    assert plotted == [50, 75, 95]


def test_profile_script_holds_no_score_table():
    script = (ROOT / "static" / "js" / "profil.js").read_text()
    assert not re.search(r"Sangat Baik|Butuh Perbaikan|Kurang/Misconduct", script)
    assert "skor_predikat" in script
