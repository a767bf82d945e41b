"""The draft SK PPK "Keputusan PPK tentang Kelompok Rencana Suksesi": approved successors per target."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from asn.nip import formatted
from decisions.selectors import chain_head
from succession.models import Nominasi
from tests.conftest import client_for
from tests.succession.test_views import world  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def _url(kode="6101"):
    return reverse("succession:sk-ppk", args=[2026, kode])


def _text(response) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


@pytest.fixture
def decided(operator_client, ppk_client, world):  # noqa: F811
    """Ready and later nominated and approved, the PPK's own readiness for `later`; also_ready rejected."""
    target = world["target"]
    operator_client.post(
        reverse("succession:nominate", args=[2026, target.pk]),
        {"pegawai": [world["ready"].pk, world["later"].pk, world["also_ready"].pk]},
    )
    nominations = {n.pegawai: n for n in Nominasi.objects.all()}
    ppk_client.post(
        reverse("succession:nomination-readiness", args=[nominations[world["later"]].pk]),
        {"kesiapan": "Siap 1-2 tahun", "justifikasi": "Sudah memimpin proyek lintas bidang."},
    )
    for pegawai in (world["ready"], world["later"]):
        ppk_client.post(
            reverse("succession:nomination-decide", args=[nominations[pegawai].pk]), {"keputusan": "setujui"}
        )
    ppk_client.post(
        reverse("succession:nomination-decide", args=[nominations[world["also_ready"]].pk]),
        {"keputusan": "tolak", "catatan": "Belum bersedia dimutasi."},
    )
    assert [n.status for n in Nominasi.objects.order_by("urutan")] == ["disetujui", "disetujui", "ditolak"]
    return world


def test_ppk_downloads_the_draft_decree_with_the_approved_successors_and_the_chain_head(ppk_client, decided, sambas):
    page = ppk_client.get(reverse("succession:targets"))
    assert _url().encode() in page.content
    response = ppk_client.get(_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="rancangan-sk-ppk-suksesi-6101-2026.pdf"'
    text = _text(response)
    assert "KELOMPOK RENCANA SUKSESI PERIODE 2026" in text
    assert "Lampiran: jabatan target dan suksesornya (1 jabatan)" in text
    assert "Kepala Bidang Mutasi" in text
    ready, later, rejected = decided["ready"], decided["later"], decided["also_ready"]
    lines = text.splitlines()
    # The annex table, cell by cell: the target once, then each approved successor in the operator's
    # order with NIP and readiness (the PPK's own for `later`); the rejected nominee is not listed.
    table = lines[lines.index("Kesiapan") + 1 : lines.index("Ditetapkan di ....................")]
    assert table == [
        "1",
        "Kepala Bidang Mutasi",
        decided["target"].unit_kerja.nama,
        ready.nama_lengkap,
        "Kepala Seksi",
        formatted(ready.nip),
        "Siap sekarang",
        later.nama_lengkap,
        "Kepala Seksi",
        formatted(later.nip),
        "Siap 1-2 tahun",
    ]
    assert rejected.nama_lengkap not in text and formatted(rejected.nip) not in text
    head = chain_head(instansi=sambas)
    # Four decisions so far: two approvals, a rejection and the readiness override.
    assert head["panjang"] == 4
    assert "Log keputusan 6101: 4 entri." in text
    assert f"Hash kepala: {head['hash_kepala']}" in lines


def test_without_approved_successors_the_decree_says_so(operator_client, world):  # noqa: F811
    text = _text(operator_client.get(_url()))
    assert "Belum ada nominasi suksesor yang disetujui pada periode ini." in text
    assert "Log keputusan 6101: 0 entri." in text


def test_the_tim_talenta_is_refused_and_an_outsider_gets_404(tim, outsider_client, decided):
    tim_client = client_for(tim)
    assert tim_client.get(_url()).status_code == 403
    assert _url().encode() not in tim_client.get(reverse("succession:targets")).content
    assert outsider_client.get(_url()).status_code == 404


def test_the_province_admin_drafts_it_for_any_instansi_but_a_bkn_monitor_does_not(
    admin_client_province, bkn_client, decided, reference_data
):
    assert "Kepala Bidang Mutasi" in _text(admin_client_province.get(_url()))
    assert bkn_client.get(_url()).status_code == 403
