"""The nine-box map, movement, talent pool and talent-review meetings (issue: calibration)."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from asn.models import Pegawai, Role
from asn.nip import formatted as nip_formatted
from asn.reference import KOMPETENSI_FIELDS
from assessment import scoring
from assessment.models import Asesmen, Kalibrasi, KonflikKepentingan, Penempatan, Periode, RapatTalentReview, SkpResult
from assessment.selectors import EXPORT_COLUMNS, talent_map_export_rows
from assessment.services import (
    anggota_add,
    kalibrasi_agree,
    kalibrasi_propose,
    konflik_declare,
    rapat_create,
    rapat_finalise,
)
from decisions.models import EntriKeputusan
from talenta import pipeline
from tests.assessment.test_placements import seed
from tests.factories import PegawaiFactory, UserFactory

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def tim(sambas):
    return UserFactory(username="tim-sambas", role=Role.TIM_TALENTA, instansi=sambas)


def _box9(pegawai):
    """Give a pegawai the spec's worked-example data: box 9 in the pool."""
    pegawai.pendidikan_id = "S2"
    pegawai.save()
    jabatan = pegawai.jabatan
    jabatan.jenjang_id = "administrator"
    jabatan.save()
    SkpResult.objects.create(pegawai=pegawai, tahun=2025, predikat="Sangat Baik")
    SkpResult.objects.create(pegawai=pegawai, tahun=2024, predikat="Baik")
    Asesmen.objects.create(
        pegawai=pegawai, tanggal_asesmen=dt.date(2024, 3, 10), skor_potensi=Decimal(72),
        **dict(zip(KOMPETENSI_FIELDS, (4, 3, 3, 3, 4, 3, 3, 3, 3), strict=True)),
    )  # fmt: skip


@pytest.fixture
def placed(periode_2026, sambas):
    pegawai = PegawaiFactory(jabatan__unit_kerja__instansi=sambas)
    _box9(pegawai)
    pipeline.refresh_now(periode_id=periode_2026.pk)
    return Penempatan.objects.get(pegawai=pegawai)


@pytest.fixture
def rapat(periode_2026, sambas, ppk, tim):
    rapat = rapat_create(
        user=ppk, periode=periode_2026, instansi=sambas,
        data={"tanggal": dt.date(2026, 3, 12), "tempat": "Aula BKPSDM", "ketua": "Sekretaris Daerah"},
    )  # fmt: skip
    anggota_add(user=ppk, rapat=rapat, data={"user": tim, "nama": "Tim Talenta", "peran": "sekretaris"})
    return rapat


@pytest.fixture
def finalise(django_capture_on_commit_callbacks):
    """Finalise a meeting and run what it queues on commit, as the worker would (eager in tests)."""

    def run(*, user, rapat):
        with django_capture_on_commit_callbacks(execute=True):
            return rapat_finalise(user=user, rapat=rapat)

    return run


# --- map counts ------------------------------------------------------------------------------------------


FILTER_COMBINATIONS = [
    {},
    {"jenjang": "pelaksana"},
    {"kelompok": "manajerial"},
    {"jenis_asn": "PPPK"},
    {"jenis_kelamin": "P", "usia": "40-49"},
    {"usia": "<30"},
    {"usia": "50+", "jenis_asn": "PNS"},
    {"jpm": "optimal"},
    {"jpm": "cukup", "kelompok": "fungsional_keahlian"},
    {"jpm": "tanpa"},
    {"golongan": "III/a"},
]


def _expected_counts(rows, people, periode, filters):
    def keep(row):
        person = people[row["nip"]]
        if filters.get("jenjang") and person.jabatan.jenjang_id != filters["jenjang"]:
            return False
        if filters.get("kelompok") and person.jabatan.jenjang.kelompok != filters["kelompok"]:
            return False
        if filters.get("jenis_asn") and person.jenis_asn != filters["jenis_asn"]:
            return False
        if filters.get("jenis_kelamin") and person.jenis_kelamin != filters["jenis_kelamin"]:
            return False
        if filters.get("golongan") and person.golongan_id != filters["golongan"]:
            return False
        if filters.get("usia"):
            acuan = periode.tanggal_acuan
            age = (
                acuan.year
                - person.tanggal_lahir.year
                - ((acuan.month, acuan.day) < (person.tanggal_lahir.month, person.tanggal_lahir.day))
            )
            low, high = {"<30": (0, 30), "30-39": (30, 40), "40-49": (40, 50), "50+": (50, 200)}[filters["usia"]]
            if not low <= age < high:
                return False
        if filters.get("jpm"):
            jpm = Decimal(row["jpm"]) if row["jpm"] else None
            band = "tanpa" if jpm is None else "optimal" if jpm >= 90 else "cukup" if jpm >= 78 else "kurang"
            if band != filters["jpm"]:
                return False
        return True

    kept = [row for row in rows if keep(row)]
    counts = {box: sum(1 for r in kept if r["kotak"] == str(box)) for box in range(1, 10)}
    return counts, sum(1 for r in kept if r["lengkap"] == "tidak")


@pytest.mark.parametrize("filters", FILTER_COMBINATIONS)
def test_map_counts_equal_the_exported_placements(filters, periode_2026, ppk_client, sambas):
    seed(1500, seed=3)
    pipeline.refresh_now(periode_id=periode_2026.pk)
    rows = [
        dict(zip(EXPORT_COLUMNS, r, strict=True))
        for r in talent_map_export_rows(user=None, periode=periode_2026, instansi=sambas)
    ]
    people = {p.nip: p for p in Pegawai.objects.filter(instansi=sambas).select_related("jabatan__jenjang")}
    response = ppk_client.get(reverse("assessment:peta", args=[2026]), filters)
    result = response.context["map"]
    counts, incomplete = _expected_counts(rows, people, periode_2026, filters)
    assert result["counts"] == counts
    assert result["tidak_lengkap"] == incomplete
    assert result["lengkap"] + result["tidak_lengkap"] == result["total"]


def test_box_list_shows_the_people_of_the_box(ppk_client, placed):
    response = ppk_client.get(reverse("assessment:peta-kotak", args=[2026, 9]))
    assert [p.pk for p in response.context["page"]] == [placed.pk]
    assert ppk_client.get(reverse("assessment:peta-kotak", args=[2026, 5])).context["page"].paginator.count == 0


