"""The portfolio in a browser: an ASN proposes a diklat with its JP and a PDF certificate, sees it
waiting on their profile, the operator verifies it from the list, and then it counts on both the
ASN's profile and the staff's pegawai profile."""

import pytest
from playwright.sync_api import expect

from asn.models import Role
from tests.e2e.conftest import login
from tests.factories import PegawaiFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NIP = "198001012005012001"


def test_a_proposed_diklat_counts_once_the_operator_verifies_it(page, live_server, operator, ppk, sambas, tmp_path):
    pegawai = PegawaiFactory(nip=NIP, nama="Agnes Daeng", jabatan__unit_kerja__instansi=sambas)
    UserFactory(username=NIP, role=Role.PEGAWAI, instansi=sambas, pegawai=pegawai)
    certificate = tmp_path / "sertifikat-pkp.pdf"
    certificate.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    login(page, live_server, NIP)
    page.get_by_role("link", name="Portofolio saya").first.click()
    page.get_by_role("link", name="Usulkan portofolio").click()
    page.get_by_label("Jenis").select_option("diklat")
    page.get_by_label("Nama pelatihan/penghargaan/pendidikan").fill("Pelatihan Kepemimpinan Pengawas")
    page.get_by_label("Penyelenggara/pemberi").fill("BPSDM Provinsi Kalimantan Barat")
    page.get_by_label("Tanggal (selesai/diterima/lulus)").fill("2025-09-12")
    page.get_by_label("Berkas bukti").set_input_files(str(certificate))
    # Without its JP a diklat is refused, with the message by the field.
    page.get_by_role("button", name="Ajukan").click()
    expect(page.get_by_text("Isikan jumlah jam pelajaran (JP) diklat, lebih dari 0.")).to_be_visible()
    page.get_by_label("Jam pelajaran (JP)").fill("120")
    page.get_by_label("Berkas bukti").set_input_files(str(certificate))
    page.get_by_role("button", name="Ajukan").click()
    expect(page.get_by_test_id("portofolio-status")).to_have_text("Menunggu verifikasi")
    expect(page.get_by_role("link", name="sertifikat-pkp.pdf")).to_be_visible()
    detail = page.url
    page.goto(f"{live_server.url}/saya/")
    expect(page.get_by_test_id("my-portfolio-pending")).to_contain_text("Pelatihan Kepemimpinan Pengawas")
    page.get_by_role("button", name="Keluar").click()

    login(page, live_server, operator.username)
    page.get_by_role("link", name="Portofolio", exact=True).click()
    page.get_by_test_id("portofolio-inbox").get_by_role("link").first.click()
    assert page.url == detail
    page.get_by_label("Diverifikasi").check()
    page.get_by_label("Catatan (wajib bila ditolak)").fill("Sesuai sertifikat BPSDM.")
    page.get_by_role("button", name="Simpan verifikasi").click()
    expect(page.get_by_test_id("portofolio-status")).to_have_text("Diverifikasi")
    page.get_by_role("button", name="Keluar").click()

    login(page, live_server, ppk.username)
    page.goto(f"{live_server.url}/asn/pegawai/{pegawai.pk}/")
    expect(page.get_by_test_id("portofolio-verified")).to_contain_text("Pelatihan Kepemimpinan Pengawas")
    page.get_by_role("button", name="Keluar").click()

    login(page, live_server, NIP)
    page.goto(f"{live_server.url}/saya/")
    expect(page.get_by_test_id("my-portfolio-verified")).to_contain_text("120")
    expect(page.get_by_test_id("my-portfolio-pending")).to_have_count(0)
