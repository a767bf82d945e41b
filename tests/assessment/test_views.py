"""Assessment pages with the three personas (operator, PPK, outsider), BKN and admins."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from asn.models import Role
from asn.reference import KOMPETENSI_FIELDS
from assessment.models import Asesmen, Penempatan, Periode, PilihanSkema, Skema, SkpResult
from talenta import pipeline
from tests.conftest import client_for
from tests.factories import AsesmenFactory, PegawaiFactory, SkpResultFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def placed(periode_2026, pegawai_sambas):
    """The spec's worked example: box 9, in the pool."""
    p = pegawai_sambas
    p.pendidikan_id = "S2"
    p.jabatan.jenjang_id = "administrator"
    p.jabatan.save()
    p.save()
    SkpResultFactory(pegawai=p, tahun=2025, predikat="Sangat Baik")
    SkpResultFactory(pegawai=p, tahun=2024, predikat="Baik")
    AsesmenFactory(
        pegawai=p,
        tanggal_asesmen=dt.date(2024, 3, 10),
        lembaga="UPT Penilaian Kompetensi",
        skor_potensi=Decimal(72),
        levels=(4, 3, 3, 3, 4, 3, 3, 3, 3),
    )
    pipeline.refresh_now(periode_id=periode_2026.pk)
    return p


# --- profile ----------------------------------------------------------------------------------------


def test_profile_explains_the_placement(operator_client, placed):
    page = operator_client.get(reverse("asn:pegawai-detail", args=[placed.pk])).text
    assert 'data-testid="box"' in page
    assert "Di Atas Ekspektasi · potensial Tinggi" in page
    assert "KRS Instansi/Nasional" in page
    assert "Dipromosikan dan dipertahankan" in page
    assert "80,56" in page  # Kompetensi = JPM berikutnya
    assert "32,22" in page  # its points: 80.56 x 40 %
    assert "83,22" in page  # P
    assert "107,41 · Optimal" in page
    assert "80,56 · Cukup Optimal" in page
    assert "UPT Penilaian Kompetensi" in page
    assert 'id="radar-data"' in page


def test_profile_tells_what_would_complete_an_incomplete_placement(operator_client, periode_2026, pegawai_sambas):
    pipeline.refresh_now(periode_id=periode_2026.pk)
    page = operator_client.get(reverse("asn:pegawai-detail", args=[pegawai_sambas.pk])).text
    assert "Data tidak lengkap" in page
    assert "Impor atau isi hasil SKP untuk tahun 2025 dan 2024." in page
    assert "Impor atau isi hasil asesmen yang dilaksanakan paling lambat 31-01-2026." in page


def test_ppk_sees_the_placement_without_edit_links(ppk_client, placed):
    page = ppk_client.get(reverse("asn:pegawai-detail", args=[placed.pk])).text
    assert "KRS Instansi/Nasional" in page
    assert reverse("assessment:record-create", args=[placed.pk, "skp"]) not in page


# --- record forms ---------------------------------------------------------------------------------


def test_operator_adds_an_skp_from_ratings_and_the_placement_follows(
    operator_client, operator, periode_2026, pegawai_sambas, django_capture_on_commit_callbacks
):
    url = reverse("assessment:record-create", args=[pegawai_sambas.pk, "skp"])
    with django_capture_on_commit_callbacks(execute=True):
        response = operator_client.post(
            url, {"tahun": 2025, "predikat": "", "rating_hasil_kerja": "Di Atas Ekspektasi",
                  "rating_perilaku": "Di Atas Ekspektasi"},
        )  # fmt: skip
    assert response.status_code == 302
    skp = SkpResult.objects.get()
    assert skp.predikat == "Sangat Baik"
    assert skp.history.get().history_user == operator
    assert Penempatan.objects.get().skor_kinerja == Decimal("100.00")


