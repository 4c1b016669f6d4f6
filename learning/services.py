"""Writes of the learning app: context vectors and precomputed peer lists.

`rebuild_all_peers` refits the text model and recomputes everything; `recompute_peers_for_group`
brings one changed group's vector and list up to date, and the lists of the groups it now enters
or leaves. Both are idempotent: running them again with the same data writes the same rows.

What the moderators have hidden is not matched: a hidden group gets no vector and no peers and is in
nobody's list; a hidden solution or update adds nothing to its group's text, tags or progress.
"""

import csv
import io
import itertools
import json
import re
import threading
from datetime import timedelta

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from challenges.models import MetricReading, Solution, SolutionMetric, Stage, Status, Update
from challenges.selectors import reading_visible
from groups.models import AreaKind, Group, Region

from . import matching
from .models import GroupVector, Peer, TextModel

# Pages show 10 peers (re-ranked by lean from the stored list) and 5 ahead; 15 leaves room for
# the re-ranking while writing a quarter fewer rows than 20 did.
PEERS_PER_GROUP = 15
# Full rebuilds and incremental updates must not interleave their writes (PostgreSQL only; SQLite
# serialises writers anyway).
_LOCK_KEY = 7_420_001
_AREA_LABELS = dict(AreaKind.choices)
_REGION_LABELS = dict(Region.choices)
_STAGE_INDEX = {stage: i for i, stage in enumerate(Stage.values)}


def match_weights():
    """The matching weights: defaults updated with settings.LEARNING_MATCH_WEIGHTS."""
    return matching.resolve_weights(getattr(settings, "LEARNING_MATCH_WEIGHTS", None))


# --- Reading the features --------------------------------------------------------------------------


def load_features(group_ids=None):
    """GroupFeatures (with text, without terms) of the given groups, or of all; 7 queries.

    Hidden groups are left out, and hidden solutions and updates (and what hangs off them) add nothing.
    Rows of hidden groups' solutions are skipped here rather than joined away: hidden groups are few.
    """

    def scoped(queryset, field):
        return queryset if group_ids is None else queryset.filter(**{f"{field}__in": group_ids})

    features, by_id = [], {}
    rows = scoped(Group.objects.visible().order_by("pk"), "pk").values_list(
        "pk", "area_kind", "deprivation_decile", "population", "region", "summary", "description"
    )
    texts = {}
    for pk, kind, decile, population, region, summary, description in rows.iterator(chunk_size=5000):
        feature = matching.GroupFeatures(
            id=pk,
            area_kind=kind,
            deprivation_decile=decile,
            population=population,
            region=region,
            area_label=_AREA_LABELS.get(kind, ""),
            region_label=_REGION_LABELS.get(region, ""),
        )
        features.append(feature)
        by_id[pk] = feature
        texts[pk] = [summary, description]
    if not features:
        return []

    through = Group.challenge_areas.through.objects
    for group_id, area_id, name in scoped(through, "group_id").values_list(
        "group_id", "challengearea_id", "challengearea__name"
    ):
        if group_id in by_id:
            by_id[group_id].challenges[area_id] = name

    published = Solution.objects.filter(status=Status.PUBLISHED, hidden_at__isnull=True)
    for group_id, stage, problem, approach, why_here in scoped(published, "group_id").values_list(
        "group_id", "stage", "problem", "approach", "why_here"
    ):
        if group_id not in by_id:
            continue
        texts[group_id] += [problem, approach, why_here]
        progress = by_id[group_id].progress
        progress.stage = max(progress.stage, _STAGE_INDEX.get(stage, 0))

    tags = Solution.approach_tags.through.objects.filter(
        solution__status=Status.PUBLISHED, solution__hidden_at__isnull=True
    )
    for group_id, tag_id, name in scoped(tags, "solution__group_id").values_list(
        "solution__group_id", "approachtag_id", "approachtag__name"
    ):
        if group_id in by_id:
            by_id[group_id].tags[tag_id] = name

    updates = Update.objects.filter(
        status=Status.PUBLISHED,
        published_at__isnull=False,
        hidden_at__isnull=True,
        solution__status=Status.PUBLISHED,
        solution__hidden_at__isnull=True,
    )
    for row in (
        scoped(updates, "solution__group_id")
        .values("solution__group_id")
        .annotate(n=Count("id"), first=Min("published_at"), last=Max("published_at"))
        .order_by()
    ):
        if row["solution__group_id"] not in by_id:
            continue
        progress = by_id[row["solution__group_id"]].progress
        progress.updates = row["n"]
        progress.months = (row["last"] - row["first"]).days / 30.44

    _add_metric_progress(by_id, scoped)
    for feature in features:
        feature.text = "\n".join(part for part in texts[feature.id] if part)
    return features


