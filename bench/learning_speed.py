"""Speed of peer matching on PostgreSQL at benchmark scale.

    .venv/bin/python bench/learning_speed.py --groups 10000

Creates (if missing) a throw-away PostgreSQL database, migrates it, bulk-creates synthetic groups
with demo.scale.seed_scale, then times: the full rebuild (manage.py rebuild_peers), one
group's top-10 read (the stored query, and the selector with the peers' challenge areas), and
incremental updates (recompute_peers_for_group) of groups left as they are and of groups whose
decile and summary were changed first (the change is not timed, the recompute is). Above the
exact-search limit it also measures the rebuild's recall against an exact search of sampled groups.
Pass --drop to drop the database after.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/localism_bench_learning"


def ensure_database(url, *, drop=False):
    import psycopg2

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password, dbname="postgres"
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
        if drop and exists:
            cursor.execute(f'DROP DATABASE "{name}"')
        elif not drop and not exists:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def summary(samples):
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
    return f"median {ms(statistics.median(samples))}, p95 {ms(p95)}, max {ms(samples[-1])} (n={len(samples)})"


def page_times(groups):
    """Server time of the learning page, rendered for each of `groups` once (a different page each time, as
    real traffic spreads over groups), anonymous, through Django's whole request handling with DEBUG off and
    no page cache; HTTP and the web server are left out. The first 20 warm up templates and connections."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client()
    times, queries = [], 0
    with override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"]):
        for index, group in enumerate(groups):
            url = reverse("learning:group", kwargs={"slug": group.slug})
            if index < 20:  # warming up: count the queries (counting costs time)
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(url)
                queries = max(queries, len(captured))
            else:
                started = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
    print(
        f"learning page, rendered, a different group each time (at most {queries} queries): "
        f"{summary(times)}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--groups", type=int, required=True)
    parser.add_argument("--database-url", default=os.environ.get("LEARNING_BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--reads", type=int, default=200)
    parser.add_argument("--updates", type=int, default=20)
    parser.add_argument("--recall-sample", type=int, default=500)
    parser.add_argument("--skip-rebuild", action="store_true", help="reuse the stored peers")
    parser.add_argument("--drop", action="store_true", help="drop the database when done")
    args = parser.parse_args()

    ensure_database(args.database_url)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.pop("REDIS_URL", None)  # tasks inline: we time the services themselves
    os.environ["ANONYMOUS_PAGE_CACHE_SECONDS"] = "0"  # every page rendered
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "localism.settings")
    import django

    django.setup()
    import numpy as np
    from django.core.management import call_command
    from django.db import connection, reset_queries

    from demo.scale import seed_scale
    from groups.models import Group
    from learning import services
    from learning.matching.search import EXACT_LIMIT, top_k_for_rows
    from learning.matching.weights import match_weights
    from learning.models import GroupVector, Peer
    from learning.selectors import peers_for_group
    from learning.services.index import VECTOR_INDEX
    from learning.services.store import PEERS_PER_GROUP

    print(f"# Learning speed, {args.groups} groups, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    call_command("migrate", verbosity=0)
    existing = Group.objects.count()
    if existing > args.groups:
        sys.exit(f"The database already holds {existing} groups; use another --database-url for {args.groups}.")
    started = time.perf_counter()
    created = seed_scale(groups=args.groups)
    if created:
        print(f"seed_scale: created {created} groups in {time.perf_counter() - started:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would, before anyone reads

    if not args.skip_rebuild:
        started = time.perf_counter()
        result = services.rebuild_all_peers()
        total = time.perf_counter() - started
        phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in result["seconds"].items())
        print(f"full rebuild: {total:.1f} s for {result['groups']} groups, {result['peers']} peers ({phases})")

    ids = list(Group.objects.values_list("pk", flat=True))
    rng = random.Random(7)
    n = len(ids)
    if n > EXACT_LIMIT:
        sample = rng.sample(ids, min(args.recall_sample, n))
        order, vectors = [], []
        for pk, blob in (
            GroupVector.objects.order_by("pk").values_list("group_id", "vector").iterator(chunk_size=10_000)
        ):
            order.append(pk)
            vectors.append(np.frombuffer(bytes(blob), dtype="<f4"))
        order, vectors = np.array(order), np.vstack(vectors)
        rows = np.searchsorted(order, sample)
        exact, exact_scores = top_k_for_rows(vectors, match_weights(), rows, PEERS_PER_GROUP)
        stored = {}
        for group_id, peer_id, rank, score in Peer.objects.filter(group_id__in=sample).values_list(
            "group_id", "peer_id", "rank", "score"
        ):
            stored.setdefault(group_id, {})[peer_id] = (rank, score)
        for k in (10, PEERS_PER_GROUP):
            same_ids, tie_aware = [], []
            for i, g in enumerate(sample):
                top = {p: s for p, (rank, s) in stored.get(g, {}).items() if rank <= k}
                same_ids.append(len(set(order[exact[i, :k]]) & set(top)) / k)
                # Many synthetic groups tie exactly; a stored peer scoring at least the exact k-th is as good.
                tie_aware.append(sum(s >= exact_scores[i, k - 1] - 1e-5 for s in top.values()) / k)
            print(
                f"rebuild recall@{k} against exact search ({len(sample)} sampled groups): "
                f"{np.mean(tie_aware):.3f} counting ties as hits, {np.mean(same_ids):.3f} by identical ids"
            )

    groups = list(Group.objects.filter(pk__in=rng.sample(ids, min(args.reads, n))))
    query_times, selector_times = [], []
    for group in groups:
        started = time.perf_counter()
        list(Peer.objects.filter(group=group).select_related("peer").order_by("rank")[:10])
        query_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        matches = peers_for_group(group=group, limit=10)
        [(m.peer.name, list(m.peer.challenge_areas.all()), m.reasons) for m in matches]
        selector_times.append(time.perf_counter() - started)
    print(f"top-10 read, stored query: {summary(query_times)}")
    print(f"top-10 read, selector (2 queries, reasons rendered): {summary(selector_times)}")
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN SELECT * FROM learning_peer WHERE group_id = %s ORDER BY rank LIMIT 10", [groups[0].pk])
        print("plan: " + " / ".join(row[0].strip() for row in cursor.fetchall()))
    page_times(groups)

    VECTOR_INDEX.reset()
    started = time.perf_counter()
    services.recompute_peers_for_group(group_id=rng.choice(ids))
    print(f"incremental update, first in a fresh worker (loads all vectors): {ms(time.perf_counter() - started)}")
    times, touched = [], []
    for group_id in rng.sample(ids, min(args.updates, n)):
        reset_queries()
        started = time.perf_counter()
        result = services.recompute_peers_for_group(group_id=group_id)
        times.append(time.perf_counter() - started)
        touched.append(result["updated"])
    print(
        f"incremental update, warm, group unchanged: {summary(times)}; "
        f"lists changed per update: median {statistics.median(touched)}"
    )
    # A real change: the group's deprivation decile moves by one and its summary gains a sentence
    # (the write is not timed; the recompute is).
    times, touched = [], []
    for group in Group.objects.filter(pk__in=rng.sample(ids, min(args.updates, n))):
        Group.objects.filter(pk=group.pk).update(
            deprivation_decile=group.deprivation_decile % 10 + 1,
            summary=(group.summary + " We also run a weekly repair cafe for older residents.")[:280],
        )
        started = time.perf_counter()
        result = services.recompute_peers_for_group(group_id=group.pk)
        times.append(time.perf_counter() - started)
        touched.append(result["updated"])
    print(
        f"incremental update, warm, group changed: {summary(times)}; "
        f"lists changed per update: median {statistics.median(touched)}"
    )

    if args.drop:
        connection.close()
        ensure_database(args.database_url, drop=True)
        print("dropped the benchmark database")


if __name__ == "__main__":
    main()