def test_skp_form_rejects_contradicting_ratings_and_future_years(operator_client, pegawai_sambas):
    url = reverse("assessment:record-create", args=[pegawai_sambas.pk, "skp"])
    response = operator_client.post(
        url, {"tahun": 2999, "predikat": "Sangat Baik", "rating_hasil_kerja": "Sesuai Ekspektasi",
              "rating_perilaku": "Sesuai Ekspektasi"},
    )  # fmt: skip
    form = response.context["form"]
    assert form.errors["tahun"][0].startswith("Tahun harus antara 2000 dan ")
    assert SkpResult.objects.count() == 0
    response = operator_client.post(
        url, {"tahun": 2025, "predikat": "Sangat Baik", "rating_hasil_kerja": "Sesuai Ekspektasi",
              "rating_perilaku": "Sesuai Ekspektasi"},
    )  # fmt: skip
    assert response.context["form"].errors["predikat"] == [
        "Predikat Sangat Baik bertentangan dengan rating (hasil kerja Sesuai Ekspektasi, perilaku Sesuai "
        "Ekspektasi menghasilkan Baik)."
    ]


def test_skp_form_refuses_a_year_before_tmt_cpns_and_says_the_placement_is_recomputed(operator_client, pegawai_sambas):
    tmt_cpns = pegawai_sambas.tmt_cpns
    url = reverse("assessment:record-create", args=[pegawai_sambas.pk, "skp"])
    data = {"predikat": "Baik", "rating_hasil_kerja": "", "rating_perilaku": ""}
    response = operator_client.post(url, {**data, "tahun": tmt_cpns.year - 1})
    assert response.context["form"].errors["tahun"] == [
        f"Tahun SKP {tmt_cpns.year - 1} sebelum TMT CPNS pegawai ini ({tmt_cpns:%m/%Y}); "
        "SKP hanya untuk tahun sejak TMT CPNS."
    ]
    assert SkpResult.objects.count() == 0
    response = operator_client.post(url, {**data, "tahun": tmt_cpns.year}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Data hasil SKP ditambahkan; penempatan pegawai di peta talenta akan dihitung ulang."
    ]
    assert SkpResult.objects.get().tahun == tmt_cpns.year


def test_asesmen_form_rejects_level_six_and_a_future_date(operator_client, pegawai_sambas):
    data = {
        "tanggal_asesmen": "2999-01-01",
        "lembaga": "",
        "skor_potensi": "101",
        **dict.fromkeys(KOMPETENSI_FIELDS, 3),
    }
    data["integritas"] = 6
    response = operator_client.post(reverse("assessment:record-create", args=[pegawai_sambas.pk, "asesmen"]), data)
    errors = response.context["form"].errors
    assert errors["tanggal_asesmen"] == ["Tanggal asesmen tidak boleh melewati hari ini."]
    assert errors["integritas"] == ["Pastikan nilai ini lebih kecil dari atau sama dengan 5."]
    assert errors["skor_potensi"] == ["Pastikan nilai ini lebih kecil dari atau sama dengan 100."]
    assert Asesmen.objects.count() == 0


def test_ppk_gets_403_and_outsider_404_on_record_forms(ppk_client, outsider_client, placed):
    skp = SkpResult.objects.first()
    create = reverse("assessment:record-create", args=[placed.pk, "skp"])
    update = reverse("assessment:record-update", args=["skp", skp.pk])
    delete = reverse("assessment:record-delete", args=["skp", skp.pk])
    assert ppk_client.get(create).status_code == 403
    assert ppk_client.post(update, {"tahun": 2025, "predikat": "Baik"}).status_code == 403
    assert ppk_client.post(delete).status_code == 403
    assert outsider_client.get(create).status_code == 404
    assert outsider_client.post(update, {"tahun": 2025, "predikat": "Baik"}).status_code == 404
    assert outsider_client.post(delete).status_code == 404
    assert SkpResult.objects.get(pk=skp.pk).predikat == "Sangat Baik"


def test_operator_deletes_a_sanction_record(operator_client, placed):
    record = placed.hukuman_disiplin.create(tingkat="Ringan", tanggal_sk=dt.date(2025, 5, 1))
    response = operator_client.post(reverse("assessment:record-delete", args=["disiplin", record.pk]))
    assert response.status_code == 302
    assert not placed.hukuman_disiplin.exists()


