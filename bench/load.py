"""A bounded load test: gunicorn on 127.0.0.1 with production settings, logged-in users of every role.

    python bench/load.py --pegawai 6600 --users 50 --users 120 [--saturate] [--duration 60]

1. Builds (or reuses, when it already holds N pegawai) the database LOAD_DATABASE_URL
   (default postgres://postgres@127.0.0.1:5432/talenta_load) with `seed_demo --pegawai N`:
   the 15 instansi, SKP/asesmen/disiplin, two computed periods, succession data and the demo
   users of every role (operator, PPK, Tim Talenta per instansi, BKN, admin).
2. Collects the static files into a temporary directory and measures each page once more
   in-process (Django test client, same settings): its query count and its median server time.
3. Starts gunicorn (`--workers`, default 3) with `talenta.settings.production` on a free port
   of 127.0.0.1, logs every demo account in through the login form (CSRF + session cookie),
   and lets U virtual users, spread over the accounts, loop over the pegawai list, a name
   search, a profile, the nine-box map, the talent pool, the dashboard (the provincial one for
   those who may see it, else their home page) and the API, waiting 1.5-2.5 s between
   requests as a person would. Each run lasts `--duration` seconds after a ramp-up and stops by
   itself; every request goes to 127.0.0.1 only.
   Without `--users` or `--saturate` only steps 1-2 run (the per-page query counts and times).
4. `--saturate` adds short steps of growing user counts until the served throughput stops
   rising, and reports the highest.

Prints JSON and writes it to `--output` (default bench/results/load.json). The load generator
runs on the same machine as the server, so it takes some of the same cores.
"""

import argparse
import http.client
import json
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PYTHON = sys.executable

LOAD_DATABASE_URL = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/talenta_load")
BROKER_URL = os.environ.get("LOAD_CELERY_BROKER_URL", "redis://127.0.0.1:6379/6")
CACHE_URL = os.environ.get("LOAD_CACHE_URL", "redis://127.0.0.1:6379/7")
DEMO_PASSWORD = "talenta-demo"  # the local-only password seed_demo gives its demo accounts
TAHUN = 2026
PAGES = ("daftar", "cari", "profil", "peta", "krs", "dasbor", "api")
THINK_SECONDS = (1.5, 2.5)
RAMP_SECONDS = 10
STOP_GAIN = 0.05  # saturation: a step that adds less than 5% throughput ends the search


def server_env(static_root: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "talenta.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver",
        "DATABASE_URL": LOAD_DATABASE_URL,
        "CELERY_BROKER_URL": BROKER_URL,
        "CACHE_URL": CACHE_URL,
        "STATIC_ROOT": static_root,
        "LOG_LEVEL": "ERROR",
    }


# --- the database ------------------------------------------------------------------------------------


def _admin_connect():
    import psycopg

    url = urlparse(LOAD_DATABASE_URL)
    return psycopg.connect(url._replace(path="/postgres").geturl(), autocommit=True), url.path.lstrip("/")


def pegawai_in_database() -> int | None:
    import psycopg

    try:
        with psycopg.connect(LOAD_DATABASE_URL) as conn:
            return conn.execute("SELECT count(*) FROM asn_pegawai").fetchone()[0]
    except psycopg.Error:
        return None


