"""What-if simulation of a scheme version: scratch placements by the recompute's own code path, the
diff against the official placements, and adoption with its legal basis in the decision log."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from asn.models import Instansi, Pegawai, Role
from assessment import scoring
from assessment.models import (
    Asesmen,
    HukumanDisiplin,
    Penempatan,
    PilihanSkema,
    Simulasi,
    SimulasiPenempatan,
    Skema,
    SkpResult,
)
from assessment.selectors import simulasi_diff
from assessment.services import (
    SCHEME_NUMBER_FIELDS,
    simulasi_adopt,
    simulasi_run,
    simulasi_start,
    simulation_progress_name,
    skema_copy,
)
from decisions.models import EntriKeputusan
from talenta import pipeline, progress
from tests.assessment.test_placements import seed
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COMPARED = ["kotak_hitung", "kotak", "krs", "lengkap", "skor_kinerja", "skor_potensial"]
# A draft that moves weight from competence to the potential test.
SHIFTED = {"bobot_kompetensi": Decimal(20), "bobot_potensi": Decimal(50), "bobot_kualifikasi": Decimal(15),
           "bobot_disiplin": Decimal(15)}  # fmt: skip


@pytest.fixture
def seeded(periode_2026, sambas):
    seed(500)
    pipeline.refresh_now(periode_id=periode_2026.pk, instansi_ids=[sambas.pk])
    assert Penempatan.objects.filter(instansi=sambas).count() > 20
    return periode_2026


@pytest.fixture
def sambas_admin(sambas):
    return UserFactory(username="admin-sambas", role=Role.ADMIN, instansi=sambas)


def _draft(user, sambas, nama, **changes) -> Skema:
    default = Skema.objects.default()
    values = {name: getattr(default, name) for name in SCHEME_NUMBER_FIELDS} | changes
    return skema_copy(user=user, source=default, instansi=sambas, nama=nama, values=values)


def _simulate(user, periode, skema, capture) -> Simulasi:
    with capture(execute=True):
        simulasi = simulasi_start(user=user, periode=periode, skema=skema)
    simulasi.refresh_from_db()
    assert simulasi.status == Simulasi.Status.SELESAI, simulasi.pesan
    return simulasi


def _official(sambas) -> dict:
    return {
        row[0]: row[1:]
        for row in Penempatan.objects.filter(instansi=sambas).values_list("pegawai_id", *COMPARED).order_by("pk")
    }


def _direct_boxes(periode, skema, sambas) -> dict[int, tuple]:
    """(final box, in KRS) of every pegawai of sambas by the readable rule `scoring.place`, from the records."""
    params = skema.params()
    result = {}
    for pegawai in Pegawai.objects.filter(instansi=sambas).select_related("jabatan__jenjang"):
        pegawai_input = scoring.PegawaiInput(
            pendidikan=pegawai.pendidikan_id,
            required_levels=pegawai.jabatan.required_levels,
            skp={
                s.tahun: scoring.SkpInput(s.pk, s.tahun, s.predikat) for s in SkpResult.objects.filter(pegawai=pegawai)
            },
            asesmen=[
                scoring.AsesmenInput(a.pk, a.tanggal_asesmen, a.lembaga, a.skor_potensi, a.levels)
                for a in Asesmen.objects.filter(pegawai=pegawai)
            ],
            sanksi=[
                scoring.SanksiInput(h.pk, h.tanggal_sk, h.tingkat)
                for h in HukumanDisiplin.objects.filter(pegawai=pegawai)
            ],
        )
        placed = scoring.place(pegawai_input, tahun=periode.tahun, tanggal_acuan=periode.tanggal_acuan, scheme=params)
        result[pegawai.pk] = (placed.kotak, placed.krs)
    return result


def test_a_draft_equal_to_the_current_scheme_simulates_the_real_recompute(
    seeded, sambas, province_admin, django_capture_on_commit_callbacks
):
    skema = _draft(province_admin, sambas, "Sama dengan bawaan")
    before = _official(sambas)
    simulasi = _simulate(province_admin, seeded, skema, django_capture_on_commit_callbacks)
    simulated = {
        row[0]: row[1:]
        for row in SimulasiPenempatan.objects.filter(simulasi=simulasi).values_list("pegawai_id", *COMPARED)
    }
    assert simulated == before
    assert simulasi.jumlah == len(before)
    diff = simulasi_diff(simulasi=simulasi)
    assert (diff["pindah"], diff["masuk_krs"], diff["keluar_krs"]) == ([], [], [])
    # Everyone on the diagonal of the movement table.
    assert sum(row["jumlah"] for row in diff["matriks"]) == len(before)
    assert all(cell["jumlah"] == 0 for row in diff["matriks"] for cell in row["sel"] if cell["pindah"])
    # The official tables are untouched.
    assert _official(sambas) == before
    assert not PilihanSkema.objects.exists()


def test_a_changed_weight_moves_exactly_the_people_the_direct_computation_says(
    seeded, sambas, province_admin, django_capture_on_commit_callbacks
):
    skema = _draft(province_admin, sambas, "Potensi 50", **SHIFTED)
    before = _official(sambas)
    simulasi = _simulate(province_admin, seeded, skema, django_capture_on_commit_callbacks)
    direct = _direct_boxes(seeded, skema, sambas)
    current = {pk: (row[1], row[2]) for pk, row in before.items()}
    expected_moves = {pk: (current[pk][0], box) for pk, (box, _) in direct.items() if box != current[pk][0]}
    assert len(expected_moves) > 0
    diff = simulasi_diff(simulasi=simulasi)

    def label(box):
        return "tidak lengkap" if box is None else str(box)

    assert {r["pegawai_id"]: (r["dari"], r["ke"]) for r in diff["pindah"]} == {
        pk: (label(old), label(new)) for pk, (old, new) in expected_moves.items()
    }
    assert {r["pegawai_id"] for r in diff["masuk_krs"]} == {
        pk for pk, (_, krs) in direct.items() if krs and not current[pk][1]
    }
    assert {r["pegawai_id"] for r in diff["keluar_krs"]} == {
        pk for pk, (_, krs) in direct.items() if current[pk][1] and not krs
    }
    # Each cell of the movement table counts the pegawai going from its row's box to its column's box.
    for row in diff["matriks"]:
        for cell in row["sel"]:
            assert cell["jumlah"] == sum(
                1
                for pk, (box, _) in direct.items()
                if label(current[pk][0]) == row["dari"] and label(box) == cell["ke"]
            )
    assert _official(sambas) == before


def test_the_admin_simulates_from_the_scheme_page_reads_the_diff_exports_it_and_adopts_with_a_legal_basis(
    seeded, sambas, sambas_admin, django_capture_on_commit_callbacks
):
    client = client_for(sambas_admin)
    skema = _draft(sambas_admin, sambas, "Potensi 50", **SHIFTED)
    page = client.get(reverse("assessment:skema-list")).content.decode()
    assert f'data-testid="simulasikan-{skema.pk}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("assessment:simulasi-start", args=[skema.pk]), {"tahun": "2026"})
    simulasi = Simulasi.objects.get()
    assert response.url == reverse("assessment:simulasi-detail", args=[simulasi.pk])
    assert (simulasi.status, simulasi.dibuat_oleh, simulasi.skema_berlaku) == (
        "selesai",
        sambas_admin,
        Skema.objects.default(),
    )
    diff = simulasi_diff(simulasi=simulasi)
    url = reverse("assessment:simulasi-detail", args=[simulasi.pk])
    page = client.get(url + "?urut=dari")
    assert page.status_code == 200
    moved = page.context["diff"]["pindah"]
    assert len(moved) == len(diff["pindah"]) > 0
    assert [r["dari_urut"] for r in moved] == sorted(r["dari_urut"] for r in moved)
    assert f'data-testid="jumlah-pindah">{len(moved)}<' in page.content.decode()

    workbook = load_workbook(io.BytesIO(client.get(url + "?format=xlsx&urut=nip").content))
    rows = list(workbook["Pegawai pindah"].iter_rows(values_only=True))
    assert rows[0] == (
        "nip", "nama", "jabatan", "unit_kerja", "kotak_sekarang", "kotak_simulasi", "krs_sekarang", "krs_simulasi"
    )  # fmt: skip
    assert [r[0] for r in rows[1:]] == sorted(r["nip"] for r in diff["pindah"])
    assert len(list(workbook["Perpindahan"].iter_rows())) == 11

    adopt = reverse("assessment:simulasi-adopt", args=[simulasi.pk])
    refused = client.post(adopt, {"justifikasi": "Menyesuaikan hasil uji potensi.", "dasar_hukum": " "}, follow=True)
    assert "Sebutkan dasar hukumnya (pasal PermenPANRB atau SK PPK)." in refused.content.decode()
    assert not PilihanSkema.objects.exists()
    assert not EntriKeputusan.objects.filter(jenis="adopsi_skema").exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            adopt,
            {
                "justifikasi": "Hasil uji potensi lebih andal daripada uji kompetensi tahun ini.",
                "dasar_hukum": "PermenPANRB 3/2020 Pasal 8; SK Bupati Sambas 800/12/2026",
            },
        )
    assert response.url == reverse("assessment:periode-detail", args=[2026])
    entry = EntriKeputusan.objects.get(jenis="adopsi_skema")
    assert (entry.justifikasi, entry.nilai_lama, entry.nilai_baru) == (
        "Hasil uji potensi lebih andal daripada uji kompetensi tahun ini.",
        Skema.objects.default().nama,
        {
            "skema": "Potensi 50",
            "dasar_hukum": "PermenPANRB 3/2020 Pasal 8; SK Bupati Sambas 800/12/2026",
            "pindah_kotak": len(diff["pindah"]),
            "masuk_krs": len(diff["masuk_krs"]),
            "keluar_krs": len(diff["keluar_krs"]),
        },
    )
    assert EntriKeputusan.objects.filter(jenis="pilihan_skema", nilai_baru="Potensi 50").count() == 1
    assert PilihanSkema.objects.get(periode=seeded, instansi=sambas).skema == skema
    # The pipeline recomputed under the adopted scheme: the official boxes are now the simulated ones.
    simulated = dict(SimulasiPenempatan.objects.filter(simulasi=simulasi).values_list("pegawai_id", "kotak"))
    assert dict(Penempatan.objects.filter(instansi=sambas).values_list("pegawai_id", "kotak")) == simulated
    assert set(Penempatan.objects.filter(instansi=sambas).values_list("skema_id", flat=True)) == {skema.pk}
    assert simulasi_diff(simulasi=simulasi)["pindah"] == []
    again = client.post(adopt, {"justifikasi": "lagi", "dasar_hukum": "lagi"}, follow=True)
    assert "Simulasi ini sudah diadopsi." in again.content.decode()


def test_an_operator_is_refused_and_another_instansi_admin_gets_404(
    seeded, sambas, sambas_admin, operator_client, django_capture_on_commit_callbacks
):
    skema = _draft(sambas_admin, sambas, "Potensi 50", **SHIFTED)
    simulasi = _simulate(sambas_admin, seeded, skema, django_capture_on_commit_callbacks)
    detail = reverse("assessment:simulasi-detail", args=[simulasi.pk])
    adopt = reverse("assessment:simulasi-adopt", args=[simulasi.pk])
    start = reverse("assessment:simulasi-start", args=[skema.pk])
    data = {"justifikasi": "x", "dasar_hukum": "y"}
    assert client_for(sambas_admin).get(detail).status_code == 200
    assert operator_client.get(detail).status_code == 403
    assert operator_client.post(adopt, data).status_code == 403
    assert operator_client.post(start, {"tahun": "2026"}).status_code == 403
    other = client_for(
        UserFactory(username="admin-bengkayang", role=Role.ADMIN, instansi=Instansi.objects.get(kode="6102"))
    )
    assert other.get(detail).status_code == 404
    assert other.post(adopt, data).status_code == 404
    assert other.post(start, {"tahun": "2026"}).status_code == 404
    assert Simulasi.objects.count() == 1
    assert not PilihanSkema.objects.exists()


def test_a_simulation_is_run_once_and_a_closed_period_is_not_simulated(
    seeded, sambas, province_admin, django_capture_on_commit_callbacks
):
    skema = _draft(province_admin, sambas, "Potensi 50", **SHIFTED)
    simulasi = _simulate(province_admin, seeded, skema, django_capture_on_commit_callbacks)
    rows = list(SimulasiPenempatan.objects.filter(simulasi=simulasi).values_list("pk", flat=True))
    # A redelivered task finds the simulation done and writes nothing.
    assert simulasi_run(simulasi_id=simulasi.pk) == 0
    assert list(SimulasiPenempatan.objects.filter(simulasi=simulasi).values_list("pk", flat=True)) == rows
    seeded.status = seeded.Status.CLOSED
    seeded.save()
    with pytest.raises(ValidationError, match="Periode yang sudah ditutup tidak dapat disimulasikan."):
        simulasi_start(user=province_admin, periode=seeded, skema=skema)


def test_two_drafts_are_compared_with_each_other(
    seeded, sambas, sambas_admin, bengkayang, province_admin, django_capture_on_commit_callbacks
):
    shifted = _simulate(
        sambas_admin, seeded, _draft(sambas_admin, sambas, "Potensi 50", **SHIFTED), django_capture_on_commit_callbacks
    )
    same = _simulate(sambas_admin, seeded, _draft(sambas_admin, sambas, "Sama"), django_capture_on_commit_callbacks)
    client = client_for(sambas_admin)
    url = reverse("assessment:simulasi-detail", args=[shifted.pk])
    against_official = client.get(url).context["diff"]
    page = client.get(f"{url}?banding={same.pk}")
    assert page.context["dibanding"] == same
    assert list(page.context["others"]) == [same]
    # The draft equal to the current scheme simulates the official boxes: the two diffs are one.
    assert page.context["diff"]["pindah"] == against_official["pindah"] != []
    assert page.context["diff"]["matriks"] == against_official["matriks"]
    reverse_moves = simulasi_diff(simulasi=same, dibanding=shifted)["pindah"]
    assert {r["pegawai_id"]: (r["ke"], r["dari"]) for r in reverse_moves} == {
        r["pegawai_id"]: (r["dari"], r["ke"]) for r in against_official["pindah"]
    }
    workbook = load_workbook(io.BytesIO(client.get(f"{url}?banding={same.pk}&format=xlsx").content))
    assert len(list(workbook["Pegawai pindah"].iter_rows())) == len(against_official["pindah"]) + 1
    # Only a finished simulation of the same instansi and period is compared.
    elsewhere = _simulate(
        province_admin,
        seeded,
        _draft(province_admin, bengkayang, "Bengkayang"),
        django_capture_on_commit_callbacks,
    )
    assert client_for(province_admin).get(f"{url}?banding={elsewhere.pk}").status_code == 404
    assert client.get(f"{url}?banding=abc").status_code == 404


def test_a_running_simulation_shows_its_progress_and_polls_until_done(seeded, sambas, sambas_admin):
    # Not captured: the task is queued on a commit that never comes, so the simulation waits.
    simulasi = simulasi_start(
        user=sambas_admin, periode=seeded, skema=_draft(sambas_admin, sambas, "Potensi 50", **SHIFTED)
    )
    progress.report(simulation_progress_name(simulasi.pk), stage="menghitung", done=250, total=500)
    client = client_for(sambas_admin)
    url = reverse("assessment:simulasi-detail", args=[simulasi.pk])
    page = client.get(url).content.decode()
    assert 'data-status="antre"' in page and f'hx-get="{url}"' in page
    assert "menghitung: 250 dari 500 pegawai" in page
    assert 'data-lebar="50"' in page
    simulasi_run(simulasi_id=simulasi.pk)
    progress.clear(simulation_progress_name(simulasi.pk))
    # The poll of a finished run reloads the page, which then shows the diff.
    poll = client.get(url, headers={"HX-Request": "true"})
    assert (poll.status_code, poll["HX-Refresh"]) == (200, "true")
    assert 'data-testid="matriks"' in client.get(url).content.decode()


def test_a_province_simulation_of_a_draft_equal_to_the_current_scheme_gives_an_empty_diff_over_every_instansi(
    seeded, sambas, province_admin, django_capture_on_commit_callbacks
):
    covered = list(Instansi.objects.filter(pegawai__isnull=False).distinct().values_list("pk", flat=True))
    assert len(covered) > 3
    pipeline.refresh_now(periode_id=seeded.pk, instansi_ids=covered)
    skema = _draft(province_admin, sambas, "Sama dengan bawaan")
    before = {row[0]: row[1:] for row in Penempatan.objects.filter(periode=seeded).values_list("pegawai_id", *COMPARED)}
    assert len({instansi for instansi in Penempatan.objects.values_list("instansi_id", flat=True)}) == len(covered)
    with django_capture_on_commit_callbacks(execute=True):
        simulasi = simulasi_start(user=province_admin, periode=seeded, skema=skema, provinsi=True)
    simulasi.refresh_from_db()
    assert (simulasi.status, simulasi.instansi_id, simulasi.skema_berlaku_id) == (Simulasi.Status.SELESAI, None, None)
    simulated = {
        row[0]: row[1:]
        for row in SimulasiPenempatan.objects.filter(simulasi=simulasi).values_list("pegawai_id", *COMPARED)
    }
    assert simulated == before
    assert simulasi.jumlah == Pegawai.objects.count() == len(before)
    diff = simulasi_diff(simulasi=simulasi)
    assert (diff["pindah"], diff["masuk_krs"], diff["keluar_krs"], diff["jumlah"]) == ([], [], [], len(before))
    assert sum(row["jumlah"] for row in diff["matriks"]) == len(before)
    assert all(cell["jumlah"] == 0 for row in diff["matriks"] for cell in row["sel"] if cell["pindah"])
    with pytest.raises(ValidationError, match="Simulasi seluruh provinsi tidak diadopsi"):
        simulasi_adopt(user=province_admin, simulasi=simulasi, justifikasi="x", dasar_hukum="y")
    assert not PilihanSkema.objects.exists()


def test_a_province_simulation_is_started_and_read_by_a_province_admin_only(
    seeded, sambas, sambas_admin, province_admin, operator_client, django_capture_on_commit_callbacks
):
    skema = _draft(province_admin, sambas, "Potensi 50", **SHIFTED)
    start = reverse("assessment:simulasi-start", args=[skema.pk])
    data = {"tahun": "2026", "cakupan": "provinsi"}
    # The instansi's own admin may simulate its draft for the instansi, not for the province.
    assert client_for(sambas_admin).post(start, data).status_code == 403
    assert operator_client.post(start, data).status_code == 403
    assert not Simulasi.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(province_admin).post(start, data)
    simulasi = Simulasi.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment:simulasi-detail", args=[simulasi.pk])
    assert (simulasi.instansi_id, simulasi.status) == (None, Simulasi.Status.SELESAI)
    detail = reverse("assessment:simulasi-detail", args=[simulasi.pk])
    page = client_for(province_admin).get(detail)
    assert page.status_code == 200
    assert "Seluruh provinsi" in page.content.decode()
    assert 'data-testid="adopsi-provinsi"' in page.content.decode()
    export = client_for(province_admin).get(detail, {"format": "xlsx"})
    assert export.status_code == 200
    assert f"simulasi-skema-provinsi-2026-{simulasi.pk}.xlsx" in export["Content-Disposition"]
    targets = client_for(province_admin).get(reverse("succession:simulation-targets", args=[simulasi.pk]))
    assert targets.status_code == 200
    # Outside the province's scope: an instansi admin, even of the draft's own instansi, gets 404.
    assert client_for(sambas_admin).get(detail).status_code == 404
    assert operator_client.get(detail).status_code == 404
    assert (
        client_for(sambas_admin)
        .post(reverse("assessment:simulasi-adopt", args=[simulasi.pk]), {"justifikasi": "x", "dasar_hukum": "y"})
        .status_code
        == 404
    )