def test_map_runs_a_constant_number_of_queries(ppk_client, periode_2026, sambas, django_assert_num_queries):
    def load():
        ppk_client.get(reverse("assessment:peta", args=[2026]), {"jenjang": "pelaksana"})

    PegawaiFactory(jabatan__unit_kerja__instansi=sambas)
    pipeline.refresh_now(periode_id=periode_2026.pk)
    with django_assert_num_queries(12) as few:  # 11 for the map, 1 for its freshness line
        load()
    seed(400, seed=9)
    pipeline.refresh_now(periode_id=periode_2026.pk)
    with django_assert_num_queries(len(few.captured_queries)):
        load()


def test_map_export_has_counts_and_list(ppk_client, placed):
    response = ppk_client.get(reverse("assessment:peta-ekspor", args=[2026]))
    workbook = load_workbook(io.BytesIO(response.content))
    counts = {row[0]: row[2] for row in workbook["Peta"].iter_rows(min_row=2, values_only=True)}
    assert counts[9] == 1
    assert [row[0] for row in workbook["Daftar"].iter_rows(min_row=2, values_only=True)] == [placed.pegawai.nip]


REASON = "konteks_penugasan"


def test_outsider_gets_404_on_every_page(outsider_client, placed, rapat):
    kalibrasi = kalibrasi_propose(
        user=rapat.anggota.get(peran="sekretaris").user,
        rapat=rapat,
        penempatan_id=placed.pk,
        kotak_baru=8,
        jenis_alasan=REASON,
        alasan="Uji kalibrasi untuk orang luar.",
    )
    rapat.status = RapatTalentReview.Status.FINAL
    rapat.difinalkan_pada = dt.datetime(2026, 3, 12, tzinfo=dt.UTC)
    rapat.save()
    gets = [
        reverse("assessment:rapat-detail", args=[rapat.pk]),
        reverse("assessment:rapat-berita-acara", args=[rapat.pk, "pdf"]),
        reverse("assessment:rapat-berita-acara", args=[rapat.pk, "xlsx"]),
    ]
    for url in gets:
        assert outsider_client.get(url).status_code == 404, url
    posts = [
        reverse("assessment:rapat-move", args=[rapat.pk]),
        reverse("assessment:rapat-member-add", args=[rapat.pk]),
        reverse("assessment:rapat-member-remove", args=[rapat.anggota.first().pk]),
        reverse("assessment:rapat-conflict", args=[rapat.pk]),
        reverse("assessment:rapat-finalise", args=[rapat.pk]),
        reverse("assessment:rapat-discard", args=[rapat.pk]),
        reverse("assessment:rapat-agree", args=[kalibrasi.pk]),
    ]
    for url in posts:
        assert (
            outsider_client.post(url, {"penempatan": placed.pk, "kotak_baru": 5, "alasan": "x"}).status_code == 404
        ), url
    # Their own instansi's map shows nothing of Sambas; naming Sambas explicitly is not possible for them.
    own_map = outsider_client.get(reverse("assessment:peta", args=[2026]))
    assert own_map.context["map"]["total"] == 0
    own_audit = outsider_client.get(reverse("assessment:kalibrasi", args=[2026]))
    assert list(own_audit.context["page"]) == []
    assert Kalibrasi.objects.get() == kalibrasi


def test_bkn_reads_every_page_but_cannot_write(bkn_client, tim, placed, rapat, sambas):
    kalibrasi = kalibrasi_propose(
        user=tim, rapat=rapat, penempatan_id=placed.pk, kotak_baru=1, jenis_alasan=REASON,
        alasan="Usulan yang perlu persetujuan anggota kedua.",
    )  # fmt: skip
    for url in [
        reverse("assessment:peta", args=[2026]) + f"?instansi={sambas.pk}",
        reverse("assessment:peta-kotak", args=[2026, 9]) + f"?instansi={sambas.pk}",
        reverse("assessment:krs", args=[2026]) + f"?instansi={sambas.pk}",
        reverse("assessment:perpindahan") + f"?instansi={sambas.pk}",
        reverse("assessment:kalibrasi", args=[2026]),
        reverse("assessment:rapat-list") + f"?instansi={sambas.pk}",
        reverse("assessment:rapat-detail", args=[rapat.pk]),
    ]:
        assert bkn_client.get(url).status_code == 200, url
    assert (
        bkn_client.get(reverse("assessment:peta", args=[2026]), {"instansi": sambas.pk}).context["map"]["counts"][9]
        == 1
    )
    for url in [
        reverse("assessment:rapat-move", args=[rapat.pk]),
        reverse("assessment:rapat-member-add", args=[rapat.pk]),
        reverse("assessment:rapat-conflict", args=[rapat.pk]),
        reverse("assessment:rapat-finalise", args=[rapat.pk]),
        reverse("assessment:rapat-discard", args=[rapat.pk]),
        reverse("assessment:rapat-agree", args=[kalibrasi.pk]),
    ]:
        assert bkn_client.post(url, {"penempatan": placed.pk, "kotak_baru": 5, "alasan": "x"}).status_code == 403, url
    assert (
        bkn_client.post(
            reverse("assessment:rapat-list") + f"?instansi={sambas.pk}", {"tanggal": "2026-03-01"}
        ).status_code
        == 403
    )
    assert list(Kalibrasi.objects.all()) == [kalibrasi]
    assert kalibrasi.disetujui_oleh is None
    assert RapatTalentReview.objects.get().status == "draft"


def test_operator_reads_the_meeting_but_gets_403_on_moves(operator_client, tim, placed, rapat):
    assert operator_client.get(reverse("assessment:rapat-detail", args=[rapat.pk])).status_code == 200
    response = operator_client.post(
        reverse("assessment:rapat-move", args=[rapat.pk]), {"penempatan": placed.pk, "kotak_baru": 5, "alasan": "x"}
    )
    assert response.status_code == 403
    assert not Kalibrasi.objects.exists()
    kalibrasi = kalibrasi_propose(
        user=tim, rapat=rapat, penempatan_id=placed.pk, kotak_baru=1, jenis_alasan=REASON,
        alasan="Usulan yang perlu persetujuan anggota kedua.",
    )  # fmt: skip
    assert operator_client.post(reverse("assessment:rapat-agree", args=[kalibrasi.pk])).status_code == 403
    assert operator_client.post(reverse("assessment:rapat-discard", args=[rapat.pk])).status_code == 403
    kalibrasi.refresh_from_db()
    assert kalibrasi.disetujui_oleh is None


# --- calibration ------------------------------------------------------------------------------------------


