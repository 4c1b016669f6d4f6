"""Page benchmarks: the site under gunicorn on PostgreSQL and Redis, loaded with wrk.

    .venv/bin/python bench/pages.py --groups 10000            # seeds a throw-away database first
    .venv/bin/python bench/pages.py --groups 100000 --duration 60

The database gets the demo data, `seed_scale --groups N`, a funder challenge with 10k entries
(`seed_entries`) and every group's peers (`rebuild_peers`). Then, for each page:
1. server time: sequential requests on one connection with page caching off, so each renders;
2. under load, as deployed (anonymous pages cached): requests/s with 50 connections, p50/p99,
   errors (non-2xx/3xx and socket errors), and the ratio to a bare view (a tiny template through
   the same middleware and server) measured in the same run.
Results are appended as a dated table to docs/benchmarks.md.

    .venv/bin/python bench/pages.py --groups 100000 --spread --skip-seed --duration 30

`--spread` measures real traffic instead: each request a random page among thousands of its kind
(bench/spread_urls.py writes them; bench/spread.lua picks one per request), so the anonymous page cache
rarely holds the page asked for, as with visitors spread over 100,000 groups; then the same signed in,
each request with one of 200 sessions. The bare view is measured at the start and the end of the same
run. Each worker records every request's server time and SQL (BENCH_STATS_DIR, localism/benchstats.py).
"""

import argparse
import datetime as dt
import http.client
import os
import random
import re
import secrets
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
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
        # Client addresses come from X-Forwarded-For (bench/spread.lua sends 1,000 of them), as behind a proxy.
        TRUSTED_PROXY_COUNT="1",
    )
    return env


def empty_cache(env):
    """Start from an empty cache (the benchmark's own Redis database): nothing kept by an earlier run, such as
    list counts, which a bulk-seeded database never retired, may answer for this one."""
    import redis

    redis.Redis.from_url(env["REDIS_URL"]).flushdb()


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
    run([PYTHON, "manage.py", "seed_entries", "--entries", str(min(10_000, groups))], env, stdout=subprocess.DEVNULL)
    started = time.monotonic()
    run([PYTHON, "manage.py", "rebuild_peers"], env, stdout=subprocess.DEVNULL)
    print(f"rebuild_peers: {time.monotonic() - started:.0f} s", flush=True)
    run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-qc", "VACUUM ANALYZE"], env)


