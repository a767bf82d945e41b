"""Writes of the objection (keberatan) loop and of the portfolio proposals. Each step checks its
rule in asn.permissions, validates everything before it writes, and writes all or nothing."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from assessment.models import Periode
from decisions.models import EntriKeputusan
from decisions.services import decision_record

from .models import (
    ONE_OPEN_PER_COMPONENT,
    BuktiKeberatan,
    BuktiPortofolio,
    JendelaKeberatan,
    Keberatan,
    UsulanPortofolio,
)

# Evidence: a scan or a photo of a document, small enough to travel over a kabupaten's link.
EVIDENCE_MAX_BYTES = 2 * 1024 * 1024
EVIDENCE_MAX_FILES = 5
# The first bytes of each accepted kind, and the file name endings that go with it.
EVIDENCE_KINDS = {
    BuktiKeberatan.Jenis.PDF: (b"%PDF-", (".pdf",)),
    BuktiKeberatan.Jenis.JPG: (b"\xff\xd8\xff", (".jpg", ".jpeg")),
}
OUTSIDE_WINDOW = "Keberatan hanya dapat diajukan dalam jendela keberatan yang dibuka instansi Anda untuk periode ini."


def jendela_save(*, user, periode: Periode, instansi, dibuka: dt.date, ditutup: dt.date) -> JendelaKeberatan:
    """Open (or move) an instansi's objection window for a period."""
    if not user.may_manage_objection_window(instansi.pk):
        raise PermissionDenied("Hanya operator instansi ini yang mengatur jendela keberatan.")
    window = JendelaKeberatan.objects.filter(periode=periode, instansi=instansi).first() or JendelaKeberatan(
        periode=periode, instansi=instansi
    )
    window.dibuka, window.ditutup, window.diubah_oleh = dibuka, ditutup, user
    window.full_clean()
    window._history_user = user
    window.save()
    return window


def _evidence_kind(uploaded) -> str:
    """The kind of an uploaded evidence file, judged by its first bytes and its name; or a message."""
    name = uploaded.name or ""
    if uploaded.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            f"Berkas {name} berukuran {filesizeformat(uploaded.size)}; ukuran bukti paling besar "
            f"{filesizeformat(EVIDENCE_MAX_BYTES)}."
        )
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    for kind, (magic, endings) in EVIDENCE_KINDS.items():
        if head.startswith(magic) and name.lower().endswith(endings):
            return kind
    raise ValidationError(f"Berkas {name} bukan PDF atau JPG; bukti harus berupa berkas PDF atau JPG.")


def keberatan_submit(*, user, periode: Periode, komponen: str, kategori: str, uraian: str, files=()) -> Keberatan:
    """An ASN files an objection about their own result: the pegawai is always the account's own,
    whatever a form says, and only inside the open window of their instansi."""
    if not user.can_file_objection:
        raise PermissionDenied("Hanya akun ASN yang dapat mengajukan keberatan.")
    pegawai = user.pegawai
    today = timezone.localdate()
    window = JendelaKeberatan.objects.filter(periode=periode, instansi_id=pegawai.instansi_id).first()
    if window is None or not window.is_open_on(today):
        raise ValidationError(OUTSIDE_WINDOW)
    if len(files) > EVIDENCE_MAX_FILES:
        raise ValidationError(f"Paling banyak {EVIDENCE_MAX_FILES} berkas bukti untuk satu keberatan.")
    kinds = [_evidence_kind(uploaded) for uploaded in files]
    objection = Keberatan(
        pegawai=pegawai,
        periode=periode,
        instansi_id=pegawai.instansi_id,
        komponen=komponen,
        kategori=kategori,
        uraian=uraian.strip(),
        diajukan_oleh=user,
    )
    objection.full_clean()
    objection._history_user = user
    try:
        with transaction.atomic():
            objection.save()
            for uploaded, kind in zip(files, kinds, strict=True):
                evidence = BuktiKeberatan(
                    keberatan=objection, nama_asli=uploaded.name[:255], jenis=kind, ukuran=uploaded.size
                )
                evidence.berkas.save(f"{kind}-{objection.pk}.{kind}", uploaded, save=False)
                evidence._history_user = user
                evidence.save()
    except IntegrityError:
        # Two tabs filing the same component at once: the constraint decides, the message explains.
        raise ValidationError(ONE_OPEN_PER_COMPONENT) from None
    return objection


def keberatan_review(*, user, keberatan: Keberatan, catatan: str) -> Keberatan:
    """The operator records what the data show; the objection then waits for the Tim Talenta."""
    if not user.may_review_objection(keberatan.instansi_id):
        raise PermissionDenied("Hanya operator instansi ini yang meninjau keberatan.")
    if keberatan.status != Keberatan.Status.DIAJUKAN:
        raise ValidationError("Keberatan ini sudah ditinjau.")
    if not catatan.strip():
        raise ValidationError({"catatan_tinjauan": "Tuliskan catatan tinjauan."})
    keberatan.status = Keberatan.Status.DITINJAU
    keberatan.catatan_tinjauan = catatan.strip()
    keberatan.ditinjau, keberatan.ditinjau_oleh = timezone.now(), user
    keberatan.full_clean()
    keberatan._history_user = user
    keberatan.save()
    return keberatan