def _move(client, rapat, placement, kotak, alasan, jenis_alasan=REASON):
    return client.post(
        reverse("assessment:rapat-move", args=[rapat.pk]),
        {"penempatan": placement.pk, "kotak_baru": kotak, "jenis_alasan": jenis_alasan, "alasan": alasan},
        follow=True,
    )


def _official(placement):
    placement.refresh_from_db()
    return placement.kotak_hitung, placement.kotak, placement.krs, placement.label_krs


def test_a_move_is_a_proposal_until_the_meeting_is_finalised(
    django_capture_on_commit_callbacks, ppk, ppk_client, tim, placed, rapat
):
    response = _move(client_for(tim), rapat, placed, 5, "Belum teruji memimpin tim besar.")
    assert (
        f"{placed.pegawai.nama} dipindahkan dari kotak 9 ke kotak 5 (usulan; berlaku setelah rapat difinalkan)."
        in response.text
    )
    kalibrasi = Kalibrasi.objects.get()
    assert (kalibrasi.kotak_hitung, kalibrasi.kotak_sebelumnya, kalibrasi.kotak_baru) == (9, 9, 5)
    assert (kalibrasi.oleh, kalibrasi.jenis_alasan, kalibrasi.alasan, kalibrasi.rapat) == (
        tim, REASON, "Belum teruji memimpin tim besar.", rapat,
    )  # fmt: skip
    assert kalibrasi.history.get().history_user == tim
    # The board shows computed box → proposed box; the official map and pool have not moved.
    board = client_for(tim).get(reverse("assessment:rapat-detail", args=[rapat.pk]))
    grid = {c["kotak"]: [p.pk for p in c["orang"]] for row in board.context["grid"]["grid"] for c in row}
    assert (grid[5], grid[9]) == ([placed.pk], [])
    assert f'data-testid="usulan-{placed.pk}">9 → 5</span>' in board.text
    assert _official(placed) == (9, 9, True, "KRS Instansi/Nasional")
    pool = ppk_client.get(reverse("assessment:krs", args=[2026]))
    assert [p.pegawai for p in pool.context["anggota"]] == [placed.pegawai]
    assert ppk_client.get(reverse("assessment:peta", args=[2026])).context["map"]["counts"][9] == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(ppk).post(reverse("assessment:rapat-finalise", args=[rapat.pk]), follow=True)
    assert "Rapat difinalkan dan dikunci." in response.text
    assert _official(placed) == (9, 5, False, "")
    assert list(ppk_client.get(reverse("assessment:krs", args=[2026])).context["anggota"]) == []
    assert ppk_client.get(reverse("assessment:peta", args=[2026])).context["map"]["counts"][5] == 1


def test_move_by_nip_through_the_plain_form(finalise, ppk, ppk_client, tim, placed, rapat):
    client = client_for(tim)
    page = client.get(reverse("assessment:rapat-detail", args=[rapat.pk]), {"cari": placed.pegawai.nip_formatted})
    assert [m.pk for m in page.context["found"]["matches"]] == [placed.pk]
    assert f'name="penempatan" value="{placed.pk}" id="pilih-{placed.pk}" checked' in page.text  # the only match
    client.post(
        reverse("assessment:rapat-move", args=[rapat.pk]),
        {
            "penempatan": placed.pk,
            "kotak_baru": 8,
            "jenis_alasan": "hasil_asesmen",
            "alasan": "Dikalibrasi tanpa JavaScript.",
        },
    )
    assert _official(placed) == (9, 9, True, "KRS Instansi/Nasional")
    finalise(user=ppk, rapat=rapat)
    assert _official(placed) == (9, 8, True, "KRS Instansi")
    assert Kalibrasi.objects.get().get_jenis_alasan_display() == "Hasil asesmen baru"
    # The pool marks a member whose box the committee set.
    pool = ppk_client.get(reverse("assessment:krs", args=[2026])).text
    assert f'data-testid="dikalibrasi-{placed.pk}">dikalibrasi (hitung 9)</div>' in pool


@pytest.fixture
def two_lindas(periode_2026, sambas):
    """Two people of one name in different units: only NIP, jabatan and unit tell them apart."""
    people = [
        PegawaiFactory(
            nama="Linda Santoso",
            jabatan__nama=jabatan,
            jabatan__unit_kerja__nama=unit,
            jabatan__unit_kerja__instansi=sambas,
        )
        for jabatan, unit in (("Kepala Seksi Gizi", "Dinas Kesehatan"), ("Kepala Seksi Irigasi", "Dinas PUPR"))
    ]
    for pegawai in people:
        _box9(pegawai)
    PegawaiFactory(nama="Budi Santoso", jabatan__unit_kerja__instansi=sambas)  # incomplete: not on the board
    pipeline.refresh_now(periode_id=periode_2026.pk)
    return [Penempatan.objects.select_related("pegawai").get(pegawai=p) for p in people]


def test_the_finder_tells_two_people_of_one_name_apart(tim, two_lindas, rapat):
    response = client_for(tim).get(reverse("assessment:rapat-detail", args=[rapat.pk]), {"cari": "santoso LINDA"})
    # Same name: listed by NIP (the factory's NIPs need not follow the order the two were made in).
    by_nip = sorted(
        zip(two_lindas, ("Kepala Seksi Gizi", "Kepala Seksi Irigasi"), ("Dinas Kesehatan", "Dinas PUPR"), strict=True),
        key=lambda person: person[0].pegawai.nip,
    )
    assert [m.pk for m in response.context["found"]["matches"]] == [placement.pk for placement, _, _ in by_nip]
    assert '2 pegawai cocok dengan "santoso LINDA". Pilih satu:' in response.text
    for placement, jabatan, unit in by_nip:
        assert (
            f"Linda Santoso · NIP {placement.pegawai.nip_formatted} · {jabatan} · {unit} · kotak 9</label>"
        ) in response.text
    assert " checked>" not in response.text.split('data-testid="hasil-cari"')[1].split("</fieldset>")[0]
    # An incomplete placement cannot be calibrated, so the finder does not offer it.
    response = client_for(tim).get(reverse("assessment:rapat-detail", args=[rapat.pk]), {"cari": "Budi"})
    assert response.context["found"] == {"matches": [], "jumlah": 0}
    assert 'Tidak ada pegawai dengan data lengkap di rapat ini yang cocok dengan "Budi".' in response.text


def test_the_finder_caps_its_list_and_says_so(tim, rapat, periode_2026, sambas):
    for _ in range(22):
        _box9(PegawaiFactory(nama="Agus Salim", jabatan__unit_kerja__instansi=sambas))
    pipeline.refresh_now(periode_id=periode_2026.pk)
    response = client_for(tim).get(reverse("assessment:rapat-detail", args=[rapat.pk]), {"cari": "agus"})
    assert len(response.context["found"]["matches"]) == 20
    assert '22 pegawai cocok dengan "agus"; 20 pertama ditampilkan, perjelas pencarian. Pilih satu:' in response.text


