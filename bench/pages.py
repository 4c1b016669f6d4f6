"""Page benchmarks: the site under gunicorn on PostgreSQL and Redis, loaded with wrk.

    .venv/bin/python bench/pages.py --groups 10000            # seeds a throw-away database first
    .venv/bin/python bench/pages.py --groups 100000 --duration 60

For each page: requests/s with 50 connections, p50/p99 latency under that load, errors, the
ratio to a bare view (a tiny template through the same middleware and server, measured in the
same run), and the unloaded server time (p50/p95 of sequential requests on one connection).
Results are appended as a dated table to docs/benchmarks.md.
"""

import argparse
import datetime as dt
import http.client
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORT = 8765


def run(cmd, env, **kwargs):
    print("+", " ".join(cmd), flush=True)
    return subprocess.run(cmd, cwd=ROOT, env=env, check=True, **kwargs)


def ensure_wrk():
    if shutil.which("wrk"):
        return
    print("wrk is not installed; installing Debian's package", flush=True)
    subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True)


def bench_env(database):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{database}",
        REDIS_URL="redis://127.0.0.1:6379/14",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        BENCHMARK_VIEWS="1",
        LOG_LEVEL="WARNING",
    )
    return env


def prepare_database(env, database, groups):
    exists = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{database}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        run(["createdb", "-h", "127.0.0.1", "-U", "postgres", database], env)
    run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], env)
    run([PYTHON, "manage.py", "seed_demo"], env, stdout=subprocess.DEVNULL)
    started = time.monotonic()
    run([PYTHON, "manage.py", "seed_scale", "--groups", str(groups)], env, stdout=subprocess.DEVNULL)
    print(f"seed_scale --groups {groups}: {time.monotonic() - started:.0f} s", flush=True)
    run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"], env)
    run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-qc", "VACUUM ANALYZE"], env)


def sample_paths(env):
    """Pick real URLs from the seeded data (a synthetic group in the middle of the range)."""
    script = (
        "import django; django.setup();"
        "from groups.models import Group;"
        "g = Group.objects.filter(slug__startswith='scale-').order_by('pk')[Group.objects.filter(slug__startswith='scale-').count() // 2];"
        "s = g.solutions.first(); print(g.slug); print(s.get_absolute_url())"
    )
    out = subprocess.run(
        [PYTHON, "-c", script],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "localism.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    group_slug, solution_url = out[0], out[1]
    return [
        ("bare view (baseline)", "/bench/bare"),
        ("home", "/"),
        (
            "group list, filtered and sorted",
            "/groups/?area_kind=rural&area_kind=small_town&deprivation_max=4&sort=population",
        ),
        ("group search", "/groups/?q=warm+homes"),
        ("solution list, filtered", "/challenges/solutions/?stage=running&challenge=climate"),
        ("group page", f"/groups/{group_slug}/"),
        ("solution page with charts", solution_url),
        ("lessons library", "/learning/"),
    ]


def start_server(env, workers):
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "localism.wsgi",
            "-c",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(workers),
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not become healthy within 60 s")


def unloaded_latency(path, count):
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    timings, statuses = [], set()
    for _ in range(count):
        started = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        timings.append((time.perf_counter() - started) * 1000)
        statuses.add(response.status)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], statuses


def to_ms(text):
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def wrk(path, duration, connections):
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            "--timeout",
            "10s",
            f"http://127.0.0.1:{PORT}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = to_ms(re.search(r"50%\s+(\S+)", out).group(1))
    p99 = to_ms(re.search(r"99%\s+(\S+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(int(x) for x in socket.groups()) if socket else 0)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    return rps, p50, p99, errors, total


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--groups", type=int, default=10000)
    parser.add_argument("--duration", type=int, default=60, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=5, help="gunicorn workers")
    parser.add_argument("--database", default="localism_bench")
    parser.add_argument("--skip-seed", action="store_true", help="reuse the database as it is")
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args()

    ensure_wrk()
    env = bench_env(args.database)
    if not args.skip_seed:
        prepare_database(env, args.database, args.groups)
    pages = sample_paths(env)
    server = start_server(env, args.workers)
    rows = []
    try:
        for label, path in pages:
            unloaded_latency(path, 20)  # warm caches and connections
            p50_alone, p95_alone, statuses = unloaded_latency(path, 200)
            rps, p50, p99, errors, total = wrk(path, args.duration, args.connections)
            rows.append((label, path, rps, p50, p99, p95_alone, p50_alone, errors, total, statuses))
            print(
                f"{label:35} {rps:8.1f} req/s  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  "
                f"alone p95 {p95_alone:6.1f} ms  errors {errors}/{total}  status {sorted(statuses)}",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)

    bare_rps = rows[0][2]
    today = dt.date.today().isoformat()
    lines = [
        f"\n## {today}: {args.groups:,} groups, {args.connections} connections, {args.duration} s per page\n",
        f"`.venv/bin/python bench/pages.py --groups {args.groups} --duration {args.duration} "
        f"--connections {args.connections} --workers {args.workers}` on a 2-core machine "
        f"(gunicorn with {args.workers} sync workers, PostgreSQL 15 and Redis on the same host, wrk on the same host).\n",
        "| page | req/s | share of bare view | p50 under load (ms) | p99 under load (ms) | server time alone p50 / p95 (ms) | errors |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, path, rps, p50, p99, p95_alone, p50_alone, errors, total, _ in rows:
        lines.append(
            f"| {label} (`{path}`) | {rps:.0f} | {rps / bare_rps:.0%} | {p50:.1f} | {p99:.1f} | "
            f"{p50_alone:.1f} / {p95_alone:.1f} | {errors} of {total} |"
        )
    output = Path(args.output)
    if not output.exists():
        output.write_text("# Benchmarks\n\nFigures measured on this project's 2-core machine; each section says how.\n")
    with output.open("a") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"Appended to {output}")


if __name__ == "__main__":
    main()