def sample_paths(env):
    """Pick real URLs from the seeded data (a synthetic group in the middle of the range), and a
    session for a reviewer of the benchmark challenge (10k entries), for the funder's review list."""
    script = (
        "import django; django.setup();"
        "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY;"
        "from django.contrib.sessions.backends.db import SessionStore;"
        "from groups.models import Group; from accounts.models import User;"
        "scale = Group.objects.filter(slug__startswith='scale-').order_by('pk');"
        "g = scale[scale.count() // 2]; s = g.solutions.first();"
        "u = User.objects.get(email='reviewer1@bench.example'); session = SessionStore();"
        "session[SESSION_KEY] = str(u.pk);"
        "session[BACKEND_SESSION_KEY] = 'django.contrib.auth.backends.ModelBackend';"
        "session[HASH_SESSION_KEY] = u.get_session_auth_hash(); session.create();"
        "print(g.slug); print(s.get_absolute_url()); print(session.session_key)"
    )
    out = subprocess.run(
        [PYTHON, "-c", script],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "localism.settings"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    group_slug, solution_url, session_key = out[0], out[1], out[2]
    reviewer = f"sessionid={session_key}"
    return [
        ("bare view (baseline)", "/bench/bare", None),
        ("home", "/", None),
        (
            "group list, filtered and sorted",
            "/groups/?area_kind=rural&area_kind=small_town&deprivation_max=4&sort=population",
            None,
        ),
        ("group search, common words (a fifth of all groups match)", "/groups/?q=warm+homes", None),
        ("group search, a place name", "/groups/?q=Sheffield", None),
        ("solution list, filtered", "/challenges/solutions/?stage=running&challenge=climate", None),
        ("group page", f"/groups/{group_slug}/", None),
        ("solution page with charts", solution_url, None),
        ("group's learning page (peers)", f"/learning/groups/{group_slug}/", None),
        ("lessons library", "/learning/", None),
        (
            "funder review list, 10k entries, by score (signed in)",
            "/challenges/bench-challenge/review/?sort=score",
            reviewer,
        ),
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


def unloaded_latency(path, count, cookie=None):
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    headers = {"Cookie": cookie} if cookie else {}
    timings, statuses = [], set()
    for _ in range(count):
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        timings.append((time.perf_counter() - started) * 1000)
        statuses.add(response.status)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], statuses


def to_ms(text):
    match = re.match(r"([\d.]+)(\w+)", text)
    if match is None:  # wrk prints no latency when every request failed
        return float("nan")
    value, unit = match.groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def wrk(path, duration, connections, cookie=None, url_file=None):
    """Load one address (`path`), or with `url_file` a random line of that file per request."""
    header = ["-H", f"Cookie: {cookie}"] if cookie else []
    target = [f"http://127.0.0.1:{PORT}{path}"]
    if url_file:
        target = ["-s", str(ROOT / "bench" / "spread.lua"), f"http://127.0.0.1:{PORT}", "--", str(url_file)]
    out = subprocess.run(
        ["wrk", *header, "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s", *target],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    # The latency distribution's own lines ("  50%   59.40ms"), not a "…95.50%" at the end of a stats line.
    p50 = to_ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(int(x) for x in socket.groups()) if socket else 0)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    return rps, p50, p99, errors, total


SPREAD_PAGES = [
    ("group pages", "groups.txt"),
    ("solution pages", "solutions.txt"),
    ("learning pages", "learning.txt"),
    ("group list, random filters and pages", "group-list.txt"),
    ("solution list, random filters and pages", "solution-list.txt"),
    ("group pages, signed in", "groups-signed-in.txt"),
    ("solution pages, signed in", "solutions-signed-in.txt"),
    ("learning pages, signed in", "learning-signed-in.txt"),
    ("group list, signed in", "group-list-signed-in.txt"),
    ('"Your page" (/groups/me/), 200 people', "your-page-signed-in.txt"),
    ("API: group list, random filters and cursors", "api-groups.txt"),
    ("API: solution list, random filters and cursors", "api-solutions.txt"),
    ("API: one group", "api-group.txt"),
]


def server_stats(directory):
    """The requests the workers recorded since the last call (and forget them): server ms, queries, SQL ms."""
    rows = []
    for path in Path(directory).glob("*.tsv"):
        for line in path.read_text().splitlines():
            status, ms, queries, sql_ms, _path = line.split("\t", 4)
            rows.append((int(status), float(ms), int(queries), float(sql_ms)))
        path.unlink()
    return rows


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * share))] if values else float("nan")