def test_a_move_without_choosing_a_person_says_how_to_find_one(tim, placed, rapat):
    response = client_for(tim).post(
        reverse("assessment:rapat-move", args=[rapat.pk]),
        {"kotak_baru": 8, "alasan": "Tanpa pegawai.", "cari": "Linda"},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("assessment:rapat-detail", args=[rapat.pk]) + "?cari=Linda", 302)]
    assert "Cari pegawai dengan nama atau NIP, lalu pilih salah satu." in response.text
    assert not Kalibrasi.objects.exists()


def test_each_card_shows_who_it_is_the_scores_and_the_calibration(tim, two_lindas, rapat):
    first, second = two_lindas
    kalibrasi_propose(
        user=tim, rapat=rapat, penempatan_id=second.pk, kotak_baru=8, jenis_alasan=REASON, alasan="Belum memimpin unit."
    )
    response = client_for(tim).get(reverse("assessment:rapat-detail", args=[rapat.pk]))
    html = response.text
    for placement, jabatan, unit in (
        (first, "Kepala Seksi Gizi", "Dinas Kesehatan"),
        (second, "Kepala Seksi Irigasi", "Dinas PUPR"),
    ):
        card = html.split(f'data-testid="kartu-{placement.pk}">')[1].split("</button>")[0]
        assert "Linda Santoso" in card and placement.pegawai.nip_formatted in card
        assert f">{jabatan}</span>" in card and f">{unit}</span>" in card
        # The spec's worked example: K 90, P 83,22, JPM 107,41 against the current jabatan.
        assert f'data-testid="skor-{placement.pk}">K 90,00 · P 83,22 · JPM 107,41</span>' in card
    assert "Dikalibrasi" not in html.split(f'data-testid="kartu-{first.pk}">')[1].split("</button>")[0]
    assert (
        f'data-testid="tanda-kalibrasi-{second.pk}">Dikalibrasi: hitung '
        f'<span data-testid="usulan-{second.pk}">9 → 8</span></span>'
    ) in html
    # A draft's proposal: the official box stays 9 until finalisation, and the card says so.
    assert f'data-testid="kotak-resmi-{second.pk}">kotak resmi 9</span>' in html
    assert f'data-testid="kotak-resmi-{first.pk}"' not in html
    assert 'data-testid="zona-8"' in html.split(f'data-testid="kartu-{second.pk}"')[0].rsplit("drop-zone", 1)[1]
    # The distribution panel counts the proposed boxes, as the board shows them.
    assert [(s["kotak"], s["jumlah"]) for s in response.context["grid"]["sebaran"]][:2] == [(9, 1), (8, 1)]


def test_the_board_distribution_is_the_whole_meeting_whatever_the_filter(ppk_client, two_lindas, rapat):
    unit = two_lindas[0].pegawai.jabatan.unit_kerja_id
    response = ppk_client.get(reverse("assessment:rapat-detail", args=[rapat.pk]), {"unit_kerja": unit})
    grid = response.context["grid"]
    assert grid["total"] == 1 and grid["total_rapat"] == 2
    assert [(s["kotak"], s["jumlah"], s["persen"], s["melebihi_batas"]) for s in grid["sebaran"]] == [
        (9, 2, 100.0, True),
        *[(box, 0, 0, False) for box in range(8, 0, -1)],
    ]
    assert 'data-total="2" data-batas="30"' in response.text
    assert "Dihitung atas 2 pegawai dengan data lengkap, tanpa saringan papan." in response.text


def test_the_board_runs_a_constant_number_of_queries(tim, two_lindas, rapat, periode_2026, django_assert_num_queries):
    client = client_for(tim)

    def load():
        client.get(reverse("assessment:rapat-detail", args=[rapat.pk]), {"cari": "a"})

    kalibrasi_propose(
        user=tim,
        rapat=rapat,
        penempatan_id=two_lindas[0].pk,
        kotak_baru=7,
        jenis_alasan=REASON,
        alasan="Satu kalibrasi yang sudah tercatat.",
    )
    load()  # warm the session and the cache
    with CaptureQueriesContext(connection) as few:
        load()
    seed(300, seed=5)
    pipeline.refresh_now(periode_id=periode_2026.pk)
    placements = Penempatan.objects.filter(periode=periode_2026, instansi=rapat.instansi, lengkap=True)
    assert placements.count() >= 8  # from 2: more cards, more finder matches, more moves
    for placement in placements.exclude(kotak=5)[:5]:
        kalibrasi_propose(
            user=tim,
            rapat=rapat,
            penempatan_id=placement.pk,
            kotak_baru=5,
            jenis_alasan=REASON,
            alasan="Kalibrasi uji untuk menghitung kueri.",
        )
    with django_assert_num_queries(len(few.captured_queries)):
        load()


def test_a_move_without_justification_is_refused(tim, placed, rapat):
    response = _move(client_for(tim), rapat, placed, 5, "   ")
    assert "Justifikasi tertulis wajib diisi untuk setiap pemindahan kotak." in response.text
    assert not Kalibrasi.objects.exists()
    placed.refresh_from_db()
    assert placed.kotak == 9


@pytest.mark.parametrize(
    "alasan",
    [
        "ok",
        "Kinerjanyabagussekali",  # 21 characters, one word
        "Bagus dan rajin",  # three words, 15 characters
        "Sangatbagus sekali.",  # two words, 19 characters
    ],
)
def test_a_justification_must_be_a_sentence(tim, placed, rapat, alasan):
    response = _move(client_for(tim), rapat, placed, 5, alasan)
    assert "Justifikasi harus berupa kalimat: sekurang-kurangnya 20 karakter dan 3 kata." in response.text
    assert not Kalibrasi.objects.exists()


def test_a_justification_of_twenty_characters_and_three_words_is_accepted(tim, placed, rapat):
    response = _move(client_for(tim), rapat, placed, 5, "Kinerja naik tajam!")  # 19 characters
    assert "Justifikasi harus berupa kalimat" in response.text
    _move(client_for(tim), rapat, placed, 5, "Kinerja naik tajam!!")  # 20 characters, 3 words
    assert Kalibrasi.objects.get().alasan == "Kinerja naik tajam!!"


