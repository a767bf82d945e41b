"""What a PPK reads beside JPM before trusting a readiness (issue 12 item 4): gaps, other successions, shared lists.

Only what is shown changes: the candidates, their ranking and readiness are the normative scheme's
(default-scheme.md §7), checked in test_candidates.py and test_reference_succession.py.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from asn.models import Jenjang
from succession.models import Nominasi
from talenta import pipeline
from tests.factories import JabatanFactory, talent

pytestmark = pytest.mark.django_db

# Above the Administrator standard (3) on three competencies, below it on three: 30 / 27 = JPM 111,11.
MASKED = (5, 5, 5, 2, 2, 2, 3, 3, 3)


def _administrator(sambas, nama, unit=None, **extra):
    fields = {"unit_kerja": unit} if unit else {"unit_kerja__instansi": sambas}
    return JabatanFactory(
        nama=nama, jenjang=Jenjang.objects.get(nama="Administrator"), kritikal=True, dalam_struktur=True,
        **fields, **extra,
    )  # fmt: skip


@pytest.fixture
def board(periode_2026, sambas):
    """Three critical Administrator targets: two on the defaults (one list), one with its own standard."""
    mutasi = _administrator(sambas, "Kepala Bidang Mutasi")
    keuangan = _administrator(sambas, "Kepala Bagian Keuangan")
    hukum = _administrator(
        sambas, "Kepala Bagian Hukum", **{f"std_{f}": 4 for f in ("integritas", "kerja_sama", "komunikasi")},
        **{f"std_{f}": 3 for f in (
            "orientasi_pada_hasil", "pelayanan_publik", "pengembangan_diri_dan_orang_lain", "mengelola_perubahan",
            "pengambilan_keputusan", "perekat_bangsa",
        )},
    )  # fmt: skip
    feeding = JabatanFactory(
        unit_kerja=mutasi.unit_kerja, nama="Kepala Seksi", jenjang=Jenjang.objects.get(nama="Pengawas")
    )
    masked = talent(feeding, "198001012005011001", levels=MASKED, golongan="III/d")
    even = talent(feeding, "198101012006012001", levels=(3,) * 9, golongan="IV/a")
    pipeline.refresh_now(periode_id=periode_2026.pk)
    return {"mutasi": mutasi, "keuangan": keuangan, "hukum": hukum, "masked": masked, "even": even}


def _approve(operator_client, ppk_client, jabatan, pegawai):
    operator_client.post(reverse("succession:nominate", args=[2026, jabatan.pk]), {"pegawai": [pegawai.pk]})
    nomination = Nominasi.objects.get(jabatan=jabatan, pegawai=pegawai)
    ppk_client.post(reverse("succession:nomination-decide", args=[nomination.pk]), {"keputusan": "setujui"})
    nomination.refresh_from_db()
    assert nomination.status == Nominasi.Status.DISETUJUI
    return nomination


def test_a_ready_now_jpm_over_100_shows_its_gaps_and_says_the_jpm_is_not_capped(ppk_client, board):
    response = ppk_client.get(reverse("succession:target", args=[2026, board["mutasi"].pk]))
    candidates = {k.pegawai: k for k in response.context["page"]}
    masked, even = candidates[board["masked"]], candidates[board["even"]]
    assert (str(masked.jpm_target), masked.kesiapan, masked.peringkat) == ("111.11", "Siap sekarang", 1)
    assert masked.kesenjangan == [
        {"kompetensi": "Orientasi pada Hasil", "kurang": 1},
        {"kompetensi": "Pelayanan Publik", "kurang": 1},
        {"kompetensi": "Pengembangan Diri dan Orang Lain", "kurang": 1},
    ]
    assert masked.jpm_menutupi_kesenjangan is True
    assert (even.kesenjangan, even.jpm_menutupi_kesenjangan) == ([], False)
    html = response.text
    assert (
        f'<ul class="list-unstyled mb-0 small" data-testid="kesenjangan-{board["masked"].pk}">'
        "<li>Orientasi pada Hasil kurang 1 level</li><li>Pelayanan Publik kurang 1 level</li>"
        "<li>Pengembangan Diri dan Orang Lain kurang 1 level</li></ul>"
    ) in html
    assert (
        f'data-testid="jpm-menutupi-{board["masked"].pk}">JPM tidak dibatasi 100: level lebih di kompetensi lain '
        "menutupi 3 kesenjangan</div>"
    ) in html
    assert f'data-testid="kesenjangan-{board["even"].pk}">tidak ada</span>' in html
    assert f'data-testid="jpm-menutupi-{board["even"].pk}"' not in html
    assert (
        "JPM = jumlah level yang dicapai × 100 / jumlah level standar jabatan ini, <strong>tidak dibatasi 100</strong>"
        in html
    )


def test_the_gaps_follow_the_targets_own_standard(ppk_client, board):
    response = ppk_client.get(reverse("succession:target", args=[2026, board["hukum"].pk]))
    candidates = {k.pegawai: k for k in response.context["page"]}
    # Standard 4,4,4,3,…: the even 3s now miss three levels; the masked person misses the same three as before.
    assert candidates[board["even"]].kesenjangan == [
        {"kompetensi": "Integritas", "kurang": 1},
        {"kompetensi": "Kerja Sama", "kurang": 1},
        {"kompetensi": "Komunikasi", "kurang": 1},
    ]
    assert [g["kompetensi"] for g in candidates[board["masked"]].kesenjangan] == [
        "Orientasi pada Hasil", "Pelayanan Publik", "Pengembangan Diri dan Orang Lain",
    ]  # fmt: skip


def test_a_successor_approved_for_other_jabatan_is_flagged_everywhere_it_is_read(operator_client, ppk_client, board):
    _approve(operator_client, ppk_client, board["keuangan"], board["masked"])
    _approve(operator_client, ppk_client, board["hukum"], board["masked"])
    # Only proposed (not approved) elsewhere does not count.
    operator_client.post(
        reverse("succession:nominate", args=[2026, board["keuangan"].pk]), {"pegawai": [board["even"].pk]}
    )
    nominated_here = _approve(operator_client, ppk_client, board["mutasi"], board["masked"])
    pid = board["masked"].pk
    unit = board["mutasi"].unit_kerja.nama  # JabatanFactory gives every target its own unit
    expected = [
        f"Kepala Bagian Hukum ({board['hukum'].unit_kerja.nama})",
        f"Kepala Bagian Keuangan ({board['keuangan'].unit_kerja.nama})",
    ]
    assert unit not in expected
    response = ppk_client.get(reverse("succession:target", args=[2026, board["mutasi"].pk]))
    candidates = {k.pegawai: k for k in response.context["page"]}
    assert candidates[board["masked"]].suksesor_lain == expected
    assert candidates[board["even"]].suksesor_lain == []
    nominations = {n.pegawai_id: n for n in response.context["nominations"]}
    assert nominations[pid].pk == nominated_here.pk and nominations[pid].suksesor_lain == expected
    assert response.text.count(f'data-testid="suksesor-lain-{pid}"') == 2  # the nomination and the candidate
    assert (
        f'data-testid="suksesor-lain-{pid}" title="{expected[0]}; {expected[1]}">suksesor untuk 2 jabatan lain</span>'
        in response.text
    )
    compare = ppk_client.get(
        reverse("succession:compare", args=[2026, board["mutasi"].pk]), {"p": [pid, board["even"].pk]}
    )
    people = {p["placement"].pegawai_id: p for p in compare.context["people"]}
    assert people[pid]["suksesor_lain"] == expected and people[pid]["jpm_menutupi_kesenjangan"] is True
    assert people[board["even"].pk]["suksesor_lain"] == [] and people[board["even"].pk]["kesenjangan"] == []
    assert "suksesor untuk 2 jabatan lain" in compare.text and "Pelayanan Publik kurang 1 level" in compare.text
    printed = ppk_client.get(reverse("succession:target-print", args=[2026, board["mutasi"].pk]))
    assert printed.text.count("suksesor untuk 2 jabatan lain") == 2
    assert "Orientasi pada Hasil kurang 1 level" in printed.text


def test_the_targets_page_explains_why_targets_share_a_list(ppk_client, board):
    response = ppk_client.get(reverse("succession:targets"))
    [group] = response.context["summary"]["daftar_sama"]
    assert sorted(t.jabatan.nama for t in group["targets"]) == ["Kepala Bagian Keuangan", "Kepala Bidang Mutasi"]
    assert group["uraian"] == (
        "Administrator, standar 3 untuk kesembilan kompetensi (bawaan jenjang), golongan minimal III/d"
    )
    html = response.text
    assert "Mengapa beberapa target memiliki daftar kandidat yang sama?" in html
    assert (
        'data-testid="kelompok-A">Kelompok A (2 target): Administrator, standar 3 untuk kesembilan kompetensi' in html
    )
    for jabatan in (board["mutasi"], board["keuangan"]):
        assert f'data-testid="daftar-{jabatan.pk}">sama dengan 1 target lain (kelompok A)</td>' in html
    assert f'data-testid="daftar-{board["hukum"].pk}">tidak sama dengan target lain</td>' in html
    # The lists are indeed the same, and the target page says so with a link to the other one.
    lists = [
        list(ppk_client.get(reverse("succession:target", args=[2026, j.pk])).context["page"])
        for j in (board["mutasi"], board["keuangan"])
    ]
    assert [(k.pegawai_id, k.peringkat, k.jpm_target, k.kesiapan) for k in lists[0]] == [
        (k.pegawai_id, k.peringkat, k.jpm_target, k.kesiapan) for k in lists[1]
    ]
    detail = ppk_client.get(reverse("succession:target", args=[2026, board["mutasi"].pk]))
    assert [t.jabatan for t in detail.context["same_list"]] == [board["keuangan"]]
    assert "Daftar kandidat ini sama dengan daftar 1 jabatan target lain" in detail.text
    hukum = ppk_client.get(reverse("succession:target", args=[2026, board["hukum"].pk]))
    assert hukum.context["same_list"] == [] and 'data-testid="daftar-sama"' not in hukum.text


def test_a_golongan_minimum_of_its_own_splits_the_list(ppk_client, board):
    board["keuangan"].golongan_minimal_id = "IV/a"
    board["keuangan"].save()
    assert ppk_client.get(reverse("succession:targets")).context["summary"]["daftar_sama"] == []


def test_the_details_cost_the_same_queries_for_more_candidates_and_nominations(
    operator_client, ppk_client, board, periode_2026
):
    def load():
        with CaptureQueriesContext(connection) as queries:
            assert operator_client.get(reverse("succession:target", args=[2026, board["mutasi"].pk])).status_code == 200
        return len(queries)

    _approve(operator_client, ppk_client, board["keuangan"], board["masked"])
    _approve(operator_client, ppk_client, board["mutasi"], board["masked"])  # the nominations' own prefetch runs
    load()
    before = load()
    feeding = board["masked"].jabatan
    more = [talent(feeding, f"19840101200901{1 + i % 2}{i:03d}", levels=MASKED, golongan="III/d") for i in range(6)]
    pipeline.refresh_now(periode_id=periode_2026.pk)
    for pegawai in more[:3]:
        _approve(operator_client, ppk_client, board["hukum"], pegawai)
        _approve(operator_client, ppk_client, board["mutasi"], pegawai)
    response = operator_client.get(reverse("succession:target", args=[2026, board["mutasi"].pk]))
    assert len(response.context["page"]) == 8 and len(response.context["nominations"]) == 4
    assert load() == before