# --- periods ----------------------------------------------------------------------------------------


def test_province_admin_creates_a_period_in_the_browser(admin_client_province):
    response = admin_client_province.post(
        reverse("assessment:periode-list"), {"tahun": 2027, "tanggal_acuan": "2027-01-31", "status": "draft"}
    )
    assert response.status_code == 302
    assert Periode.objects.get().tanggal_acuan == dt.date(2027, 1, 31)


def test_period_reference_date_must_lie_in_its_year(admin_client_province):
    response = admin_client_province.post(
        reverse("assessment:periode-list"), {"tahun": 2027, "tanggal_acuan": "2026-12-31", "status": "open"}
    )
    assert response.context["form"].errors["tanggal_acuan"] == ["Tanggal acuan harus berada di tahun 2027."]
    assert not Periode.objects.exists()


def test_operator_and_bkn_cannot_create_periods(operator_client, bkn_client):
    for client in (operator_client, bkn_client):
        response = client.post(reverse("assessment:periode-list"), {"tahun": 2027, "tanggal_acuan": "2027-01-31"})
        assert response.status_code == 403
    assert not Periode.objects.exists()


def test_closing_a_period_freezes_it(admin_client_province, operator_client, placed, periode_2026):
    admin_client_province.post(reverse("assessment:periode-status", args=[2026]), {"status": "closed"})
    periode_2026.refresh_from_db()
    assert periode_2026.is_closed
    response = operator_client.post(reverse("assessment:periode-recompute", args=[2026]), follow=True)
    assert "tidak dapat dihitung ulang" in response.text
    reopened = admin_client_province.post(
        reverse("assessment:periode-status", args=[2026]), {"status": "open"}, follow=True
    )
    assert "tidak dapat diubah" in reopened.text


def test_recompute_button_for_operator_but_not_ppk(
    operator_client, ppk_client, periode_2026, pegawai_sambas, django_capture_on_commit_callbacks
):
    assert ppk_client.post(reverse("assessment:periode-recompute", args=[2026])).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        operator_client.post(reverse("assessment:periode-recompute", args=[2026]))
    assert Penempatan.objects.get().pegawai == pegawai_sambas


def test_period_summary_lists_only_visible_instansi(operator_client, bkn_client, placed):
    own = operator_client.get(reverse("assessment:periode-detail", args=[2026]))
    assert [row["instansi"].kode for row in own.context["summary"]] == ["6101"]
    assert own.context["summary"][0]["krs_count"] == 1
    assert len(bkn_client.get(reverse("assessment:periode-detail", args=[2026])).context["summary"]) == 15


# --- export -------------------------------------------------------------------------------------------


def test_operator_exports_only_own_instansi(operator_client, bkn_client, placed, bengkayang):
    PegawaiFactory(jabatan__unit_kerja__instansi=bengkayang)
    pipeline.refresh_now(periode_id=Periode.objects.get().pk)
    own = operator_client.get(reverse("assessment:periode-export", args=[2026]), {"format": "csv"})
    lines = own.content.decode("utf-8-sig").splitlines()
    assert lines[0] == (
        "nip,nama,instansi,jenjang,skor_kinerja,kategori_kinerja,skor_potensial,kategori_potensial,jpm,"
        "jpm_berikutnya,kotak_hitung,kotak,krs,label_krs,alasan_krs,lengkap,alasan"
    )
    assert lines[1:] == [
        f"{placed.nip},{placed.nama},6101,Administrator,90.00,Di Atas Ekspektasi,83.22,Tinggi,107.41,80.56,"
        "9,9,ya,KRS Instansi/Nasional,,ya,"
    ]
    everything = bkn_client.get(reverse("assessment:periode-export", args=[2026]), {"format": "csv"})
    assert len(everything.content.decode("utf-8-sig").splitlines()) == 3
    other = operator_client.get(reverse("assessment:periode-export", args=[2026]), {"instansi": "6102"})
    assert other.status_code == 404


