"""The recompute pipeline keeps every derived table equal to a from-scratch recompute.

A stateful property test drives random sequences of what users do across three instansi — imports,
record edits, moves between instansi, jabatan made kritikal or vacant, calibrations, scheme choices,
periods created and closed — through the services the pages and the API call. After each step the
queued refreshes run (the commit fires them; Celery runs them eagerly here, as on a single worker),
then the derived tables are compared with what a full refresh of every pair computes from the same
inputs. A missed or misdirected refresh (the loop-variable bug refreshed one instansi of fifteen)
shows up as a difference.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from asn.models import Instansi, Jabatan, Jenjang, Pegawai, Role
from asn.reference import KOMPETENSI_FIELDS
from asn.services import import_run, pegawai_save
from assessment import scoring
from assessment import services as assessment_services
from assessment.models import (
    Asesmen,
    HukumanDisiplin,
    Kalibrasi,
    Penempatan,
    Periode,
    Skema,
    SkpResult,
)
from succession.dashboard import dashboard_rows
from succession.models import Kandidat, Nominasi, PengangkatanDiluarRencana, TargetSuksesi
from succession.services import jabatan_save, nomination_create
from talenta import pipeline
from talenta.tabular import write_csv
from tests.asn.test_import_pegawai import HEADERS
from tests.factories import JabatanFactory, PegawaiFactory, UnitKerjaFactory, UserFactory

pytestmark = pytest.mark.django_db

KODES = ["6101", "6102", "6103"]
PREDIKAT = ["Sangat Baik", "Baik", "Butuh Perbaikan"]
PLACEMENT_FIELDS = [
    "instansi_id",
    "jenjang_id",
    "skema_id",
    *assessment_services.RESULT_FIELDS,
]


def snapshot(periode_ids: list[int]) -> dict:
    """Every derived row, without the times they were computed at and the ids regenerated each run."""
    placements = {
        (p["periode_id"], p["pegawai_id"]): tuple(p[f] for f in PLACEMENT_FIELDS)
        for p in Penempatan.objects.values("periode_id", "pegawai_id", *PLACEMENT_FIELDS)
    }
    targets = set(
        TargetSuksesi.objects.values_list(
            "periode_id", "jabatan_id", "instansi_id", "alasan", "pensiun_pemangku", "jumlah_kandidat"
        )
    )
    candidates = set(
        Kandidat.objects.values_list(
            "target__periode_id", "target__jabatan_id", "pegawai_id", "penempatan_id", "peringkat", "jpm_target",
            "kesiapan",
        )
    )  # fmt: skip
    nominations = set(
        Nominasi.objects.values_list("id", "status", "perlu_ditinjau", "alasan_tinjau", "jpm_target", "kesiapan_bawaan")
    )
    calibrations = set(Kalibrasi.objects.values_list("id", "perlu_ditinjau", "kotak_hitung_terbaru"))
    out_of_plan = set(PengangkatanDiluarRencana.objects.values_list("periode_id", "jabatan_id", "pegawai_id"))
    dashboards = {pk: _dashboard(pk) for pk in periode_ids}
    return {
        "penempatan": placements,
        "target": targets,
        "kandidat": candidates,
        "nominasi": nominations,
        "kalibrasi": calibrations,
        "luar_rencana": out_of_plan,
        "dasbor": dashboards,
    }


def _dashboard(periode_id: int):
    """The dashboard rows as a page would read them (from the cache when it holds them)."""
    rows = dashboard_rows(periode=Periode.objects.get(pk=periode_id))
    return {key: value for key, value in rows.items() if key != "dibuat"}


class PipelineMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        # Each example starts from the same world and leaves nothing behind.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        cache.clear()

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)
        cache.clear()

    def run(self, action):
        """Do what a user does, then let the commit fire the queued refreshes (eager Celery here)."""
        with self.capture(execute=True):
            action()

    @initialize()
    def world(self):
        self.instansi = {kode: Instansi.objects.get(kode=kode) for kode in KODES}
        self.operator = {kode: UserFactory(role=Role.OPERATOR, instansi=i) for kode, i in self.instansi.items()}
        self.ppk = {kode: UserFactory(role=Role.PPK, instansi=i) for kode, i in self.instansi.items()}
        self.tim = {kode: UserFactory(role=Role.TIM_TALENTA, instansi=i) for kode, i in self.instansi.items()}
        self.admin = UserFactory(role=Role.ADMIN, instansi=None)
        administrator = Jenjang.objects.get(nama="Administrator")
        pengawas = Jenjang.objects.get(nama="Pengawas")
        self.jabatan = []
        serial = 0
        for instansi in self.instansi.values():
            unit = UnitKerjaFactory(instansi=instansi)
            # A critical head position from the start: each instansi has a target with two candidates.
            head = JabatanFactory(unit_kerja=unit, jenjang=administrator, dalam_struktur=True, kritikal=True)
            self.jabatan.append(head)
            PegawaiFactory(nip=f"197001012000011{serial:03d}", jabatan=head, golongan_id="IV/a")
            serial += 1
            for _ in range(2):
                feeder = JabatanFactory(unit_kerja=unit, jenjang=pengawas)
                self.jabatan.append(feeder)
                talent = PegawaiFactory(nip=f"198001012005011{serial:03d}", jabatan=feeder, golongan_id="III/d")
                serial += 1
                SkpResult.objects.create(pegawai=talent, tahun=2025, predikat="Sangat Baik")
                SkpResult.objects.create(pegawai=talent, tahun=2024, predikat="Sangat Baik")
                Asesmen.objects.create(
                    pegawai=talent,
                    tanggal_asesmen=dt.date(2024, 6, 1),
                    skor_potensi=Decimal(88),
                    **dict.fromkeys(KOMPETENSI_FIELDS, 3),
                )
        self.serial = serial
        self.run(lambda: assessment_services.periode_create(tahun=2026, tanggal_acuan=dt.date(2026, 1, 31)))
        pipeline.refresh_now(
            periode_id=Periode.objects.get(tahun=2026).pk, instansi_ids=[i.pk for i in self.instansi.values()]
        )

    # --- what users do --------------------------------------------------------------------------------

    def _pegawai(self, index: int) -> Pegawai:
        people = list(Pegawai.objects.order_by("nip"))
        return people[index % len(people)]

    @rule(kode=st.sampled_from(KODES), predikat=st.sampled_from(PREDIKAT), new=st.booleans())
    def import_pegawai_and_kinerja(self, kode, predikat, new):
        """An operator imports a pegawai file (a new person, or an update) and their SKP."""
        instansi = self.instansi[kode]
        existing = Pegawai.objects.filter(instansi=instansi).order_by("nip").first()
        if new or existing is None:
            nip = f"199001012015011{self.serial:03d}"
            self.serial += 1
        else:
            nip = existing.nip
        row = {
            "nip": nip, "nama": f"Pegawai {nip[-3:]}", "gelar_depan": "", "gelar_belakang": "", "jenis_asn": "PNS",
            "instansi": kode, "unit_kerja": "Bagian Impor", "jabatan": "Kepala Subbagian Impor", "jenjang": "Pengawas",
            "golongan": "III/d", "pendidikan": "S2", "tmt_jabatan": "2020-01-01",
        }  # fmt: skip
        operator = self.operator[kode]

        def imports():
            pegawai_file = write_csv(HEADERS, [[row[h] for h in HEADERS]])
            assert import_run(kind="pegawai", data=pegawai_file, filename="p.csv", user=operator, write=True).ok
            kinerja = write_csv(["nip", "tahun", "predikat"], [[nip, "2025", predikat], [nip, "2024", predikat]])
            assert import_run(kind="kinerja", data=kinerja, filename="k.csv", user=operator, write=True).ok

        self.run(imports)

    @rule(index=st.integers(0, 50), predikat=st.sampled_from(PREDIKAT), tahun=st.sampled_from([2024, 2025]))
    def edit_skp(self, index, predikat, tahun):
        pegawai = self._pegawai(index)
        record = SkpResult.objects.filter(pegawai=pegawai, tahun=tahun).first() or SkpResult(pegawai=pegawai)
        operator = self.operator[pegawai.instansi.kode]
        self.run(
            lambda: assessment_services.record_save(
                user=operator, record=record, data={"tahun": tahun, "predikat": predikat}
            )
        )

    @rule(index=st.integers(0, 50), skor=st.integers(40, 99), level=st.integers(1, 5))
    def edit_asesmen(self, index, skor, level):
        pegawai = self._pegawai(index)
        record = Asesmen.objects.filter(pegawai=pegawai).first() or Asesmen(pegawai=pegawai)
        data = {"tanggal_asesmen": dt.date(2025, 3, 1), "skor_potensi": Decimal(skor)}
        data |= dict.fromkeys(KOMPETENSI_FIELDS, level)
        operator = self.operator[pegawai.instansi.kode]
        self.run(lambda: assessment_services.record_save(user=operator, record=record, data=data))

    @rule(index=st.integers(0, 50), tingkat=st.sampled_from(["Ringan", "Sedang", "Berat"]))
    def add_sanction(self, index, tingkat):
        pegawai = self._pegawai(index)
        if HukumanDisiplin.objects.filter(pegawai=pegawai).exists():
            record = HukumanDisiplin.objects.filter(pegawai=pegawai).first()
            self.run(lambda: assessment_services.record_delete(user=self.admin, record=record))
            return
        record = HukumanDisiplin(pegawai=pegawai)
        data = {"tingkat": tingkat, "tanggal_sk": dt.date(2025, 6, 1)}
        self.run(lambda: assessment_services.record_save(user=self.admin, record=record, data=data))

    @rule(index=st.integers(0, 50), destination=st.integers(0, 50))
    def move_pegawai(self, index, destination):
        """An admin moves a pegawai to a jabatan of another instansi (both instansi must follow)."""
        pegawai = self._pegawai(index)
        jabatan = self.jabatan[destination % len(self.jabatan)]
        if jabatan.unit_kerja.instansi_id == pegawai.instansi_id:
            return
        self.run(lambda: pegawai_save(user=self.admin, pegawai=pegawai, data={"jabatan": jabatan}))

    @rule(index=st.integers(0, 50))
    def toggle_kritikal(self, index):
        jabatan = Jabatan.objects.get(pk=self.jabatan[index % len(self.jabatan)].pk)
        operator = self.operator[jabatan.unit_kerja.instansi.kode]
        self.run(lambda: jabatan_save(user=operator, jabatan=jabatan, data={"kritikal": not jabatan.kritikal}))

    @rule(kode=st.sampled_from(KODES))
    def add_vacant_jabatan(self, kode):
        unit = self.jabatan[KODES.index(kode) * 3].unit_kerja
        jabatan = Jabatan(
            unit_kerja=unit, nama=f"Jabatan Kosong {self.serial}", jenjang=Jenjang.objects.get(nama="Administrator")
        )
        self.serial += 1
        self.run(lambda: jabatan_save(user=self.operator[kode], jabatan=jabatan, data={}))
        self.jabatan.append(jabatan)

    @rule(kode=st.sampled_from(KODES))
    def nominate_top_candidate(self, kode):
        target = TargetSuksesi.objects.filter(
            instansi__kode=kode, periode__status=Periode.Status.OPEN, jumlah_kandidat__gt=0
        ).first()
        if target is None:
            return
        top = target.kandidat.order_by("peringkat").first()
        if Nominasi.objects.filter(periode=target.periode, jabatan=target.jabatan, pegawai=top.pegawai).exists():
            return
        self.run(
            lambda: nomination_create(
                user=self.operator[kode], periode=target.periode, jabatan=target.jabatan, pegawai_ids=[top.pegawai_id]
            )
        )

    @rule(kode=st.sampled_from(KODES), kotak=st.integers(1, 9), finalise=st.booleans())
    def calibrate(self, kode, kotak, finalise):
        """A meeting moves a person; its move counts only if the meeting is finalised."""
        placement = (
            Penempatan.objects.filter(instansi__kode=kode, lengkap=True, periode__status=Periode.Status.OPEN)
            .exclude(kotak=kotak)
            .order_by("pegawai__nip")
            .first()
        )
        if placement is None:
            return
        ppk, tim = self.ppk[kode], self.tim[kode]

        def move():
            rapat = assessment_services.rapat_create(
                user=ppk,
                periode=placement.periode,
                instansi=self.instansi[kode],
                data={"tanggal": dt.date(2026, 3, 1), "tempat": "Aula", "ketua": "Sekda"},
            )
            assessment_services.anggota_add(user=ppk, rapat=rapat, data={"user": tim, "nama": "Tim Talenta"})
            kalibrasi = assessment_services.kalibrasi_propose(
                user=ppk, rapat=rapat, penempatan_id=placement.pk, kotak_baru=kotak, jenis_alasan="bukti_kinerja",
                alasan="Bukti kinerja terbaru dari atasan.",
            )  # fmt: skip
            if scoring.needs_second_agreement(placement.kotak, kotak):
                assessment_services.kalibrasi_agree(user=tim, kalibrasi=kalibrasi)
            if finalise:
                assessment_services.rapat_finalise(user=ppk, rapat=rapat)

        self.run(move)

    @rule(kode=st.sampled_from(KODES), batas=st.sampled_from(["75", "85", "95"]), default=st.booleans())
    def choose_scheme(self, kode, batas, default):
        periode = Periode.objects.filter(status=Periode.Status.OPEN).order_by("tahun").first()
        instansi = self.instansi[kode]
        if default:
            self.run(
                lambda: assessment_services.skema_choose(
                    user=self.admin, periode=periode, instansi=instansi, skema=None
                )
            )
            return
        source = Skema.objects.default()
        values = {name: getattr(source, name) for name in assessment_services.SCHEME_NUMBER_FIELDS}
        values["batas_kinerja_atas"] = Decimal(batas)
        nama = f"Versi {kode}-{batas}"
        skema = Skema.objects.filter(instansi=instansi, nama=nama).first() or assessment_services.skema_copy(
            user=self.admin, source=source, instansi=instansi, nama=nama, values=values
        )
        self.run(
            lambda: assessment_services.skema_choose(user=self.admin, periode=periode, instansi=instansi, skema=skema)
        )

    @rule()
    def create_next_period(self):
        tahun = Periode.objects.order_by("-tahun").values_list("tahun", flat=True).first() + 1
        if tahun > 2028:
            return
        self.run(lambda: assessment_services.periode_create(tahun=tahun, tanggal_acuan=dt.date(tahun, 1, 31)))
        # A new period is computed by the province-wide "hitung ulang" (or the nightly run).
        self.run(lambda: pipeline.queue_refresh(periode_ids=[Periode.objects.get(tahun=tahun).pk]))

    @rule()
    def close_oldest_open_period(self):
        open_periods = Periode.objects.filter(status=Periode.Status.OPEN).order_by("tahun")
        if open_periods.count() < 2:
            return
        oldest = open_periods.first()
        self.run(
            lambda: assessment_services.periode_set_status(
                user=self.admin, periode=oldest, status=Periode.Status.CLOSED
            )
        )

    # --- the property ------------------------------------------------------------------------------------

    @invariant()
    def derived_data_equals_a_from_scratch_recompute(self):
        if not hasattr(self, "instansi"):
            return
        periode_ids = list(Periode.objects.order_by("tahun").values_list("pk", flat=True))
        incremental = snapshot(periode_ids)
        cache.clear()
        # The other twelve instansi hold no data: a refresh there would find nothing, and nothing is there.
        mine = [i.pk for i in self.instansi.values()]
        assert not Penempatan.objects.exclude(instansi__in=mine).exists()
        assert not TargetSuksesi.objects.exclude(instansi__in=mine).exists()
        with self.capture(execute=True):
            for periode_id in Periode.objects.exclude(status=Periode.Status.CLOSED).values_list("pk", flat=True):
                pipeline.refresh_now(periode_id=periode_id, instansi_ids=mine)
        from_scratch = snapshot(periode_ids)
        for table in incremental:
            assert incremental[table] == from_scratch[table], table


def test_derived_data_always_equals_a_from_scratch_recompute(reference_data, django_capture_on_commit_callbacks):
    PipelineMachine.capture = staticmethod(django_capture_on_commit_callbacks)
    run_state_machine_as_test(
        PipelineMachine,
        settings=settings(
            max_examples=8,
            stateful_step_count=8,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
