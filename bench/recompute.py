"""The recompute pipeline against the physical floor, on PostgreSQL, reported as JSON.

    .venv/bin/python bench/recompute.py                    # 100,000 pegawai (make bench-recompute)
    .venv/bin/python bench/recompute.py --pegawai 500000   # the linearity run (no worker part)

Seeds a fresh database (BENCH_DATABASE_URL, default talenta_bench) with synthetic pegawai spread over
the 15 instansi, their SKP, asesmen and disiplin records, a 2026 period and a structure with targets
(every manajerial jabatan recorded, a quarter critical), then measures in the same run:

- the floor: every input table read once (COPY … TO STDOUT) plus the derived rows of a full refresh
  (placements, targets, candidates) COPYed into fresh tables LIKE … INCLUDING ALL;
- a full refresh (derived tables empty: every row written), twice, each beside its own floor;
- a refresh with nothing changed (nothing to write), twice;
- the province on real Celery workers (`--pool=solo` processes, Redis broker CELERY_BROKER_URL),
  one worker and then two, full refresh each time, with each worker's peak resident memory;
- the peak memory of one instansi's refresh in a fresh process (the largest instansi).

The machine is shared: every figure is also given as a ratio to the floor measured in the same run,
and the full refresh and the floor also in CPU seconds of this process and of its PostgreSQL backend
(read from /proc when the server runs on this host), which move far less with the load than wall time,
and the load average (1, 5, 15 minutes) at the start and the end.
Results go to bench/results/recompute-<pegawai>.json.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BENCH_DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/talenta_bench")
os.environ["DATABASE_URL"] = BENCH_DATABASE_URL
os.environ["DJANGO_DEBUG"] = "false"  # DEBUG would keep every query in memory
os.environ["DJANGO_SETTINGS_MODULE"] = "talenta.settings.local"
# Seeding queues refreshes on commit; no worker runs then, and the queue is purged before the worker part.
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"

INPUT_TABLES = [
    "asn_instansi",
    "asn_jenjang",
    "asn_golongan",
    "asn_unitkerja",
    "asn_jabatan",
    "asn_pegawai",
    "assessment_periode",
    "assessment_skema",
    "assessment_pilihanskema",
    "assessment_skpresult",
    "assessment_asesmen",
    "assessment_hukumandisiplin",
    "assessment_kalibrasi",
    "succession_nominasi",
]
DERIVED_TABLES = ["assessment_penempatan", "succession_targetsuksesi", "succession_kandidat"]


def recreate_database():
    import psycopg

    url = urlparse(BENCH_DATABASE_URL)
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{url.path.lstrip("/")}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{url.path.lstrip("/")}"')


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return round(time.perf_counter() - start, 2), result


def cpu_now() -> tuple[float, float | None]:
    """CPU seconds so far of this process and of its PostgreSQL backend (None when not on this host)."""
    from django.db import connection

    if urlparse(BENCH_DATABASE_URL).hostname not in ("127.0.0.1", "localhost", "::1"):
        return time.process_time(), None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        # After the command name in parentheses: utime and stime are the 12th and 13th fields.
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return time.process_time(), None
    return time.process_time(), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_since(start: tuple[float, float | None], spent: dict | None = None) -> dict:
    """CPU seconds since `start` (from `cpu_now`), added to those already `spent`."""
    python, backend = cpu_now()
    spent = spent or {"python": 0.0, "postgresql": 0.0}
    return {
        "python": round(spent["python"] + python - start[0], 2),
        "postgresql": None
        if backend is None or start[1] is None or spent["postgresql"] is None
        else round(spent["postgresql"] + backend - start[1], 2),
    }


def seed(pegawai: int) -> int:
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from asn.demo import generate_pegawai
    from asn.models import Jabatan, Pegawai
    from asn.services import pegawai_bulk_upsert
    from assessment.demo import generate_records
    from assessment.models import Asesmen, HukumanDisiplin, Periode, SkpResult
    from talenta.bulk import insert_rows

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    nip_taken: set[str] = set()
    for start in range(0, pegawai, 100_000):
        rows = generate_pegawai(min(100_000, pegawai - start), seed=7 + start, today=today, nip_taken=nip_taken)
        pegawai_bulk_upsert(rows, None, "bench")
    now = timezone.now()
    levels = list(Pegawai.objects.values_list("id", "jabatan__jenjang__level_standar"))
    for start in range(0, len(levels), 100_000):
        records = generate_records(levels[start : start + 100_000], tahun=2026, today=today, seed=7)
        for model, objs in zip((SkpResult, Asesmen, HukumanDisiplin), records, strict=True):
            for obj in objs:
                obj.diubah = now
            insert_rows(model, objs)
    periode = Periode.objects.create(tahun=2026, tanggal_acuan=dt.date(2026, 1, 31))
    manajerial = Jabatan.objects.filter(jenjang__kelompok="manajerial")
    manajerial.update(dalam_struktur=True)
    Jabatan.objects.filter(pk__in=[pk for pk in manajerial.values_list("pk", flat=True) if pk % 4 == 0]).update(
        kritikal=True
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return periode.pk


def floor() -> dict:
    """Read every input table once, and write the current derived rows into fresh tables of the same shape."""
    from django.db import connection

    with connection.cursor() as cursor:
        raw = cursor.cursor
        cpu_start = cpu_now()
        start = time.perf_counter()
        read_bytes = 0
        for table in INPUT_TABLES:
            with raw.copy(f"COPY {table} TO STDOUT") as copy:
                for chunk in copy:
                    read_bytes += len(chunk)
        read = time.perf_counter() - start
        cpu = cpu_since(cpu_start)
        derived = {}
        for table in DERIVED_TABLES:
            data = bytearray()
            with raw.copy(f"COPY {table} TO STDOUT") as copy:
                for chunk in copy:
                    data += chunk
            derived[table] = bytes(data)
        cpu_start = cpu_now()
        start = time.perf_counter()
        for table, data in derived.items():
            cursor.execute(f"CREATE TABLE floor_{table} (LIKE {table} INCLUDING ALL)")
            with raw.copy(f"COPY floor_{table} FROM STDIN") as copy:
                copy.write(data)
        write = time.perf_counter() - start
        cpu = cpu_since(cpu_start, cpu)
        for table in derived:
            cursor.execute(f"DROP TABLE floor_{table}")
    return {
        "read_seconds": round(read, 2),
        "write_seconds": round(write, 2),
        "seconds": round(read + write, 2),
        "read_mb": round(read_bytes / 1e6, 1),
        "written_mb": round(sum(len(d) for d in derived.values()) / 1e6, 1),
        "cpu_seconds": cpu,
    }


def rows_written() -> int:
    """Rows inserted, updated or deleted in the derived tables since the server started (PostgreSQL's counters)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_user_tables"
            " WHERE relname = ANY(%s)",
            [DERIVED_TABLES],
        )
        return int(cursor.fetchone()[0])


