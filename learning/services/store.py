"""The stored peer lists and vectors: building peer rows, writing them (COPY on PostgreSQL), swapping in a
fresh peer table at a full rebuild, and the lock that keeps rebuilds and incremental updates apart."""

import csv
import io
import itertools
import json
import re

import numpy as np
from django.db import connection

from groups.models import Group

from ..matching.features import ahead_scores
from ..matching.reasons import PairReasons
from ..matching.vectors import combine, signal_similarities
from ..models import GroupVector, Peer

# Pages show 10 peers (re-ranked by lean from the stored list) and 5 ahead; 15 leaves room for
# the re-ranking while writing a quarter fewer rows than 20 did.
# Read as store.PEERS_PER_GROUP where it is used, so a test can shorten every list by setting it here.
PEERS_PER_GROUP = 15
# Full rebuilds and incremental updates must not interleave their writes (PostgreSQL only; SQLite
# serialises writers anyway).
_LOCK_KEY = 7_420_001


def match_rows(*, features, vectors, weights, query_rows, idx, scores, computed_at):
    """Peer rows for each query row's top-K (idx/scores from matching.search.top_k*); -inf marks no match."""
    valid = np.isfinite(scores)
    ranks = valid.cumsum(axis=1)[valid]
    q = np.repeat(np.asarray(query_rows), idx.shape[1])[valid.ravel()]
    c = idx[valid]
    similarities = signal_similarities(vectors, q, c)
    score, place, approach = combine(similarities, weights)
    progress = np.array([f.progress.value for f in features])
    ahead = ahead_scores(progress[q], progress[c])
    reasons = PairReasons(features).json(q, c)
    ids = np.array([f.id for f in features], dtype=np.int64)
    return list(
        zip(
            ids[q].tolist(),
            ids[c].tolist(),
            ranks.tolist(),
            np.round(score, 6).tolist(),
            np.round(place, 6).tolist(),
            np.round(approach, 6).tolist(),
            np.round(ahead, 6).tolist(),
            reasons,
            [computed_at] * len(q),
            strict=True,
        )
    )


_PEER_COLUMNS = ["group_id", "peer_id", "rank", "score", "place_score", "approach_score", "ahead_score"]
_PEER_COLUMNS += ["reasons", "computed_at"]


def write_peers(rows):
    if connection.vendor == "postgresql":
        _copy(
            Peer._meta.db_table,
            _PEER_COLUMNS,
            rows,
        )
    else:
        Peer.objects.bulk_create(
            [Peer(**dict(zip(_PEER_COLUMNS, (*row[:7], json.loads(row[7]), row[8]), strict=True))) for row in rows],
            batch_size=2000,
        )


