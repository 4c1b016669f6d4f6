"""Funder review benchmarks on PostgreSQL: the review list and the CSV export at 10k and 100k entries.

    .venv/bin/python bench/funders.py --entries 10000
    .venv/bin/python bench/funders.py --entries 100000

Seeds a throw-away database (localism_bench_funders_<entries>) with `seed_scale` groups and
`seed_entries` entries (a third scored by two reviewers on four criteria), runs VACUUM ANALYZE, then, in
this process through Django's test client (the full middleware and template stack, no network): times
review-list pages (filtered and sorted; p50/p95 of sequential requests after a warm-up) and streams the
full CSV export, timing it (and counting its queries) and then streaming it again under tracemalloc for
the peak Python memory. Drop the database afterwards (`dropdb localism_bench_funders_<entries>`). Prints a Markdown table;
with --write it is appended, dated, to docs/funders.md.
"""

import argparse
import datetime as dt
import os
import re
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    ("newest first", {}),
    ("sorted by weighted score", {"sort": "score"}),
    ("rural + deprivation 1–3, by score", {"area_kind": "rural", "deprivation_max": "3", "sort": "score"}),
    ("score ≥ 3, by population", {"score_min": "3", "sort": "population"}),
    ("not shortlisted, by group, page 5", {"shortlisted": "no", "sort": "group", "page": "5"}),
    ("shared metric ≥ 100, by score", {"metric_min": "100", "sort": "score", "metric": None}),
]


def run(cmd, env):
    print("+", " ".join(cmd), flush=True)
    subprocess.run(cmd, cwd=ROOT, env=env, check=True)


def prepare(database, entries, fresh):
    env = {**os.environ, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}"}
    env.pop("REDIS_URL", None)
    if fresh:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", database], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", database], check=False)
    python = sys.executable
    run([python, "manage.py", "migrate", "-v", "0"], env)
    run([python, "manage.py", "seed_scale", "--groups", str(entries)], env)
    run([python, "manage.py", "seed_entries", "--entries", str(entries)], env)
    return env


def measure(entries, repeats):
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from challenges.models import Challenge, Metric

    # As autovacuum would have left a settled database: statistics, and a visibility map for index-only scans.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    challenge = Challenge.objects.get(slug="bench-challenge")
    client = Client()
    client.force_login(User.objects.get(email="reviewer1@bench.example"))
    url = reverse("challenges:review", kwargs={"slug": challenge.slug})
    metric = Metric.objects.filter(group=None).order_by("name").first()
    rows = []
    for label, params in PAGES:
        params = {k: (metric.pk if v is None else v) for k, v in params.items()}
        for _ in range(3):
            assert client.get(url, params).status_code == 200
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            response = client.get(url, params)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        times.sort()
        rows.append(
            (
                label,
                statistics.median(times),
                times[int(len(times) * 0.95) - 1],
                int(re.search(r'id="results-title" class="h3">(\d+) entr', response.content.decode()).group(1)),
            )
        )

    export = reverse("challenges:review_export", kwargs={"slug": challenge.slug})

    def stream():
        response = client.get(export, {"sort": "score"})
        size = lines = 0
        for chunk in response.streaming_content:
            size += len(chunk)
            lines += chunk.count(b"\n")
        return size, lines

    stream()  # warm-up
    # Timed without tracemalloc (it slows Python down several times), then streamed again under it.
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        started = time.perf_counter()
        size, lines = stream()
        seconds = time.perf_counter() - started
    tracemalloc.start()
    stream()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return rows, (lines - 1, size, seconds, peak, len(queries))


def report(entries, rows, export, repeats):
    lines_, size, seconds, peak, queries = export
    out = [
        f"\n### {entries:,} entries — {dt.date.today().isoformat()}\n",
        f"Review list (25 a page), Django test client, {repeats} sequential requests after 3 warm-up ones:\n",
        "| page | matching entries | p50 ms | p95 ms |",
        "|---|---:|---:|---:|",
        *(f"| {label} | {count:,} | {p50:.1f} | {p95:.1f} |" for label, p50, p95, count in rows),
        "",
        f"CSV export of all {lines_:,} rows sorted by score: {seconds:.2f} s ({seconds / lines_ * 1000:.3f} ms a row), "
        f"{size / 1e6:.1f} MB, {queries} queries; peak Python memory while streaming {peak / 1e6:.1f} MB "
        "(tracemalloc, a second run).\n",
    ]
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--fresh", action="store_true", help="drop and re-create the benchmark database")
    parser.add_argument("--skip-seed", action="store_true", help="use the database as it is")
    parser.add_argument("--write", action="store_true", help="append the results to docs/funders.md")
    args = parser.parse_args()
    database = f"localism_bench_funders_{args.entries}"
    if not args.skip_seed:
        prepare(database, args.entries, args.fresh)
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "localism.settings")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    sys.path.insert(0, str(ROOT))
    rows, export = measure(args.entries, args.repeats)
    text = report(args.entries, rows, export, args.repeats)
    print(text)
    if args.write:
        with (ROOT / "docs" / "funders.md").open("a") as docs:
            docs.write(text)


if __name__ == "__main__":
    main()
