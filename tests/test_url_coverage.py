"""Every URL pattern, requested as every persona, against one small world of instansi A (6101).

The resolver is walked recursively (api and every include); each named pattern must have an
entry in URL_ENTRIES, which says how to fill its kwargs with real ids of instansi A and what
each persona gets for each method the view takes. A pattern without an entry fails the test,
so a new page brings its entry. The one rule of exclusion: the Django admin's own patterns
(namespace `admin:`) are Django's, tested by Django, and left out.

Personas: the operator, PPK and Tim Talenta of 6101; an outsider (operator of 6102); a BKN
monitor; a province-wide admin (role admin, not superuser); anonymous. Every request runs in a
transaction that is rolled back, so POSTs never change what later requests see.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.tokens import default_token_generator
from django.contrib.auth.views import redirect_to_login
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from api.services import token_create
from asn.models import ImportStatus, Instansi, Jenjang, PemetaanSiasn, Role
from asn.reference import KOMPETENSI_FIELDS, load_reference_data
from asn.services import import_job_start, import_job_validate, pegawai_save
from assessment.defaults import load_default_scheme
from assessment.models import (
    Asesmen,
    ExportJob,
    HukumanDisiplin,
    Penempatan,
    RapatTalentReview,
    Skema,
    SkpResult,
    TahapanInstansi,
)
from assessment.selectors import dashboard_invalidate
from assessment.services import (
    SCHEME_NUMBER_FIELDS,
    anggota_add,
    kalibrasi_propose,
    periode_create,
    periode_set_status,
    rapat_create,
    rapat_finalise,
    record_save,
    simulasi_run,
    simulasi_start,
    skema_copy,
    tahapan_set,
)
from portal.services import jendela_save, keberatan_submit, portofolio_submit
from succession.models import ItemRencana, Nominasi, PengangkatanDiluarRencana
from succession.services import nomination_create, plan_item_save
from talenta import pipeline
from talenta.exports import export_job_run, export_job_start
from talenta.tabular import write_csv
from tests.asn.test_import_pegawai import HEADERS
from tests.asn.test_import_pegawai import row as pegawai_row
from tests.factories import JabatanFactory, PegawaiFactory, UserFactory

pytestmark = pytest.mark.django_db

PERSONAS = ("operator", "ppk", "tim", "outsider", "bkn", "admin", "anonymous", "asn", "opd")
# Expected outcome "302 to the login page, with ?next= the requested path".
LOGIN = "login"
METHODS = ("get", "post", "put", "patch", "delete")


# --- the world ---------------------------------------------------------------------------------------


@dataclass
class World:
    """Ids of instansi A's objects, one of each kind a URL names, and a logged-in client per persona."""

    users: dict
    clients: dict
    ids: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.ids[name]
        except KeyError:
            raise AttributeError(name) from None


def _talent(jabatan, nip, *, user, levels=(3,) * 9, golongan="III/d"):
    """A complete pegawai high in the map: two SKP years and an assessment, entered as the pages do."""
    pegawai = PegawaiFactory(nip=nip, jabatan=jabatan, golongan_id=golongan, pendidikan_id="S2")
    for tahun in (2024, 2025):
        record_save(user=user, record=SkpResult(pegawai=pegawai), data={"tahun": tahun, "predikat": "Sangat Baik"})
    record_save(
        user=user,
        record=Asesmen(pegawai=pegawai),
        data={"tanggal_asesmen": dt.date(2024, 6, 1), "skor_potensi": Decimal(90)}
        | dict(zip(KOMPETENSI_FIELDS, levels, strict=True)),
    )
    return pegawai


