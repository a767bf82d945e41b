import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from asn import nip


def test_pns_nip_decodes_birth_date_tmt_cpns_and_gender():
    info = nip.decode("198609262015051001", "PNS")
    assert info == nip.NipInfo(tanggal_lahir=dt.date(1986, 9, 26), tmt_cpns=dt.date(2015, 5, 1), jenis_kelamin="L")


def test_spaces_typed_between_groups_are_removed():
    assert nip.normalize("19860926 201505 1 001") == "198609262015051001"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("19860926201505100", "NIP harus 18 digit, bukan 17 digit."),
        ("1986092620150510011", "NIP harus 18 digit, bukan 19 digit."),
        ("19860926201505A001", "NIP hanya boleh berisi angka (18 digit)."),
        ("198609262015131001", "Digit 13–14 NIP (bulan TMT CPNS) harus 01–12, bukan 13."),
        ("198609262015053001", "Digit ke-15 NIP (jenis kelamin) harus 1 atau 2, bukan 3."),
        ("198602302015051001", "Digit 1–8 NIP (19860230) bukan tanggal lahir yang valid."),
    ],
)
def test_invalid_pns_nip_is_rejected_with_an_indonesian_message(value, message):
    with pytest.raises(ValidationError) as excinfo:
        nip.decode(value, "PNS")
    assert excinfo.value.messages == [message]


def test_pppk_ni_does_not_check_the_month_segment():
    info = nip.decode("199001012021132001", "PPPK")
    assert info == nip.NipInfo(tanggal_lahir=dt.date(1990, 1, 1), tmt_cpns=None, jenis_kelamin="P")


def test_pppk_ni_checks_birth_date_and_gender():
    with pytest.raises(ValidationError):
        nip.decode("199013012021132001", "PPPK")
    with pytest.raises(ValidationError):
        nip.decode("199001012021133001", "PPPK")


@pytest.mark.parametrize(
    ("birth", "bup", "expected"),
    [
        (dt.date(1986, 9, 26), 58, dt.date(2044, 10, 1)),
        (dt.date(1970, 12, 5), 60, dt.date(2031, 1, 1)),
        (dt.date(1968, 2, 29), 58, dt.date(2026, 3, 1)),
        (dt.date(1961, 1, 1), 65, dt.date(2026, 2, 1)),
    ],
)
def test_retirement_is_the_first_day_of_the_month_after_reaching_bup(birth, bup, expected):
    assert nip.retirement_date(birth, bup) == expected


def test_formatted_nip_groups_like_a_decree():
    assert nip.formatted("198609262015051001") == "19860926 201505 1 001"