def keberatan_decide(*, user, keberatan: Keberatan, hasil: str, alasan: str) -> Keberatan:
    """The Tim Talenta accepts or rejects a reviewed objection with a written reason; the decision
    joins the instansi's decision chain."""
    if not user.may_decide_objection(keberatan.instansi_id):
        raise PermissionDenied("Hanya Tim Talenta instansi ini yang memutuskan keberatan.")
    if keberatan.status != Keberatan.Status.DITINJAU:
        raise ValidationError(
            "Keberatan ini sudah diputuskan."
            if keberatan.status in Keberatan.DECIDED_STATUSES
            else "Keberatan ini belum ditinjau operator."
        )
    if hasil not in Keberatan.DECIDED_STATUSES:
        raise ValidationError({"hasil": "Pilih diterima atau ditolak."})
    if not alasan.strip():
        raise ValidationError({"alasan_keputusan": "Tuliskan alasan keputusan."})
    previous = keberatan.status
    keberatan.status = hasil
    keberatan.alasan_keputusan = alasan.strip()
    keberatan.diputuskan, keberatan.diputuskan_oleh = timezone.now(), user
    keberatan.full_clean()
    keberatan._history_user = user
    with transaction.atomic():
        keberatan.save()
        decision_record(
            instansi=keberatan.instansi,
            jenis=EntriKeputusan.Jenis.KEPUTUSAN_KEBERATAN,
            objek=f"keberatan:{keberatan.pk} {keberatan.komponen} periode:{keberatan.periode.tahun} "
            f"NIP {keberatan.pegawai.nip}",
            nilai_lama=previous,
            nilai_baru=hasil,
            oleh=user,
            justifikasi=keberatan.alasan_keputusan,
        )
    return keberatan


# --- portfolio proposals ----------------------------------------------------------------------------

NO_EVIDENCE = "Lampirkan paling sedikit satu berkas bukti (PDF atau JPG)."


def portofolio_submit(
    *, user, jenis: str, judul: str, penyelenggara: str, tanggal: dt.date, jp: int | None, files=()
) -> UsulanPortofolio:
    """An ASN proposes an addition to their own portfolio with evidence: the pegawai is always the
    account's own; the proposal waits for the operator's verification before it counts."""
    if not user.can_propose_portfolio:
        raise PermissionDenied("Hanya akun ASN yang dapat mengusulkan portofolio.")
    if not files:
        raise ValidationError(NO_EVIDENCE)
    if len(files) > EVIDENCE_MAX_FILES:
        raise ValidationError(f"Paling banyak {EVIDENCE_MAX_FILES} berkas bukti untuk satu usulan.")
    kinds = [_evidence_kind(uploaded) for uploaded in files]
    pegawai = user.pegawai
    proposal = UsulanPortofolio(
        pegawai=pegawai,
        instansi_id=pegawai.instansi_id,
        jenis=jenis,
        judul=judul.strip(),
        penyelenggara=penyelenggara.strip(),
        tanggal=tanggal,
        # JP measure a diklat only; an award or a diploma has none.
        jp=jp if jenis == UsulanPortofolio.Jenis.DIKLAT else None,
        diajukan_oleh=user,
    )
    proposal.full_clean()
    proposal._history_user = user
    with transaction.atomic():
        proposal.save()
        for uploaded, kind in zip(files, kinds, strict=True):
            evidence = BuktiPortofolio(usulan=proposal, nama_asli=uploaded.name[:255], jenis=kind, ukuran=uploaded.size)
            evidence.berkas.save(f"{kind}-{proposal.pk}.{kind}", uploaded, save=False)
            evidence._history_user = user
            evidence.save()
    return proposal


def portofolio_verify(*, user, usulan: UsulanPortofolio, hasil: str, catatan: str) -> UsulanPortofolio:
    """The operator checks a proposal against its evidence: verified, it counts on the profiles;
    refused, it says why to the ASN."""
    if not user.may_verify_portfolio(usulan):
        raise PermissionDenied("Hanya operator yang mengelola data pegawai ini yang memverifikasi usulannya.")
    if usulan.status != UsulanPortofolio.Status.DIAJUKAN:
        raise ValidationError("Usulan portofolio ini sudah diverifikasi.")
    if hasil not in (UsulanPortofolio.Status.DIVERIFIKASI, UsulanPortofolio.Status.DITOLAK):
        raise ValidationError({"hasil": "Pilih diverifikasi atau ditolak."})
    if hasil == UsulanPortofolio.Status.DITOLAK and not catatan.strip():
        raise ValidationError({"catatan": "Tuliskan alasan penolakan usulan."})
    usulan.status = hasil
    usulan.catatan = catatan.strip()
    usulan.diverifikasi, usulan.diverifikasi_oleh = timezone.now(), user
    usulan.full_clean()
    usulan._history_user = user
    usulan.save()
    return usulan