def test_a_move_needs_a_reason_from_the_list(tim, placed, rapat):
    message = "Pilih alasan pemindahan: bukti kinerja terbaru, hasil asesmen baru, konteks penugasan, koreksi data."
    response = _move(client_for(tim), rapat, placed, 5, "Belum teruji memimpin tim besar.", jenis_alasan="")
    assert message in response.text
    with pytest.raises(ValidationError) as refused:
        kalibrasi_propose(
            user=tim, rapat=rapat, penempatan_id=placed.pk, kotak_baru=5, jenis_alasan="lainnya",
            alasan="Belum teruji memimpin tim besar.",
        )  # fmt: skip
    assert refused.value.messages == [message]
    assert not Kalibrasi.objects.exists()


def test_a_move_in_a_finalised_meeting_is_refused(ppk, tim, placed, rapat):
    client_for(ppk).post(reverse("assessment:rapat-finalise", args=[rapat.pk]))
    rapat.refresh_from_db()
    assert rapat.is_final and rapat.difinalkan_oleh == ppk
    response = _move(client_for(tim), rapat, placed, 5, "Terlambat untuk rapat ini.")
    assert "Rapat sudah difinalkan dan dikunci" in response.text
    assert not Kalibrasi.objects.exists()


def test_a_member_with_a_declared_conflict_cannot_move_that_person(tim, placed, rapat):
    client = client_for(tim)
    client.post(
        reverse("assessment:rapat-conflict", args=[rapat.pk]),
        {"nip": placed.pegawai.nip, "jenis": "keluarga", "keterangan": "Saudara kandung"},
    )
    assert KonflikKepentingan.objects.get().anggota.user == tim
    response = _move(client, rapat, placed, 5, "Alasan apa pun.")
    assert (
        f"Anda telah menyatakan konflik kepentingan (hubungan keluarga) dengan {placed.pegawai.nama}; "
        "pemindahan harus dilakukan anggota lain."
    ) in response.text
    assert not Kalibrasi.objects.exists()
    # Another member may.
    _move(client_for(rapat.dibuat_oleh), rapat, placed, 5, "Dipindahkan oleh anggota tanpa konflik.")
    assert Kalibrasi.objects.get().oleh == rapat.dibuat_oleh


def test_a_user_outside_the_meeting_cannot_move(placed, rapat, sambas):
    other = UserFactory(username="tim-lain", role=Role.TIM_TALENTA, instansi=sambas)
    assert _move(client_for(other), rapat, placed, 5, "x").status_code == 403
    assert not Kalibrasi.objects.exists()


def test_incomplete_placement_cannot_be_calibrated(tim, rapat, periode_2026, sambas):
    pegawai = PegawaiFactory(jabatan__unit_kerja__instansi=sambas)
    pipeline.refresh_now(periode_id=periode_2026.pk)
    incomplete = Penempatan.objects.get(pegawai=pegawai)
    response = _move(client_for(tim), rapat, incomplete, 5, "x")
    assert "tidak dapat dikalibrasi" in response.text


def test_distribution_warning_when_a_box_holds_too_many(ppk_client, placed, rapat):
    response = ppk_client.get(reverse("assessment:rapat-detail", args=[rapat.pk]))
    assert 'data-testid="sebaran-9"' in response.text  # one person, 100 % > 30 %


# --- second member's agreement ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dari", "ke", "needed"),
    [
        (9, 8, False),  # out of box 9 one step is a plain move; into it always needs agreement
        (8, 9, True),
        (9, 5, False),  # one step on each axis
        (9, 7, False),
        (9, 4, True),  # potensial Tinggi → Rendah: two steps
        (9, 6, True),  # kinerja Di Atas → Di Bawah: two steps
        (1, 9, True),
        (1, 5, False),
        (4, 6, True),
        (2, 8, True),  # potensial Rendah → Tinggi
        (5, 5, False),
    ],
)
def test_which_moves_need_a_second_agreement(dari, ke, needed):
    assert scoring.needs_second_agreement(dari, ke) is needed


def test_a_net_move_of_two_boxes_needs_a_second_member_before_finalisation(finalise, ppk, tim, placed, rapat):
    # Each move is one step; together 9 → 4 is two steps on the potensial axis.
    first = kalibrasi_propose(
        user=tim, rapat=rapat, penempatan_id=placed.pk, kotak_baru=7, jenis_alasan=REASON,
        alasan="Penugasan baru belum setahun berjalan.",
    )  # fmt: skip
    last = kalibrasi_propose(
        user=tim, rapat=rapat, penempatan_id=placed.pk, kotak_baru=4, jenis_alasan="koreksi_data",
        alasan="Skor potensi tertukar dengan pegawai lain.",
    )  # fmt: skip
    assert (last.kotak_sebelumnya, last.kotak_baru) == (7, 4)
    response = client_for(ppk).post(reverse("assessment:rapat-finalise", args=[rapat.pk]), follow=True)
    assert (
        "Rapat belum dapat difinalkan: pemindahan berikut memerlukan persetujuan anggota rapat kedua (bukan yang "
        f"memindahkan): {placed.pegawai.nama} (NIP {placed.pegawai.nip}) kotak 9 → 4."
    ) in response.text
    rapat.refresh_from_db()
    assert rapat.status == "draft"
    assert _official(placed) == (9, 9, True, "KRS Instansi/Nasional")
    agree_form = f'action="{reverse("assessment:rapat-agree", args=[last.pk])}"'
    board = client_for(ppk).get(reverse("assessment:rapat-detail", args=[rapat.pk]))
    assert [m.pk for m in board.context["pending"]] == [last.pk]
    assert "1 pemindahan menunggu persetujuan anggota kedua" in board.text
    assert agree_form in board.text
    assert f'action="{reverse("assessment:rapat-agree", args=[first.pk])}"' not in board.text
    assert agree_form not in client_for(tim).get(reverse("assessment:rapat-detail", args=[rapat.pk])).text

    # The mover cannot agree with themselves, nor to a move that a later one replaced.
    response = client_for(tim).post(reverse("assessment:rapat-agree", args=[last.pk]), follow=True)
    assert "Persetujuan harus diberikan anggota rapat lain, bukan yang memindahkan." in response.text
    response = client_for(ppk).post(reverse("assessment:rapat-agree", args=[first.pk]), follow=True)
    assert "Pemindahan ini sudah digantikan pemindahan berikutnya; setujui yang terakhir." in response.text

    response = client_for(ppk).post(reverse("assessment:rapat-agree", args=[last.pk]), follow=True)
    assert f"Persetujuan atas pemindahan {placed.pegawai.nama} ke kotak 4 dicatat." in response.text
    last.refresh_from_db()
    assert last.disetujui_oleh == rapat.anggota.get(user=ppk)
    assert last.disetujui_pada is not None
    assert last.history.latest().history_user == ppk
    finalise(user=ppk, rapat=rapat)
    assert _official(placed) == (9, 4, False, "")


