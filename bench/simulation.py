"""A province-wide what-if simulation against the real recompute, on PostgreSQL, reported as JSON.

    .venv/bin/python bench/simulation.py                 # 100,000 pegawai
    .venv/bin/python bench/simulation.py --reuse         # the database seeded by the last run

Seeds the same synthetic province as bench/recompute.py (BENCH_DATABASE_URL) and measures in one run:

- the real recompute's full refresh of every instansi (derived tables emptied first: every row
  written), twice;
- a province-wide simulation of a draft equal to the default scheme (`simulasi_run`: every instansi
  through the recompute's generator into the scratch table), twice, each as a ratio to the full
  refresh before it (issue 15 A4: at most 1.5);
- the overlap: a province simulation in another process while this one refreshes the largest
  instansi for real. The advisory locks of the pipeline (`talenta.pipeline._lock_pair`) are sampled
  while the simulation runs alone (none may be held), and the refresh's time beside the simulation
  is set against the same refresh alone: a refresh that waited for the simulation would take at
  least the simulation's remaining time.

The machine is shared: the load average (1, 5, 15 minutes) at the start and the end is kept beside
the figures. Results go to bench/results/simulation-<pegawai>.json.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import recompute  # noqa: E402  (sets the bench database and settings before Django loads)


def draft_and_admin():
    """A scheme version equal to the default one, owned by the province, and a province admin to run it."""
    from asn.models import Instansi, Role, User
    from assessment.models import Skema
    from assessment.services import SCHEME_NUMBER_FIELDS, skema_copy

    admin, _ = User.objects.get_or_create(username="bench-admin-provinsi", defaults={"role": Role.ADMIN})
    default = Skema.objects.default()
    skema = Skema.objects.filter(nama="Bench: sama dengan bawaan").first() or skema_copy(
        user=admin,
        source=default,
        instansi=Instansi.objects.order_by("kode").first(),
        nama="Bench: sama dengan bawaan",
        values={name: getattr(default, name) for name in SCHEME_NUMBER_FIELDS},
    )
    return admin, skema


def new_simulation(periode_id: int, admin, skema) -> int:
    """A queued province simulation; run here, not by a worker, so the clock measures only the run."""
    from assessment.models import Simulasi

    return Simulasi.objects.create(
        periode_id=periode_id, instansi=None, skema=skema, skema_berlaku=None, dibuat_oleh=admin
    ).pk


def province_simulation(periode_id: int, admin, skema) -> dict:
    from assessment.models import Simulasi
    from assessment.services import simulasi_run

    simulasi_id = new_simulation(periode_id, admin, skema)
    cpu_start = recompute.cpu_now()
    seconds, placed = recompute.timed(lambda: simulasi_run(simulasi_id=simulasi_id))
    status = Simulasi.objects.get(pk=simulasi_id).status
    if status != Simulasi.Status.SELESAI:
        raise RuntimeError(f"simulation {simulasi_id} ended {status}")
    return {"seconds": seconds, "cpu_seconds": recompute.cpu_since(cpu_start), "pegawai": placed}


def advisory_locks() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        # pg_locks covers the whole server (other databases too): this database's locks only.
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        )
        return int(cursor.fetchone()[0])


def one_refresh(periode_id: int, instansi_id: int) -> float:
    from talenta import pipeline

    seconds, _ = recompute.timed(lambda: pipeline.refresh(periode_id=periode_id, instansi_id=instansi_id))
    return seconds


def overlap(periode_id: int, instansi_id: int, pegawai: int, admin, skema) -> dict:
    """A province simulation in a second process while this one refreshes an instansi for real."""
    from assessment.models import Simulasi

    alone = one_refresh(periode_id, instansi_id)
    simulasi_id = new_simulation(periode_id, admin, skema)
    script = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r});"
        "import bench.recompute, django; django.setup();"
        "from assessment.services import simulasi_run;"
        f"simulasi_run(simulasi_id={simulasi_id})"
    )
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    try:
        while not Simulasi.objects.filter(pk=simulasi_id, status=Simulasi.Status.BERJALAN).exists():
            time.sleep(0.05)
        # The simulation alone for a second: the pipeline's advisory locks it would hold.
        samples = []
        for _ in range(10):
            samples.append(advisory_locks())
            time.sleep(0.1)
        refresh_started = time.perf_counter() - start
        beside = one_refresh(periode_id, instansi_id)
        refresh_ended = time.perf_counter() - start
        simulation_running_at_refresh_end = Simulasi.objects.filter(
            pk=simulasi_id, status=Simulasi.Status.BERJALAN
        ).exists()
        process.wait(timeout=600)
        simulation_seconds = time.perf_counter() - start
    finally:
        if process.poll() is None:
            process.terminate()
    status = Simulasi.objects.get(pk=simulasi_id).status
    return {
        "refreshed_instansi_pegawai": pegawai,
        "refresh_alone_seconds": alone,
        "refresh_beside_simulation_seconds": beside,
        "refresh_started_after_seconds": round(refresh_started, 2),
        "refresh_ended_after_seconds": round(refresh_ended, 2),
        "simulation_seconds": round(simulation_seconds, 2),
        "simulation_still_running_when_refresh_ended": simulation_running_at_refresh_end,
        "simulation_status": status,
        "pipeline_advisory_locks_held_during_simulation_max": max(samples),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pegawai", type=int, default=100_000)
    parser.add_argument("--reuse", action="store_true", help="measure the database seeded by the last run")
    args = parser.parse_args()
    if not args.reuse:
        recompute.recreate_database()
    import django

    django.setup()
    from django.db.models import Count

    from asn.models import Pegawai
    from assessment.models import Periode

    results = {"database": "postgresql", "load_average": {"start": [round(x, 2) for x in os.getloadavg()]}}
    if args.reuse:
        periode_id = Periode.objects.get(tahun=2026).pk
        args.pegawai = Pegawai.objects.count()
    else:
        results["seed_seconds"], periode_id = recompute.timed(lambda: recompute.seed(args.pegawai))
    results["pegawai"] = args.pegawai
    admin, skema = draft_and_admin()
    runs = []
    for _ in range(2):
        refresh = recompute.full_refresh(periode_id)
        simulation = province_simulation(periode_id, admin, skema)
        runs.append(
            {
                "full_refresh": refresh,
                "simulation": simulation,
                "ratio": round(simulation["seconds"] / refresh["seconds"], 2),
            }
        )
    results["province_simulation"] = runs
    largest = Pegawai.objects.values("instansi_id").annotate(n=Count("id")).order_by("-n").first()
    results["overlap"] = overlap(periode_id, largest["instansi_id"], largest["n"], admin, skema)
    results["load_average"]["end"] = [round(x, 2) for x in os.getloadavg()]

    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"simulation-{args.pegawai}.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