def _build_world() -> World:
    if not Instansi.objects.exists():
        load_reference_data(django_apps)
    if not Skema.objects.filter(bawaan=True).exists():
        load_default_scheme(django_apps)
    sambas, bengkayang = Instansi.objects.get(kode="6101"), Instansi.objects.get(kode="6102")
    users = {
        "operator": UserFactory(username="url-operator", role=Role.OPERATOR, instansi=sambas),
        "ppk": UserFactory(username="url-ppk", role=Role.PPK, instansi=sambas),
        "tim": UserFactory(username="url-tim", role=Role.TIM_TALENTA, instansi=sambas),
        "outsider": UserFactory(username="url-outsider", role=Role.OPERATOR, instansi=bengkayang),
        "bkn": UserFactory(username="url-bkn", role=Role.BKN, instansi=None),
        "admin": UserFactory(username="url-admin", role=Role.ADMIN, instansi=None),
    }
    operator, ppk, tim, admin = users["operator"], users["ppk"], users["tim"], users["admin"]
    spare = UserFactory(username="url-tim-cadangan", role=Role.TIM_TALENTA, instansi=sambas)

    closed = periode_create(tahun=2025, tanggal_acuan=dt.date(2025, 1, 31))
    periode = periode_create(tahun=2026, tanggal_acuan=dt.date(2026, 1, 31))
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
    ready = _talent(feeding, "198001012005011001", user=operator)
    later = _talent(feeding, "198201012007011001", user=operator, levels=(2,) * 9)
    appointed = _talent(feeding, "198101012006012001", user=operator)
    incomplete = PegawaiFactory(nip="199001012015011001", jabatan=feeding)
    disiplin = record_save(
        user=operator,
        record=HukumanDisiplin(pegawai=incomplete),
        data={"tingkat": "Ringan", "tanggal_sk": dt.date(2024, 2, 1)},
    )
    PegawaiFactory(nip="198501012010011001", jabatan__unit_kerja__instansi=bengkayang)

    pipeline.refresh_now(periode_id=closed.pk)
    periode_set_status(user=admin, periode=closed, status=closed.Status.CLOSED)
    pipeline.refresh_now(periode_id=periode.pk)
    (nomination,) = nomination_create(user=operator, periode=periode, jabatan=target, pegawai_ids=[ready.pk])
    item = plan_item_save(
        user=operator,
        item=ItemRencana(nominasi=nomination),
        data={"judul": "Rotasi ke bidang mutasi", "jenis": "rotasi", "tanggal_target": dt.date(2026, 12, 31)},
    )
    # Appointed after the reference date without being the nominee: an appointment out of plan.
    pegawai_save(user=operator, pegawai=appointed, data={"jabatan": target, "tmt_jabatan": dt.date(2026, 6, 1)})
    pipeline.refresh_now(periode_id=periode.pk)
    out_of_plan = PengangkatanDiluarRencana.objects.get(pegawai=appointed)

    meeting = rapat_create(
        user=ppk, periode=periode, instansi=sambas,
        data={"tanggal": dt.date(2026, 3, 12), "tempat": "Aula BKPSDM", "ketua": "Sekretaris Daerah"},
    )  # fmt: skip
    member = anggota_add(user=ppk, rapat=meeting, data={"user": tim, "nama": "Tim Talenta", "peran": "sekretaris"})
    placement = Penempatan.objects.get(periode=periode, pegawai=later)
    calibration = kalibrasi_propose(
        user=tim, rapat=meeting, penempatan_id=placement.pk, kotak_baru=8, jenis_alasan="konteks_penugasan",
        alasan="Memimpin proyek lintas OPD.",
    )  # fmt: skip
    final_meeting = rapat_create(
        user=ppk, periode=periode, instansi=sambas,
        data={"tanggal": dt.date(2026, 2, 20), "tempat": "Ruang Rapat Bupati", "ketua": "Bupati Sambas"},
    )  # fmt: skip
    rapat_finalise(user=ppk, rapat=final_meeting)

    job = import_job_start(
        user=operator,
        kind="pegawai",
        uploaded_file=SimpleUploadedFile("pegawai.csv", write_csv(HEADERS, [pegawai_row()]), content_type="text/csv"),
    )
    import_job_validate(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.VALID, job.errors
    export_job = export_job_start(
        user=operator, kind=ExportJob.Kind.PETA_TALENTA, periode=periode, instansi=sambas, fmt="xlsx", total=5
    )
    export_job_run(job_id=export_job.pk)
    default_scheme = Skema.objects.get(bawaan=True)
    scheme = skema_copy(
        user=admin,
        source=default_scheme,
        instansi=sambas,
        nama="Skema Sambas 2026.1",
        values={name: getattr(default_scheme, name) for name in SCHEME_NUMBER_FIELDS},
    )
    simulation = simulasi_start(user=admin, periode=periode, skema=scheme)
    # The world's transaction never commits, so the queued task never runs: run it here.
    simulasi_run(simulasi_id=simulation.pk)
    token, _ = token_create(actor=operator, owner=operator, nama="SIMPEG Sambas")
    siasn_mapping = PemetaanSiasn.objects.create(
        instansi=sambas, jenis="pendidikan", nilai_siasn="S-1/Sarjana", nilai_talenta="S1"
    )
    tahapan_set(user=users["bkn"], instansi=sambas, tahap="berproses", sejak=dt.date(2026, 2, 1), catatan="")

    users["opd"] = UserFactory(username="url-opd", role=Role.OPERATOR_OPD, instansi=sambas)
    users["opd"].unit_kerja.set([target.unit_kerja])
    users["asn"] = UserFactory(username=ready.nip, role=Role.PEGAWAI, instansi=sambas, pegawai=ready, nip=ready.nip)
    today = timezone.localdate()
    jendela_save(
        user=operator, periode=periode, instansi=sambas, dibuka=today, ditutup=today + dt.timedelta(days=14)
    )
    objection = keberatan_submit(
        user=users["asn"],
        periode=periode,
        komponen="skp",
        kategori="data_tidak_sesuai",
        uraian="Predikat SKP 2025 tidak sesuai SK.",
        files=[SimpleUploadedFile("sk.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")],
    )
    proposal = portofolio_submit(
        user=users["asn"],
        jenis="diklat",
        judul="Pelatihan Kepemimpinan Administrator",
        penyelenggara="BPSDM Provinsi Kalimantan Barat",
        tanggal=dt.date(2025, 10, 3),
        jp=240,
        files=[SimpleUploadedFile("sertifikat.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")],
    )
    clients = {"anonymous": Client(raise_request_exception=False)}
    for name, user in users.items():
        clients[name] = Client(raise_request_exception=False)
        clients[name].force_login(user)
    skp = SkpResult.objects.filter(pegawai=ready).first()
    asesmen = Asesmen.objects.get(pegawai=ready)
    return World(
        users=users,
        clients=clients,
        ids={
            "instansi": sambas.pk,
            "closed_periode": closed.pk,
            "pegawai": ready.pk,
            "jabatan": target.pk,
            "skp": skp.pk,
            "asesmen": asesmen.pk,
            "disiplin": disiplin.pk,
            "nomination": nomination.pk,
            "plan_item": item.pk,
            "out_of_plan": out_of_plan.pk,
            "meeting": meeting.pk,
            "member": member.pk,
            "calibration": calibration.pk,
            "final_meeting": final_meeting.pk,
            "import_job": job.pk,
            "export_job": export_job.pk,
            "default_scheme": default_scheme.pk,
            "scheme": scheme.pk,
            "simulation": simulation.pk,
            "token": token.pk,
            "siasn_mapping": siasn_mapping.pk,
            "account": spare.pk,
            "keberatan": objection.pk,
            "bukti": objection.bukti.get().pk,
            "portofolio": proposal.pk,
            "bukti_portofolio": proposal.bukti.get().pk,
            "account_uidb64": urlsafe_base64_encode(force_bytes(spare.pk)),
            "account_token": default_token_generator.make_token(spare),
        },
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at its end."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            built = _build_world()
            yield built
            # The dashboard caches per period id; ids repeat after the rollback on SQLite.
            dashboard_invalidate()
            transaction.set_rollback(True)


# --- the table ---------------------------------------------------------------------------------------


def E(operator, ppk, tim, outsider, bkn, admin, anonymous=LOGIN, *, asn=404, opd=None) -> dict:  # noqa: N802 (a row of the table)
    """What each persona gets, in the order of PERSONAS: a status code, or LOGIN.

    An ASN account gets 404 on every page but its own portal and account pages (asn.middleware),
    whatever the method: the page gate answers before the view. The Operator OPD of the world's
    unit reads what a PPK reads (its unit's rows) and writes nothing of the instansi's own; where
    it writes (pegawai, records, imports of its unit) or is refused what a PPK may do, the row says.
    """
    opd = ppk if opd is None else opd
    return dict(zip(PERSONAS, (operator, ppk, tim, outsider, bkn, admin, anonymous, asn, opd), strict=True))


def API(operator, ppk, tim, outsider, bkn, admin, anonymous=401, *, opd=None) -> dict:  # noqa: N802
    """The same for the API: without credentials 401 (WWW-Authenticate: Token)."""
    return E(operator, ppk, tim, outsider, bkn, admin, anonymous, opd=opd)


# A view that takes POST only: GET is 405 before anything else, for everyone (an ASN account: 404
# first, from the page gate, unless the page is one of theirs: REFUSED_FOR_ALL).
POST_ONLY = E(405, 405, 405, 405, 405, 405, 405)
# A method the view refuses before anything else, on a page an ASN account may open too.
REFUSED_FOR_ALL = E(*[405] * 7, asn=405)

# A view that takes GET only: any other method is 405, for everyone.
NOT_ALLOWED = E(*[405] * 7)

OPERATOR_ADMIN = frozenset({"operator", "admin"})
# Pegawai and their records: the Operator OPD writes them for its own unit too.
RECORD_WRITERS = OPERATOR_ADMIN | {"opd"}
REVIEWERS = frozenset({"ppk", "tim", "admin"})


@dataclass(frozen=True)
class Entry:
    """One URL pattern: how to fill it and what every persona gets for every method its view takes.

    `kwargs(world)` gives the URL kwargs, or a list of them (each is requested). A method left None
    is one the view does not take and is not requested. A method's expectation is one row `E(...)`
    for every query string in `queries`, or a dict from query string ("?format=xlsx") to row when
    they differ. `owners` are the personas whose writes these are; `owned` says the kwargs name an
    object of instansi A; `public` that the page is meant for anonymous visitors; `exempt` names
    personas whose refusal is not the usual 403 on a write, and `why` says why.
    """

    kwargs: object = None
    get: dict | None = None
    post: dict | None = None
    put: dict | None = None
    patch: dict | None = None
    delete: dict | None = None
    owners: frozenset = frozenset()
    owned: bool = False
    public: bool = False
    queries: tuple = ("",)
    exempt: frozenset = frozenset()
    why: str = ""

    def kwargs_list(self, world) -> list[dict]:
        if self.kwargs is None:
            return [{}]
        built = self.kwargs(world)
        return built if isinstance(built, list) else [built]

    def requests(self):
        """(method, query string, row) for everything this entry requests."""
        for method in METHODS:
            expected = getattr(self, method)
            if expected is None:
                continue
            if set(expected) <= set(PERSONAS):
                queries = self.queries if method == "get" else ("",)
                yield from ((method, query, expected) for query in queries)
            else:
                yield from ((method, query.removeprefix("?"), row) for query, row in expected.items())


# kwargs builders: real ids of instansi A's objects
def _pk(name):
    return lambda w: {"pk": getattr(w, name)}


def _tahun(w):
    return {"tahun": 2026}


def _target(w):
    return {"tahun": 2026, "jabatan_id": w.jabatan}


def _records(w):
    return [{"kind": kind, "pk": getattr(w, kind)} for kind in ("skp", "asesmen", "disiplin")]


def _record_kinds(w):
    return [{"pegawai_pk": w.pegawai, "kind": kind} for kind in ("skp", "asesmen", "disiplin")]


def _import_kinds(w):
    return [{"kind": kind} for kind in ("pegawai", "kinerja", "asesmen", "disiplin", "jabatan", "siasn")]


def _reset_link(w):
    return {"uidb64": w.account_uidb64, "token": w.account_token}


def _berita_acara(w):
    return [{"pk": w.final_meeting, "fmt": fmt} for fmt in ("pdf", "xlsx")]


def _boxes(w):
    return [{"tahun": 2026, "kotak": kotak} for kotak in (9, 0)]


# Each row: E(operator, ppk, tim, outsider, bkn, admin[, anonymous]) — instansi A is 6101, the outsider 6102's.
URL_ENTRIES = {
    # --- sign-in, accounts ------------------------------------------------------------------------
    "home": Entry(get=E(200, 200, 200, 200, 200, 200, asn=200)),
    "login": Entry(
        get=E(302, 302, 302, 302, 302, 302, 200, asn=302),
        post=E(302, 302, 302, 302, 302, 302, 200, asn=302),
        put=E(302, 302, 302, 302, 302, 302, 200, asn=302),
        public=True,
        why="signed-in users are sent home; an empty form is shown again with its errors",
    ),
    "logout": Entry(
        get=REFUSED_FOR_ALL, post=E(*[302] * 7, asn=302), public=True, why="everyone ends on the login page"
    ),
    "password-set": Entry(
        kwargs=_reset_link,
        get=E(*[302] * 7, asn=302),
        post=E(*[302] * 7, asn=302),
        put=E(*[302] * 7, asn=302),
        public=True,
        why="a valid token moves into the session and the browser goes on to .../set-password/",
    ),
    "password-set-done": Entry(get=E(*[200] * 7, asn=200), public=True),
    # Changing one's own password: every signed-in account (an ASN's first sign-in lands here).
    "password-change": Entry(
        get=E(*[200] * 6, asn=200),
        post=E(*[200] * 6, asn=200),
        put=E(*[200] * 6, asn=200),
        owners=frozenset({"operator", "ppk", "tim", "bkn", "admin", "opd"}),
        why="every account changes its own password (an invalid form answers 200)",
    ),
    "password-change-done": Entry(get=E(*[200] * 6, asn=200)),
    "users:list": Entry(get=E(200, 403, 403, 200, 403, 200)),
    "users:create": Entry(
        get=E(200, 403, 403, 200, 403, 200), post=E(200, 403, 403, 200, 403, 200), owners=OPERATOR_ADMIN
    ),
    # Bulk ASN accounts: an instansi's operator (or an admin) for its own pegawai; the outsider
    # opens accounts of its own instansi, so the page answers them too.
    "users:asn-accounts": Entry(
        get=E(200, 403, 403, 200, 403, 200), post=E(200, 403, 403, 200, 403, 200), owners=OPERATOR_ADMIN
    ),
    "users:asn-accounts-sheet": Entry(get=POST_ONLY, post=E(302, 403, 403, 302, 403, 302), owners=OPERATOR_ADMIN),
    "users:detail": Entry(
        _pk("account"),
        get=E(200, 403, 403, 404, 403, 200),
        post=E(200, 403, 403, 404, 403, 200),
        owners=OPERATOR_ADMIN,
        owned=True,
    ),
    "users:set-active": Entry(
        _pk("account"), get=POST_ONLY, post=E(302, 403, 403, 404, 403, 302), owners=OPERATOR_ADMIN, owned=True
    ),
    "users:unlock": Entry(
        _pk("account"), get=POST_ONLY, post=E(302, 403, 403, 404, 403, 302), owners=OPERATOR_ADMIN, owned=True
    ),
    "users:password-link": Entry(
        _pk("account"), get=POST_ONLY, post=E(200, 403, 403, 404, 403, 200), owners=OPERATOR_ADMIN, owned=True
    ),
    # --- ASN master data --------------------------------------------------------------------------
    "asn:pegawai-list": Entry(get=E(200, 200, 200, 200, 200, 200)),
    "asn:pegawai-create": Entry(
        get=E(200, 403, 403, 200, 403, 200, opd=200),
        post=E(200, 403, 403, 200, 403, 200, opd=200),
        owners=RECORD_WRITERS,
    ),
    "asn:pegawai-detail": Entry(
        _pk("pegawai"), get=E(200, 200, 200, 404, 200, 200), owned=True, queries=("", "periode=2025")
    ),
    "asn:pegawai-update": Entry(
        _pk("pegawai"),
        get=E(200, 403, 403, 404, 403, 200, opd=200),
        post=E(200, 403, 403, 404, 403, 200, opd=200),
        owners=RECORD_WRITERS,
        owned=True,
    ),
    "asn:import-upload": Entry(
        get=E(200, 403, 403, 200, 403, 200, opd=200),
        post=E(200, 403, 403, 200, 403, 200, opd=200),
        owners=RECORD_WRITERS,
    ),
    "asn:import-detail": Entry(_pk("import_job"), get=E(200, 200, 200, 404, 200, 200), owned=True),
    "asn:import-confirm": Entry(
        _pk("import_job"),
        get=POST_ONLY,
        post=E(302, 403, 403, 404, 403, 302, opd=302),
        owners=RECORD_WRITERS,
        owned=True,
    ),
    "asn:import-retry": Entry(
        _pk("import_job"),
        get=POST_ONLY,
        post=E(302, 403, 403, 404, 403, 302, opd=302),
        owners=RECORD_WRITERS,
        owned=True,
    ),
    "asn:import-template": Entry(_import_kinds, get=E(200, 200, 200, 200, 200, 200), queries=("", "format=csv")),
    # Answers to a SIASN file's questions; the world's job is a pegawai one, so the answer is refused
    # with a message on the job's page (302) for those who may write.
    "asn:import-mapping": Entry(
        _pk("import_job"), get=POST_ONLY, post=E(302, 403, 403, 404, 403, 302), owners=OPERATOR_ADMIN, owned=True
    ),
    "asn:siasn-mapping-list": Entry(get=E(200, 403, 403, 200, 403, 200)),
    "asn:siasn-mapping-update": Entry(
        _pk("siasn_mapping"), get=POST_ONLY, post=E(302, 403, 403, 404, 403, 302), owners=OPERATOR_ADMIN, owned=True
    ),
    "asn:siasn-mapping-delete": Entry(
        _pk("siasn_mapping"), get=POST_ONLY, post=E(302, 403, 403, 404, 403, 302), owners=OPERATOR_ADMIN, owned=True
    ),
    # --- kinerja, asesmen, disiplin -----------------------------------------------------------------
    "assessment:record-create": Entry(
        _record_kinds,
        get=E(200, 403, 403, 404, 403, 200, opd=200),
        post=E(200, 403, 403, 404, 403, 200, opd=200),
        owners=RECORD_WRITERS,
        owned=True,
    ),
    "assessment:record-update": Entry(
        _records,
        get=E(200, 403, 403, 404, 403, 200, opd=200),
        post=E(200, 403, 403, 404, 403, 200, opd=200),
        owners=RECORD_WRITERS,
        owned=True,
    ),
    "assessment:record-delete": Entry(
        _records, get=POST_ONLY, post=E(302, 403, 403, 404, 403, 302, opd=302), owners=RECORD_WRITERS, owned=True
    ),
    # --- periods and schemes ------------------------------------------------------------------------
    "assessment:periode-list": Entry(
        get=E(200, 200, 200, 200, 200, 200), post=E(403, 403, 403, 403, 403, 200), owners=frozenset({"admin"})
    ),
    "assessment:periode-detail": Entry(_tahun, get=E(200, 200, 200, 200, 200, 200)),
    # The freshness line a page polls: each persona's own instansi, or every one they see.
    # The freshness line polls on an ASN's own profile too: their own instansi only.
    "assessment:kesegaran": Entry(_tahun, get=E(200, 200, 200, 200, 200, 200, asn=200), queries=("", "berjalan=1")),
    "assessment:periode-recompute": Entry(
        _tahun, get=POST_ONLY, post=E(302, 403, 403, 302, 403, 302), owners=OPERATOR_ADMIN
    ),
    "assessment:periode-status": Entry(
        _tahun, get=POST_ONLY, post=E(403, 403, 403, 403, 403, 302), owners=frozenset({"admin"})
    ),
    "assessment:periode-export": Entry(
        _tahun,
        get={
            "": E(200, 200, 200, 200, 200, 200),
            "?format=csv": E(200, 200, 200, 200, 200, 200),
            "?instansi=6101": E(200, 200, 200, 404, 200, 200),
        },
    ),
    "assessment:simata-export": Entry(
        _tahun,
        get={
            "": E(200, 200, 200, 200, 200, 200),
            "?format=json": E(200, 200, 200, 200, 200, 200),
            "?format=xlsx": E(200, 200, 200, 200, 200, 200),
            "?format=pdf": E(404, 404, 404, 404, 404, 404),
            "?instansi=6101": E(200, 200, 200, 404, 200, 200),
        },
    ),
    "assessment:ekspor-detail": Entry(_pk("export_job"), get=E(200, 200, 200, 404, 200, 200), owned=True),
    "assessment:ekspor-unduh": Entry(_pk("export_job"), get=E(200, 200, 200, 404, 200, 200), owned=True),
    "assessment:skema-list": Entry(get=E(200, 200, 200, 200, 200, 200)),
    "decisions:chains": Entry(
        get=E(403, 403, 403, 403, 200, 200), post=E(403, 403, 403, 403, 302, 302), owners=frozenset({"bkn", "admin"})
    ),
    "assessment:skema-copy": Entry(
        _pk("scheme"),
        get=E(403, 403, 403, 404, 403, 200),
        post=E(403, 403, 403, 404, 403, 200),
        owners=frozenset({"admin"}),
        owned=True,
    ),
    "assessment:skema-choose": Entry(
        lambda w: {"tahun": 2026, "instansi_kode": "6101"},
        get=POST_ONLY,
        post=E(403, 403, 403, 404, 403, 302),
        owners=frozenset({"admin"}),
        owned=True,
    ),
    # Simulating and adopting a scheme version: the instansi's admin or a province admin only.
    "assessment:simulasi-start": Entry(
        _pk("scheme"),
        get=POST_ONLY,
        post=E(403, 403, 403, 404, 403, 302),
        owners=frozenset({"admin"}),
        owned=True,
    ),
    "assessment:simulasi-detail": Entry(
        _pk("simulation"),
        get=E(403, 403, 403, 404, 403, 200),
        owned=True,
        queries=("", "format=xlsx", "urut=dari", "urut=abc"),
    ),
    "assessment:simulasi-adopt": Entry(
        _pk("simulation"),
        get=POST_ONLY,
        post=E(403, 403, 403, 404, 403, 302),
        owners=frozenset({"admin"}),
        owned=True,
    ),
    # --- nine-box map, pool, calibrations -----------------------------------------------------------
    "assessment:peta-terbaru": Entry(get=E(302, 302, 302, 302, 302, 302)),
    "assessment:peta": Entry(_tahun, get=E(200, 200, 200, 200, 200, 200), queries=("", "cetak=1")),
    "assessment:peta-kotak": Entry(_boxes, get=E(200, 200, 200, 200, 200, 200)),
    "assessment:peta-ekspor": Entry(_tahun, get=E(200, 200, 200, 200, 200, 200)),
    "assessment:perpindahan": Entry(get=E(200, 200, 200, 200, 200, 200)),
    "assessment:krs": Entry(_tahun, get=E(200, 200, 200, 200, 200, 200), queries=("", "format=xlsx")),
    "assessment:kalibrasi": Entry(_tahun, get=E(200, 200, 200, 200, 200, 200)),
    # --- provincial dashboard -----------------------------------------------------------------------
    "assessment:provinsi": Entry(get=E(404, 404, 404, 404, 200, 200), queries=("", "format=xlsx", "cetak=1")),
    # One instansi's row of the dashboard, addressed by its Kemendagri code (instansi A: 6101).
    "assessment:provinsi-instansi": Entry(
        lambda w: {"kode": "6101"}, get=E(404, 404, 404, 404, 200, 200), queries=("", "tahun=2026")
    ),
    "assessment:tahapan": Entry(
        lambda w: {"instansi_id": w.instansi},
        get=POST_ONLY,
        post=E(404, 404, 404, 404, 302, 302),
        owners=frozenset({"bkn", "admin"}),
        exempt=frozenset({"operator", "ppk", "tim", "opd"}),
        why="the dashboard does not exist for an instansi's own users (404), so neither does its pipeline",
    ),
    # --- talent review meetings ---------------------------------------------------------------------
    "assessment:rapat-list": Entry(
        get=E(200, 200, 200, 200, 200, 200), post=E(403, 200, 200, 403, 403, 200, opd=403), owners=REVIEWERS
    ),
    "assessment:rapat-detail": Entry(_pk("meeting"), get=E(200, 200, 200, 404, 200, 200), owned=True),
    "assessment:rapat-move": Entry(
        _pk("meeting"), get=POST_ONLY, post=E(403, 302, 302, 404, 403, 302, opd=403), owners=REVIEWERS, owned=True
    ),
    "assessment:rapat-member-add": Entry(
        _pk("meeting"), get=POST_ONLY, post=E(403, 302, 302, 404, 403, 302, opd=403), owners=REVIEWERS, owned=True
    ),
    "assessment:rapat-member-remove": Entry(
        _pk("member"), get=POST_ONLY, post=E(403, 302, 302, 404, 403, 302, opd=403), owners=REVIEWERS, owned=True
    ),
    "assessment:rapat-conflict": Entry(
        _pk("meeting"), get=POST_ONLY, post=E(403, 302, 302, 404, 403, 302, opd=403), owners=REVIEWERS, owned=True
    ),
    "assessment:rapat-finalise": Entry(
        _pk("meeting"), get=POST_ONLY, post=E(403, 302, 302, 404, 403, 302, opd=403), owners=REVIEWERS, owned=True
    ),
    "assessment:rapat-discard": Entry(
        _pk("meeting"), get=POST_ONLY, post=E(403, 302, 302, 404, 403, 302, opd=403), owners=REVIEWERS, owned=True
    ),
    # Only members of the meeting agree to a move: the admin sits in no meeting of instansi A.
    "assessment:rapat-agree": Entry(
        _pk("calibration"),
        get=POST_ONLY,
        post=E(403, 302, 302, 404, 403, 403, opd=403),
        owners=frozenset({"ppk", "tim"}),
        owned=True,
    ),
    "assessment:rapat-berita-acara": Entry(_berita_acara, get=E(200, 200, 200, 404, 200, 200), owned=True),
    # --- succession ---------------------------------------------------------------------------------
    "succession:targets": Entry(get=E(200, 200, 200, 200, 200, 200), queries=("", "tahun=2026")),
    "succession:coverage": Entry(get=E(200, 200, 200, 200, 200, 200), queries=("", "format=xlsx")),
    "succession:structure": Entry(get=E(200, 200, 200, 200, 200, 200)),
    "succession:jabatan-create": Entry(
        get=E(200, 403, 403, 200, 403, 200), post=E(200, 403, 403, 200, 403, 200), owners=OPERATOR_ADMIN
    ),
    "succession:jabatan-edit": Entry(
        _pk("jabatan"),
        get=E(200, 403, 403, 404, 403, 200),
        post=E(200, 403, 403, 404, 403, 200),
        owners=OPERATOR_ADMIN,
        owned=True,
    ),
    "succession:export": Entry(_tahun, get=E(200, 200, 200, 200, 200, 200), queries=("", "format=csv")),
    # The draft SK PPK: the PPK who signs it, the operator and admin who prepare it.
    "succession:sk-ppk": Entry(
        lambda w: {"tahun": 2026, "instansi_kode": "6101"}, get=E(200, 200, 403, 404, 403, 200, opd=403), owned=True
    ),
    "succession:simulation-targets": Entry(_pk("simulation"), get=E(403, 403, 403, 404, 403, 200), owned=True),
    "succession:target": Entry(_target, get=E(200, 200, 200, 404, 200, 200), owned=True),
    "succession:nominate": Entry(
        _target, get=POST_ONLY, post=E(302, 403, 403, 404, 403, 302), owners=OPERATOR_ADMIN, owned=True
    ),
    "succession:compare": Entry(_target, get=E(200, 200, 200, 404, 200, 200), owned=True),
    "succession:target-print": Entry(_target, get=E(200, 200, 200, 404, 200, 200), owned=True),
    "succession:nomination": Entry(_pk("nomination"), get=E(200, 200, 200, 404, 200, 200), owned=True),
    "succession:nomination-decide": Entry(
        _pk("nomination"),
        get=POST_ONLY,
        post=E(403, 302, 403, 404, 403, 403, opd=403),
        owners=frozenset({"ppk"}),
        owned=True,
    ),
    "succession:nomination-readiness": Entry(
        _pk("nomination"),
        get=POST_ONLY,
        post=E(403, 302, 403, 404, 403, 403, opd=403),
        owners=frozenset({"ppk"}),
        owned=True,
    ),
    "succession:nomination-reorder": Entry(
        _pk("nomination"), get=POST_ONLY, post=E(302, 403, 403, 404, 403, 302), owners=OPERATOR_ADMIN, owned=True
    ),
    "succession:plan-propose": Entry(
        _pk("nomination"), get=POST_ONLY, post=E(302, 403, 403, 404, 403, 302), owners=OPERATOR_ADMIN, owned=True
    ),
    "succession:plan-add": Entry(
        _pk("nomination"), get=POST_ONLY, post=E(302, 403, 403, 404, 403, 302), owners=OPERATOR_ADMIN, owned=True
    ),
    "succession:plan-edit": Entry(
        _pk("plan_item"),
        get=E(200, 403, 403, 404, 403, 200),
        post=E(200, 403, 403, 404, 403, 200),
        owners=OPERATOR_ADMIN,
        owned=True,
    ),
    "succession:out-of-plan": Entry(
        _pk("out_of_plan"), get=POST_ONLY, post=E(302, 403, 403, 404, 403, 302), owners=OPERATOR_ADMIN, owned=True
    ),
    # --- REST API -----------------------------------------------------------------------------------
    "api:pegawai-list": Entry(
        get=API(200, 200, 200, 200, 200, 200), post=API(400, 403, 403, 400, 403, 400), owners=OPERATOR_ADMIN
    ),
    "api:pegawai-detail": Entry(
        _pk("pegawai"),
        get=API(200, 200, 200, 404, 200, 200),
        put=API(400, 403, 403, 404, 403, 400),
        patch=API(200, 403, 403, 404, 403, 200),
        owners=OPERATOR_ADMIN,
        owned=True,
    ),
    "api:jabatan-list": Entry(get=API(200, 200, 200, 200, 200, 200)),
    "api:kinerja-list": Entry(
        get=API(200, 200, 200, 200, 200, 200), post=API(400, 403, 403, 400, 403, 400), owners=OPERATOR_ADMIN
    ),
    "api:kinerja-bulk": Entry(post=API(400, 403, 403, 400, 403, 400), owners=OPERATOR_ADMIN),
    "api:kinerja-detail": Entry(_pk("skp"), get=API(200, 200, 200, 404, 200, 200), owned=True),
    "api:asesmen-list": Entry(
        get=API(200, 200, 200, 200, 200, 200), post=API(400, 403, 403, 400, 403, 400), owners=OPERATOR_ADMIN
    ),
    "api:asesmen-bulk": Entry(post=API(400, 403, 403, 400, 403, 400), owners=OPERATOR_ADMIN),
    "api:asesmen-detail": Entry(_pk("asesmen"), get=API(200, 200, 200, 404, 200, 200), owned=True),
    "api:disiplin-list": Entry(
        get=API(200, 200, 200, 200, 200, 200), post=API(400, 403, 403, 400, 403, 400), owners=OPERATOR_ADMIN
    ),
    "api:disiplin-bulk": Entry(post=API(400, 403, 403, 400, 403, 400), owners=OPERATOR_ADMIN),
    "api:disiplin-detail": Entry(_pk("disiplin"), get=API(200, 200, 200, 404, 200, 200), owned=True),
    "api:periode-list": Entry(get=API(200, 200, 200, 200, 200, 200)),
    "api:periode-detail": Entry(_tahun, get=API(200, 200, 200, 200, 200, 200)),
    "api:periode-recompute": Entry(_tahun, post=API(202, 403, 403, 202, 403, 202), owners=OPERATOR_ADMIN),
    "api:penempatan-list": Entry(_tahun, get=API(200, 200, 200, 200, 200, 200)),
    # Province-wide users name the instansi of a map; the outsider may not name instansi A.
    "api:peta": Entry(
        _tahun, get={"": API(200, 200, 200, 200, 400, 400), "?instansi=6101": API(200, 200, 200, 404, 200, 200)}
    ),
    "api:krs": Entry(
        _tahun, get={"": API(200, 200, 200, 200, 400, 400), "?instansi=6101": API(200, 200, 200, 404, 200, 200)}
    ),
    "api:target-list": Entry(
        _tahun, get={"": API(200, 200, 200, 200, 400, 400), "?instansi=6101": API(200, 200, 200, 404, 200, 200)}
    ),
    "api:target-detail": Entry(_target, get=API(200, 200, 200, 404, 200, 200), owned=True),
    "api:kandidat-list": Entry(_target, get=API(200, 200, 200, 404, 200, 200), owned=True),
    "api:nominasi-list": Entry(
        _target,
        get=API(200, 200, 200, 404, 200, 200),
        post=API(400, 403, 403, 404, 403, 400),
        owners=OPERATOR_ADMIN,
        owned=True,
    ),
    "api:nominasi-keputusan": Entry(
        _pk("nomination"), post=API(403, 400, 403, 404, 403, 403, opd=403), owners=frozenset({"ppk"}), owned=True
    ),
    "api:provinsi": Entry(get=API(200, 200, 200, 200, 200, 200)),
    "api:token-list": Entry(
        get=API(200, 200, 200, 200, 200, 200),
        post=API(400, 400, 400, 400, 400, 400),
        owners=frozenset({"operator", "ppk", "tim", "bkn", "admin", "opd"}),
    ),
    "api:token-detail": Entry(
        _pk("token"),
        get=API(200, 404, 404, 404, 404, 200),
        delete=API(204, 404, 404, 404, 404, 204),
        owners=OPERATOR_ADMIN,
        owned=True,
        exempt=frozenset({"ppk", "tim", "bkn", "opd"}),
        why="a token is its owner's (and their admin's): other users do not see it at all (404)",
    ),
    "api:schema": Entry(get=API(*[200] * 7), public=True),
    "api:docs": Entry(get=API(*[200] * 7), public=True),
    "api:redoc": Entry(get=API(*[200] * 7), public=True),
    # --- ASN self-service portal (only an ASN account has "own data"; every staff persona 404) ----------
    "portal:my-data-download": Entry(get=E(*[404] * 6, asn=200), post=REFUSED_FOR_ALL, why="GET only: a download"),
    "portal:profile": Entry(get=E(*[404] * 6, asn=200), post=REFUSED_FOR_ALL, why="GET only: a page"),
    # The objection loop: the ASN's own pages, the staff's steps (404 to an ASN account, as every
    # page outside their portal), the objection and its evidence to the instansi's roles and BKN.
    "portal:keberatan-list": Entry(get=E(*[404] * 6, asn=200), post=REFUSED_FOR_ALL, why="GET only: a page"),
    "portal:keberatan-create": Entry(
        get=E(*[404] * 6, asn=200),
        post=E(*[404] * 6, asn=200),
        owners=frozenset({"asn"}),
        exempt=frozenset({"operator", "ppk", "tim", "bkn", "admin", "opd"}),
        why="only an ASN objects, about themselves: the page is no other account's (404, like their profile)",
    ),
    "portal:keberatan-detail": Entry(
        _pk("keberatan"),
        get=E(200, 200, 200, 404, 200, 200, asn=200),
        post=REFUSED_FOR_ALL,
        owned=True,
        why="GET only: a page",
    ),  # fmt: skip
    "portal:keberatan-review": Entry(
        _pk("keberatan"),
        get=REFUSED_FOR_ALL,
        post=E(302, 403, 403, 404, 403, 302),
        owners=OPERATOR_ADMIN,
        owned=True,
        why="POST only, and the page gate lets an ASN through to the view's 405",
    ),
    "portal:keberatan-decide": Entry(
        _pk("keberatan"),
        get=REFUSED_FOR_ALL,
        post=E(403, 403, 302, 404, 403, 403),
        owners=frozenset({"tim"}),
        owned=True,
        why="POST only, and the page gate lets an ASN through to the view's 405",
    ),
    "portal:keberatan-bukti": Entry(
        _pk("bukti"),
        get=E(200, 200, 200, 404, 200, 200, asn=200),
        post=REFUSED_FOR_ALL,
        owned=True,
        why="GET only: a download",
    ),  # fmt: skip
    "portal:keberatan-inbox": Entry(
        get=E(200, 200, 200, 200, 200, 200),
        post=REFUSED_FOR_ALL,
        queries=("", "status=diterima", "status=zzz"),
        why="GET only: a page",
    ),
    "portal:keberatan-jendela": Entry(
        get=E(200, 403, 403, 200, 403, 200), post=E(200, 403, 403, 200, 403, 200), owners=OPERATOR_ADMIN
    ),
    # Portfolio proposals: the ASN's own pages, the verification by whoever keeps the pegawai's
    # records (the operator; the Operator OPD of the pegawai's unit), the proposal and its evidence
    # to the instansi's roles and BKN.
    "portal:portofolio-list": Entry(get=E(*[404] * 6, asn=200), post=REFUSED_FOR_ALL, why="GET only: a page"),
    "portal:portofolio-create": Entry(
        get=E(*[404] * 6, asn=200),
        post=E(*[404] * 6, asn=200),
        owners=frozenset({"asn"}),
        exempt=frozenset({"operator", "ppk", "tim", "bkn", "admin", "opd"}),
        why="only an ASN proposes, for themselves: the page is no other account's (404, like their profile)",
    ),
    "portal:portofolio-detail": Entry(
        _pk("portofolio"),
        get=E(200, 200, 200, 404, 200, 200, asn=200),
        post=REFUSED_FOR_ALL,
        owned=True,
        why="GET only: a page",
    ),
    "portal:portofolio-verify": Entry(
        _pk("portofolio"),
        get=REFUSED_FOR_ALL,
        post=E(302, 403, 403, 404, 403, 302, opd=302),
        owners=RECORD_WRITERS,
        owned=True,
        why="POST only, and the page gate lets an ASN through to the view's 405",
    ),
    "portal:portofolio-bukti": Entry(
        _pk("bukti_portofolio"),
        get=E(200, 200, 200, 404, 200, 200, asn=200),
        post=REFUSED_FOR_ALL,
        owned=True,
        why="GET only: a download",
    ),
    "portal:portofolio-inbox": Entry(
        get=E(200, 200, 200, 200, 200, 200),
        post=REFUSED_FOR_ALL,
        queries=("", "status=diverifikasi", "status=zzz"),
        why="GET only: a page",
    ),
    # --- health probes (no login, nothing about any instansi) -----------------------------------------
    "healthz": Entry(get=E(*[200] * 7, asn=200), post=REFUSED_FOR_ALL, public=True, why="GET only: a probe"),
    "readyz": Entry(get=E(*[200] * 7, asn=200), post=REFUSED_FOR_ALL, public=True, why="GET only: a probe"),
}


# --- walking the resolver ----------------------------------------------------------------------------

# The Django admin's own pages: Django's code, tested by Django (the one excluded namespace).
EXCLUDED_NAMESPACES = ("admin",)


def _named_patterns(patterns=None, namespace=(), route=""):
    """(name, route, view) of every URL pattern, recursively through every include."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = (*namespace, pattern.namespace) if pattern.namespace else namespace
            if inner[:1] and inner[0] in EXCLUDED_NAMESPACES:
                continue
            yield from _named_patterns(pattern.url_patterns, inner, route + str(pattern.pattern))
        else:
            name = ":".join((*namespace, pattern.name)) if pattern.name else None
            yield name, route + str(pattern.pattern), pattern.callback


def test_every_url_pattern_has_an_entry_and_every_entry_a_pattern():
    patterns = list(_named_patterns())
    unnamed = [route for name, route, _ in patterns if name is None]
    assert not unnamed, f"URL patterns without a name cannot be reversed or tested: {unnamed}"
    names = [name for name, _, _ in patterns]
    shared = sorted({name for name in names if names.count(name) > 1})
    assert not shared, f"URL names used by more than one pattern (only one is reachable by name): {shared}"
    missing = [f"URL pattern {name} ({route}) has no entry in URL_ENTRIES" for name, route, _ in patterns
               if name not in URL_ENTRIES]  # fmt: skip
    assert not missing, "\n".join(missing)
    stale = sorted(set(URL_ENTRIES) - set(names))
    assert not stale, f"URL_ENTRIES names patterns that no longer exist: {stale}"


def test_entries_of_class_based_views_list_every_method_the_view_takes():
    """For DRF and Django class-based views the methods are known: the entry must request them all."""
    mismatches = []
    for name, _, callback in _named_patterns():
        view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        if view is None or name not in URL_ENTRIES:
            continue
        allowed = {m for m in METHODS if m in view.http_method_names and hasattr(view, m)}
        declared = {m for m in METHODS if getattr(URL_ENTRIES[name], m) is not None}
        refused = {m for m in declared - allowed if getattr(URL_ENTRIES[name], m) in (POST_ONLY, REFUSED_FOR_ALL)}
        if declared - refused != allowed:
            mismatches.append(
                f"{name}: the view takes {sorted(allowed)}, the entry requests {sorted(declared - refused)}"
            )
    assert not mismatches, "\n".join(mismatches)


WRITES = ("post", "put", "patch", "delete")
REFUSALS = {403, 404, 405, 401, LOGIN}


@pytest.mark.parametrize("name", sorted(URL_ENTRIES))
def test_the_table_follows_the_tenancy_rules(name):
    """The table cannot promise a leak: outsiders 404, read-only roles 403, anonymous to login, no 5xx."""
    entry = URL_ENTRIES[name]
    assert not entry.exempt or entry.why, f"{name}: an exemption needs its reason in `why`"
    for method, query, row in entry.requests():
        assert set(row) == set(PERSONAS), f"{name} {method}: a row names every persona"
        assert all(status == LOGIN or status < 500 for status in row.values()), f"{name} {method}: no 5xx"
        if row in (POST_ONLY, REFUSED_FOR_ALL):
            continue
        if not entry.public:
            assert row["anonymous"] == (401 if name.startswith("api:") else LOGIN), f"{name} {method}: anonymous"
        if entry.owned:
            assert row["outsider"] == 404, f"{name} {method}?{query}: outsider must get 404 on instansi A's object"
        if method in WRITES and not entry.public:
            assert entry.owners, f"{name}: a write names its owners"
            for persona in ("operator", "ppk", "tim", "bkn", "admin", "opd"):
                if persona in entry.owners:
                    assert row[persona] not in REFUSALS, f"{name} {method}: the owner {persona} is refused"
                elif persona not in entry.exempt:
                    assert row[persona] == 403, f"{name} {method}: the weaker role {persona} must get 403"


def _request(client, method: str, url: str, *, api: bool):
    """One request in a transaction that is rolled back; the client's cookies survive (a logout)."""
    cookies = client.cookies
    client.cookies = type(cookies)(cookies)
    try:
        with transaction.atomic():
            if method == "get":
                response = client.get(url)
            elif api:
                response = getattr(client, method)(url, "{}", content_type="application/json")
            else:
                response = getattr(client, method)(url, {})
            transaction.set_rollback(True)
    finally:
        client.cookies = cookies
    return response


def _outcome(response, url: str):
    if response.status_code == 302 and response["Location"] == redirect_to_login(url)["Location"]:
        return LOGIN
    if response.status_code == 302 and response["Location"].startswith(f"{reverse('login')}?next="):
        return f"302 to the login page with a wrong next: {response['Location']}"
    return response.status_code


@pytest.mark.parametrize("name", sorted(URL_ENTRIES))
def test_every_persona_gets_what_the_table_says(world, name):
    entry = URL_ENTRIES[name]
    failures = []
    for kwargs in entry.kwargs_list(world):
        path = reverse(name, kwargs=kwargs)
        for method, query, row in entry.requests():
            url = f"{path}?{query}" if query else path
            for persona, expected in row.items():
                response = _request(world.clients[persona], method, url, api=name.startswith("api:"))
                got = _outcome(response, url)
                if got != expected:
                    error = f" ({response.exc_info[1]!r})" if response.exc_info else ""
                    failures.append(f"{method.upper()} {url} as {persona}: expected {expected}, got {got}{error}")
    assert not failures, "\n".join(failures)


# --- values views parse by hand ----------------------------------------------------------------------

# (persona, URL name, kwargs, query string, status): a bad value reads as "not given" or "unknown",
# never a 500 (a number beyond the database's range, letters, NUL, 30 February).
TOO_BIG = "99999999999999999999"
BAD_QUERIES = [
    ("bkn", "assessment:peta", _tahun, "instansi=abc", 404),
    ("bkn", "assessment:peta", _tahun, f"instansi={TOO_BIG}", 404),
    ("bkn", "assessment:peta-kotak", lambda w: {"tahun": 2026, "kotak": 9}, "instansi=abc", 404),
    ("bkn", "assessment:peta-ekspor", _tahun, "instansi=abc", 404),
    ("bkn", "assessment:krs", _tahun, "instansi=-1", 404),
    ("bkn", "assessment:perpindahan", None, "instansi=abc", 404),
    ("bkn", "assessment:perpindahan", None, "dari=abc&ke=%00", 200),
    ("bkn", "assessment:rapat-list", None, "instansi=1.5", 404),
    ("bkn", "assessment:provinsi", None, "tahun=abc", 404),
    ("bkn", "assessment:provinsi", None, "tahun=2026%00&urut=%00", 404),
    ("bkn", "assessment:provinsi-instansi", lambda w: {"kode": "6199"}, "", 404),
    ("bkn", "assessment:provinsi-instansi", lambda w: {"kode": "6101"}, "tahun=abc", 404),
    ("operator", "assessment:periode-export", _tahun, "instansi=%00", 404),
    ("operator", "asn:pegawai-detail", _pk("pegawai"), "periode=abc", 200),
    ("operator", "asn:pegawai-detail", _pk("pegawai"), f"periode={TOO_BIG}", 200),
    ("ppk", "assessment:rapat-detail", _pk("meeting"), "unit_kerja=abc&jenjang=%00&q=a%00b", 200),
    ("ppk", "assessment:peta-kotak", lambda w: {"tahun": 2026, "kotak": 9}, "urut=zzz&page=abc", 200),
    ("bkn", "succession:targets", None, "instansi=abc", 404),
    ("bkn", "succession:targets", None, "tahun=abc", 404),
    ("bkn", "succession:coverage", None, f"tahun={TOO_BIG}", 404),
    ("bkn", "succession:structure", None, "instansi=abc", 404),
    ("bkn", "succession:export", _tahun, "instansi=abc", 404),
    ("operator", "succession:compare", _target, f"p=abc&p={TOO_BIG}&p=%00", 200),
]


@pytest.mark.parametrize(
    ("persona", "name", "kwargs", "query", "status"),
    BAD_QUERIES,
    ids=[f"{name}?{query}" for _, name, _, query, _ in BAD_QUERIES],
)
def test_a_bad_query_value_is_unknown_never_a_500(world, persona, name, kwargs, query, status):
    url = reverse(name, kwargs=kwargs(world) if kwargs else {}) + f"?{query}"
    response = _request(world.clients[persona], "get", url, api=False)
    assert (response.status_code, response.exc_info) == (status, None)


def _post_and_follow(world, persona, url, data, check):
    """POST a bad body, follow to the page with the message, and run `check` before the rollback."""
    with transaction.atomic():
        response = world.clients[persona].post(url, data, follow=True)
        check(response)
        transaction.set_rollback(True)


def test_a_bad_pipeline_date_is_refused_with_a_message_and_writes_nothing(world):
    url = reverse("assessment:tahapan", kwargs={"instansi_id": world.instansi})
    before = TahapanInstansi.objects.count()

    def check(response):
        assert response.redirect_chain == [(reverse("assessment:provinsi"), 302)]
        assert "Tanggal tahapan tidak valid; tulis seperti 2026-02-01." in response.text
        assert TahapanInstansi.objects.count() == before

    for sejak in ("2026-02-30", "abc", "2026-2-1%00"):
        _post_and_follow(world, "bkn", url, {"tahap": "ekspose", "sejak": sejak, "tahun": "2026; evil"}, check)


def test_a_meeting_without_an_open_period_is_refused_with_a_message(world):
    data = {"tanggal": "2026-04-01", "tempat": "Aula", "ketua": "Sekda", "batas_sebaran_persen": "20"}
    before = RapatTalentReview.objects.count()

    def check(response):
        assert response.status_code == 200
        assert "Pilih periode yang masih terbuka." in response.text
        assert RapatTalentReview.objects.count() == before

    for periode in ("", "abc", TOO_BIG, str(world.closed_periode)):
        _post_and_follow(world, "ppk", reverse("assessment:rapat-list"), data | {"periode": periode}, check)


def test_nominating_ids_that_are_no_numbers_picks_no_one(world):
    def check(response):
        assert "Pilih minimal satu kandidat." in response.text
        assert not Nominasi.objects.exclude(pk=world.nomination).exists()

    url = reverse("succession:nominate", kwargs=_target(world))
    _post_and_follow(world, "operator", url, {"pegawai": ["abc", TOO_BIG, "-3", "１２"]}, check)
