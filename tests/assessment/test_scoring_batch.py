"""The recompute's batch placer gives exactly what the readable rule `scoring.place` gives."""

import dataclasses
import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from assessment import scoring
from assessment.scoring_batch import Placer
from assessment.services import RESULT_FIELDS
from tests.assessment.test_scoring import PENDIDIKAN_CODES, SCHEME

levels = st.lists(st.integers(1, 5), min_size=9, max_size=9).map(tuple)
# Scores that land K and P on and beside the category boundaries, and arbitrary ones.
skor_potensi = st.sampled_from(["0", "36", "35.96", "35.98", "36.04", "100"]).map(Decimal) | st.integers(0, 10000).map(
    lambda cents: Decimal(cents) / 100
)
# Schemes whose weights and boundaries differ from the default, as an instansi's own version may.
schemes = st.sampled_from(
    [
        SCHEME,
        dataclasses.replace(
            SCHEME,
            bobot_kompetensi=Decimal("33.33"),
            bobot_potensi=Decimal("33.33"),
            bobot_kualifikasi=Decimal("33.34"),
            bobot_disiplin=Decimal("0"),
            batas_kinerja_atas=Decimal("85.5"),
            batas_potensial_tinggi=Decimal("75.25"),
            jumlah_tahun_skp=3,
            masa_berlaku_asesmen_tahun=2,
            jendela_disiplin_tahun=1,
        ),
    ]
)


@st.composite
def cases(draw):
    tahun = draw(st.sampled_from([2024, 2026, 2028]))
    # 29 February, the last day of the year and an ordinary day.
    acuan = draw(
        st.sampled_from(
            [
                dt.date(tahun, 2, 29) if tahun % 4 == 0 else dt.date(tahun, 2, 28),
                dt.date(tahun, 1, 31),
                dt.date(tahun, 12, 31),
            ]
        )
        | st.dates(dt.date(tahun, 1, 1), dt.date(tahun, 12, 31))
    )
    scheme = draw(schemes)
    valid_from = scoring.years_before(acuan, scheme.masa_berlaku_asesmen_tahun)
    window_start = scoring.years_before(acuan, scheme.jendela_disiplin_tahun)
    # Dates on each boundary and one day either side, and anywhere around them.
    near = [d + dt.timedelta(days=delta) for d in (valid_from, window_start, acuan) for delta in (-1, 0, 1)]
    dates = st.sampled_from(near) | st.dates(acuan - dt.timedelta(days=1600), acuan + dt.timedelta(days=60))
    skp = {
        year: (index, draw(st.sampled_from(scoring.PREDIKAT)))
        for index, year in enumerate((tahun - 4, tahun - 3, tahun - 2, tahun - 1))
        if draw(st.booleans())
    }
    asesmen = [
        (index, day, draw(st.sampled_from(["", "BKN"])), draw(skor_potensi), draw(levels))
        for index, day in enumerate(draw(st.lists(dates, unique=True, max_size=3)))
    ]
    sanksi = [
        (index, draw(dates), draw(st.sampled_from(scoring.TINGKAT_DISIPLIN)))
        for index in range(draw(st.integers(0, 3)))
    ]
    return {
        "tahun": tahun,
        "acuan": acuan,
        "scheme": scheme,
        "pendidikan": draw(st.none() | st.sampled_from(PENDIDIKAN_CODES)),
        "required": draw(levels),
        "skp": skp,
        "asesmen": asesmen,
        "sanksi": sanksi,
        "calibrated": draw(st.none() | st.integers(1, 9)),
    }  # fmt: skip


@settings(max_examples=800, deadline=None)
@given(cases())
def test_batch_placer_equals_the_readable_rule(case):
    readable = scoring.place(
        scoring.PegawaiInput(
            pendidikan=case["pendidikan"],
            required_levels=case["required"],
            skp={year: scoring.SkpInput(id=pk, tahun=year, predikat=p) for year, (pk, p) in case["skp"].items()},
            asesmen=[
                scoring.AsesmenInput(id=pk, tanggal=day, lembaga=lembaga, skor_potensi=skor, levels=lv)
                for pk, day, lembaga, skor, lv in case["asesmen"]
            ],
            sanksi=[scoring.SanksiInput(id=pk, tanggal_sk=day, tingkat=t) for pk, day, t in case["sanksi"]],
        ),
        tahun=case["tahun"],
        tanggal_acuan=case["acuan"],
        scheme=case["scheme"],
        calibrated_box=case["calibrated"],
    )
    placer = Placer(tahun=case["tahun"], tanggal_acuan=case["acuan"], scheme=case["scheme"])
    args = (case["pendidikan"], case["required"], case["skp"], case["asesmen"], case["sanksi"], case["calibrated"])
    *values, key = placer.place(*args)
    batch = (*values, placer.rincian(key))
    expected = tuple(getattr(readable, name) for name in RESULT_FIELDS)
    assert batch == expected
    # Decimal equality ignores the exponent; the stored and shown text must match too.
    assert [str(v) for v in batch] == [str(v) for v in expected]
    # The placer's caches give the same answer the second time.
    assert placer.place(*args) == (*values, key)


def test_worked_example_of_the_spec():
    placer = Placer(tahun=2026, tanggal_acuan=dt.date(2026, 1, 31), scheme=SCHEME)
    values = dict(
        zip(
            RESULT_FIELDS,
            placer.place(
                "S2",
                (3,) * 9,
                {2025: (1, "Sangat Baik"), 2024: (2, "Baik")},
                [(3, dt.date(2024, 3, 10), "", Decimal("72"), (4, 3, 3, 3, 4, 3, 3, 3, 3))],
                [],
            ),
            strict=True,
        )
    )
    assert (values["skor_kinerja"], values["jpm"], values["jpm_berikutnya"], values["skor_potensial"]) == (
        Decimal("90.00"), Decimal("107.41"), Decimal("80.56"), Decimal("83.22"),
    )  # fmt: skip
    assert (values["kotak"], values["krs"], values["label_krs"]) == (9, True, "KRS Instansi/Nasional")