def empty_derived() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        # Calibrations point at placements; the benchmark has none, so the set stays as seeded.
        cursor.execute(f"TRUNCATE {', '.join(DERIVED_TABLES)}, assessment_kalibrasi")


def full_refresh(periode_id: int) -> dict:
    from talenta import pipeline

    empty_derived()
    cpu_start = cpu_now()
    seconds, totals = timed(lambda: pipeline.refresh_now(periode_id=periode_id))
    return {"seconds": seconds, "cpu_seconds": cpu_since(cpu_start), **totals}


def unchanged_refresh(periode_id: int) -> dict:
    from talenta import pipeline

    before = rows_written()
    seconds, _ = timed(lambda: pipeline.refresh_now(periode_id=periode_id))
    time.sleep(0.6)  # the statistics collector reports a little after commit
    return {"seconds": seconds, "rows_written": rows_written() - before}


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError(f"no VmHWM for {pid}")


def on_workers(periode_id: int, workers: int) -> dict:
    """A full refresh of every instansi, queued as the nightly job does, on `workers` solo worker processes."""
    from django.conf import settings
    from django.utils import timezone

    from assessment.models import Perhitungan
    from talenta import celery_app, pipeline

    empty_derived()
    Perhitungan.objects.update(diantrekan=None, dimulai=None, galat="")
    celery_app.control.purge()
    env = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": "false", "CELERY_BROKER_URL": settings.CELERY_BROKER_URL}
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "talenta",
                "worker",
                "--pool=solo",
                "-l",
                "warning",
                "-n",
                f"bench{index}@%h",
                "-Q",
                settings.CELERY_TASK_DEFAULT_QUEUE,
            ],
            env=env,
            cwd=ROOT,
        )  # fmt: skip
        for index in range(workers)
    ]
    try:
        time.sleep(4)  # the workers connect and import Django before the clock starts
        started = timezone.now()
        start = time.perf_counter()
        queued = pipeline.queue_refresh(periode_ids=[periode_id])
        while True:
            done = Perhitungan.objects.filter(periode_id=periode_id, selesai__gte=started).count()
            failed = list(Perhitungan.objects.filter(periode_id=periode_id).exclude(galat="").values_list("galat"))
            if failed:
                raise RuntimeError(failed)
            if done == queued:
                break
            time.sleep(0.1)
        seconds = time.perf_counter() - start
        peaks = [peak_rss_mb(process.pid) for process in processes]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
    return {"workers": workers, "seconds": round(seconds, 2), "instansi": queued, "peak_rss_mb_per_worker": peaks}