def _add_metric_progress(by_id, scoped):
    """Share of the way from each metric's first reading to its target, per group (readings recorded by a
    hidden update do not count; nor do hidden solutions' metrics)."""
    metrics = SolutionMetric.objects.filter(
        solution__status=Status.PUBLISHED, solution__hidden_at__isnull=True, target__isnull=False
    )
    metric_group = dict(scoped(metrics, "solution__group_id").values_list("id", "solution__group_id"))
    targets = dict(scoped(metrics, "solution__group_id").values_list("id", "target"))
    readings = (
        MetricReading.objects.filter(
            solution_metric__solution__status=Status.PUBLISHED,
            solution_metric__solution__hidden_at__isnull=True,
            solution_metric__target__isnull=False,
        )
        .filter(reading_visible())
        .order_by("solution_metric_id", "measured_on", "created_at")
    )
    first, last = {}, {}
    for metric_id, value in scoped(readings, "solution_metric__solution__group_id").values_list(
        "solution_metric_id", "value"
    ):
        first.setdefault(metric_id, value)
        last[metric_id] = value
    shares = {}
    for metric_id, start in first.items():
        if metric_id not in metric_group:
            continue
        gap = float(targets[metric_id]) - float(start)
        moved = float(last[metric_id]) - float(start)
        share = 0.0 if gap == 0 else min(1.0, max(0.0, moved / gap))
        shares.setdefault(metric_group[metric_id], []).append(share)
    for group_id, values in shares.items():
        if group_id not in by_id:
            continue
        progress = by_id[group_id].progress
        progress.metrics_total = len(values)
        progress.metrics_moving = sum(1 for v in values if v > 0)
        progress.metrics_progress = sum(values) / len(values)


# --- Building match rows ----------------------------------------------------------------------------


def _match_rows(*, features, vectors, weights, query_rows, idx, scores, computed_at):
    """Peer rows for each query row's top-K (idx/scores from matching.top_k*); -inf marks no match."""
    valid = np.isfinite(scores)
    ranks = valid.cumsum(axis=1)[valid]
    q = np.repeat(np.asarray(query_rows), idx.shape[1])[valid.ravel()]
    c = idx[valid]
    similarities = matching.signal_similarities(vectors, q, c)
    score, place, approach = matching.combine(similarities, weights)
    progress = np.array([f.progress.value for f in features])
    ahead = matching.ahead_scores(progress[q], progress[c])
    reasons = matching.PairReasons(features).json(q, c)
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


def _write_peers(rows):
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


def _replace_all_peers(rows):
    """Replace every Peer row with `rows`. On PostgreSQL the rows are copied into a fresh table
    without indexes, which is then indexed and swapped in under the live table's name, its
    constraints and indexes recreated under their own names (so migrations still find them).
    Readers see the old lists until commit and wait only for the final renames."""
    if connection.vendor != "postgresql":
        Peer.objects.all().delete()
        _write_peers(rows)
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


def _lock(*, shared):
    """Take the rebuild lock for this transaction (shared for incremental updates).

    Peers are derived data, rebuilt nightly: their commits need not wait for the WAL flush.
    """
    if connection.vendor == "postgresql":
        function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            cursor.execute(f"SELECT {function}(%s)", [_LOCK_KEY])


# --- Full rebuild -------------------------------------------------------------------------------------


