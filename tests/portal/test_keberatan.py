"""The objection (keberatan) loop as people drive it: the operator opens a window, an ASN files an
objection with evidence, the operator reviews, the Tim Talenta decides; who may see what (three
personas on every page), and bad input refused with a message and nothing written."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from asn.models import Role
from assessment.models import Periode
from decisions.models import EntriKeputusan
from portal.demo import seed_demo_objection_windows
from portal.models import BuktiKeberatan, JendelaKeberatan, Keberatan
from portal.selectors import _median_days_elsewhere, objection_figures
from tests.factories import PegawaiFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _asn(pegawai):
    return UserFactory(username=pegawai.nip, role=Role.PEGAWAI, instansi=pegawai.instansi, pegawai=pegawai)


@pytest.fixture
def tim(sambas):
    return UserFactory(username="tim-sambas", role=Role.TIM_TALENTA, instansi=sambas)


@pytest.fixture
def asn(pegawai_sambas):
    return _asn(pegawai_sambas)


@pytest.fixture
def other_asn(sambas):
    return _asn(PegawaiFactory(jabatan__unit_kerja__instansi=sambas))


@pytest.fixture
def window(operator, periode_2026, sambas):
    today = timezone.localdate()
    return JendelaKeberatan.objects.create(
        periode=periode_2026,
        instansi=sambas,
        dibuka=today - dt.timedelta(days=3),
        ditutup=today + dt.timedelta(days=10),
        diubah_oleh=operator,
    )


def _file(client, periode, *, komponen="skp", files=(), **extra):
    data = {
        "periode": periode.pk,
        "komponen": komponen,
        "kategori": "data_tidak_sesuai",
        "uraian": "Predikat SKP 2025 saya Sangat Baik, bukan Baik.",
        "bukti": list(files),
    } | extra
    return client.post("/saya/keberatan/ajukan/", data)


def _objection(asn, periode, *, komponen="skp", files=()):
    response = _file(_client(asn), periode, komponen=komponen, files=files)
    assert response.status_code == 302, response.content.decode()
    return Keberatan.objects.get(pegawai=asn.pegawai, komponen=komponen, status="diajukan")


# --- the window --------------------------------------------------------------------------------------


def test_the_operator_opens_and_moves_the_window(operator_client, operator, periode_2026, sambas):
    response = operator_client.post(
        "/saya/keberatan/jendela/",
        {"periode": periode_2026.pk, "instansi": sambas.pk, "dibuka": "2026-03-01", "ditutup": "2026-03-14"},
    )
    assert response.status_code == 302
    operator_client.post(
        "/saya/keberatan/jendela/",
        {"periode": periode_2026.pk, "instansi": sambas.pk, "dibuka": "2026-03-01", "ditutup": "2026-03-21"},
    )
    window = JendelaKeberatan.objects.get()
    assert (window.dibuka, window.ditutup, window.diubah_oleh) == (dt.date(2026, 3, 1), dt.date(2026, 3, 21), operator)
    assert window.history.count() == 2
    page = operator_client.get("/saya/keberatan/jendela/").content.decode()
    assert "<td>01-03-2026</td><td>21-03-2026</td>" in page


def test_a_window_that_closes_before_it_opens_is_refused(operator_client, periode_2026, sambas):
    response = operator_client.post(
        "/saya/keberatan/jendela/",
        {"periode": periode_2026.pk, "instansi": sambas.pk, "dibuka": "2026-03-14", "ditutup": "2026-03-01"},
    )
    assert response.status_code == 200
    assert "Tanggal ditutup tidak boleh sebelum tanggal dibuka." in response.content.decode()
    assert not JendelaKeberatan.objects.exists()


def test_only_operators_set_windows_and_only_for_their_instansi(ppk_client, outsider_client, asn, periode_2026, sambas):
    data = {"periode": periode_2026.pk, "instansi": sambas.pk, "dibuka": "2026-03-01", "ditutup": "2026-03-14"}
    assert ppk_client.post("/saya/keberatan/jendela/", data).status_code == 403
    assert _client(asn).get("/saya/keberatan/jendela/").status_code == 404
    # The outsider's form offers their own instansi only: 6101 is not a valid choice.
    response = outsider_client.post("/saya/keberatan/jendela/", data)
    assert response.status_code == 200
    assert not JendelaKeberatan.objects.exists()


# --- filing ------------------------------------------------------------------------------------------


def test_an_asn_files_an_objection_with_evidence(asn, window, periode_2026):
    client = _client(asn)
    assert "Ajukan keberatan" in client.get("/saya/keberatan/").content.decode()
    response = _file(
        client,
        periode_2026,
        files=[
            SimpleUploadedFile("sk-skp.pdf", PDF, content_type="application/pdf"),
            SimpleUploadedFile("foto.JPG", JPG, content_type="image/jpeg"),
        ],
    )
    objection = Keberatan.objects.get()
    assert response["Location"] == f"/saya/keberatan/{objection.pk}/"
    assert (objection.pegawai, objection.instansi, objection.status, objection.diajukan_oleh) == (
        asn.pegawai,
        asn.instansi,
        "diajukan",
        asn,
    )
    assert [(b.nama_asli, b.jenis, b.ukuran) for b in objection.bukti.all()] == [
        ("sk-skp.pdf", "pdf", len(PDF)),
        ("foto.JPG", "jpg", len(JPG)),
    ]
    assert objection.history.get().history_user == asn
    page = client.get(response["Location"]).content.decode()
    assert "Menunggu tinjauan operator" in page
    assert "sk-skp.pdf" in page


def test_a_forged_pegawai_id_files_for_the_account_own_pegawai(asn, other_asn, window, periode_2026):
    _file(_client(asn), periode_2026, pegawai=other_asn.pegawai.pk, pegawai_id=other_asn.pegawai.pk)
    assert list(Keberatan.objects.values_list("pegawai_id", flat=True)) == [asn.pegawai_id]


def test_outside_the_window_nothing_is_filed(asn, operator, periode_2026, sambas):
    client = _client(asn)
    assert "tidak ada jendela keberatan" in client.get("/saya/keberatan/ajukan/").content.decode()
    response = _file(client, periode_2026)
    assert "Jendela keberatan periode ini tidak sedang dibuka untuk instansi Anda." in response.content.decode()
    # A window that closed yesterday is closed.
    today = timezone.localdate()
    JendelaKeberatan.objects.create(
        periode=periode_2026, instansi=sambas, dibuka=today - dt.timedelta(days=9),
        ditutup=today - dt.timedelta(days=1), diubah_oleh=operator,
    )  # fmt: skip
    response = _file(client, periode_2026)
    assert response.status_code == 200
    assert not Keberatan.objects.exists()


def test_a_second_open_objection_on_the_same_component_is_refused(asn, window, periode_2026):
    _objection(asn, periode_2026)
    response = _file(_client(asn), periode_2026, files=[SimpleUploadedFile("b.pdf", PDF)])
    assert response.status_code == 200
    assert (
        "Anda masih memiliki keberatan yang belum diputuskan untuk komponen ini pada periode ini."
        in response.content.decode()
    )
    assert Keberatan.objects.count() == 1
    assert not BuktiKeberatan.objects.exists()
    # Another component is another objection.
    _objection(asn, periode_2026, komponen="asesmen")
    assert Keberatan.objects.count() == 2


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "bukti.pdf",
            b"MZ\x90\x00 not a pdf",
            "Berkas bukti.pdf bukan PDF atau JPG; bukti harus berupa berkas PDF atau JPG.",
        ),
        ("bukti.docx", PDF, "Berkas bukti.docx bukan PDF atau JPG; bukti harus berupa berkas PDF atau JPG."),
        (
            "besar.pdf",
            PDF + b"0" * (2 * 1024 * 1024),
            "Berkas besar.pdf berukuran 2,0\xa0MB; ukuran bukti paling besar 2,0\xa0MB.",
        ),
    ],
)
def test_bad_evidence_is_refused_and_nothing_written(asn, window, periode_2026, settings, name, content, message):
    response = _file(_client(asn), periode_2026, files=[SimpleUploadedFile(name, content)])
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Keberatan.objects.exists()
    assert not BuktiKeberatan.objects.exists()


# --- who sees what -----------------------------------------------------------------------------------


def test_three_personas_on_the_objection_and_its_evidence(
    asn, other_asn, window, periode_2026, operator_client, ppk_client, outsider_client, bkn_client, tim
):
    objection = _objection(asn, periode_2026, files=[SimpleUploadedFile("sk.pdf", PDF)])
    evidence = objection.bukti.get()
    detail, file_url = f"/saya/keberatan/{objection.pk}/", f"/saya/keberatan/bukti/{evidence.pk}/"
    own = _client(asn).get(file_url)
    assert own.status_code == 200
    assert b"".join(own.streaming_content) == PDF
    assert own["Content-Type"] == "application/pdf"
    assert own["Content-Disposition"] == 'attachment; filename="sk.pdf"'
    for client in (operator_client, ppk_client, _client(tim), bkn_client):
        assert client.get(detail).status_code == 200
        assert client.get(file_url).status_code == 200
    for client, expected in ((_client(other_asn), 404), (outsider_client, 404), (Client(), 302)):
        assert client.get(detail).status_code == expected
        assert client.get(file_url).status_code == expected
    # The other ASN's own list holds nothing of the first one's.
    assert "Anda belum mengajukan keberatan." in _client(other_asn).get("/saya/keberatan/").content.decode()
    # The staff list: the instansi's roles see it, the outsider and the other ASN do not.
    assert f'href="{detail}"' in operator_client.get("/saya/keberatan/masuk/").content.decode()
    assert f'href="{detail}"' not in operator_client.get("/saya/keberatan/masuk/?status=diterima").content.decode()
    assert f'href="{detail}"' not in outsider_client.get("/saya/keberatan/masuk/").content.decode()
    assert _client(other_asn).get("/saya/keberatan/masuk/").status_code == 404


def test_evidence_is_stored_outside_any_url(asn, window, periode_2026, settings):
    objection = _objection(asn, periode_2026, files=[SimpleUploadedFile("sk.pdf", PDF)])
    path = objection.bukti.get().berkas.path
    assert path.startswith(str(settings.MEDIA_ROOT))
    assert Client().get("/" + settings.MEDIA_URL + objection.bukti.get().berkas.name).status_code == 404


# --- review and decision -----------------------------------------------------------------------------


def test_review_then_decision_is_recorded_and_shown_to_the_asn(
    asn, window, periode_2026, operator, operator_client, ppk_client, tim
):
    objection = _objection(asn, periode_2026)
    tim_client = _client(tim)
    detail = f"/saya/keberatan/{objection.pk}/"
    # The team decides only what the operator has reviewed.
    response = tim_client.post(f"{detail}putuskan/", {"hasil": "diterima", "alasan": "Sesuai SK."}, follow=True)
    assert "Keberatan ini belum ditinjau operator." in response.content.decode()
    assert ppk_client.post(f"{detail}tinjau/", {"catatan": "x"}).status_code == 403
    assert tim_client.post(f"{detail}tinjau/", {"catatan": "x"}).status_code == 403
    assert _client(asn).post(f"{detail}tinjau/", {"catatan": "x"}).status_code == 404
    response = operator_client.post(f"{detail}tinjau/", {"catatan": ""}, follow=True)
    assert "Tuliskan catatan tinjauan." in response.content.decode()
    operator_client.post(f"{detail}tinjau/", {"catatan": "SK SKP 2025 menyebut Sangat Baik."})
    objection.refresh_from_db()
    assert (objection.status, objection.ditinjau_oleh) == ("ditinjau", operator)

    assert operator_client.post(f"{detail}putuskan/", {"hasil": "diterima", "alasan": "x"}).status_code == 403
    assert ppk_client.post(f"{detail}putuskan/", {"hasil": "diterima", "alasan": "x"}).status_code == 403
    assert _client(asn).post(f"{detail}putuskan/", {"hasil": "diterima", "alasan": "x"}).status_code == 404
    response = tim_client.post(f"{detail}putuskan/", {"hasil": "diterima", "alasan": ""}, follow=True)
    assert "Pilih diterima atau ditolak dan tuliskan alasan keputusan." in response.content.decode()
    tim_client.post(f"{detail}putuskan/", {"hasil": "diterima", "alasan": "Predikat dikoreksi sesuai SK."})
    objection.refresh_from_db()
    assert (objection.status, objection.diputuskan_oleh, objection.alasan_keputusan) == (
        "diterima",
        tim,
        "Predikat dikoreksi sesuai SK.",
    )
    entry = EntriKeputusan.objects.get(jenis="keputusan_keberatan")
    assert (entry.rantai.kunci, entry.nilai_lama, entry.nilai_baru, entry.justifikasi, entry.oleh) == (
        "6101",
        "ditinjau",
        "diterima",
        "Predikat dikoreksi sesuai SK.",
        tim,
    )
    assert entry.objek == f"keberatan:{objection.pk} skp periode:2026 NIP {asn.pegawai.nip}"
    assert objection.history.count() == 3
    # A decided objection is not decided again.
    response = tim_client.post(f"{detail}putuskan/", {"hasil": "ditolak", "alasan": "x"}, follow=True)
    assert "Keberatan ini sudah diputuskan." in response.content.decode()
    assert EntriKeputusan.objects.filter(jenis="keputusan_keberatan").count() == 1

    page = _client(asn).get(detail).content.decode()
    assert "Diterima</strong> oleh Tim Talenta" in page
    assert "Alasan: Predikat dikoreksi sesuai SK." in page
    # The operator is led to the record forms to correct the data.
    page = operator_client.get(detail).content.decode()
    assert f'href="/asn/pegawai/{asn.pegawai_id}/#data-penilaian"' in page
    # Once decided the component is open for a new objection.
    _objection(asn, periode_2026)


# --- deadlines and figures ---------------------------------------------------------------------------


def test_undecided_after_14_days_is_flagged_on_operator_and_ppk_home(
    asn, window, periode_2026, operator_client, ppk_client, tim
):
    late = _objection(asn, periode_2026)
    fresh = _objection(asn, periode_2026, komponen="asesmen")
    Keberatan.objects.filter(pk=late.pk).update(diajukan=timezone.now() - dt.timedelta(days=15))
    Keberatan.objects.filter(pk=fresh.pk).update(diajukan=timezone.now() - dt.timedelta(days=13))
    for client in (operator_client, ppk_client):
        page = client.get("/").content.decode()
        assert "1 keberatan <strong>terlambat</strong>: belum diputuskan lebih dari 14 hari sejak diajukan." in page
        assert f'href="/saya/keberatan/{late.pk}/"' in page
        assert f'href="/saya/keberatan/{fresh.pk}/"' not in page
    assert 'data-testid="keberatan-terlambat"' not in _client(tim).get("/").content.decode()


def test_figures_per_instansi_in_one_query(
    asn, other_asn, window, periode_2026, operator, tim, bkn, bengkayang, django_assert_num_queries
):
    accepted = _objection(asn, periode_2026)
    rejected = _objection(asn, periode_2026, komponen="asesmen")
    _objection(other_asn, periode_2026)
    now = timezone.now()
    for objection, status, days in ((accepted, "diterima", 2), (rejected, "ditolak", 6)):
        Keberatan.objects.filter(pk=objection.pk).update(
            status=status,
            diajukan=now - dt.timedelta(days=days),
            diputuskan=now,
            diputuskan_oleh=tim,
            alasan_keputusan="Sesuai dokumen.",
        )
    with django_assert_num_queries(1):
        rows = objection_figures(user=bkn)
    assert rows == [
        {
            "instansi__kode": "6101",
            "instansi__nama": asn.instansi.nama,
            "diajukan_n": 3,
            "diputuskan_n": 2,
            "diterima_n": 1,
            "median_hari": pytest.approx(4.0),
            "persen_diterima": 50,
        }
    ]
    page = _client(bkn).get("/penilaian/provinsi/").content.decode()
    assert (
        f'<td>{asn.instansi.nama}</td><td class="text-end">3</td><td class="text-end">2</td>'
        '<td class="text-end">50%</td><td class="text-end">4,0</td>'
    ) in page
    assert objection_figures(user=UserFactory(username="op-bky", role=Role.OPERATOR, instansi=bengkayang)) == []
    # SQLite (`make run`) has no PERCENTILE_CONT: there the median is taken in Python, and it is the same.
    assert _median_days_elsewhere(Keberatan.objects.for_user(bkn)) == {"6101": pytest.approx(4.0)}


def test_the_demo_opens_every_instansi_window_for_the_newest_open_period(operator, outsider, periode_2026):
    Periode.objects.create(tahun=2025, tanggal_acuan=dt.date(2025, 1, 31))
    assert seed_demo_objection_windows() == 2
    today = timezone.localdate()
    assert sorted(JendelaKeberatan.objects.values_list("instansi__kode", "periode__tahun", "dibuka", "ditutup")) == [
        ("6101", 2026, today, today + dt.timedelta(days=30)),
        ("6102", 2026, today, today + dt.timedelta(days=30)),
    ]
