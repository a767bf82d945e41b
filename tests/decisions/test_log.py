"""The tamper-evident decision log: decisions append to their instansi's hash chain, verification
recomputes it and names the first broken link, and PostgreSQL refuses changes to logged entries."""

import base64
import io
import re
import zlib

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from assessment.models import Periode, Skema
from assessment.services import (
    kalibrasi_agree,
    kalibrasi_propose,
    periode_set_status,
    rapat_discard,
    rapat_finalise,
    skema_choose,
)
from decisions.hashing import GENESIS
from decisions.models import EntriKeputusan, RantaiKeputusan
from decisions.services import decision_record
from decisions.tasks import verify_chains_task
from succession.rules import SIAP_1_2, SIAP_3
from succession.services import nomination_decide, readiness_override
from tests.assessment.test_talent_review import placed, rapat  # noqa: F401 (fixtures)
from tests.conftest import client_for, require_service
from tests.factories import JabatanFactory, NominasiFactory, PegawaiFactory, PeriodeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(ppk, tim, placed, rapat, periode_2026, sambas, province_admin):  # noqa: F811
    """A morning of decisions in Sambas and one province-wide: the log these tests check."""
    kalibrasi_propose(
        user=tim, rapat=rapat, penempatan_id=placed.pk, kotak_baru=8, jenis_alasan="konteks_penugasan",
        alasan="Perlu rotasi lintas bidang dulu.",
    )  # fmt: skip
    kalibrasi_propose(
        user=tim, rapat=rapat, penempatan_id=placed.pk, kotak_baru=7, jenis_alasan="bukti_kinerja",
        alasan="Memimpin dua proyek prioritas tahun ini.",
    )  # fmt: skip
    rapat_finalise(user=ppk, rapat=rapat)
    skema_choose(user=province_admin, periode=periode_2026, instansi=sambas, skema=Skema.objects.get(bawaan=True))
    PeriodeFactory(tahun=2025)
    periode_set_status(user=province_admin, periode=Periode.objects.get(tahun=2025), status=Periode.Status.CLOSED)
    return placed


def entries(kunci):
    return list(
        EntriKeputusan.objects.filter(rantai__kunci=kunci)
        .order_by("urutan")
        .values_list("urutan", "jenis", "nilai_lama", "nilai_baru", "oleh_nama", "justifikasi")
    )


def test_each_decision_appends_to_its_instansis_chain(decided, ppk, tim, province_admin):  # noqa: F811
    assert entries("6101") == [
        (1, "kalibrasi", 9, 8, tim.username, "Konteks penugasan: Perlu rotasi lintas bidang dulu."),
        (2, "kalibrasi", 8, 7, tim.username, "Bukti kinerja terbaru: Memimpin dua proyek prioritas tahun ini."),
        (3, "finalisasi_rapat", "draft", {"status": "final", "kalibrasi": 2}, ppk.username, ""),
        (4, "pilihan_skema", "bawaan", Skema.objects.get(bawaan=True).nama, province_admin.username, ""),
    ]
    assert entries("provinsi") == [(1, "status_periode", "open", "closed", province_admin.username, "")]
    chain = RantaiKeputusan.objects.get(kunci="6101")
    links = list(EntriKeputusan.objects.filter(rantai=chain).order_by("urutan").values_list("hash_sebelumnya", "hash"))
    assert links[0][0] == GENESIS
    assert [previous for previous, _ in links[1:]] == [own for _, own in links[:-1]]
    assert (chain.panjang, chain.hash_kepala) == (4, links[-1][1])


def test_a_second_agreement_and_a_discarded_draft_are_logged(ppk, tim, placed, rapat):  # noqa: F811
    move = kalibrasi_propose(
        user=tim, rapat=rapat, penempatan_id=placed.pk, kotak_baru=4, jenis_alasan="koreksi_data",
        alasan="Skor potensi tertukar dengan pegawai lain.",
    )  # fmt: skip
    kalibrasi_agree(user=ppk, kalibrasi=move)
    rapat_discard(user=ppk, rapat=rapat)
    assert entries("6101") == [
        (1, "kalibrasi", 9, 4, tim.username, "Koreksi data: Skor potensi tertukar dengan pegawai lain."),
        (2, "persetujuan_kalibrasi", 9, 4, ppk.username, ""),
        (3, "buang_draf", {"kalibrasi": 1, "pegawai": 1}, {"kalibrasi": 0, "pegawai": 0}, ppk.username, ""),
    ]
    assert list(EntriKeputusan.objects.filter(jenis="persetujuan_kalibrasi").values_list("objek", flat=True)) == [
        f"kalibrasi:{move.pk} NIP {placed.pegawai.nip} rapat:{rapat.pk}"
    ]