def build_database(pegawai: int, *, force: bool) -> dict:
    """seed_demo at N pegawai in a fresh database, unless it already holds exactly N."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "talenta.settings.local",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": LOAD_DATABASE_URL,
        "CACHE_URL": CACHE_URL,
        "CELERY_BROKER_URL": "memory://",
    }
    if not force and pegawai_in_database() == pegawai:
        subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        return {"built": False}
    conn, name = _admin_connect()
    with conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    start = time.perf_counter()
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([PYTHON, "manage.py", "seed_demo", "--pegawai", str(pegawai)], cwd=ROOT, env=env, check=True)
    import psycopg

    with psycopg.connect(LOAD_DATABASE_URL, autocommit=True) as db:
        db.execute("VACUUM ANALYZE")
    return {"built": True, "build_seconds": round(time.perf_counter() - start, 1)}


# --- what each account requests ----------------------------------------------------------------------


def plan_accounts() -> list[dict]:
    """Every demo account with the URLs of its loop (run after django.setup())."""
    from asn.models import Pegawai, User

    rng = random.Random(11)
    by_instansi = defaultdict(list)
    for pk, instansi_id, nama in Pegawai.objects.values_list("pk", "instansi_id", "nama").order_by("pk"):
        by_instansi[instansi_id].append((pk, nama))
    everyone = [p for people in by_instansi.values() for p in people]
    accounts = []
    for user in User.objects.filter(is_active=True).select_related("instansi").order_by("username"):
        people = everyone if user.sees_all_instansi else by_instansi.get(user.instansi_id, [])
        if not people:
            continue
        sample = rng.sample(people, min(20, len(people)))
        accounts.append(
            {
                "username": user.username,
                "role": user.role,
                "profiles": [f"/asn/pegawai/{pk}/" for pk, _ in sample],
                "searches": ["/asn/pegawai/?" + urlencode({"q": nama.split()[0]}) for _, nama in sample],
                "dasbor": "/penilaian/provinsi/" if user.can_see_province_dashboard else "/",
            }
        )
    return accounts


def url_for(account: dict, page: str, rng: random.Random) -> str:
    if page == "daftar":
        return "/asn/pegawai/"
    if page == "cari":
        return rng.choice(account["searches"])
    if page == "profil":
        return rng.choice(account["profiles"])
    if page == "peta":
        return f"/penilaian/peta/{TAHUN}/"
    if page == "krs":
        return f"/penilaian/krs/{TAHUN}/"
    if page == "dasbor":
        return account["dasbor"]
    return f"/api/v1/periode/{TAHUN}/penempatan/"


# --- in-process: query counts and server time per page -------------------------------------------------


def profile_pages(accounts: list[dict], repeat: int = 7) -> dict:
    """Per page and role: queries of one request, median server time over `repeat` (no other load)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from asn.models import User

    rng = random.Random(5)
    per_role = {}
    for account in accounts:
        per_role.setdefault(account["role"], account)
    result = {}
    for role, account in sorted(per_role.items()):
        client = Client()
        client.force_login(User.objects.get(username=account["username"]))
        for page in PAGES:
            url = url_for(account, page, rng)
            client.get(url, secure=True)  # warm
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, secure=True)
            # Read now: the next request empties the query log as it starts (request_started).
            query_count = len(queries)
            assert response.status_code == 200, (role, url, response.status_code)
            samples = []
            for _ in range(repeat):
                start = time.perf_counter()
                client.get(url, secure=True)
                samples.append((time.perf_counter() - start) * 1000)
            entry = result.setdefault(page, {"roles": {}})
            entry["roles"][role] = {
                "url": url,
                "queries": query_count,
                "server_ms_median": round(statistics.median(samples), 1),
                "bytes": len(response.content),
            }
    for entry in result.values():
        roles = entry["roles"].values()
        entry["queries_max"] = max(r["queries"] for r in roles)
        entry["server_ms_median_max"] = max(r["server_ms_median"] for r in roles)
    return result


