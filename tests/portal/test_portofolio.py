"""Portfolio proposals as people drive them: an ASN proposes a diklat, an award or an education with
evidence, the operator verifies it, and only then does it count on the staff's pegawai profile and
on the ASN's own profile; who may see what (three personas), and bad input refused with a message
and nothing written."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from asn.models import Role
from portal.models import BuktiPortofolio, UsulanPortofolio
from tests.conftest import client_for
from tests.factories import PegawaiFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
CREATE = "/saya/portofolio/usulkan/"


def _asn(pegawai):
    return UserFactory(username=pegawai.nip, role=Role.PEGAWAI, instansi=pegawai.instansi, pegawai=pegawai)


@pytest.fixture
def asn(pegawai_sambas):
    return _asn(pegawai_sambas)


@pytest.fixture
def other_asn(sambas):
    return _asn(PegawaiFactory(jabatan__unit_kerja__instansi=sambas))


def _propose(client, *, files=None, **extra):
    data = {
        "jenis": "diklat",
        "judul": "Pelatihan Kepemimpinan Pengawas",
        "penyelenggara": "BPSDM Provinsi Kalimantan Barat",
        "tanggal": "2025-09-12",
        "jp": "120",
        "bukti": [SimpleUploadedFile("sertifikat.pdf", PDF)] if files is None else list(files),
    } | extra
    return client.post(CREATE, data)


def _proposal(asn, **extra) -> UsulanPortofolio:
    response = _propose(client_for(asn), **extra)
    assert response.status_code == 302, response.content.decode()
    return UsulanPortofolio.objects.get(pegawai=asn.pegawai, status="diajukan")


def _nothing_written():
    assert not UsulanPortofolio.objects.exists()
    assert not BuktiPortofolio.objects.exists()


# --- proposing ---------------------------------------------------------------------------------------


def test_an_asn_proposes_a_diklat_with_evidence(asn):
    response = _propose(client_for(asn), files=[SimpleUploadedFile("sertifikat.pdf", PDF)])
    proposal = UsulanPortofolio.objects.get()
    assert response["Location"] == f"/saya/portofolio/{proposal.pk}/"
    assert (proposal.pegawai, proposal.instansi_id, proposal.diajukan_oleh) == (asn.pegawai, asn.instansi_id, asn)
    assert (proposal.jenis, proposal.judul, proposal.penyelenggara) == (
        "diklat",
        "Pelatihan Kepemimpinan Pengawas",
        "BPSDM Provinsi Kalimantan Barat",
    )
    assert (proposal.tanggal, proposal.jp, proposal.status) == (dt.date(2025, 9, 12), 120, "diajukan")
    evidence = proposal.bukti.get()
    assert (evidence.nama_asli, evidence.jenis, evidence.ukuran) == ("sertifikat.pdf", "pdf", len(PDF))
    assert proposal.history.count() == 1
    page = client_for(asn).get(response["Location"]).content.decode()
    assert '<strong data-testid="portofolio-status">Menunggu verifikasi</strong>' in page


def test_an_award_keeps_no_jp_and_a_jpg_is_evidence(asn):
    proposal = _proposal(
        asn,
        jenis="penghargaan",
        judul="Satyalancana Karya Satya X Tahun",
        penyelenggara="Presiden RI",
        jp="40",
        files=[SimpleUploadedFile("piagam.jpg", JPG)],
    )
    assert (proposal.jenis, proposal.jp) == ("penghargaan", None)
    assert proposal.bukti.get().jenis == "jpg"


@pytest.mark.parametrize(
    ("files", "extra", "message"),
    [
        (
            [SimpleUploadedFile("sertifikat.pdf", b"MZ\x90\x00 not a pdf")],
            {},
            "Berkas sertifikat.pdf bukan PDF atau JPG; bukti harus berupa berkas PDF atau JPG.",
        ),
        (
            [SimpleUploadedFile("sertifikat.docx", PDF)],
            {},
            "Berkas sertifikat.docx bukan PDF atau JPG; bukti harus berupa berkas PDF atau JPG.",
        ),
        (
            [SimpleUploadedFile("besar.pdf", PDF + b"0" * (2 * 1024 * 1024))],
            {},
            "Berkas besar.pdf berukuran 2,0\xa0MB; ukuran bukti paling besar 2,0\xa0MB.",
        ),
        ([], {}, "Lampirkan paling sedikit satu berkas bukti (PDF atau JPG)."),
        (None, {"jp": ""}, "Isikan jumlah jam pelajaran (JP) diklat, lebih dari 0."),
        (None, {"jp": "0"}, "Jam pelajaran (JP) harus lebih dari 0."),
    ],
    ids=["not-a-pdf", "not-a-pdf-name", "too-large", "no-evidence", "diklat-without-jp", "diklat-zero-jp"],
)
def test_bad_input_is_refused_with_a_message_and_nothing_written(asn, files, extra, message):
    response = _propose(client_for(asn), files=files, **extra)
    assert response.status_code == 200
    assert message in response.content.decode()
    _nothing_written()


def test_a_forged_pegawai_id_is_refused_and_nothing_written(asn, other_asn):
    for key in ("pegawai", "pegawai_id"):
        response = _propose(client_for(asn), **{key: other_asn.pegawai.pk})
        assert response.status_code == 200
        assert "Usulan portofolio hanya dapat diajukan untuk data Anda sendiri." in response.content.decode()
    _nothing_written()
    # Naming one's own pegawai is no forgery.
    _proposal(asn, pegawai=asn.pegawai.pk)


def test_staff_accounts_do_not_propose(operator_client, ppk_client):
    for client in (operator_client, ppk_client):
        assert client.get(CREATE).status_code == 404
        assert _propose(client).status_code == 404
    _nothing_written()


# --- who sees what -----------------------------------------------------------------------------------


def test_three_personas_on_the_proposal_and_its_evidence(
    asn, other_asn, operator_client, ppk_client, outsider_client, bkn_client, tim
):
    proposal = _proposal(asn)
    evidence = proposal.bukti.get()
    detail, file_url = f"/saya/portofolio/{proposal.pk}/", f"/saya/portofolio/bukti/{evidence.pk}/"
    own = client_for(asn).get(file_url)
    assert own.status_code == 200
    assert b"".join(own.streaming_content) == PDF
    assert own["Content-Type"] == "application/pdf"
    assert own["Content-Disposition"] == 'attachment; filename="sertifikat.pdf"'
    assert own["Cache-Control"] == "private, no-store"
    for client in (operator_client, ppk_client, client_for(tim), bkn_client):
        assert client.get(detail).status_code == 200
        assert client.get(file_url).status_code == 200
    for client, expected in ((client_for(other_asn), 404), (outsider_client, 404), (Client(), 302)):
        assert client.get(detail).status_code == expected
        assert client.get(file_url).status_code == expected
    # The other ASN's own list holds nothing of the first one's.
    assert "Anda belum mengusulkan portofolio." in client_for(other_asn).get("/saya/portofolio/").content.decode()
    assert f'href="{detail}"' in operator_client.get("/saya/portofolio/masuk/").content.decode()
    assert f'href="{detail}"' not in operator_client.get("/saya/portofolio/masuk/?status=ditolak").content.decode()
    assert f'href="{detail}"' not in outsider_client.get("/saya/portofolio/masuk/").content.decode()
    assert client_for(other_asn).get("/saya/portofolio/masuk/").status_code == 404


def test_evidence_is_stored_outside_any_url(asn, settings):
    evidence = _proposal(asn).bukti.get()
    assert evidence.berkas.path.startswith(str(settings.MEDIA_ROOT))
    assert Client().get("/" + settings.MEDIA_URL + evidence.berkas.name).status_code == 404


# --- verification, and what counts -------------------------------------------------------------------


def test_only_the_verified_proposal_counts_on_both_profiles(asn, operator, operator_client, ppk_client):
    proposal = _proposal(asn)
    staff_profile = f"/asn/pegawai/{asn.pegawai_id}/"
    # Waiting: shown as pending to the ASN only; not on the staff's profile.
    own = client_for(asn).get("/saya/").content.decode()
    assert 'data-testid="my-portfolio-pending"' in own
    assert 'data-testid="my-portfolio-verified"' not in own
    assert "Belum ada portofolio yang diverifikasi." in own
    staff = ppk_client.get(staff_profile).content.decode()
    assert "Pelatihan Kepemimpinan Pengawas" not in staff
    assert "Belum ada usulan portofolio yang diverifikasi." in staff

    # A reader cannot verify; the operator can.
    assert ppk_client.post(f"/saya/portofolio/{proposal.pk}/verifikasi/", {"hasil": "diverifikasi"}).status_code == 403
    response = operator_client.post(
        f"/saya/portofolio/{proposal.pk}/verifikasi/", {"hasil": "diverifikasi", "catatan": "Sesuai sertifikat."}
    )
    assert response["Location"] == f"/saya/portofolio/{proposal.pk}/"
    proposal.refresh_from_db()
    assert (proposal.status, proposal.catatan, proposal.diverifikasi_oleh) == (
        "diverifikasi",
        "Sesuai sertifikat.",
        operator,
    )
    assert proposal.diverifikasi is not None
    assert [h.status for h in proposal.history.order_by("history_date")] == ["diajukan", "diverifikasi"]
    assert proposal.history.latest().history_user == operator

    own = client_for(asn).get("/saya/").content.decode()
    assert 'data-testid="my-portfolio-verified"' in own
    assert 'data-testid="my-portfolio-pending"' not in own
    assert "Pelatihan Kepemimpinan Pengawas" in own
    staff = ppk_client.get(staff_profile).content.decode()
    assert 'data-testid="portofolio-verified"' in staff
    assert "Pelatihan Kepemimpinan Pengawas" in staff
    # Verified once is verified: a second verification is refused with a message.
    page = operator_client.post(
        f"/saya/portofolio/{proposal.pk}/verifikasi/", {"hasil": "ditolak", "catatan": "x"}, follow=True
    )
    assert "Usulan portofolio ini sudah diverifikasi." in page.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "diverifikasi"


def test_a_refusal_needs_its_reason_and_the_asn_reads_it(asn, operator_client):
    proposal = _proposal(asn)
    url = f"/saya/portofolio/{proposal.pk}/verifikasi/"
    page = operator_client.post(url, {"hasil": "ditolak", "catatan": "  "}, follow=True).content.decode()
    assert "Tuliskan alasan penolakan usulan." in page
    proposal.refresh_from_db()
    assert (proposal.status, proposal.diverifikasi, proposal.history.count()) == ("diajukan", None, 1)

    operator_client.post(url, {"hasil": "ditolak", "catatan": "Sertifikat tidak terbaca."})
    proposal.refresh_from_db()
    assert proposal.status == "ditolak"
    own = client_for(asn).get(f"/saya/portofolio/{proposal.pk}/").content.decode()
    assert '<strong data-testid="portofolio-status">Ditolak</strong>' in own
    assert "Sertifikat tidak terbaca." in own
    # Refused counts nowhere: still apart from the verified portfolio on the ASN's profile.
    profile = client_for(asn).get("/saya/").content.decode()
    assert 'data-testid="my-portfolio-pending"' in profile
    assert 'data-testid="my-portfolio-verified"' not in profile


def test_an_operator_opd_verifies_only_its_units_people(asn, sambas, operator_client):
    proposal = _proposal(asn)
    url = f"/saya/portofolio/{proposal.pk}/verifikasi/"
    elsewhere = UserFactory(username="opd-lain", role=Role.OPERATOR_OPD, instansi=sambas)
    elsewhere.unit_kerja.set([PegawaiFactory(jabatan__unit_kerja__instansi=sambas).jabatan.unit_kerja])
    # Another unit's operator does not even see the proposal.
    assert client_for(elsewhere).post(url, {"hasil": "diverifikasi"}).status_code == 404
    own_unit = UserFactory(username="opd-unit", role=Role.OPERATOR_OPD, instansi=sambas)
    own_unit.unit_kerja.set([asn.pegawai.jabatan.unit_kerja])
    assert client_for(own_unit).post(url, {"hasil": "diverifikasi"}).status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.diverifikasi_oleh) == ("diverifikasi", own_unit)


def test_the_outsider_cannot_verify(asn, outsider_client):
    proposal = _proposal(asn)
    assert (
        outsider_client.post(f"/saya/portofolio/{proposal.pk}/verifikasi/", {"hasil": "diverifikasi"}).status_code
        == 404
    )
    proposal.refresh_from_db()
    assert proposal.status == "diajukan"