def test_xlsx_export_downloads(operator_client, placed):
    response = operator_client.get(reverse("assessment:periode-export", args=[2026]))
    assert response["Content-Disposition"] == 'attachment; filename="peta-talenta-2026.xlsx"'


# --- schemes -----------------------------------------------------------------------------------------


@pytest.fixture
def sambas_admin(sambas):
    return UserFactory(username="admin-sambas", role=Role.ADMIN, instansi=sambas)


def _scheme_data(**overrides):
    data = {
        "nama": "Skema Sambas 2026",
        "bobot_kompetensi": "35",
        "bobot_potensi": "30",
        "bobot_kualifikasi": "20",
        "bobot_disiplin": "15",
        "batas_kinerja_atas": "90",
        "batas_kinerja_sesuai": "70",
        "batas_potensial_tinggi": "80",
        "batas_potensial_menengah": "60",
        "jumlah_tahun_skp": "2",
        "masa_berlaku_asesmen_tahun": "3",
        "jendela_disiplin_tahun": "2",
    }
    data.update(overrides)
    return data


def test_instansi_admin_copies_the_default_scheme_and_chooses_it(
    sambas_admin, sambas, placed, periode_2026, django_capture_on_commit_callbacks
):
    client = client_for(sambas_admin)
    default = Skema.objects.default()
    response = client.post(reverse("assessment:skema-copy", args=[default.pk]), _scheme_data())
    assert response.status_code == 302
    skema = Skema.objects.get(instansi=sambas)
    assert (skema.disalin_dari, skema.bobot_kompetensi, skema.dibuat_oleh) == (default, Decimal(35), sambas_admin)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assessment:skema-choose", args=[2026, "6101"]), {"skema": skema.pk})
    assert PilihanSkema.objects.get().skema == skema
    placement = Penempatan.objects.get()
    assert placement.skema == skema
    # P = 0.35*80.56 + 0.30*72 + 0.20*90 + 0.15*100 = 82.796
    assert placement.skor_potensial == Decimal("82.80")


def test_scheme_weights_must_sum_to_100_and_cutoffs_be_ordered(sambas_admin):
    client = client_for(sambas_admin)
    url = reverse("assessment:skema-copy", args=[Skema.objects.default().pk])
    response = client.post(url, _scheme_data(bobot_kompetensi="34", batas_potensial_menengah="85"))
    errors = response.context["form"].errors
    assert errors["bobot_kompetensi"] == ["Jumlah bobot harus 100, bukan 99."]
    assert errors["batas_potensial_tinggi"] == ["Batas potensial Tinggi harus lebih tinggi dari batas Menengah."]
    assert Skema.objects.count() == 1


def test_operator_cannot_copy_schemes_and_outsider_cannot_choose_for_sambas(operator_client, outsider, periode_2026):
    default = Skema.objects.default()
    assert operator_client.post(reverse("assessment:skema-copy", args=[default.pk]), _scheme_data()).status_code == 403
    bengkayang_admin = UserFactory(username="admin-bengkayang", role=Role.ADMIN, instansi=outsider.instansi)
    response = client_for(bengkayang_admin).post(
        reverse("assessment:skema-choose", args=[2026, "6101"]), {"skema": default.pk}
    )
    assert response.status_code == 404
    assert not PilihanSkema.objects.exists()


def test_scheme_form_writes_and_reads_weights_with_a_decimal_comma(sambas_admin, sambas):
    client = client_for(sambas_admin)
    default = Skema.objects.default()
    url = reverse("assessment:skema-copy", args=[default.pk])
    page = client.get(url).text
    shown = f"{default.bobot_kompetensi.normalize():f}".replace(".", ",")
    assert f'name="bobot_kompetensi" value="{shown}"' in page
    assert ".00" not in page.split('name="bobot_kompetensi"')[1].split(">")[0]
    response = client.post(url, _scheme_data(bobot_kompetensi="35,5", bobot_potensi="29,5"))
    assert response.status_code == 302
    assert Skema.objects.get(instansi=sambas).bobot_kompetensi == Decimal("35.5")