# --- the server --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict, workers: int) -> tuple[subprocess.Popen, int]:
    port = free_port()
    process = subprocess.Popen(
        [
            str(Path(PYTHON).with_name("gunicorn")),
            "talenta.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _, _ = request(port, "GET", "/masuk/", {})
            if status == 200:
                return process, port
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError("gunicorn did not answer within 60 s")


def request(port: int, method: str, path: str, cookies: dict, body: bytes | None = None, headers=None):
    """One request as it arrives from the HTTPS proxy in front of gunicorn; a new connection each time."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        sent = {
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            **(headers or {}),
        }
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                cookies[name] = morsel.value
        return response.status, response.headers, content
    finally:
        conn.close()


CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def login(port: int, username: str) -> dict:
    cookies: dict = {}
    _, _, page = request(port, "GET", "/masuk/", cookies)
    token = CSRF_INPUT.search(page).group(1).decode()
    body = urlencode({"csrfmiddlewaretoken": token, "username": username, "password": DEMO_PASSWORD}).encode()
    status, headers, _ = request(
        port,
        "POST",
        "/masuk/",
        cookies,
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"https://127.0.0.1:{port}",
            "Referer": f"https://127.0.0.1:{port}/masuk/",
        },
    )
    if status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"login of {username} failed: {status}")
    return {"sessionid": cookies["sessionid"], "csrftoken": cookies.get("csrftoken", "")}


def login_all(port: int, accounts: list[dict]) -> None:
    """Each account signs in once (PBKDF2 costs ~0.4 s a login); its virtual users share the session."""
    errors = []

    def work(chunk):
        for account in chunk:
            try:
                account["cookies"] = login(port, account["username"])
            except Exception as exc:  # noqa: BLE001 (reported below, the run stops)
                errors.append(str(exc))

    threads = [threading.Thread(target=work, args=(accounts[i::4],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError("; ".join(errors[:3]))


# --- the load ----------------------------------------------------------------------------------------


def percentile(samples: list[float], q: float) -> float | None:
    if not samples:
        return None
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def run_load(port: int, accounts: list[dict], users: int, duration: float) -> dict:
    """U users for RAMP_SECONDS + duration; only requests that start after the ramp are counted."""
    records = []  # (page, status, ms)
    lock = threading.Lock()
    start = time.monotonic()
    measure_from = start + RAMP_SECONDS
    stop_at = measure_from + duration

    def user(index: int):
        rng = random.Random(index)
        account = accounts[index % len(accounts)]
        cookies = dict(account["cookies"])
        time.sleep(rng.uniform(0, RAMP_SECONDS))
        pages = list(PAGES)
        rng.shuffle(pages)
        step = 0
        while True:
            now = time.monotonic()
            if now >= stop_at:
                return
            page = pages[step % len(pages)]
            step += 1
            began = time.monotonic()
            try:
                status, _, _ = request(port, "GET", url_for(account, page, rng), cookies)
            except OSError as exc:
                status = type(exc).__name__
            elapsed = (time.monotonic() - began) * 1000
            if began >= measure_from and began < stop_at:
                with lock:
                    records.append((page, status, elapsed))
            time.sleep(rng.uniform(*THINK_SECONDS))

    threads = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=duration + RAMP_SECONDS + 120)
    ok = [ms for _, status, ms in records if status == 200]
    per_page = {}
    for page in PAGES:
        times = [ms for p, status, ms in records if p == page and status == 200]
        per_page[page] = {"requests": len(times), "p50_ms": percentile(times, 0.5), "p95_ms": percentile(times, 0.95)}
    think = statistics.mean(THINK_SECONDS)
    return {
        "users": users,
        "duration_seconds": duration,
        "requests": len(records),
        "req_per_s": round(len(records) / duration, 1),
        "offered_req_per_s_at_zero_latency": round(users / think, 1),
        "p50_ms": percentile(ok, 0.5),
        "p95_ms": percentile(ok, 0.95),
        "p99_ms": percentile(ok, 0.99),
        "errors": dict(Counter(str(status) for _, status, _ in records if status != 200)),
        "per_page": per_page,
    }


def saturate(port: int, accounts: list[dict], duration: float, steps: list[int]) -> dict:
    runs = []
    for users in steps:
        run = run_load(port, accounts, users, duration)
        runs.append({k: run[k] for k in ("users", "req_per_s", "p50_ms", "p95_ms", "errors")})
        if len(runs) > 1 and run["req_per_s"] < runs[-2]["req_per_s"] * (1 + STOP_GAIN):
            break
    return {"steps": runs, "saturation_req_per_s": max(r["req_per_s"] for r in runs)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pegawai", type=int, default=6600)
    parser.add_argument("--users", type=int, action="append", help="virtual users of a run (repeatable)")
    parser.add_argument("--duration", type=float, default=60, help="seconds measured per run, after the ramp")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--saturate", action="store_true", help="steps of growing users until throughput stops")
    parser.add_argument("--saturate-steps", default="60,100,140,180,240,300")
    parser.add_argument("--saturate-duration", type=float, default=30)
    parser.add_argument("--rebuild", action="store_true", help="build the database even if it holds N pegawai")
    parser.add_argument("--label", default="", help="a name for this measurement, kept in the output")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "load.json")
    args = parser.parse_args()

    result = {"label": args.label, "pegawai": args.pegawai, "gunicorn_workers": args.workers}
    result["database"] = build_database(args.pegawai, force=args.rebuild)
    with tempfile.TemporaryDirectory(prefix="talenta-static-") as static_root:
        env = server_env(static_root)
        subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        os.environ.update(env)
        import django

        django.setup()
        accounts = plan_accounts()
        result["accounts"] = dict(Counter(a["role"] for a in accounts))
        result["pages"] = profile_pages(accounts)
        from django.db import connections

        connections.close_all()
        if not args.users and not args.saturate:
            args.output.parent.mkdir(exist_ok=True)
            args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
            print(json.dumps(result, indent=2, ensure_ascii=False))
            return
        server, port = start_gunicorn(env, args.workers)
        try:
            login_all(port, accounts)
            result["runs"] = [run_load(port, accounts, users, args.duration) for users in args.users or []]
            if args.saturate:
                steps = [int(n) for n in args.saturate_steps.split(",")]
                result["saturation"] = saturate(port, accounts, args.saturate_duration, steps)
        finally:
            server.terminate()
            server.wait(timeout=30)
    args.output.parent.mkdir(exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