def rebuild_all_peers():
    """Refit the text model and recompute every group's vector and top-K peers, in one transaction.

    Idempotent: the same data gives the same rows. Returns counts and the phase timings (seconds).
    """
    clock = _Clock()
    features = load_features()
    clock.lap("load")
    texts = [f.text for f in features]
    model, text_vectors, terms = matching.TextModel.fit_transform(texts)
    for feature, salient in zip(features, terms, strict=True):
        feature.terms = salient
    vectors = matching.context_vectors(features, text_vectors)
    clock.lap("vectors")
    weights = match_weights()
    idx, scores = matching.top_k(vectors, weights, PEERS_PER_GROUP)
    clock.lap("search")
    now = timezone.now()
    rows = _match_rows(
        features=features,
        vectors=vectors,
        weights=weights,
        query_rows=np.arange(len(features)),
        idx=idx,
        scores=scores,
        computed_at=now,
    )
    clock.lap("reasons")
    kth = {}
    full = np.isfinite(scores[:, -1]) if scores.shape[1] == PEERS_PER_GROUP else np.zeros(len(features), bool)
    for row, feature in enumerate(features):
        kth[feature.id] = float(scores[row, -1]) if full[row] else None
    with transaction.atomic():
        _lock(shared=False)
        TextModel.objects.all().delete()
        TextModel.objects.create(data=model.to_bytes(), documents=len(texts), terms=len(model.terms))
        GroupVector.objects.all().delete()
        _write_vectors(features, vectors, kth, now)
        clock.lap("write vectors")
        _replace_all_peers(rows)
        clock.lap("write peers")
    _INDEX.reset()
    return {"groups": len(features), "peers": len(rows), "seconds": clock.laps}


def _write_vectors(features, vectors, kth, now):
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


# --- Incremental update ------------------------------------------------------------------------------


def recompute_peers_for_group(*, group_id):
    """Bring one group's vector and peer list up to date, and the lists it now enters or leaves.

    A group enters another's list when its new score beats that list's last (K-th) score: it is
    inserted at its place and the last peer dropped, with no search. A list that contained it keeps
    it the same way unless every other peer now beats it; only those lists, and the group's own, are
    recomputed in full (exactly, from the stored vectors), so it leaves lists it no longer belongs
    in. Runs a full rebuild when no text model exists yet.

    A group that is hidden (or deleted) loses its vector and list and leaves every other list; those
    lists are recomputed without it.
    """
    features = load_features([group_id])
    if not features:
        return _remove_group(group_id)
    model_row = TextModel.objects.order_by("-pk").values_list("pk", "fitted_at").first()
    if model_row is None:
        return rebuild_all_peers()
    model = _INDEX.text_model(model_row)
    feature = features[0]
    text_vectors, terms = model.transform([feature.text])
    feature.terms = terms[0]
    vector = matching.context_vectors([feature], text_vectors)[0]
    weights = match_weights()
    now = timezone.now()
    with transaction.atomic():
        _lock(shared=True)
        GroupVector.objects.update_or_create(
            group_id=group_id,
            defaults={
                "vector": vector.astype("<f4").tobytes(),
                "facts": feature.to_facts(),
                "progress": feature.progress.value,
            },
        )
        index = _INDEX.refreshed(model_row)
        row = index.put(group_id, vector)
        listing = list(Peer.objects.filter(peer_id=group_id).order_by().values_list("group_id", flat=True))
        # One matrix-vector product (memory-bound: a pass over all vectors). The score is symmetric,
        # so these are also the group's own list's scores.
        known = index.vectors[: index.size] @ (matching.column_weights(weights) * vector)
        similarity = known.copy()
        similarity[row] = -np.inf
        kth = np.nan_to_num(index.kth[: index.size], nan=-np.inf)
        entering = np.nonzero((similarity > kth) & index.alive[: index.size])[0]
        owners = {int(i) for i in index.ids[entering]} | set(listing)
        owners = sorted(g for g in owners if g in index.position and g != group_id)
        moved, rewrite = _move_into_lists(
            index=index, group_id=group_id, owners=owners, similarity=similarity, feature=feature, now=now
        )
        written = _rewrite_lists(
            index=index,
            group_ids=[group_id, *rewrite],
            weights=weights,
            now=now,
            fresh={row: feature},
            known=(np.array([row]), known[:, None]),
        )
    return {"group": group_id, "updated": moved + written}


