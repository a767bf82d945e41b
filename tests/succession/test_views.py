"""Succession pages and rules of use: nominations, decisions, plans, structure, tenancy."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from asn.models import Jabatan, Jenjang, Pegawai, Role
from asn.reference import KOMPETENSI_FIELDS
from asn.services import import_run
from succession.models import ItemRencana, Nominasi, PengangkatanDiluarRencana, TargetSuksesi
from talenta import pipeline
from talenta.tabular import write_csv
from tests.conftest import client_for
from tests.factories import JabatanFactory, UserFactory, talent

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(periode_2026, sambas):
    """A critical Administrator jabatan fed by three Pengawas talents (two ready now, one not)."""
    target = JabatanFactory(
        unit_kerja__instansi=sambas,
        nama="Kepala Bidang Mutasi",
        jenjang=Jenjang.objects.get(nama="Administrator"),
        kritikal=True,
        dalam_struktur=True,
    )
    feeding = JabatanFactory(
        unit_kerja=target.unit_kerja, nama="Kepala Seksi", jenjang=Jenjang.objects.get(nama="Pengawas")
    )
    ready = talent(feeding, "198001012005011001", levels=(3,) * 9, golongan="III/d")
    also_ready = talent(feeding, "198101012006012001", levels=(3,) * 9, golongan="IV/a")
    later = talent(feeding, "198201012007011001", levels=(2,) * 9, golongan="III/d")
    low_golongan = talent(feeding, "198301012008012001", levels=(3,) * 9, golongan="III/c")
    pipeline.refresh_now(periode_id=periode_2026.pk)
    return {"target": target, "ready": ready, "also_ready": also_ready, "later": later, "low": low_golongan}


def _target_url(world):
    return reverse("succession:target", args=[2026, world["target"].pk])


def test_target_lists_ranked_candidates_and_gate_reasons(operator_client, world):
    response = operator_client.get(_target_url(world))
    candidates = list(response.context["page"])
    # Equal JPM, box, P and K: the NIP decides.
    assert [k.pegawai for k in candidates] == [world["ready"], world["also_ready"], world["later"]]
    assert [k.kesiapan for k in candidates] == ["Siap sekarang", "Siap sekarang", "Siap 3 tahun atau lebih"]
    reasons = {row["pegawai"]: row["alasan"] for row in response.context["non_candidates"]}
    assert reasons[world["low"]] == "Golongan di bawah minimal III/d"
    assert TargetSuksesi.objects.get().alasan == "Kritikal; Kosong"


def test_operator_nominates_and_ppk_approves_bench_strength_follows(operator_client, ppk_client, world):
    operator_client.post(
        reverse("succession:nominate", args=[2026, world["target"].pk]),
        {"pegawai": [world["ready"].pk, world["later"].pk]},
    )
    nominations = {n.pegawai: n for n in Nominasi.objects.all()}
    assert set(nominations) == {world["ready"], world["later"]}
    assert nominations[world["ready"]].status == "diusulkan"
    ppk_client.post(
        reverse("succession:nomination-decide", args=[nominations[world["ready"]].pk]), {"keputusan": "setujui"}
    )
    page = operator_client.get(_target_url(world))
    assert page.context["bench_strength"] == 1
    nomination = Nominasi.objects.get(pegawai=world["ready"])
    assert (nomination.status, nomination.history.latest().history_user.role) == ("disetujui", Role.PPK)


def test_approving_without_the_ppk_role_is_refused(operator_client, sambas, world):
    operator_client.post(
        reverse("succession:nominate", args=[2026, world["target"].pk]), {"pegawai": [world["ready"].pk]}
    )
    nomination = Nominasi.objects.get()
    tim = UserFactory(username="tim", role=Role.TIM_TALENTA, instansi=sambas)
    for client in (operator_client, client_for(tim)):
        response = client.post(reverse("succession:nomination-decide", args=[nomination.pk]), {"keputusan": "setujui"})
        assert response.status_code == 403
    nomination.refresh_from_db()
    assert nomination.status == "diusulkan"


def test_readiness_override_needs_a_justification_and_keeps_both_values(operator_client, ppk_client, world):
    operator_client.post(
        reverse("succession:nominate", args=[2026, world["target"].pk]), {"pegawai": [world["later"].pk]}
    )
    nomination = Nominasi.objects.get()
    url = reverse("succession:nomination-readiness", args=[nomination.pk])
    response = ppk_client.post(url, {"kesiapan": "Siap sekarang", "justifikasi": " "}, follow=True)
    assert "Justifikasi tertulis wajib diisi untuk mengubah kesiapan." in response.text
    nomination.refresh_from_db()
    assert (nomination.kesiapan_ppk, nomination.kesiapan) == ("", "Siap 3 tahun atau lebih")
    ppk_client.post(url, {"kesiapan": "Siap sekarang", "justifikasi": "Telah memimpin proyek lintas OPD."})
    nomination.refresh_from_db()
    assert (nomination.kesiapan_bawaan, nomination.kesiapan_ppk, nomination.kesiapan) == (
        "Siap 3 tahun atau lebih", "Siap sekarang", "Siap sekarang",
    )  # fmt: skip


def test_nominating_someone_who_fails_a_gate_is_refused(operator_client, world):
    response = operator_client.post(
        reverse("succession:nominate", args=[2026, world["target"].pk]), {"pegawai": [world["low"].pk]}, follow=True
    )
    assert (
        f"{world['low'].nama} bukan kandidat jabatan ini (tidak lolos syarat); tidak dapat diusulkan." in response.text
    )
    assert not Nominasi.objects.exists()


def test_another_instansi_gets_404_and_ppk_cannot_nominate(outsider_client, ppk_client, operator_client, world):
    operator_client.post(
        reverse("succession:nominate", args=[2026, world["target"].pk]), {"pegawai": [world["ready"].pk]}
    )
    nomination = Nominasi.objects.get()
    assert outsider_client.get(_target_url(world)).status_code == 404
    assert (
        outsider_client.post(
            reverse("succession:nominate", args=[2026, world["target"].pk]), {"pegawai": [world["also_ready"].pk]}
        ).status_code
        == 404
    )
    assert outsider_client.get(reverse("succession:nomination", args=[nomination.pk])).status_code == 404
    assert (
        outsider_client.post(
            reverse("succession:nomination-decide", args=[nomination.pk]), {"keputusan": "setujui"}
        ).status_code
        == 404
    )
    assert outsider_client.get(reverse("succession:jabatan-edit", args=[world["target"].pk])).status_code == 404
    assert (
        ppk_client.post(
            reverse("succession:nominate", args=[2026, world["target"].pk]), {"pegawai": [world["also_ready"].pk]}
        ).status_code
        == 403
    )
    assert Nominasi.objects.count() == 1


def test_a_nominee_who_fails_a_gate_later_is_flagged_never_deleted(operator_client, ppk_client, world, periode_2026):
    operator_client.post(
        reverse("succession:nominate", args=[2026, world["target"].pk]), {"pegawai": [world["ready"].pk]}
    )
    nomination = Nominasi.objects.get()
    ppk_client.post(reverse("succession:nomination-decide", args=[nomination.pk]), {"keputusan": "setujui"})
    Pegawai.objects.filter(pk=world["ready"].pk).update(golongan_id="III/a")
    pipeline.refresh_now(periode_id=periode_2026.pk)
    nomination.refresh_from_db()
    assert (nomination.status, nomination.perlu_ditinjau, nomination.alasan_tinjau) == (
        "disetujui", True, "Golongan di bawah minimal III/d",
    )  # fmt: skip


def test_appointment_marks_menjabat_and_an_unplanned_one_needs_a_justification(
    operator_client, ppk_client, world, periode_2026
):
    operator_client.post(
        reverse("succession:nominate", args=[2026, world["target"].pk]), {"pegawai": [world["ready"].pk]}
    )
    nomination = Nominasi.objects.get()
    ppk_client.post(reverse("succession:nomination-decide", args=[nomination.pk]), {"keputusan": "setujui"})
    Pegawai.objects.filter(pk=world["ready"].pk).update(jabatan=world["target"], tmt_jabatan=dt.date(2026, 6, 1))
    Pegawai.objects.filter(pk=world["later"].pk).update(jabatan=world["target"], tmt_jabatan=dt.date(2026, 6, 1))
    pipeline.refresh_now(periode_id=periode_2026.pk)
    nomination.refresh_from_db()
    assert nomination.status == "menjabat"
    record = PengangkatanDiluarRencana.objects.get()
    assert record.pegawai == world["later"]
    url = reverse("succession:out-of-plan", args=[record.pk])
    assert "Justifikasi wajib diisi" in operator_client.post(url, {"justifikasi": ""}, follow=True).text
    operator_client.post(url, {"justifikasi": "Penugasan khusus Bupati."})
    record.refresh_from_db()
    assert record.justifikasi == "Penugasan khusus Bupati."


def test_plan_items_from_gaps_and_overdue_flag(operator_client, ppk_client, world, sambas):
    operator_client.post(
        reverse("succession:nominate", args=[2026, world["target"].pk]), {"pegawai": [world["later"].pk]}
    )
    nomination = Nominasi.objects.get()
    operator_client.post(reverse("succession:plan-propose", args=[nomination.pk]))
    assert ItemRencana.objects.count() == 9  # every competency: level 2 against the standard 3
    item = ItemRencana.objects.first()
    assert (item.kesenjangan, item.jenis) == (1, "pelatihan")
    operator_client.post(
        reverse("succession:plan-add", args=[nomination.pk]),
        {
            "judul": "Rotasi ke bidang mutasi",
            "jenis": "rotasi",
            "tanggal_target": "2026-01-01",
            "status": "berjalan",
            "mentor": "Kepala BKPSDM",
        },
    )
    overdue = ItemRencana.objects.get(judul="Rotasi ke bidang mutasi")
    assert overdue.terlambat
    page = client_for(nomination.diusulkan_oleh).get(reverse("asn:pegawai-detail", args=[world["later"].pk]))
    assert "Rotasi ke bidang mutasi" in page.text and "(terlambat)" in page.text
    assert ppk_client.post(reverse("succession:plan-add", args=[nomination.pk]), {"judul": "x"}).status_code == 403


def test_vacant_jabatan_from_the_form_becomes_a_target(
    operator_client, world, sambas, periode_2026, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = operator_client.post(
            reverse("succession:jabatan-create"),
            {
                "unit_kerja": world["target"].unit_kerja_id,
                "nama": "Kepala Seksi Baru",
                "jenjang": "pengawas",
                "golongan_minimal": "III/c",
            },
        )
    assert response.status_code == 302
    jabatan = Jabatan.objects.get(nama="Kepala Seksi Baru")
    assert jabatan.dalam_struktur
    assert TargetSuksesi.objects.get(jabatan=jabatan).alasan == "Kosong"


def test_jabatan_import_creates_vacant_jabatan_and_needs_all_nine_levels(operator, world):
    headers = ["instansi", "unit_kerja", "jabatan", "jenjang", "kritikal", "golongan_minimal", *KOMPETENSI_FIELDS]
    bad = write_csv(
        headers,
        [
            [
                "6101",
                "Dinas Baru",
                "Kepala Dinas Baru",
                "JPT Pratama",
                "ya",
                "IV/b",
                "4",
                "4",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ]
        ],
    )
    outcome = import_run(kind="jabatan", data=bad, filename="jabatan.csv", user=operator, write=True)
    assert [(e.row, e.column, e.message) for e in outcome.errors] == [
        (2, "integritas", "Isi kesembilan level kompetensi standar, atau kosongkan semuanya.")
    ]
    good = write_csv(headers, [["6101", "Dinas Baru", "Kepala Dinas Baru", "JPT Pratama", "ya", "IV/b", *["4"] * 9]])
    outcome = import_run(kind="jabatan", data=good, filename="jabatan.csv", user=operator, write=True)
    assert outcome.ok and outcome.summary == {"baru": 1, "diubah": 0, "tetap": 0}
    jabatan = Jabatan.objects.get(nama="Kepala Dinas Baru")
    assert (jabatan.dalam_struktur, jabatan.kritikal, jabatan.golongan_minimal_id, jabatan.required_levels) == (
        True,
        True,
        "IV/b",
        (4,) * 9,
    )
    assert (
        import_run(kind="jabatan", data=good, filename="jabatan.csv", user=operator, write=True).summary["tetap"] == 1
    )


def test_export_in_the_browser_and_coverage_excel(operator_client, world):
    csv_lines = (
        operator_client.get(reverse("succession:export", args=[2026]), {"format": "csv"})
        .content.decode("utf-8-sig")
        .splitlines()
    )
    assert csv_lines[0] == (
        "instansi,unit_kerja,jabatan,jenjang,alasan_target,peringkat,nip,jpm_target,kotak,skor_potensial,"
        "skor_kinerja,kesiapan"
    )
    assert [line.split(",")[6] for line in csv_lines[1:]] == [
        world["ready"].nip,
        world["also_ready"].nip,
        world["later"].nip,
    ]
    workbook = load_workbook(
        io.BytesIO(operator_client.get(reverse("succession:coverage"), {"format": "xlsx"}).content)
    )
    assert workbook.sheetnames == ["Target", "Rasio", "Risiko pensiun"]


def test_compare_up_to_four(operator_client, world):
    response = operator_client.get(
        reverse("succession:compare", args=[2026, world["target"].pk]), {"p": [world["ready"].pk, world["later"].pk]}
    )
    assert [p["jpm_target"] for p in response.context["people"]] == [Decimal("100.00"), Decimal("66.67")]


def test_export_candidates_command_writes_every_target(world, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    path = tmp_path / "kandidat.csv"
    out = StringIO()
    call_command("export_candidates", "--tahun", "2026", "--output", str(path), "--instansi", "6101", stdout=out)
    assert out.getvalue().strip() == f"3 baris ditulis ke {path}."
    rows = path.read_text(encoding="utf-8-sig").splitlines()
    assert rows[1].startswith("6101,")
    assert rows[1].split(",")[4:8] == ["Kritikal; Kosong", "1", world["ready"].nip, "100.00"]


def test_operator_orders_the_nominees_and_ppk_cannot(operator_client, ppk_client, world):
    operator_client.post(
        reverse("succession:nominate", args=[2026, world["target"].pk]),
        {"pegawai": [world["ready"].pk, world["later"].pk]},
    )
    later = Nominasi.objects.get(pegawai=world["later"])
    operator_client.post(reverse("succession:nomination-reorder", args=[later.pk]), {"urutan": "1"})
    later.refresh_from_db()
    assert later.urutan == 1
    assert (
        ppk_client.post(reverse("succession:nomination-reorder", args=[later.pk]), {"urutan": "5"}).status_code == 403
    )
    later.refresh_from_db()
    assert later.urutan == 1


def test_structure_page_counts_holders_for_every_role(operator_client, ppk_client, outsider_client, bkn_client, world):
    url = reverse("succession:structure")
    response = operator_client.get(url)
    assert response.status_code == 200
    rows = {j.nama: j.jumlah_pemangku for j in response.context["jabatan"]}
    assert rows == {"Kepala Bidang Mutasi": 0, "Kepala Seksi": 4}
    assert response.context["can_write"] and "Tambah jabatan" in response.text

    response = ppk_client.get(url)
    assert response.status_code == 200
    assert {j.nama for j in response.context["jabatan"]} == {"Kepala Bidang Mutasi", "Kepala Seksi"}
    assert not response.context["can_write"] and "Tambah jabatan" not in response.text

    # An outsider sees only its own instansi, and another instansi's jabatan is 404.
    response = outsider_client.get(url, {"instansi": world["target"].unit_kerja.instansi_id})
    assert response.status_code == 200
    assert response.context["instansi"].kode == "6102"
    assert list(response.context["jabatan"]) == []
    assert outsider_client.get(reverse("succession:jabatan-edit", args=[world["target"].pk])).status_code == 404

    response = bkn_client.get(url, {"instansi": world["target"].unit_kerja.instansi_id})
    assert response.status_code == 200
    assert {j.nama for j in response.context["jabatan"]} == {"Kepala Bidang Mutasi", "Kepala Seksi"}
    assert not response.context["can_write"]
    assert bkn_client.get(url, {"instansi": 999999}).status_code == 404
    assert bkn_client.get(reverse("succession:jabatan-edit", args=[world["target"].pk])).status_code == 403