def replace_all_peers(rows):
    """Replace every Peer row with `rows`. On PostgreSQL the rows are copied into a fresh table
    without indexes, which is then indexed and swapped in under the live table's name, its
    constraints and indexes recreated under their own names (so migrations still find them).
    Readers see the old lists until commit and wait only for the final renames."""
    if connection.vendor != "postgresql":
        Peer.objects.all().delete()
        write_peers(rows)
        return
    table, groups = Peer._meta.db_table, Group._meta.db_table
    quote = connection.ops.quote_name
    fresh = f"{table}_next"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
            "ORDER BY contype DESC, conname",  # unique and primary key, then foreign keys and checks
            [table],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "WHERE x.indrelid = %s::regclass AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid) "
            "ORDER BY i.relname",
            [table],
        )
        indexes = cursor.fetchall()
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")  # index builds sort in memory
        cursor.execute(f"DROP TABLE IF EXISTS {quote(fresh)}")
        cursor.execute(f"CREATE TABLE {quote(fresh)} (LIKE {quote(table)} INCLUDING DEFAULTS INCLUDING IDENTITY)")
        _copy(fresh, _PEER_COLUMNS, rows)
        # Groups deleted since the features were read would fail the foreign keys below.
        exists = "EXISTS (SELECT 1 FROM {groups} g WHERE g.id = p.{column})"
        orphans = " OR ".join("NOT " + exists.format(groups=quote(groups), column=c) for c in ("group_id", "peer_id"))
        cursor.execute(f"DELETE FROM {quote(fresh)} p WHERE {orphans}")  # noqa: S608 (model tables, quoted)
        renames = []
        for i, (name, definition) in enumerate(constraints):
            temporary = f"{fresh}_c{i}"
            cursor.execute(f"ALTER TABLE {quote(fresh)} ADD CONSTRAINT {quote(temporary)} {definition}")
            renames.append(f"ALTER TABLE {quote(table)} RENAME CONSTRAINT {quote(temporary)} TO {quote(name)}")
        for i, (name, definition) in enumerate(indexes):
            temporary = f"{fresh}_i{i}"
            match = re.fullmatch(r"(CREATE (?:UNIQUE )?INDEX )\S+ ON (?:ONLY )?\S+( USING .*)", definition)
            cursor.execute(f"{match[1]}{quote(temporary)} ON {quote(fresh)}{match[2]}")
            renames.append(f"ALTER INDEX {quote(temporary)} RENAME TO {quote(name)}")
        # A fresh table has no statistics: without them the planner scans it whole for a few lists.
        cursor.execute(f"ANALYZE {quote(fresh)}")
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id'), pg_get_serial_sequence(%s, 'id')", [table, fresh])
        old_sequence, new_sequence = cursor.fetchone()
        # Deferred foreign-key checks of rows written earlier in this transaction must run first.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"LOCK TABLE {quote(table)} IN ACCESS EXCLUSIVE MODE")
        cursor.execute(f"DROP TABLE {quote(table)}")
        cursor.execute(f"ALTER TABLE {quote(fresh)} RENAME TO {quote(table)}")
        for statement in renames:
            cursor.execute(statement)
        if old_sequence and new_sequence:
            cursor.execute(f"ALTER SEQUENCE {new_sequence} RENAME TO {quote(old_sequence.split('.')[-1])}")


def write_vectors(features, vectors, kth, now):
    if connection.vendor == "postgresql" and len(features) > 5000:
        _copy(
            GroupVector._meta.db_table,
            ["group_id", "vector", "facts", "progress", "kth_score", "updated_at"],
            (
                (
                    f.id,
                    "\\x" + vectors[i].astype("<f4").tobytes().hex(),
                    json.dumps(f.to_facts(), separators=(",", ":"), ensure_ascii=False),
                    f.progress.value,
                    "" if kth[f.id] is None else kth[f.id],
                    now,
                )
                for i, f in enumerate(features)
            ),
        )
        return
    GroupVector.objects.bulk_create(
        [
            GroupVector(
                group_id=f.id,
                vector=vectors[i].astype("<f4").tobytes(),
                facts=f.to_facts(),
                progress=f.progress.value,
                kth_score=kth[f.id],
                updated_at=now,
            )
            for i, f in enumerate(features)
        ],
        batch_size=2000,
    )


def set_ranks(pairs):
    """Set Peer ranks from a flat [pk, rank, pk, rank, ...] list in one statement per 500 rows
    (bulk_update's CASE per row costs more to build in Python than the update takes)."""
    table = connection.ops.quote_name(Peer._meta.db_table)
    for start in range(0, len(pairs), 1000):
        chunk = pairs[start : start + 1000]
        values = ", ".join(["(%s, %s)"] * (len(chunk) // 2))
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH moved (id, rank) AS (VALUES {values}) UPDATE {table} SET rank = "  # noqa: S608 (model table)
                f"(SELECT moved.rank FROM moved WHERE moved.id = {table}.id) WHERE id IN (SELECT id FROM moved)",
                chunk,
            )


def _copy(table, columns, rows, chunk=100_000):
    """COPY rows into a table in chunks (PostgreSQL): 10x faster than INSERT for big rebuilds."""
    rows = iter(rows)
    with connection.cursor() as cursor:
        while True:
            buffer = io.StringIO()
            csv.writer(buffer).writerows(itertools.islice(rows, chunk))
            if not buffer.tell():
                return
            _flush_copy(cursor, table, columns, buffer)


def _flush_copy(cursor, table, columns, buffer):
    buffer.seek(0)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    cursor.copy_expert(f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN WITH (FORMAT csv)", buffer)


def lock_peers(*, shared):
    """Take the rebuild lock for this transaction (shared for incremental updates).

    Peers are derived data, rebuilt nightly: their commits need not wait for the WAL flush.
    """
    if connection.vendor == "postgresql":
        function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute(f"SELECT {function}(%s)", [_LOCK_KEY])