def _remove_group(group_id):
    """Take a hidden or deleted group out of matching: its vector and list go, and the lists it was in are
    recomputed from the stored vectors (exactly, as `_rewrite_lists` does), so they stay full."""
    model_row = TextModel.objects.order_by("-pk").values_list("pk", "fitted_at").first()
    with transaction.atomic():
        _lock(shared=True)
        owners = sorted(set(Peer.objects.filter(peer_id=group_id).values_list("group_id", flat=True)))
        Peer.objects.filter(Q(group_id=group_id) | Q(peer_id=group_id)).delete()
        GroupVector.objects.filter(group_id=group_id).delete()
        _INDEX.forget(group_id)
        written = 0
        if owners and model_row is not None:
            _INDEX.text_model(model_row)
            index = _INDEX.refreshed(model_row)
            index.forget(group_id)  # other processes' copies find its vector gone and drop it themselves
            owners = [owner for owner in owners if owner in index.position and index.alive[index.position[owner]]]
            if owners:
                written = _rewrite_lists(
                    index=index, group_ids=owners, weights=match_weights(), now=timezone.now(), fresh={}
                )
    return {"group": group_id, "updated": written}


def _move_into_lists(*, index, group_id, owners, similarity, feature, now):
    """Put the changed group at its new place in the stored lists of `owners` without searching.

    Each list was exact, so the other peers in it are still the best of the rest: inserting the
    group at its new score (and dropping the last peer when the list overflows) keeps it exact.
    Only a list the group was in and whose others now all beat it might hold a better peer
    outside it; those are returned for a full recompute. Returns (lists changed, lists to search).
    """
    if not owners:
        return 0, []
    facts = dict(
        GroupVector.objects.select_for_update()
        .filter(group_id__in=owners)
        .order_by("group_id")
        .values_list("group_id", "facts")
    )
    stored = {}
    for pk, owner, peer, rank, score in (
        Peer.objects.filter(group_id__in=list(facts))
        .order_by("group_id", "rank")
        .values_list("pk", "group_id", "peer_id", "rank", "score")
    ):
        stored.setdefault(owner, []).append((pk, peer, rank, score))
    rewrite, changed, dropped, reranked, kth, place = [], [], [], [], {}, {}
    for owner in facts:
        old = stored.get(owner, [])
        new_score = float(similarity[index.position[owner]])
        others = [entry for entry in old if entry[1] != group_id]
        mine = [entry[3] for entry in old if entry[1] == group_id]
        full = len(old) >= PEERS_PER_GROUP
        if mine and full and new_score < mine[0] and (not others or new_score < others[-1][3]):
            rewrite.append(owner)  # it may have fallen below a group outside the list
            continue
        ranked = sorted([(-e[3], e[1], e) for e in others] + [(-new_score, group_id, None)])
        kept, out = ranked[:PEERS_PER_GROUP], ranked[PEERS_PER_GROUP:]
        if all(entry is not None for _, _, entry in kept):
            continue  # did not make it into the list after all (equal scores)
        changed.append(owner)
        dropped += [entry[0] for _, _, entry in out if entry is not None]
        for rank, (_, _, entry) in enumerate(kept, start=1):
            if entry is not None and entry[2] != rank:
                reranked += [entry[0], rank]
            elif entry is None:
                place[owner] = rank
        kth[owner] = -kept[-1][0] if len(kept) >= PEERS_PER_GROUP else None
    if not changed:
        return 0, rewrite
    Peer.objects.filter(Q(pk__in=dropped) | Q(group_id__in=changed, peer_id=group_id)).delete()
    _set_ranks(reranked)
    features = [matching.GroupFeatures.from_facts(owner, facts[owner]) for owner in changed] + [feature]
    vectors = index.vectors[[index.position[owner] for owner in changed] + [index.position[group_id]]]
    me = len(changed)
    rows = _match_rows(
        features=features,
        vectors=vectors,
        weights=match_weights(),
        query_rows=list(range(me)),
        idx=np.full((me, 1), me, dtype=np.int64),
        scores=np.zeros((me, 1), dtype=np.float32),
        computed_at=now,
    )
    _write_peers([(owner, peer, place[owner], *rest) for owner, peer, _, *rest in rows])
    vector_rows = [GroupVector(group_id=owner, kth_score=kth[owner], updated_at=now) for owner in changed]
    GroupVector.objects.bulk_update(vector_rows, ["kth_score", "updated_at"], batch_size=1000)
    for owner in changed:
        index.kth[index.position[owner]] = np.nan if kth[owner] is None else kth[owner]
        index.stamps[owner] = now
    return len(changed), rewrite


