"""Incremental updates: one changed group's vector and list, and the lists it now enters or leaves.

A hidden or deleted group loses its vector and list and leaves every other list.
"""

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..matching.features import GroupFeatures
from ..matching.search import select_top_k, top_k_for_rows
from ..matching.vectors import column_weights, context_vectors
from ..matching.weights import match_weights
from ..models import GroupVector, Peer, TextModel
from . import store
from .features import load_features
from .index import VECTOR_INDEX
from .rebuild import rebuild_all_peers


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
    model = VECTOR_INDEX.text_model(model_row)
    feature = features[0]
    text_vectors, terms = model.transform([feature.text])
    feature.terms = terms[0]
    vector = context_vectors([feature], text_vectors)[0]
    weights = match_weights()
    now = timezone.now()
    with transaction.atomic():
        store.lock_peers(shared=True)
        GroupVector.objects.update_or_create(
            group_id=group_id,
            defaults={
                "vector": vector.astype("<f4").tobytes(),
                "facts": feature.to_facts(),
                "progress": feature.progress.value,
            },
        )
        index = VECTOR_INDEX.refreshed(model_row)
        row = index.put(group_id, vector)
        listing = list(Peer.objects.filter(peer_id=group_id).order_by().values_list("group_id", flat=True))
        # One matrix-vector product (memory-bound: a pass over all vectors). The score is symmetric,
        # so these are also the group's own list's scores.
        known = index.vectors[: index.size] @ (column_weights(weights) * vector)
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
        store.lock_peers(shared=True)
        owners = sorted(set(Peer.objects.filter(peer_id=group_id).values_list("group_id", flat=True)))
        Peer.objects.filter(Q(group_id=group_id) | Q(peer_id=group_id)).delete()
        GroupVector.objects.filter(group_id=group_id).delete()
        VECTOR_INDEX.forget(group_id)
        written = 0
        if owners and model_row is not None:
            VECTOR_INDEX.text_model(model_row)
            index = VECTOR_INDEX.refreshed(model_row)
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
        full = len(old) >= store.PEERS_PER_GROUP
        if mine and full and new_score < mine[0] and (not others or new_score < others[-1][3]):
            rewrite.append(owner)  # it may have fallen below a group outside the list
            continue
        ranked = sorted([(-e[3], e[1], e) for e in others] + [(-new_score, group_id, None)])
        kept, out = ranked[: store.PEERS_PER_GROUP], ranked[store.PEERS_PER_GROUP :]
        if all(entry is not None for _, _, entry in kept):
            continue  # did not make it into the list after all (equal scores)
        changed.append(owner)
        dropped += [entry[0] for _, _, entry in out if entry is not None]
        for rank, (_, _, entry) in enumerate(kept, start=1):
            if entry is not None and entry[2] != rank:
                reranked += [entry[0], rank]
            elif entry is None:
                place[owner] = rank
        kth[owner] = -kept[-1][0] if len(kept) >= store.PEERS_PER_GROUP else None
    if not changed:
        return 0, rewrite
    Peer.objects.filter(Q(pk__in=dropped) | Q(group_id__in=changed, peer_id=group_id)).delete()
    store.set_ranks(reranked)
    features = [GroupFeatures.from_facts(owner, facts[owner]) for owner in changed] + [feature]
    vectors = index.vectors[[index.position[owner] for owner in changed] + [index.position[group_id]]]
    me = len(changed)
    rows = store.match_rows(
        features=features,
        vectors=vectors,
        weights=match_weights(),
        query_rows=list(range(me)),
        idx=np.full((me, 1), me, dtype=np.int64),
        scores=np.zeros((me, 1), dtype=np.float32),
        computed_at=now,
    )
    store.write_peers([(owner, peer, place[owner], *rest) for owner, peer, _, *rest in rows])
    vector_rows = [GroupVector(group_id=owner, kth_score=kth[owner], updated_at=now) for owner in changed]
    GroupVector.objects.bulk_update(vector_rows, ["kth_score", "updated_at"], batch_size=1000)
    for owner in changed:
        index.kth[index.position[owner]] = np.nan if kth[owner] is None else kth[owner]
        index.stamps[owner] = now
    return len(changed), rewrite


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
        r: fresh.get(r) or GroupFeatures.from_facts(int(index.ids[r]), facts[int(index.ids[r])]) for r in needed
    }
    # store.match_rows wants a list indexed by row: give it a compact one.
    order = sorted(needed)
    local = {r: i for i, r in enumerate(order)}
    local_features = [features[r] for r in order]
    local_vectors = index.vectors[order]
    local_idx = np.vectorize(local.get, otypes=[np.int64])(np.where(np.isfinite(scores), idx, rows[0]))
    match_rows = store.match_rows(
        features=local_features,
        vectors=local_vectors,
        weights=weights,
        query_rows=[local[int(r)] for r in rows],
        idx=local_idx,
        scores=scores,
        computed_at=now,
    )
    full = np.isfinite(scores[:, -1]) if scores.shape[1] == store.PEERS_PER_GROUP else np.zeros(len(rows), bool)
    ids = [int(index.ids[r]) for r in rows]
    vectors = list(GroupVector.objects.select_for_update().filter(group_id__in=ids).order_by("group_id"))
    Peer.objects.filter(group_id__in=ids).delete()
    store.write_peers(match_rows)
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
    idx, scores = top_k_for_rows(
        index.vectors[: index.size], weights, searched, store.PEERS_PER_GROUP, exclude=excluded
    )
    if len(scored):
        block = known[1][:, [column[int(r)] for r in scored]].T.copy()
        block[:, excluded] = -np.inf
        block[np.arange(len(scored)), scored] = -np.inf
        scored_idx, scored_scores = select_top_k(block, store.PEERS_PER_GROUP)
        if len(searched):
            idx, scores = np.vstack([scored_idx, idx]), np.vstack([scored_scores, scores])
        else:
            idx, scores = scored_idx, scored_scores
    order = {int(r): i for i, r in enumerate([*scored, *searched])}
    back = [order[int(r)] for r in rows]
    return idx[back], scores[back]
