"""Pages of the foundation, each with the three personas (operator, PPK, outsider) and BKN."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from asn.models import ImportJob, Pegawai
from talenta.tabular import write_csv
from tests.asn.test_import_pegawai import HEADERS, row
from tests.factories import JabatanFactory, PegawaiFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("asn:pegawai-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_is_in_indonesian(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Nama pengguna" in response.text
    assert "Masuk ke Talenta" in response.text


def test_login_with_wrong_password_is_throttled_by_axes(client, operator, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        client.post(reverse("login"), {"username": operator.username, "password": "salah"})
    response = client.post(reverse("login"), {"username": operator.username, "password": "rahasia-uji"})
    assert response.status_code == 429
    assert "Terlalu banyak percobaan masuk" in response.text


def test_login_and_logout(client, operator):
    response = client.post(reverse("login"), {"username": operator.username, "password": "rahasia-uji"})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


# --- list -----------------------------------------------------------------------------------


def test_operator_sees_only_pegawai_of_own_instansi(operator_client, sambas, bengkayang):
    own = PegawaiFactory(jabatan__unit_kerja__instansi=sambas)
    other = PegawaiFactory(jabatan__unit_kerja__instansi=bengkayang)
    response = operator_client.get(reverse("asn:pegawai-list"))
    assert list(response.context["page"].object_list) == [own]
    assert other.nama not in response.text


def test_bkn_monitor_sees_every_instansi(bkn_client, sambas, bengkayang):
    PegawaiFactory(jabatan__unit_kerja__instansi=sambas)
    PegawaiFactory(jabatan__unit_kerja__instansi=bengkayang)
    response = bkn_client.get(reverse("asn:pegawai-list"))
    assert response.context["page"].paginator.count == 2


def test_search_by_nip_with_spaces_and_by_name(operator_client, sambas):
    target = PegawaiFactory(nip="197501012000031002", nama="Theresia Lanting", jabatan__unit_kerja__instansi=sambas)
    PegawaiFactory(nip="198001012005011001", nama="Budi Santoso", jabatan__unit_kerja__instansi=sambas)
    by_nip = operator_client.get(reverse("asn:pegawai-list"), {"q": "19750101 200003"})
    by_name = operator_client.get(reverse("asn:pegawai-list"), {"q": "lanting"})
    assert list(by_nip.context["page"].object_list) == [target]
    assert list(by_name.context["page"].object_list) == [target]


def test_filters_by_unit_jenjang_golongan_and_jenis_asn(operator_client, sambas):
    target = PegawaiFactory(jabatan__unit_kerja__instansi=sambas, golongan_id="III/d")
    PegawaiFactory(jabatan__unit_kerja__instansi=sambas, golongan_id="III/c")
    PegawaiFactory(jabatan=target.jabatan, golongan_id="IX", jenis_asn="PPPK")
    response = operator_client.get(
        reverse("asn:pegawai-list"),
        {
            "unit_kerja": target.jabatan.unit_kerja_id,
            "jenjang": target.jabatan.jenjang_id,
            "golongan": "III/d",
            "jenis_asn": "PNS",
        },
    )
    assert list(response.context["page"].object_list) == [target]


def test_list_paginates_25_per_page(operator_client, sambas):
    jabatan = JabatanFactory(unit_kerja__instansi=sambas)
    PegawaiFactory.create_batch(30, jabatan=jabatan)
    first = operator_client.get(reverse("asn:pegawai-list"))
    second = operator_client.get(reverse("asn:pegawai-list"), {"page": 2})
    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5


def test_list_runs_a_constant_number_of_queries(operator_client, sambas, django_assert_num_queries):
    def load():
        operator_client.get(reverse("asn:pegawai-list"), {"q": "Pegawai"})

    jabatan = JabatanFactory(unit_kerja__instansi=sambas)
    PegawaiFactory.create_batch(3, jabatan=jabatan)
    with django_assert_num_queries(8) as few:
        load()
    PegawaiFactory.create_batch(40, jabatan=JabatanFactory(unit_kerja__instansi=sambas))
    with django_assert_num_queries(len(few.captured_queries)):
        load()


# --- profile --------------------------------------------------------------------------------


def test_profile_shows_decoded_nip_pangkat_and_retirement(operator_client, sambas):
    # An explicit NIP: the factory's sequence depends on how many pegawai earlier tests made.
    pegawai = PegawaiFactory(nip="198609262015051001", jabatan__unit_kerja__instansi=sambas)
    response = operator_client.get(reverse("asn:pegawai-detail", args=[pegawai.pk]))
    assert response.status_code == 200
    assert "26 September 1986" in response.text
    assert "Mei 2015" in response.text
    assert "Laki-laki" in response.text
    assert "Penata (III/c)" in response.text
    assert "1 Oktober 2044" in response.text


def test_ppk_reads_the_profile_but_sees_no_edit_button(ppk_client, pegawai_sambas):
    response = ppk_client.get(reverse("asn:pegawai-detail", args=[pegawai_sambas.pk]))
    assert response.status_code == 200
    assert reverse("asn:pegawai-update", args=[pegawai_sambas.pk]) not in response.text


def test_outsider_gets_404_on_the_profile(outsider_client, pegawai_sambas):
    assert outsider_client.get(reverse("asn:pegawai-detail", args=[pegawai_sambas.pk])).status_code == 404


# --- create and edit ------------------------------------------------------------------------


def _form_data(pegawai_jabatan, **overrides):
    data = {
        "nip": "19900101 202012 2 001",
        "nama": "Maria Ngadan",
        "gelar_depan": "",
        "gelar_belakang": "S.Kep., Ns.",
        "jenis_asn": "PNS",
        "jabatan": pegawai_jabatan.pk,
        "golongan": "III/a",
        "pendidikan": "S1",
        "tmt_jabatan": "2024-03-01",
    }
    data.update(overrides)
    return data


def test_operator_creates_a_pegawai_and_history_names_them(operator_client, operator, sambas):
    jabatan = JabatanFactory(unit_kerja__instansi=sambas)
    response = operator_client.post(reverse("asn:pegawai-create"), _form_data(jabatan))
    pegawai = Pegawai.objects.get(nip="199001012020122001")
    assert response.status_code == 302
    assert response["Location"] == reverse("asn:pegawai-detail", args=[pegawai.pk])
    assert pegawai.instansi == sambas
    assert pegawai.jenis_kelamin == "P"
    assert pegawai.history.get().history_user == operator


def test_create_form_shows_field_errors_in_indonesian_and_writes_nothing(operator_client, sambas):
    jabatan = JabatanFactory(unit_kerja__instansi=sambas)
    response = operator_client.post(
        reverse("asn:pegawai-create"), _form_data(jabatan, nip="199001012020132001", golongan="IX", nama="")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["nip"] == ["Digit 13–14 NIP (bulan TMT CPNS) harus 01–12, bukan 13."]
    assert form.errors["golongan"] == ["Golongan IX adalah golongan PPPK, tidak sesuai dengan jenis ASN PNS."]
    assert form.errors["nama"] == ["Bidang ini harus diisi."]
    assert Pegawai.objects.count() == 0


def test_create_rejects_a_duplicate_nip(operator_client, pegawai_sambas):
    response = operator_client.post(
        reverse("asn:pegawai-create"), _form_data(pegawai_sambas.jabatan, nip=pegawai_sambas.nip)
    )
    assert response.context["form"].errors["nip"] == ["NIP ini sudah terdaftar."]


def test_operator_cannot_choose_a_jabatan_of_another_instansi(operator_client, bengkayang):
    foreign = JabatanFactory(unit_kerja__instansi=bengkayang)
    response = operator_client.post(reverse("asn:pegawai-create"), _form_data(foreign))
    assert "jabatan" in response.context["form"].errors
    assert Pegawai.objects.count() == 0


def test_ppk_and_bkn_get_403_on_create(ppk_client, bkn_client, sambas):
    jabatan = JabatanFactory(unit_kerja__instansi=sambas)
    for client in (ppk_client, bkn_client):
        assert client.get(reverse("asn:pegawai-create")).status_code == 403
        assert client.post(reverse("asn:pegawai-create"), _form_data(jabatan)).status_code == 403
    assert Pegawai.objects.count() == 0


def test_operator_edits_a_pegawai_and_the_change_is_in_history(operator_client, operator, pegawai_sambas):
    data = _form_data(pegawai_sambas.jabatan, nip=pegawai_sambas.nip, golongan="III/d", nama=pegawai_sambas.nama)
    response = operator_client.post(reverse("asn:pegawai-update", args=[pegawai_sambas.pk]), data)
    assert response.status_code == 302
    pegawai_sambas.refresh_from_db()
    assert pegawai_sambas.golongan_id == "III/d"
    latest = pegawai_sambas.history.latest()
    assert latest.history_user == operator
    detail = operator_client.get(reverse("asn:pegawai-detail", args=[pegawai_sambas.pk]))
    assert "golongan" in detail.text


def test_ppk_gets_403_and_outsider_404_on_edit(ppk_client, outsider_client, pegawai_sambas):
    url = reverse("asn:pegawai-update", args=[pegawai_sambas.pk])
    data = _form_data(pegawai_sambas.jabatan, nip=pegawai_sambas.nip, golongan="IV/a")
    assert ppk_client.post(url, data).status_code == 403
    assert outsider_client.post(url, data).status_code == 404
    pegawai_sambas.refresh_from_db()
    assert pegawai_sambas.golongan_id == "III/c"


# --- import in the browser -------------------------------------------------------------------


def _upload(client, rows, name="pegawai.csv"):
    upload = SimpleUploadedFile(name, write_csv(HEADERS, rows), content_type="text/csv")
    return client.post(reverse("asn:import-upload"), {"kind": "pegawai", "file": upload})


def test_browser_import_upload_preview_confirm(operator_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(operator_client, [row()])
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("asn:import-detail", args=[job.pk])
    preview = operator_client.get(response["Location"])
    assert preview.context["job"].status == "valid"
    assert "Akan dibuat" in preview.text
    assert "1 unit kerja, 1 jabatan" in preview.text
    assert Pegawai.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        operator_client.post(reverse("asn:import-confirm", args=[job.pk]), {"struktur_diterima": job.struktur["sidik"]})
    job.refresh_from_db()
    assert job.status == "done"
    assert job.summary["baru"] == 1
    assert Pegawai.objects.get().nip == "198609262015051001"


def test_browser_import_shows_row_errors_and_cannot_be_confirmed(operator_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(operator_client, [row(), row(nip="1986092620150510")])
    page = operator_client.get(response["Location"])
    assert page.context["job"].status == "invalid"
    assert "NIP harus 18 digit, bukan 16 digit." in page.text
    operator_client.post(reverse("asn:import-confirm", args=[page.context["job"].pk]))
    assert Pegawai.objects.count() == 0


def test_confirming_twice_imports_once(operator_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _upload(operator_client, [row()])
    job = ImportJob.objects.get()
    accepted = {"struktur_diterima": job.struktur["sidik"]}
    with django_capture_on_commit_callbacks(execute=True):
        operator_client.post(reverse("asn:import-confirm", args=[job.pk]), accepted)
    response = operator_client.post(reverse("asn:import-confirm", args=[job.pk]), accepted, follow=True)
    assert "sudah diproses" in response.text
    assert Pegawai.history.count() == 1


def test_upload_rejects_a_non_spreadsheet_extension(operator_client):
    upload = SimpleUploadedFile("foto.jpg", b"\xff\xd8", content_type="image/jpeg")
    response = operator_client.post(reverse("asn:import-upload"), {"kind": "pegawai", "file": upload})
    assert response.context["form"].errors["file"] == ["Berkas harus berformat .xlsx atau .csv."]
    assert ImportJob.objects.count() == 0


def test_ppk_and_bkn_get_403_on_import(ppk_client, bkn_client):
    for client in (ppk_client, bkn_client):
        assert client.get(reverse("asn:import-upload")).status_code == 403
        assert _upload(client, [row()]).status_code == 403
    assert ImportJob.objects.count() == 0


def test_outsider_gets_404_on_an_import_job(operator_client, outsider_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _upload(operator_client, [row()])
    job = ImportJob.objects.get()
    assert outsider_client.get(reverse("asn:import-detail", args=[job.pk])).status_code == 404
    assert outsider_client.post(reverse("asn:import-confirm", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == "valid"


def test_template_download_has_headers_and_an_example_row(operator_client):
    response = operator_client.get(reverse("asn:import-template", args=["pegawai"]), {"format": "csv"})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(HEADERS)
    assert lines[1].startswith("19860926 201505 1 001,Yohanes Apui")
    xlsx = operator_client.get(reverse("asn:import-template", args=["pegawai"]))
    assert xlsx["Content-Disposition"] == 'attachment; filename="templat-pegawai.xlsx"'


def test_unknown_template_kind_is_404(operator_client):
    assert operator_client.get(reverse("asn:import-template", args=["gaji"])).status_code == 404


def test_home_page_per_role(operator_client, ppk_client, bkn_client):
    assert "Anda operator BKD/BKPSDM Kabupaten Sambas" in operator_client.get("/").text
    assert "Anda PPK Kabupaten Sambas" in ppk_client.get("/").text
    bkn_home = bkn_client.get("/")
    assert "Anda monitor BKN" in bkn_home.text
    assert len(bkn_home.context["instansi_rows"]) == 15


def test_admin_adds_a_pegawai_through_the_same_service(province_admin, sambas):
    from django.test import Client

    province_admin.is_staff = province_admin.is_superuser = True
    province_admin.save()
    client = Client()
    client.force_login(province_admin)
    jabatan = JabatanFactory(unit_kerja__instansi=sambas)
    data = {
        "nip": "199001012020122001",
        "nama": "Maria Ngadan",
        "gelar_depan": "",
        "gelar_belakang": "",
        "jenis_asn": "PNS",
        "instansi": sambas.pk,
        "jabatan": jabatan.pk,
        "golongan": "III/a",
        "pendidikan": "S1",
    }
    response = client.post(reverse("admin:asn_pegawai_add"), data)
    assert response.status_code == 302
    pegawai = Pegawai.objects.get()
    assert (pegawai.tanggal_lahir.isoformat(), pegawai.jenis_kelamin) == ("1990-01-01", "P")
    assert pegawai.history.get().history_user == province_admin

    bad = client.post(reverse("admin:asn_pegawai_add"), {**data, "nip": "199001012020132002"})
    assert bad.status_code == 200
    assert bad.context["adminform"].form.errors["nip"] == ["Digit 13–14 NIP (bulan TMT CPNS) harus 01–12, bukan 13."]
    # The same golongan rule as the pages: a form error, not a database error.
    mismatch = client.post(reverse("admin:asn_pegawai_add"), {**data, "nip": "199001012020122002", "golongan": "IX"})
    assert mismatch.context["adminform"].form.errors["golongan"] == [
        "Golongan IX adalah golongan PPPK, tidak sesuai dengan jenis ASN PNS."
    ]
    assert Pegawai.objects.count() == 1