def _set_ranks(pairs):
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


def _rewrite_lists(*, index, group_ids, weights, now, fresh, known=None):
    """Recompute and store the top-K lists of group_ids from the index's vectors.

    `known` = (row, its scores against every row) spares a second pass over all vectors for a
    row whose scores were already computed (the changed group's, by symmetry of the score).
    """
    rows = np.array([index.position[g] for g in group_ids], dtype=np.int64)
    while True:
        idx, scores = _search_rows(index, weights, rows, known)
        needed = {int(r) for r in rows} | {int(i) for i in idx[np.isfinite(scores)]}
        facts = dict(
            GroupVector.objects.filter(group_id__in=[int(index.ids[r]) for r in needed]).values_list(
                "group_id", "facts"
            )
        )
        missing = [r for r in needed if int(index.ids[r]) not in facts]
        if not missing:
            break
        for r in missing:  # deleted since the index was loaded
            index.alive[r] = False
        rows = np.array([r for r in rows if index.alive[r]], dtype=np.int64)
    features = {
        r: fresh.get(r) or matching.GroupFeatures.from_facts(int(index.ids[r]), facts[int(index.ids[r])])
        for r in needed
    }
    # _match_rows wants a list indexed by row: give it a compact one.
    order = sorted(needed)
    local = {r: i for i, r in enumerate(order)}
    local_features = [features[r] for r in order]
    local_vectors = index.vectors[order]
    local_idx = np.vectorize(local.get, otypes=[np.int64])(np.where(np.isfinite(scores), idx, rows[0]))
    match_rows = _match_rows(
        features=local_features,
        vectors=local_vectors,
        weights=weights,
        query_rows=[local[int(r)] for r in rows],
        idx=local_idx,
        scores=scores,
        computed_at=now,
    )
    full = np.isfinite(scores[:, -1]) if scores.shape[1] == PEERS_PER_GROUP else np.zeros(len(rows), bool)
    ids = [int(index.ids[r]) for r in rows]
    vectors = list(GroupVector.objects.select_for_update().filter(group_id__in=ids).order_by("group_id"))
    Peer.objects.filter(group_id__in=ids).delete()
    _write_peers(match_rows)
    kth = {int(index.ids[r]): float(scores[i, -1]) if full[i] else None for i, r in enumerate(rows)}
    for gv in vectors:
        gv.kth_score = kth[gv.group_id]
        gv.updated_at = now
        index.kth[index.position[gv.group_id]] = np.nan if gv.kth_score is None else gv.kth_score
        index.stamps[gv.group_id] = now
    GroupVector.objects.bulk_update(vectors, ["kth_score", "updated_at"])
    return len(ids)


