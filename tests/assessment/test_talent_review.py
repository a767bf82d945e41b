"""The nine-box map, movement, talent pool and talent-review meetings (issue: calibration)."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from asn.models import Pegawai, Role
from asn.reference import KOMPETENSI_FIELDS
from assessment.models import Asesmen, Kalibrasi, KonflikKepentingan, Penempatan, Periode, RapatTalentReview, SkpResult
from assessment.selectors import EXPORT_COLUMNS, talent_map_export_rows
from assessment.services import anggota_add, calibrate, konflik_declare, rapat_create
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


def test_outsider_gets_404_on_every_page(outsider_client, placed, rapat):
    kalibrasi = calibrate(
        user=rapat.anggota.get(peran="sekretaris").user,
        rapat=rapat,
        penempatan_id=placed.pk,
        kotak_baru=8,
        alasan="Uji",
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


def test_bkn_reads_every_page_but_cannot_write(bkn_client, placed, rapat, sambas):
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
    ]:
        assert bkn_client.post(url, {"penempatan": placed.pk, "kotak_baru": 5, "alasan": "x"}).status_code == 403, url
    assert (
        bkn_client.post(
            reverse("assessment:rapat-list") + f"?instansi={sambas.pk}", {"tanggal": "2026-03-01"}
        ).status_code
        == 403
    )
    assert not Kalibrasi.objects.exists()
    assert RapatTalentReview.objects.get().status == "draft"


def test_operator_reads_the_meeting_but_gets_403_on_moves(operator_client, placed, rapat):
    assert operator_client.get(reverse("assessment:rapat-detail", args=[rapat.pk])).status_code == 200
    response = operator_client.post(
        reverse("assessment:rapat-move", args=[rapat.pk]), {"penempatan": placed.pk, "kotak_baru": 5, "alasan": "x"}
    )
    assert response.status_code == 403
    assert not Kalibrasi.objects.exists()


# --- calibration ------------------------------------------------------------------------------------------


def _move(client, rapat, placement, kotak, alasan):
    return client.post(
        reverse("assessment:rapat-move", args=[rapat.pk]),
        {"penempatan": placement.pk, "kotak_baru": kotak, "alasan": alasan},
        follow=True,
    )


def test_a_move_records_everything_and_the_pool_follows(tim, placed, rapat):
    response = _move(client_for(tim), rapat, placed, 5, "Belum teruji memimpin tim besar.")
    assert f"{placed.pegawai.nama} dipindahkan dari kotak 9 ke kotak 5." in response.text
    kalibrasi = Kalibrasi.objects.get()
    assert (kalibrasi.kotak_hitung, kalibrasi.kotak_sebelumnya, kalibrasi.kotak_baru) == (9, 9, 5)
    assert (kalibrasi.oleh, kalibrasi.alasan, kalibrasi.rapat) == (tim, "Belum teruji memimpin tim besar.", rapat)
    assert kalibrasi.history.get().history_user == tim
    placed.refresh_from_db()
    assert (placed.kotak_hitung, placed.kotak, placed.krs, placed.label_krs) == (9, 5, False, "")


def test_move_by_nip_through_the_plain_form(tim, placed, rapat):
    client = client_for(tim)
    page = client.get(reverse("assessment:rapat-detail", args=[rapat.pk]), {"cari": placed.pegawai.nip_formatted})
    assert [m.pk for m in page.context["found"]["matches"]] == [placed.pk]
    assert f'name="penempatan" value="{placed.pk}" id="pilih-{placed.pk}" checked' in page.text  # the only match
    client.post(
        reverse("assessment:rapat-move", args=[rapat.pk]),
        {"penempatan": placed.pk, "kotak_baru": 8, "alasan": "Dikalibrasi tanpa JavaScript."},
    )
    placed.refresh_from_db()
    assert (placed.kotak, placed.label_krs) == (8, "KRS Instansi")


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
    assert [m.pk for m in response.context["found"]["matches"]] == [p.pk for p in two_lindas]
    assert '2 pegawai cocok dengan "santoso LINDA". Pilih satu:' in response.text
    for placement, jabatan, unit in zip(
        two_lindas, ("Kepala Seksi Gizi", "Kepala Seksi Irigasi"), ("Dinas Kesehatan", "Dinas PUPR"), strict=True
    ):
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
    calibrate(user=tim, rapat=rapat, penempatan_id=second.pk, kotak_baru=8, alasan="Belum memimpin unit.")
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
    assert f'data-testid="tanda-kalibrasi-{second.pk}">Dikalibrasi: hitung 9 → 8</span>' in html
    assert 'data-testid="zona-8"' in html.split(f'data-testid="kartu-{second.pk}"')[0].rsplit("drop-zone", 1)[1]


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

    calibrate(user=tim, rapat=rapat, penempatan_id=two_lindas[0].pk, kotak_baru=7, alasan="Satu kalibrasi.")
    load()  # warm the session and the cache
    with CaptureQueriesContext(connection) as few:
        load()
    seed(300, seed=5)
    pipeline.refresh_now(periode_id=periode_2026.pk)
    placements = Penempatan.objects.filter(periode=periode_2026, instansi=rapat.instansi, lengkap=True)
    assert placements.count() >= 8  # from 2: more cards, more finder matches, more moves
    for placement in placements.exclude(kotak=5)[:5]:
        calibrate(user=tim, rapat=rapat, penempatan_id=placement.pk, kotak_baru=5, alasan="Kalibrasi uji.")
    with django_assert_num_queries(len(few.captured_queries)):
        load()


def test_a_move_without_justification_is_refused(tim, placed, rapat):
    response = _move(client_for(tim), rapat, placed, 5, "   ")
    assert "Justifikasi tertulis wajib diisi untuk setiap pemindahan kotak." in response.text
    assert not Kalibrasi.objects.exists()
    placed.refresh_from_db()
    assert placed.kotak == 9


def test_a_move_in_a_finalised_meeting_is_refused(ppk, tim, placed, rapat):
    client_for(ppk).post(reverse("assessment:rapat-finalise", args=[rapat.pk]))
    rapat.refresh_from_db()
    assert rapat.is_final and rapat.difinalkan_oleh == ppk
    response = _move(client_for(tim), rapat, placed, 5, "Terlambat.")
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


# --- recompute keeps calibrations ---------------------------------------------------------------------


def test_recompute_keeps_a_calibration_and_flags_it_when_the_computed_box_changes(tim, placed, rapat, periode_2026):
    calibrate(user=tim, rapat=rapat, penempatan_id=placed.pk, kotak_baru=5, alasan="Perlu pembuktian.")
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

    # The next meeting confirms it: a new calibration with the same box settles the flag.
    calibrate(user=tim, rapat=rapat, penempatan_id=placed.pk, kotak_baru=5, alasan="Tetap di kotak 5 setelah ditinjau.")
    assert not Kalibrasi.objects.filter(perlu_ditinjau=True).exists()


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
    calibrate(user=tim, rapat=rapat, penempatan_id=placed.pk, kotak_baru=5, alasan="a")
    calibrate(user=ppk, rapat=rapat, penempatan_id=Penempatan.objects.get(pegawai=other).pk, kotak_baru=8, alasan="b")
    client = client_for(ppk)
    url = reverse("assessment:kalibrasi", args=[2026])
    assert client.get(url).context["page"].paginator.count == 2
    assert [k.oleh for k in client.get(url, {"oleh": tim.pk}).context["page"]] == [tim]
    assert [k.kotak_baru for k in client.get(url, {"dari": 9, "ke": 8}).context["page"]] == [8]


# --- finalisation and Berita Acara --------------------------------------------------------------------


def test_finalise_produces_the_berita_acara_pdf_and_annex(ppk, tim, placed, rapat):
    calibrate(user=tim, rapat=rapat, penempatan_id=placed.pk, kotak_baru=8, alasan="Perlu rotasi dulu.")
    client = client_for(ppk)
    assert client.get(reverse("assessment:rapat-berita-acara", args=[rapat.pk, "pdf"])).status_code == 404
    client.post(reverse("assessment:rapat-finalise", args=[rapat.pk]))
    pdf = client.get(reverse("assessment:rapat-berita-acara", args=[rapat.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    annex = load_workbook(
        io.BytesIO(client.get(reverse("assessment:rapat-berita-acara", args=[rapat.pk, "xlsx"])).content)
    ).active
    assert [c.value for c in annex[1]] == [
        "no", "nip", "nama", "jabatan", "kotak_hitung", "kotak_sebelumnya", "kotak_baru", "justifikasi", "oleh",
        "waktu",
    ]  # fmt: skip
    assert [c.value for c in annex[2]][1:8] == [
        placed.pegawai.nip, placed.pegawai.nama_lengkap, placed.pegawai.jabatan.nama, 9, 9, 8, "Perlu rotasi dulu.",
    ]  # fmt: skip
    history = rapat.history.order_by("history_date")
    assert [h.status for h in history] == ["draft", "final"]
    assert history.last().history_user == ppk


def test_conflict_must_be_about_a_pegawai_of_the_instansi(tim, rapat, bengkayang):
    stranger = PegawaiFactory(jabatan__unit_kerja__instansi=bengkayang)
    with pytest.raises(Exception, match="bukan pegawai instansi rapat"):
        konflik_declare(user=tim, rapat=rapat, pegawai=stranger, jenis="keluarga", keterangan="")
