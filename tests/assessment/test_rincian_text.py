"""The recompute writes the placement detail as text built piece by piece; it is the encoder's text of `rincian`."""

import datetime as dt
import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.scoring_batch import Placer
from tests.assessment.test_scoring import SCHEME
from tests.assessment.test_scoring_batch import cases


def encoded(placer: Placer, key: tuple) -> str:
    return json.dumps(placer.rincian(key), ensure_ascii=False)


@settings(max_examples=800, deadline=None)
@given(cases())
def test_rincian_text_is_the_json_of_rincian(case):
    placer = Placer(tahun=case["tahun"], tanggal_acuan=case["acuan"], scheme=case["scheme"])
    args = (case["pendidikan"], case["required"], case["skp"], case["asesmen"], case["sanksi"], case["calibrated"])
    key = placer.place(*args)[-1]
    assert placer.rincian_text(key) == encoded(placer, key)
    # The pieces it keeps between rows give the same text the second time.
    assert placer.rincian_text(key) == encoded(placer, key)


@settings(max_examples=300, deadline=None)
@given(st.text(), st.integers(0, 2**62), st.sampled_from(["0", "7.5", "72", "100.00", "1E+2"]).map(Decimal))
def test_free_text_and_every_number_go_through_the_encoder(lembaga, pk, skor):
    # The assessor's institution is the one free text in the detail: quotes, backslashes, control
    # characters and non-ASCII letters come out as the encoder writes them.
    placer = Placer(tahun=2026, tanggal_acuan=dt.date(2026, 1, 31), scheme=SCHEME)
    key = placer.place(
        "S1",
        (3,) * 9,
        {2025: (pk, "Baik"), 2024: (pk + 1, "Sangat Baik")},
        [(pk, dt.date(2025, 6, 1), lembaga, skor, (1, 2, 3, 4, 5, 4, 3, 2, 1))],
        [(pk, dt.date(2025, 2, 3), "Sedang"), (pk + 2, dt.date(2025, 3, 4), "Ringan")],
    )[-1]
    assert placer.rincian_text(key) == encoded(placer, key)
    assert json.loads(placer.rincian_text(key))["asesmen"]["lembaga"] == lembaga