def _search_rows(index, weights, rows, known):
    """Top-K of `rows`: from the scores in `known` = (rows, scores against all rows) where given,
    else by a search over all vectors."""
    excluded = ~index.alive[: index.size]
    column = {} if known is None else {int(r): i for i, r in enumerate(known[0])}
    scored = np.array([r for r in rows if int(r) in column], dtype=np.int64)
    searched = np.array([r for r in rows if int(r) not in column], dtype=np.int64)
    idx, scores = matching.top_k_for_rows(
        index.vectors[: index.size], weights, searched, PEERS_PER_GROUP, exclude=excluded
    )
    if len(scored):
        block = known[1][:, [column[int(r)] for r in scored]].T.copy()
        block[:, excluded] = -np.inf
        block[np.arange(len(scored)), scored] = -np.inf
        scored_idx, scored_scores = matching._select(block, PEERS_PER_GROUP)
        if len(searched):
            idx, scores = np.vstack([scored_idx, idx]), np.vstack([scored_scores, scores])
        else:
            idx, scores = scored_idx, scored_scores
    order = {int(r): i for i, r in enumerate([*scored, *searched])}
    back = [order[int(r)] for r in rows]
    return idx[back], scores[back]


class _VectorIndex:
    """This process's copy of all context vectors, refreshed from GroupVector rows changed lately.

    Loading 100k vectors takes about a second; after that an incremental update reads only the rows
    changed in the last REFRESH_LAG (which also covers other workers' commits landing late).
    """

    REFRESH_LAG = timedelta(seconds=10)

    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        self.key = None
        self.model = None
        self.size = 0
        self.ids = np.zeros(0, dtype=np.int64)
        self.vectors = np.zeros((0, matching.DIM), dtype=np.float32)
        self.kth = np.zeros(0, dtype=np.float32)
        self.alive = np.zeros(0, dtype=bool)
        self.position = {}
        self.stamps = {}
        self.seen_at = None

    def text_model(self, model_row):
        if self.model is None or self.key != model_row:
            self.reset()
            self.key = model_row
            self.model = matching.TextModel.from_bytes(TextModel.objects.get(pk=model_row[0]).data)
        return self.model

    def forget(self, group_id):
        if group_id in self.position:
            self.alive[self.position[group_id]] = False

    def refreshed(self, model_row):
        with self._lock:
            started = timezone.now()
            queryset = GroupVector.objects.all()
            if self.seen_at is not None:
                # Only stamps first: vectors are read again only for rows that changed since we saw them.
                recent = queryset.filter(updated_at__gte=self.seen_at - self.REFRESH_LAG)
                changed = [
                    group_id
                    for group_id, stamp in recent.values_list("group_id", "updated_at")
                    if self.stamps.get(group_id) != stamp
                ]
                queryset = queryset.filter(group_id__in=changed) if changed else queryset.none()
            for group_id, vector, kth, stamp in queryset.values_list(
                "group_id", "vector", "kth_score", "updated_at"
            ).iterator(chunk_size=10_000):
                vector = np.frombuffer(bytes(vector), dtype="<f4")
                if len(vector) != matching.DIM:  # written before the vector's layout changed: the rebuild redoes it
                    continue
                row = self.put(group_id, vector)
                self.kth[row] = np.nan if kth is None else kth
                self.stamps[group_id] = stamp
            self.seen_at = started
        return self

    def put(self, group_id, vector):
        row = self.position.get(group_id)
        if row is None:
            if self.size == len(self.ids):
                self._grow(max(1024, 2 * self.size))
            row = self.size
            self.size += 1
            self.ids[row] = group_id
            self.position[group_id] = row
            self.kth[row] = np.nan
        self.vectors[row] = vector
        self.alive[row] = True
        return row

    def _grow(self, capacity):
        def grown(array, fill):
            bigger = np.full((capacity, *array.shape[1:]), fill, dtype=array.dtype)
            bigger[: len(array)] = array
            return bigger

        self.ids = grown(self.ids, -1)
        self.vectors = grown(self.vectors, 0)
        self.kth = grown(self.kth, np.nan)
        self.alive = grown(self.alive, False)


_INDEX = _VectorIndex()


class _Clock:
    def __init__(self):
        import time

        self._time = time.perf_counter
        self._last = self._time()
        self.laps = {}

    def lap(self, name):
        now = self._time()
        self.laps[name] = round(now - self._last, 3)
        self._last = now