def test_verify_passes_on_an_untouched_log(decided):
    out = io.StringIO()
    call_command("verify_decision_log", stdout=out)
    assert out.getvalue().splitlines() == [
        "Rantai 6101: utuh, 4 entri.",
        "Rantai provinsi: utuh, 1 entri.",
        "2 rantai diperiksa, semuanya utuh.",
    ]


def _raw(sql, params=()):
    """Change the log behind the application's back, as a database administrator could."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The test's own inserts leave deferred foreign-key checks pending, which ALTER TABLE refuses.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE decisions_entrikeputusan DISABLE TRIGGER entri_keputusan_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE decisions_entrikeputusan ENABLE TRIGGER entri_keputusan_append_only")


def _entry_id(kunci, urutan):
    return EntriKeputusan.objects.get(rantai__kunci=kunci, urutan=urutan).pk


def _verify_fails_with(message, kunci="6101"):
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"^1 dari 1 rantai rusak\.$"):
        call_command("verify_decision_log", instansi=kunci, stdout=out)
    assert out.getvalue().splitlines() == [message]


def test_a_raw_edit_is_found_at_its_entry(decided):
    _raw("UPDATE decisions_entrikeputusan SET justifikasi = %s WHERE id = %s", ["Ok.", _entry_id("6101", 2)])
    _verify_fails_with("Rantai 6101: entri ke-2 diubah setelah dicatat.")


def test_a_raw_delete_is_found_at_its_position(decided):
    _raw("DELETE FROM decisions_entrikeputusan WHERE id = %s", [_entry_id("6101", 2)])
    _verify_fails_with("Rantai 6101: entri ke-2 hilang (dihapus atau urutan diubah).")


def test_a_deleted_tail_is_found_by_the_stored_head(decided):
    _raw("DELETE FROM decisions_entrikeputusan WHERE id = %s", [_entry_id("6101", 4)])
    _verify_fails_with("Rantai 6101: entri ke-4 (terakhir) dihapus.")


def test_a_raw_insert_is_found_at_its_position(decided):
    # Entries 3 and 4 move one place on; a forged entry takes place 3.
    chain_id = RantaiKeputusan.objects.get(kunci="6101").pk
    for urutan in (4, 3):
        _raw("UPDATE decisions_entrikeputusan SET urutan = urutan + 1 WHERE id = %s", [_entry_id("6101", urutan)])
    forged = EntriKeputusan.objects.get(rantai_id=chain_id, urutan=5)
    _raw(
        "INSERT INTO decisions_entrikeputusan (rantai_id, urutan, jenis, objek, nilai_lama, nilai_baru, oleh_id,"
        " oleh_nama, waktu, justifikasi, hash_sebelumnya, hash) VALUES (%s, 3, 'kalibrasi', 'penempatan:1',"
        " '7', '9', %s, 'penyusup', %s, 'Sisipan.', %s, %s)",
        [chain_id, forged.oleh_id, forged.waktu, "f" * 64, "e" * 64],
    )
    _verify_fails_with("Rantai 6101: entri ke-3 tidak menunjuk entri sebelumnya (rantai diputus).")


def test_postgresql_refuses_update_and_delete_of_a_logged_entry(decided):
    require_service("PostgreSQL", connection.vendor == "postgresql")
    entry_id = _entry_id("6101", 1)
    for sql in ("UPDATE decisions_entrikeputusan SET justifikasi = 'x' WHERE id = %s",
                "DELETE FROM decisions_entrikeputusan WHERE id = %s"):  # fmt: skip
        with pytest.raises(DatabaseError, match="Log keputusan hanya dapat ditambah"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [entry_id])
    _verify_ok = io.StringIO()
    call_command("verify_decision_log", instansi="6101", stdout=_verify_ok)
    assert _verify_ok.getvalue().splitlines()[-1] == "1 rantai diperiksa, semuanya utuh."


def test_the_periodic_check_turns_the_dashboard_warning_red(decided, bkn_client, periode_2026):
    dashboard = reverse("assessment:provinsi")
    assert 'data-testid="rantai-rusak"' not in bkn_client.get(dashboard).content.decode()
    _raw("UPDATE decisions_entrikeputusan SET nilai_baru = '9' WHERE id = %s", [_entry_id("6101", 1)])
    assert verify_chains_task.delay().get() == 1  # the beat's task: one broken chain
    page = bkn_client.get(dashboard).content.decode()
    assert 'data-testid="rantai-rusak"' in page
    assert "Rantai 6101: entri ke-1 diubah setelah dicatat." in page


def test_the_log_page_is_for_bkn_and_province_admins(decided, bkn, operator_client, ppk_client, outsider_client):
    url = reverse("decisions:chains")
    for client in (operator_client, ppk_client, outsider_client):
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    assert Client().get(url).status_code == 302
    monitor = client_for(bkn)
    page = monitor.get(url).content.decode()
    head = RantaiKeputusan.objects.get(kunci="6101").hash_kepala
    assert head in page
    _raw("DELETE FROM decisions_entrikeputusan WHERE id = %s", [_entry_id("6101", 2)])
    answer = monitor.post(url, follow=True)
    assert (
        "1 dari 2 rantai rusak: Rantai 6101: entri ke-2 hilang (dihapus atau urutan diubah)." in answer.content.decode()
    )


def pdf_text(pdf: bytes) -> bytes:
    """The page streams of a reportlab PDF, decoded (ASCII85, then Flate) so their text can be read."""
    decoded = []
    for stream in re.findall(rb"stream\r?\n(.*?)endstream", pdf, flags=re.S):
        if stream.rstrip().endswith(b"~>"):
            decoded.append(zlib.decompress(base64.a85decode(stream.rstrip()[:-2])))
    return b"".join(decoded)


def test_the_chain_head_is_on_the_period_page_and_the_berita_acara(decided, rapat, operator_client, ppk):  # noqa: F811
    head = RantaiKeputusan.objects.get(kunci="6101").hash_kepala
    page = operator_client.get(reverse("assessment:periode-detail", args=[2026])).content.decode()
    assert f"Log keputusan 6101: 4 entri · hash kepala <code>{head}</code>" in page
    pdf = client_for(ppk).get(reverse("assessment:rapat-berita-acara", args=[rapat.pk, "pdf"])).content
    text = pdf_text(pdf)
    assert b"Log keputusan 6101: 4 entri." in text
    assert f"Hash kepala: {head}".encode() in text


def test_another_instansis_user_sees_their_own_chain_only(decided, outsider_client):
    page = outsider_client.get(reverse("assessment:periode-detail", args=[2026])).content.decode()
    assert f"Log keputusan 6102: 0 entri · hash kepala <code>{GENESIS}</code>" in page


def test_only_known_decision_types_are_logged(ppk):
    with pytest.raises(ValueError, match="unknown decision type 'hapus'"):
        decision_record(instansi=ppk.instansi, jenis="hapus", objek="x", nilai_lama=None, nilai_baru=None, oleh=ppk)
    assert not EntriKeputusan.objects.exists()


def test_succession_decisions_are_logged_with_their_reasons(ppk, sambas, periode_2026):
    target = JabatanFactory(unit_kerja__instansi=sambas, kritikal=True)
    nominee = PegawaiFactory(jabatan__unit_kerja__instansi=sambas)
    nomination = NominasiFactory(
        periode=periode_2026, jabatan=target, pegawai=nominee, kesiapan_bawaan=SIAP_3, diusulkan_oleh=ppk
    )
    nomination_decide(user=ppk, nomination=nomination, approve=False, catatan="Belum memenuhi kompetensi.")
    readiness_override(user=ppk, nomination=nomination, kesiapan=SIAP_1_2, justifikasi="Penugasan baru.")
    assert [(jenis, lama, baru, alasan) for _, jenis, lama, baru, _, alasan in entries("6101")] == [
        ("keputusan_nominasi", "diusulkan", "ditolak", "Belum memenuhi kompetensi."),
        ("kesiapan", SIAP_3, SIAP_1_2, "Penugasan baru."),
    ]