def one_instansi_memory(periode_id: int, instansi_id: int) -> dict:
    """Peak memory of refreshing one instansi in a fresh process, beside the same process before it."""
    empty_derived()
    # The peak RSS is the process's own VmHWM: ru_maxrss survives fork and exec on Linux, so in the
    # fresh process it would start at this (larger) bench process's peak.
    script = (
        f"import sys, os, json; sys.path.insert(0, {str(ROOT)!r});"
        "import bench.recompute;"
        "import django; django.setup();"
        "from asn.models import Pegawai; Pegawai.objects.first();"
        "before = bench.recompute.peak_rss_mb(os.getpid());"
        "import tracemalloc; tracemalloc.start();"
        f"from talenta import pipeline; pipeline.refresh(periode_id={periode_id}, instansi_id={instansi_id});"
        "python_peak = tracemalloc.get_traced_memory()[1]; tracemalloc.stop();"
        "after = bench.recompute.peak_rss_mb(os.getpid());"
        "print(json.dumps([before, after, python_peak]))"
    )
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    before, after, python_peak = json.loads(output.stdout.strip().splitlines()[-1])
    return {
        "baseline_rss_mb": before,
        "peak_rss_mb": after,
        "python_peak_mb": round(python_peak / 1e6, 1),
    }


def cpu_ratio(refresh: dict, floor_cpu: dict) -> float | None:
    if refresh["postgresql"] is None or floor_cpu["postgresql"] is None:
        return None
    return round((refresh["python"] + refresh["postgresql"]) / (floor_cpu["python"] + floor_cpu["postgresql"]), 2)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pegawai", type=int, default=100_000)
    parser.add_argument("--no-workers", action="store_true", help="skip the Celery worker part")
    parser.add_argument("--reuse", action="store_true", help="measure the database seeded by the last run")
    args = parser.parse_args()
    if not args.reuse:
        recreate_database()
    import django

    django.setup()
    from django.conf import settings
    from django.db.models import Count

    from asn.models import Pegawai

    # The machine is shared: the load average beside the figures says how much.
    results = {"database": "postgresql", "load_average": {"start": [round(x, 2) for x in os.getloadavg()]}}
    if args.reuse:
        from assessment.models import Periode

        periode_id = Periode.objects.get(tahun=2026).pk
        args.pegawai = Pegawai.objects.count()
    else:
        results["seed_seconds"], periode_id = timed(lambda: seed(args.pegawai))
    results["pegawai"] = args.pegawai
    by_instansi = list(Pegawai.objects.values("instansi_id").annotate(n=Count("id")).order_by("-n"))
    results["pegawai_largest_instansi"] = by_instansi[0]["n"]

    runs = []
    for _ in range(2):
        refresh = full_refresh(periode_id)
        measured = floor()
        runs.append(
            {
                "refresh": refresh,
                "floor": measured,
                "ratio": round(refresh["seconds"] / measured["seconds"], 2),
                "cpu_ratio": cpu_ratio(refresh["cpu_seconds"], measured["cpu_seconds"]),
            }
        )
    results["full_refresh"] = runs
    unchanged = []
    for _ in range(2):
        again = unchanged_refresh(periode_id)
        unchanged.append({**again, "ratio": round(again["seconds"] / runs[-1]["floor"]["seconds"], 2)})
    results["unchanged_refresh"] = unchanged
    results["one_instansi_memory"] = {
        "pegawai": by_instansi[0]["n"],
        **one_instansi_memory(periode_id, by_instansi[0]["instansi_id"]),
    }
    if not args.no_workers and settings.CELERY_BROKER_URL.startswith("redis://"):
        one, two = on_workers(periode_id, 1), on_workers(periode_id, 2)
        results["province_on_workers"] = {"one": one, "two": two, "speedup": round(one["seconds"] / two["seconds"], 2)}
    results["load_average"]["end"] = [round(x, 2) for x in os.getloadavg()]
    results["bench_peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)

    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"recompute-{args.pegawai}.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
