"""Before and after, measured side by side: two checkouts of the site render the same random pages in turn.

    git worktree add ../before <commit>     # then `make messages` and collectstatic in it
    .venv/bin/python bench/compare.py --before ../before --after . --database localism_bench \\
        --urls DIR --kinds groups solutions learning group-list solution-list --pages 300

Runs of bench/pages.py minutes apart on a shared 2-core machine differed by up to 30% for the same code
(the machine's speed drifts), which hides a 10% change. Here each checkout runs in its own process,
in-process (Django's test client, no server), with page and filter-form caching off and list counts kept
as deployed (core.caching.cached_count, from an empty cache); every page is asked of both, in a random
order, one right after the other, so both see the same machine. Reported per kind: the median
time of each, and the median of the per-page ratio after / before.

`--urls DIR` holds one file of paths per kind, as bench/spread_urls.py writes them. Both checkouts need
the database migrated and their static files collected (DEBUG is off, as deployed).

`--caches-on` turns the anonymous page cache and the shared filter forms on, as deployed, each side with a
Redis database of its own (the benchmark's, 14, and 13 for "after"; both are emptied). The pages measured
are asked once per side (the warm-up pages are left out of them), so each misses the page cache, and its
cost includes the cache's reads and writes; a list's filter form is still shared between pages of that list.

`--signed-in` asks every page as one of bench/spread_urls.py's benchmark people (members of three
groups, following three more), a random one per page, the same person on both sides. Each side signs
them in with sessions of its own (the files' cookies belong to the server that wrote them).
"""

import argparse
import random
import statistics
import subprocess
import sys
from pathlib import Path

from pages import bench_env, empty_cache  # bench/pages.py, beside this script

# One checkout's side: reads "<path> <person>" per line (person -1: anonymous), answers "<milliseconds> <status>".
WORKER = """
import os, sys, time
sys.path.insert(0, os.getcwd())
import django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
anonymous = Client()
people = [
    Client() for _ in range(int(os.environ["BENCH_PEOPLE"]))
]
for number, client in enumerate(people):
    person = get_user_model().objects.get(email=f"bench-person-{number}@bench.example")
    client.force_login(person, backend="allauth.account.auth_backends.AuthenticationBackend")
for line in sys.stdin:
    path, person = line.split()
    client = anonymous if person == "-1" else people[int(person)]
    start = time.perf_counter()
    response = client.get(path)
    sys.stdout.write(f"{(time.perf_counter() - start) * 1000:.3f} {response.status_code}\\n")
    sys.stdout.flush()
"""


def worker_env(database):
    """bench/pages.py's server environment, for the test client and with every page rendered."""
    return {
        **bench_env(database),
        "DJANGO_SETTINGS_MODULE": "localism.settings",
        "ALLOWED_HOSTS": "testserver",
        "LOG_LEVEL": "ERROR",
        # Every page rendered, as under spread traffic.
        "ANONYMOUS_PAGE_CACHE_SECONDS": "0",
        "FRAGMENT_CACHE_SECONDS": "0",
    }


# --caches-on: the "after" side's Redis database (the "before" side uses the benchmark's, bench/pages.py).
AFTER_REDIS_DATABASE = 13


class Side:
    def __init__(self, checkout, env):
        python = Path(checkout) / ".venv" / "bin" / "python"
        self.process = subprocess.Popen(
            [str(python if python.exists() else sys.executable), "-c", WORKER],
            cwd=checkout,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def ask(self, path, person=-1):
        self.process.stdin.write(f"{path} {person}\n")
        self.process.stdin.flush()
        took, status = self.process.stdout.readline().split()
        if status != "200":
            raise SystemExit(f"{path} answered {status}")
        return float(took)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", required=True, help="checkout of the code before")
    parser.add_argument("--after", required=True, help="checkout of the code after")
    parser.add_argument("--database", default="localism_bench")
    parser.add_argument("--urls", required=True, help="folder of <kind>.txt files of paths")
    parser.add_argument(
        "--kinds", nargs="+", default=["groups", "solutions", "learning", "group-list", "solution-list"]
    )
    parser.add_argument("--pages", type=int, default=300, help="pages of each kind")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--signed-in", action="store_true", help="as the benchmark people, not anonymously")
    parser.add_argument("--people", type=int, default=20, help="--signed-in: how many of them")
    parser.add_argument(
        "--caches-on",
        action="store_true",
        help="anonymous page and filter-form caches on, as deployed (each side on a Redis database of its own): "
        "measures what a page that misses them costs, their reads and writes included",
    )
    args = parser.parse_args()

    env = {**worker_env(args.database), "BENCH_PEOPLE": str(args.people if args.signed_in else 0)}
    envs = {"before": env, "after": env}
    if args.caches_on:
        caches = {"ANONYMOUS_PAGE_CACHE_SECONDS": "60", "FRAGMENT_CACHE_SECONDS": "60"}
        # One side must never answer from a page the other stored.
        after_redis = env["REDIS_URL"].rsplit("/", 1)[0] + f"/{AFTER_REDIS_DATABASE}"
        envs = {"before": {**env, **caches}, "after": {**env, **caches, "REDIS_URL": after_redis}}
    for side_env in envs.values():
        empty_cache(side_env)  # list counts kept by an earlier run would answer for this one
    sides = {name: Side(checkout, envs[name]) for name, checkout in (("before", args.before), ("after", args.after))}
    rng = random.Random(args.seed)
    print("| page | before p50 (ms) | after p50 (ms) | after / before, median per page |")
    print("|---|---:|---:|---:|")
    for kind in args.kinds:
        paths = [line.split("\t")[0].strip() for line in (Path(args.urls) / f"{kind}.txt").open()]
        warm_up, measured = paths[:15], paths[15:]
        for path in warm_up:  # warm both: templates compiled, catalogues loaded
            for side in sides.values():
                side.ask(path)
        times = {name: [] for name in sides}
        for path in rng.sample(measured, min(args.pages, len(measured))):
            person = rng.randrange(args.people) if args.signed_in else -1
            order = list(sides)
            rng.shuffle(order)
            for name in order:
                times[name].append(sides[name].ask(path, person))
        ratio = statistics.median(a / b for a, b in zip(times["after"], times["before"], strict=True))
        before, after = statistics.median(times["before"]), statistics.median(times["after"])
        label = f"{kind}, signed in" if args.signed_in else kind
        print(f"| {label} | {before:.1f} | {after:.1f} | {ratio:.2f} |", flush=True)


if __name__ == "__main__":
    main()