def spread(args, env):
    """Real traffic: a random page of each kind per request, anonymous then signed in, bare view in the run."""
    work = Path(tempfile.mkdtemp(prefix="localism-spread-"))
    urls, stats = work / "urls", work / "stats"
    run([PYTHON, "bench/spread_urls.py", "--out", str(urls), "--count", str(args.count), "--people", "200"], env)
    (urls / "bare.txt").write_text("/bench/bare\n")
    kinds = [page for page in SPREAD_PAGES if not args.only or any(word in page[0] for word in args.only)]
    pages = [("bare view (baseline)", "bare.txt"), *kinds, ("bare view (baseline, again)", "bare.txt")]
    rng = random.Random(2026)

    # 1. Server time alone: random pages of each kind one after another on one connection, page caching
    #    off, so every request renders; Django's own time per request, as the workers recorded it.
    server = start_server({**env, "BENCH_STATS_DIR": str(stats), "ANONYMOUS_PAGE_CACHE_SECONDS": "0"}, args.workers)
    alone = {}
    try:
        for label, name in pages[1:-1]:
            lines = (urls / name).read_text().splitlines()
            chosen = [line.split("\t") for line in rng.sample(lines, min(len(lines), args.requests + 20))]
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            for index, parts in enumerate(chosen):
                if index == 20:
                    server_stats(stats)  # the first 20 warm the workers up
                headers = {"X-Forwarded-For": f"10.1.0.{index % 250 + 1}"}  # many clients, as under load
                if len(parts) > 1:
                    headers["Cookie"] = parts[1]
                connection.request("GET", parts[0], headers=headers)
                connection.getresponse().read()
            rows = [row for row in server_stats(stats) if row[0] < 400]
            alone[label] = dict(
                server50=percentile([row[1] for row in rows], 0.5),
                server95=percentile([row[1] for row in rows], 0.95),
                queries=statistics.median([row[2] for row in rows]) if rows else float("nan"),
                queries_max=max((row[2] for row in rows), default=0),
                sql50=percentile([row[3] for row in rows], 0.5),
            )
            a = alone[label]
            print(
                f"{label:45} alone: server p50 {a['server50']:6.1f} p95 {a['server95']:6.1f} ms  queries "
                f"{a['queries']:.0f} (max {a['queries_max']})  SQL p50 {a['sql50']:.1f} ms",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)

    # 2. Under load, as deployed (anonymous pages cached for 60 s), each request a random page of the kind.
    server = start_server({**env, "BENCH_STATS_DIR": str(stats)}, args.workers)
    results = {}
    try:
        for label, name in pages:
            wrk("/", 3, args.connections, url_file=urls / name)  # warm: connections, caches as a visitor would
            server_stats(stats)
            rps, p50, p99, errors, total = wrk("/", args.duration, args.connections, url_file=urls / name)
            rows = server_stats(stats)
            results[label] = dict(
                rps=rps,
                p50=p50,
                p99=p99,
                errors=errors + sum(1 for row in rows if row[0] >= 400),
                total=total,
                # A request that ran no query was answered from the anonymous page cache.
                cached=sum(1 for row in rows if row[2] == 0) / len(rows) if rows else float("nan"),
                choices=sum(1 for _ in (urls / name).open()),
            )
            r = results[label]
            print(
                f"{label:45} {rps:8.1f} req/s  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  from the page cache "
                f"{r['cached']:.0%}  errors {r['errors']}/{total}",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    bare = (results["bare view (baseline)"]["rps"] + results["bare view (baseline, again)"]["rps"]) / 2
    today = dt.date.today().isoformat()
    lines = [
        f"\n## {today}: spread traffic, {args.groups:,} groups, {args.connections} connections, {args.duration} s per kind\n",
        f"`.venv/bin/python bench/pages.py --groups {args.groups} --spread --duration {args.duration} "
        f"--connections {args.connections} --workers {args.workers} --count {args.count} --requests {args.requests}"
        f"{' --skip-seed' if args.skip_seed else ''}{' --only ' + shlex.join(args.only) if args.only else ''}` on a "
        f"2-core machine: gunicorn with {args.workers} sync workers, PostgreSQL 15, Redis and wrk on the same host, "
        "anonymous pages cached as deployed (60 s), translation on (English pages). Each request is a random line "
        "of a file of that many different pages; signed-in requests each carry one of 200 people's sessions. "
        f"Share: of the bare view's {bare:.0f} req/s (mean of the run's start and end). Server time, queries and "
        'SQL time are recorded by each worker for every request (localism/benchstats.py): "alone" is '
        f"{args.requests} random pages of the kind one after another with page caching off, so every one renders.\n",
        "| traffic | pages to choose from | req/s under load | share of bare view | p50 / p99 under load (ms) | "
        "answered from the page cache | server time alone p50 / p95 (ms) | queries (median / max) | SQL p50 (ms) | "
        "errors |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, _name in pages:
        r = results[label]
        a = alone.get(label)
        alone_cells = (
            f"{a['server50']:.1f} / {a['server95']:.1f} | {a['queries']:.0f} / {a['queries_max']} | {a['sql50']:.1f}"
            if a
            else "– | – | –"
        )
        lines.append(
            f"| {label} | {r['choices']:,} | {r['rps']:.0f} | {r['rps'] / bare:.0%} | {r['p50']:.1f} / {r['p99']:.1f} | "
            f"{r['cached']:.0%} | {alone_cells} | {r['errors']} of {r['total']} |"
        )
    with Path(args.output).open("a") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"Appended to {args.output}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--groups", type=int, default=10000)
    parser.add_argument("--duration", type=int, default=60, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=5, help="gunicorn workers")
    parser.add_argument("--database", default="localism_bench")
    parser.add_argument("--skip-seed", action="store_true", help="reuse the database as it is")
    parser.add_argument("--requests", type=int, default=200, help="sequential requests per page for server time")
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument(
        "--server-time-only", action="store_true", help="measure server time only: no load, nothing written"
    )
    parser.add_argument("--spread", action="store_true", help="real traffic: a random page among thousands per request")
    parser.add_argument("--count", type=int, default=3000, help="--spread: different pages of each kind")
    parser.add_argument(
        "--only", nargs="*", default=[], help='--spread: only the kinds whose label holds one of these words ("API")'
    )
    args = parser.parse_args()

    ensure_wrk()
    env = bench_env(args.database)
    if not args.skip_seed:
        prepare_database(env, args.database, args.groups)
    else:  # a database seeded earlier may be older than this checkout
        run([PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], env)
    # Pages need the static files' manifest (DEBUG=0), also in a fresh checkout reusing a seeded database.
    run([PYTHON, "manage.py", "collectstatic", "--no-input", "-v", "0"], env)
    empty_cache(env)
    if args.spread:
        spread(args, env)
        return
    pages = sample_paths(env)

    # 1. Server time: sequential requests on one connection, page caching off, so every request renders.
    server = start_server({**env, "ANONYMOUS_PAGE_CACHE_SECONDS": "0"}, args.workers)
    alone = {}
    try:
        for label, path, cookie in pages:
            unloaded_latency(path, 20, cookie)  # warm the workers' connections and Python
            alone[label] = unloaded_latency(path, args.requests, cookie)
            p50, p95, statuses = alone[label]
            print(f"{label:55} rendered: p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  status {sorted(statuses)}", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)

    if args.server_time_only:
        return

    # 2. Throughput under load, as deployed (anonymous pages cached for 60 s).
    server = start_server(env, args.workers)
    loaded = {}
    try:
        for label, path, cookie in pages:
            unloaded_latency(path, 5, cookie)
            loaded[label] = wrk(path, args.duration, args.connections, cookie)
            rps, p50, p99, errors, total = loaded[label]
            print(
                f"{label:55} {rps:8.1f} req/s  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  errors {errors}/{total}",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(timeout=30)

    bare_rps = loaded[pages[0][0]][0]
    today = dt.date.today().isoformat()
    lines = [
        f"\n## {today}: {args.groups:,} groups, {args.connections} connections, {args.duration} s per page\n",
        f"`.venv/bin/python bench/pages.py --groups {args.groups} --duration {args.duration} "
        f"--connections {args.connections} --workers {args.workers}` on a 2-core machine: gunicorn with "
        f"{args.workers} sync workers, PostgreSQL 15, Redis and wrk all on the same host. Throughput and latency "
        f"under load are as deployed (anonymous pages cached for 60 s in Redis); server time is measured "
        f"separately with caching off ({args.requests} sequential requests on one connection).\n",
        "| page | req/s under load | share of bare view | p50 / p99 under load (ms) | server time, rendered: p50 / p95 (ms) | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, path, _ in pages:
        rps, p50, p99, errors, total = loaded[label]
        a50, a95, _ = alone[label]
        lines.append(
            f"| {label} (`{path}`) | {rps:.0f} | {rps / bare_rps:.0%} | {p50:.1f} / {p99:.1f} | "
            f"{a50:.1f} / {a95:.1f} | {errors} of {total} |"
        )
    output = Path(args.output)
    if not output.exists():
        output.write_text("# Benchmarks\n\nFigures measured on this project's 2-core machine; each section says how.\n")
    with output.open("a") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"Appended to {output}")


if __name__ == "__main__":
    main()
