import datetime as dt

import pytest

from assessment.models import Periode


@pytest.fixture
def periode_2026(reference_data):
    return Periode.objects.create(tahun=2026, tanggal_acuan=dt.date(2026, 1, 31))