def test_a_later_move_needs_its_own_agreement(finalise, ppk, tim, placed, rapat):
    move = kalibrasi_propose(
        user=tim, rapat=rapat, penempatan_id=placed.pk, kotak_baru=4, jenis_alasan=REASON,
        alasan="Penugasan baru belum setahun berjalan.",
    )  # fmt: skip
    kalibrasi_agree(user=ppk, kalibrasi=move)
    kalibrasi_propose(
        user=tim, rapat=rapat, penempatan_id=placed.pk, kotak_baru=1, jenis_alasan=REASON,
        alasan="Kinerja juga di bawah ekspektasi tahun ini.",
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        finalise(user=ppk, rapat=rapat)
    assert refused.value.messages == [
        "Rapat belum dapat difinalkan: pemindahan berikut memerlukan persetujuan anggota rapat kedua (bukan yang "
        f"memindahkan): {placed.pegawai.nama} (NIP {placed.pegawai.nip}) kotak 9 → 1."
    ]


def test_a_move_that_needs_no_agreement_cannot_be_agreed(ppk, tim, placed, rapat):
    move = kalibrasi_propose(
        user=tim, rapat=rapat, penempatan_id=placed.pk, kotak_baru=8, jenis_alasan=REASON,
        alasan="Perlu penugasan lintas bidang dulu.",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="tidak memerlukan persetujuan anggota kedua"):
        kalibrasi_agree(user=ppk, kalibrasi=move)


def test_a_member_with_a_conflict_cannot_agree(ppk, tim, placed, rapat):
    konflik_declare(user=ppk, rapat=rapat, pegawai=placed.pegawai, jenis="atasan_langsung", keterangan="")
    move = kalibrasi_propose(
        user=tim, rapat=rapat, penempatan_id=placed.pk, kotak_baru=4, jenis_alasan=REASON,
        alasan="Penugasan baru belum setahun berjalan.",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="persetujuan harus dari anggota lain"):
        kalibrasi_agree(user=ppk, kalibrasi=move)
    move.refresh_from_db()
    assert move.disetujui_oleh is None


# --- discarding a draft -------------------------------------------------------------------------------


def test_a_draft_can_be_discarded(ppk, tim, placed, rapat):
    kalibrasi_propose(
        user=tim, rapat=rapat, penempatan_id=placed.pk, kotak_baru=8, jenis_alasan=REASON,
        alasan="Perlu penugasan lintas bidang dulu.",
    )  # fmt: skip
    kalibrasi_propose(
        user=tim, rapat=rapat, penempatan_id=placed.pk, kotak_baru=5, jenis_alasan=REASON,
        alasan="Belum teruji memimpin tim besar.",
    )  # fmt: skip
    response = client_for(tim).post(reverse("assessment:rapat-discard", args=[rapat.pk]), follow=True)
    assert "Draf dibuang: 2 pemindahan dihapus; peta talenta resmi tidak berubah." in response.text
    assert not Kalibrasi.objects.exists()
    assert [h.history_type for h in Kalibrasi.history.filter(history_user=tim).order_by("history_date", "id")] == [
        "+", "+", "-", "-",
    ]  # fmt: skip
    entry = EntriKeputusan.objects.order_by("urutan").last()
    assert (entry.jenis, entry.objek, entry.nilai_lama, entry.nilai_baru, entry.oleh) == (
        "buang_draf", f"rapat:{rapat.pk}", {"kalibrasi": 2, "pegawai": 1}, {"kalibrasi": 0, "pegawai": 0}, tim,
    )  # fmt: skip
    rapat.refresh_from_db()
    assert rapat.status == "draft"
    assert _official(placed) == (9, 9, True, "KRS Instansi/Nasional")
    response = client_for(tim).post(reverse("assessment:rapat-discard", args=[rapat.pk]), follow=True)
    assert "Draf rapat ini belum berisi pemindahan." in response.text


def test_a_finalised_meeting_cannot_be_discarded(finalise, ppk, tim, placed, rapat):
    kalibrasi_propose(
        user=tim, rapat=rapat, penempatan_id=placed.pk, kotak_baru=8, jenis_alasan=REASON,
        alasan="Perlu penugasan lintas bidang dulu.",
    )  # fmt: skip
    finalise(user=ppk, rapat=rapat)
    response = client_for(ppk).post(reverse("assessment:rapat-discard", args=[rapat.pk]), follow=True)
    assert "Rapat sudah difinalkan dan dikunci" in response.text
    assert Kalibrasi.objects.count() == 1
    assert _official(placed) == (9, 8, True, "KRS Instansi")


# --- recompute keeps calibrations ---------------------------------------------------------------------


def test_recompute_keeps_a_calibration_and_flags_it_when_the_computed_box_changes(
    finalise, ppk, tim, placed, rapat, periode_2026, sambas
):
    kalibrasi_propose(
        user=tim, rapat=rapat, penempatan_id=placed.pk, kotak_baru=5, jenis_alasan=REASON,
        alasan="Perlu pembuktian di jabatan baru.",
    )  # fmt: skip
    finalise(user=ppk, rapat=rapat)
    pipeline.refresh_now(periode_id=periode_2026.pk)
    placed.refresh_from_db()
    assert (placed.kotak_hitung, placed.kotak) == (9, 5)
    assert not Kalibrasi.objects.get().perlu_ditinjau

    SkpResult.objects.filter(pegawai=placed.pegawai, tahun=2025).update(predikat="Baik")  # K 90 -> 80: box 8
    pipeline.refresh_now(periode_id=periode_2026.pk)
    placed.refresh_from_db()
    kalibrasi = Kalibrasi.objects.get()
    assert (placed.kotak_hitung, placed.kotak) == (8, 5)
    assert (kalibrasi.perlu_ditinjau, kalibrasi.kotak_hitung_terbaru) == (True, 8)

    # The next meeting confirms it: a new calibration with the same box settles the flag once it is final.
    nxt = rapat_create(
        user=ppk, periode=periode_2026, instansi=sambas,
        data={"tanggal": dt.date(2026, 6, 2), "tempat": "Aula BKPSDM", "ketua": "Sekretaris Daerah"},
    )  # fmt: skip
    kalibrasi_propose(
        user=ppk, rapat=nxt, penempatan_id=placed.pk, kotak_baru=5, jenis_alasan=REASON,
        alasan="Tetap di kotak 5 setelah ditinjau.",
    )  # fmt: skip
    assert Kalibrasi.objects.filter(perlu_ditinjau=True).count() == 1
    finalise(user=ppk, rapat=nxt)
    assert not Kalibrasi.objects.filter(perlu_ditinjau=True).exists()
    placed.refresh_from_db()
    assert (placed.kotak_hitung, placed.kotak) == (8, 5)


def test_the_latest_finalised_meeting_decides(finalise, ppk, tim, placed, rapat, periode_2026, sambas):
    later = rapat_create(
        user=ppk, periode=periode_2026, instansi=sambas,
        data={"tanggal": dt.date(2026, 6, 2), "tempat": "Aula BKPSDM", "ketua": "Sekretaris Daerah"},
    )  # fmt: skip
    # Moved in the later meeting first, which is finalised first; the other meeting's move, made
    # afterwards but finalised later, is the one in force.
    kalibrasi_propose(
        user=ppk, rapat=later, penempatan_id=placed.pk, kotak_baru=8, jenis_alasan=REASON,
        alasan="Perlu penugasan lintas bidang dulu.",
    )  # fmt: skip
    kalibrasi_propose(
        user=tim, rapat=rapat, penempatan_id=placed.pk, kotak_baru=5, jenis_alasan=REASON,
        alasan="Belum teruji memimpin tim besar.",
    )  # fmt: skip
    finalise(user=ppk, rapat=later)
    assert _official(placed)[:2] == (9, 8)
    finalise(user=ppk, rapat=rapat)
    assert _official(placed)[:2] == (9, 5)


# --- movement, pool, audit ----------------------------------------------------------------------------


def test_movement_table_counts_box_changes_between_periods(ppk_client, placed, sambas):
    previous = Periode.objects.create(tahun=2025, tanggal_acuan=dt.date(2025, 1, 31))
    pipeline.refresh_now(periode_id=previous.pk)[
        "penempatan"
    ]  # in 2025 the SKP 2024 alone: K 80, assessment valid: box 8
    table = ppk_client.get(reverse("assessment:perpindahan"), {"dari": 2025, "ke": 2026}).context["table"]
    cells = {
        (row["dari"], box): n for row in table["rows"] for box, n in zip(table["boxes"], row["cells"], strict=True) if n
    }
    assert cells == {(8, 9): 1}
    assert (table["naik"], table["tetap"], table["turun"]) == (1, 0, 0)


def test_talent_pool_page_and_export(ppk_client, placed, sambas):
    out = PegawaiFactory(jabatan__unit_kerja__instansi=sambas)
    _box9(out)
    out.hukuman_disiplin.create(tingkat="Sedang", tanggal_sk=dt.date(2025, 1, 1))
    pipeline.refresh_now(periode_id=placed.periode_id)
    response = ppk_client.get(reverse("assessment:krs", args=[2026]))
    assert [p.pegawai for p in response.context["anggota"]] == [placed.pegawai]
    kept_out = list(response.context["di_luar"])
    assert [(p.pegawai, p.kotak, p.alasan_krs) for p in kept_out] == [
        (out, 7, "Hukuman disiplin tingkat Sedang dalam 2 tahun terakhir")
    ]
    workbook = load_workbook(
        io.BytesIO(ppk_client.get(reverse("assessment:krs", args=[2026]), {"format": "xlsx"}).content)
    )
    assert workbook.sheetnames == ["KRS", "Di luar KRS"]
    assert workbook["KRS"]["I2"].value == "KRS Instansi/Nasional"


def test_calibration_audit_filters_by_who_and_boxes(ppk, tim, placed, rapat, sambas):
    other = PegawaiFactory(jabatan__unit_kerja__instansi=sambas)
    _box9(other)
    pipeline.refresh_now(periode_id=placed.periode_id)
    kalibrasi_propose(
        user=tim, rapat=rapat, penempatan_id=placed.pk, kotak_baru=5, jenis_alasan=REASON,
        alasan="Belum teruji memimpin tim besar.",
    )  # fmt: skip
    kalibrasi_propose(
        user=ppk, rapat=rapat, penempatan_id=Penempatan.objects.get(pegawai=other).pk, kotak_baru=8,
        jenis_alasan="bukti_kinerja", alasan="Kinerja tahun berjalan menurun.",
    )  # fmt: skip
    client = client_for(ppk)
    url = reverse("assessment:kalibrasi", args=[2026])
    assert client.get(url).context["page"].paginator.count == 2
    assert [k.oleh for k in client.get(url, {"oleh": tim.pk}).context["page"]] == [tim]
    assert [k.kotak_baru for k in client.get(url, {"dari": 9, "ke": 8}).context["page"]] == [8]


# --- finalisation and Berita Acara --------------------------------------------------------------------


def _pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def test_finalise_produces_the_berita_acara_pdf_and_annex(ppk, tim, placed, rapat, sambas):
    other = PegawaiFactory(nama="Linda Santoso", jabatan__unit_kerja__instansi=sambas)
    _box9(other)
    pipeline.refresh_now(periode_id=placed.periode_id)
    linda = Penempatan.objects.get(pegawai=other)
    anggota_add(
        user=ppk, rapat=rapat,
        data={"nama": "Drs. Yusuf Hamid", "nip": "197001011995031001", "pangkat": "Pembina (IV/a)", "peran": "ketua"},
    )  # fmt: skip
    konflik_declare(user=tim, rapat=rapat, pegawai=other, jenis="keluarga", keterangan="Saudara ipar")
    # Back and forth for the first person: 9 → 8 → 5 → 7, net 9 → 7.
    for kotak, alasan in (
        (8, "Perlu rotasi lintas bidang dulu."),
        (5, "Belum teruji memimpin tim besar."),
        (7, "Bukti kinerja terbaru memimpin proyek."),
    ):
        kalibrasi_propose(
            user=tim, rapat=rapat, penempatan_id=placed.pk, kotak_baru=kotak, jenis_alasan=REASON, alasan=alasan
        )
    move = kalibrasi_propose(
        user=ppk, rapat=rapat, penempatan_id=linda.pk, kotak_baru=4, jenis_alasan="koreksi_data",
        alasan="Skor potensi tertukar dengan pegawai lain.",
    )  # fmt: skip
    client = client_for(ppk)
    assert client.get(reverse("assessment:rapat-berita-acara", args=[rapat.pk, "pdf"])).status_code == 404
    # Tim declared a conflict with Linda: they may not agree to her move either; with no other
    # member the meeting cannot be finalised.
    with pytest.raises(ValidationError, match="persetujuan harus dari anggota lain"):
        kalibrasi_agree(user=tim, kalibrasi=move)
    third = UserFactory(
        username="tim-kedua", first_name="Rina", last_name="Wati", role=Role.TIM_TALENTA, instansi=sambas
    )
    anggota_add(user=ppk, rapat=rapat, data={"user": third, "nama": "Rina Wati", "nip": "198502022010012002"})
    kalibrasi_agree(user=third, kalibrasi=move)
    client.post(reverse("assessment:rapat-finalise", args=[rapat.pk]))
    rapat.refresh_from_db()
    assert rapat.sebaran_final == {
        "sebelum": {**{str(box): 0 for box in range(1, 10)}, "9": 2},
        "sesudah": {**{str(box): 0 for box in range(1, 10)}, "4": 1, "7": 1},
    }

    pdf = client.get(reverse("assessment:rapat-berita-acara", args=[rapat.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    pages = _pdf_pages(pdf.content)
    identity = f"Berita Acara Rapat Talent Review {sambas.nama} · 12 Maret 2026 · periode 2026 · rapat no. {rapat.pk}"
    for number, text in enumerate(pages, start=1):
        assert identity in text
        assert f"Halaman {number} dari {len(pages)}" in text
    text = " ".join(" ".join(pages).split())
    # Net moves, one row per person: first → last box, not the back-and-forth.
    assert f"{placed.pegawai.nama} NIP {placed.pegawai.nip_formatted} 9 / 9 → 7" in text
    assert "Konteks penugasan: Bukti kinerja terbaru memimpin proyek." in text
    assert "Perlu rotasi lintas bidang dulu." not in text
    assert f"Linda Santoso NIP {other.nip_formatted} 9 / 9 → 4 Koreksi data: Skor potensi tertukar" in text
    assert "disetujui Rina Wati" in text
    assert "III. Hasil kalibrasi (2 pegawai, 4 pemindahan dicatat)" in text
    # Conflicts and who recused.
    assert (
        f"Tim Talenta NIP - Linda Santoso NIP {other.nip_formatted} Hubungan keluarga: Saudara ipar "
        "tidak memindahkan dan tidak menyetujui pemindahan pegawai ini"
    ) in text
    # Distribution before and after: boxes 9 down to 1.
    assert "Sebelum 2 0 0 0 0 0 0 0 0 2" in text
    assert "Sesudah 0 0 1 0 0 1 0 0 0 2" in text
    assert "Selisih -2 +0 +1 +0 +0 +1 +0 +0 +0" in text
    # Attendees with NIP, and a signature block for the Ketua first and every member.
    assert "Drs. Yusuf Hamid 19700101 199503 1 001" in text
    signatures = text[text.index("Berita acara ini dibuat dengan sebenarnya") :]
    assert signatures.index("Ketua Rapat") < signatures.index("Drs. Yusuf Hamid")
    for member in rapat.anggota.all():
        assert f"{member.nama} NIP {nip_formatted(member.nip) if member.nip else '-'}" in signatures, member.nama

    workbook = load_workbook(
        io.BytesIO(client.get(reverse("assessment:rapat-berita-acara", args=[rapat.pk, "xlsx"])).content)
    )
    assert workbook.sheetnames == [
        "Hasil kalibrasi",
        "Riwayat pemindahan",
        "Konflik kepentingan",
        "Sebaran kotak",
        "Peserta",
    ]
    for sheet in workbook.worksheets:
        assert sheet.oddHeader.center.text == identity
        assert sheet.oddFooter.center.text == "Halaman &P dari &N"
    net = [[c.value for c in row] for row in workbook["Hasil kalibrasi"].iter_rows()]
    assert net[0] == [
        "no", "nip", "nama", "jabatan", "kotak_hitung", "kotak_awal", "kotak_akhir", "alasan", "justifikasi",
        "diusulkan_oleh", "disetujui_anggota", "disetujui_pada",
    ]  # fmt: skip
    assert [row[1:11] for row in net[1:]] == [
        [other.nip, other.nama_lengkap, other.jabatan.nama, 9, 9, 4, "Koreksi data",
         "Skor potensi tertukar dengan pegawai lain.", ppk.get_full_name() or ppk.username, "Rina Wati"],
        [placed.pegawai.nip, placed.pegawai.nama_lengkap, placed.pegawai.jabatan.nama, 9, 9, 7, "Konteks penugasan",
         "Bukti kinerja terbaru memimpin proyek.", tim.get_full_name() or tim.username, None],
    ]  # fmt: skip
    history_rows = [[c.value for c in row] for row in workbook["Riwayat pemindahan"].iter_rows(min_row=2)]
    assert [row[5:7] for row in history_rows] == [[9, 8], [8, 5], [5, 7], [9, 4]]
    conflicts = [[c.value for c in row] for row in workbook["Konflik kepentingan"].iter_rows(min_row=2)]
    assert conflicts == [
        [1, "Tim Talenta", None, other.nama_lengkap, other.nip, "Hubungan keluarga", "Saudara ipar",
         "tidak memindahkan dan tidak menyetujui pemindahan pegawai ini"]
    ]  # fmt: skip
    distribution = [[c.value for c in row] for row in workbook["Sebaran kotak"].iter_rows(min_row=2)]
    assert distribution == [[9, 2, 0, -2], [8, 0, 0, 0], [7, 0, 1, 1], [6, 0, 0, 0], [5, 0, 0, 0], [4, 0, 1, 1],
                            [3, 0, 0, 0], [2, 0, 0, 0], [1, 0, 0, 0]]  # fmt: skip
    members = [row[1] for row in workbook["Peserta"].iter_rows(min_row=2, values_only=True)]
    assert sorted(members) == sorted(m.nama for m in rapat.anggota.all())
    history = rapat.history.order_by("history_date")
    assert [h.status for h in history] == ["draft", "final"]
    assert history.last().history_user == ppk


def test_conflict_must_be_about_a_pegawai_of_the_instansi(tim, rapat, bengkayang):
    stranger = PegawaiFactory(jabatan__unit_kerja__instansi=bengkayang)
    with pytest.raises(Exception, match="bukan pegawai instansi rapat"):
        konflik_declare(user=tim, rapat=rapat, pegawai=stranger, jenis="keluarga", keterangan="")
