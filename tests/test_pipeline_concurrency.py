"""Refreshes of different instansi run side by side; two of the same (periode, instansi) take turns."""

import threading
import time

import pytest
from django.db import connection

from assessment.models import Penempatan, Periode
from talenta import pipeline
from tests.conftest import require_service
from tests.factories import PegawaiFactory

pytestmark = pytest.mark.django_db(transaction=True)


class HeldRefresh(threading.Thread):
    """A refresh whose progress callback stops it while it holds its pair's lock, until released."""

    def __init__(self, periode_id: int, instansi_id: int, hold: bool):
        super().__init__()
        self.periode_id, self.instansi_id = periode_id, instansi_id
        self.inside, self.release = threading.Event(), threading.Event()
        self.hold = hold
        self.finished_at = None
        self.error = None

    def report(self, step, stage, done, total):
        if self.hold and (step, stage) == ("penempatan", "menyimpan"):
            self.inside.set()
            assert self.release.wait(30)

    def run(self):
        try:
            pipeline.refresh(periode_id=self.periode_id, instansi_id=self.instansi_id, report=self.report)
            self.finished_at = time.monotonic()
        except Exception as exc:  # surfaced by the test's assertions
            self.error = exc
        finally:
            connection.close()


def test_two_instansi_overlap_and_the_same_pair_serialises(reference_data, sambas, bengkayang):
    require_service("PostgreSQL", connection.vendor == "postgresql")
    for _ in range(3):
        PegawaiFactory(jabatan__unit_kerja__instansi=sambas)
        PegawaiFactory(jabatan__unit_kerja__instansi=bengkayang)
    periode = Periode.objects.create(tahun=2026, tanggal_acuan="2026-01-31")

    first = HeldRefresh(periode.pk, sambas.pk, hold=True)
    first.start()
    assert first.inside.wait(30), "the first refresh never reached its write"

    # Another instansi is not held up by the one that is mid-refresh: measured overlap.
    other = HeldRefresh(periode.pk, bengkayang.pk, hold=False)
    other.start()
    other.join(30)
    assert other.finished_at is not None and other.error is None
    assert not first.finished_at  # still inside its transaction when the other instansi finished

    # The same pair waits for the lock.
    same = HeldRefresh(periode.pk, sambas.pk, hold=False)
    same.start()
    time.sleep(1.5)
    assert same.is_alive() and same.finished_at is None

    first.release.set()
    first.join(30)
    same.join(30)
    assert (first.error, same.error) == (None, None)
    assert same.finished_at >= first.finished_at
    # Both runs of the pair wrote the same rows once: one placement per pegawai, none lost.
    placed = list(Penempatan.objects.filter(periode=periode).values_list("instansi__kode", "pegawai_id"))
    assert sorted(kode for kode, _ in placed) == ["6101"] * 3 + ["6102"] * 3
    assert len({pegawai for _, pegawai in placed}) == 6
