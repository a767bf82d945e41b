"""Demo data of the portal: every instansi's objection window for the newest open period is open
for 30 days from the day the demo is seeded, so the objection loop can be tried at once; and a few
ASN accounts of Kabupaten Sambas with an Operator OPD, so the portal is seen as an ASN sees it."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from asn.models import Instansi, Pegawai, Role, UnitKerja
from assessment.models import Penempatan, Periode
from succession.models import Kandidat, Nominasi

from .models import UsulanPortofolio
from .services import jendela_save, portofolio_submit

WINDOW_DAYS = 30


def seed_demo_objection_windows() -> int:
    periode = Periode.objects.filter(status=Periode.Status.OPEN).order_by("-tahun").first()
    if periode is None:
        return 0
    today = timezone.localdate()
    operators = {user.instansi_id: user for user in get_user_model().objects.filter(username__startswith="operator-")}
    count = 0
    for instansi in Instansi.objects.filter(pk__in=list(operators)):
        jendela_save(
            user=operators[instansi.pk],
            periode=periode,
            instansi=instansi,
            dibuka=today,
            ditutup=today + dt.timedelta(days=WINDOW_DAYS),
        )
        count += 1
    return count


DEMO_INSTANSI = "6101"
# A one-page PDF, enough for the evidence checks (its first bytes) and for a browser to open.
DEMO_EVIDENCE = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass(frozen=True)
class DemoAccounts:
    asn: list  # (username, what the account shows), in the order the README lists them
    opd: str  # the Operator OPD's username and unit, or why there is none


def _demo_asn_pegawai(instansi: Instansi) -> list[tuple[Pegawai, str]]:
    """Three pegawai who show the portal's three cases: an approved successor nominee, a complete
    placement, an incomplete one (what would change the result)."""
    periode = Periode.objects.filter(status=Periode.Status.OPEN).order_by("-tahun").first()
    if periode is None:
        return []
    chosen: list[tuple[Pegawai, str]] = []
    nominee = (
        Nominasi.objects.filter(periode=periode, instansi=instansi, status=Nominasi.Status.DISETUJUI)
        .select_related("pegawai")
        .order_by("jabatan__nama", "pk")
        .first()
    )
    if nominee is not None:
        chosen.append((nominee.pegawai, "nominasi suksesor disetujui dan rencana pengembangan"))
    else:
        # A small demo nominates no one; a successor candidate shows the same part of the profile.
        candidate = (
            Kandidat.objects.filter(target__periode=periode, target__instansi=instansi)
            .select_related("pegawai")
            .order_by("target__jabatan__nama", "peringkat")
            .first()
        )
        if candidate is not None:
            chosen.append((candidate.pegawai, "kandidat suksesor"))
    placements = Penempatan.objects.filter(periode=periode, instansi=instansi).exclude(
        pegawai__in=[pegawai for pegawai, _ in chosen]
    )
    for lengkap, shows in ((True, "kotak talenta lengkap"), (False, "data belum lengkap, yang dapat mengubah hasil")):
        placement = placements.filter(lengkap=lengkap).select_related("pegawai").order_by("pegawai__nip").first()
        if placement is not None:
            chosen.append((placement.pegawai, shows))
    return chosen


def _demo_account(username: str, password: str, **fields):
    """A demo account with the demo password and no forced change: it is tried, not handed over."""
    user, created = get_user_model().objects.get_or_create(username=username, defaults=fields)
    if created:
        user.set_password(password)
        user.save()
    return user


def seed_demo_asn_accounts(*, password: str, instansi_kode: str = DEMO_INSTANSI) -> DemoAccounts:
    instansi = Instansi.objects.get(kode=instansi_kode)
    User = get_user_model()
    existing = list(User.objects.filter(role=Role.PEGAWAI, instansi=instansi).order_by("pk"))
    # Once made, the demo ASN stay the same people, though a later run may rank others first.
    chosen = [(user.pegawai, "sudah ada") for user in existing] if existing else _demo_asn_pegawai(instansi)
    if not chosen:
        return DemoAccounts(asn=[], opd=f"dilewati, belum ada penempatan di {instansi.nama}")
    accounts = []
    for pegawai, shows in chosen:
        first, _, last = pegawai.nama.partition(" ")
        user = _demo_account(
            pegawai.nip,
            password,
            role=Role.PEGAWAI,
            instansi=instansi,
            pegawai=pegawai,
            nip=pegawai.nip,
            first_name=first[:150],
            last_name=last[:150],
        )
        accounts.append((user.username, shows))
    _demo_portfolio(User.objects.get(username=accounts[-1][0]))
    # The Operator OPD's unit is that of the ASN whose proposal waits: it can verify it too.
    unit = UnitKerja.objects.get(pk=chosen[-1][0].jabatan.unit_kerja_id)
    opd = _demo_account(
        f"opd-{instansi_kode}",
        password,
        role=Role.OPERATOR_OPD,
        instansi=instansi,
        first_name="Operator",
        last_name=unit.nama[:150],
    )
    if not opd.unit_kerja.exists():
        opd.unit_kerja.set([unit])
    return DemoAccounts(asn=accounts, opd=f"{opd.username} ({unit.nama})")


def _demo_portfolio(asn) -> None:
    """One diklat proposal waiting for the operator, so the verification can be tried at once."""
    if UsulanPortofolio.objects.filter(pegawai_id=asn.pegawai_id).exists():
        return
    portofolio_submit(
        user=asn,
        jenis=UsulanPortofolio.Jenis.DIKLAT,
        judul="Pelatihan Analisis Kebijakan Publik",
        penyelenggara="BPSDM Provinsi Kalimantan Barat",
        tanggal=timezone.localdate() - dt.timedelta(days=60),
        jp=40,
        files=[ContentFile(DEMO_EVIDENCE, name="sertifikat-diklat.pdf")],
    )
