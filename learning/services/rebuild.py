"""The full rebuild: refit the text model, recompute every vector and every peer list, replace all rows."""

import numpy as np
from django.db import transaction
from django.utils import timezone

from ..matching import text
from ..matching.search import top_k
from ..matching.vectors import context_vectors
from ..matching.weights import match_weights
from ..models import GroupVector, TextModel
from . import store
from .features import load_features
from .index import VECTOR_INDEX


def rebuild_all_peers():
    """Refit the text model and recompute every group's vector and top-K peers, in one transaction.

    Idempotent: the same data gives the same rows. Returns counts and the phase timings (seconds).
    """
    clock = _Clock()
    features = load_features()
    clock.lap("load")
    texts = [f.text for f in features]
    model, text_vectors, terms = text.TextModel.fit_transform(texts)
    for feature, salient in zip(features, terms, strict=True):
        feature.terms = salient
    vectors = context_vectors(features, text_vectors)
    clock.lap("vectors")
    weights = match_weights()
    idx, scores = top_k(vectors, weights, store.PEERS_PER_GROUP)
    clock.lap("search")
    now = timezone.now()
    rows = store.match_rows(
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
    full = np.isfinite(scores[:, -1]) if scores.shape[1] == store.PEERS_PER_GROUP else np.zeros(len(features), bool)
    for row, feature in enumerate(features):
        kth[feature.id] = float(scores[row, -1]) if full[row] else None
    with transaction.atomic():
        store.lock_peers(shared=False)
        TextModel.objects.all().delete()
        TextModel.objects.create(data=model.to_bytes(), documents=len(texts), terms=len(model.terms))
        GroupVector.objects.all().delete()
        store.write_vectors(features, vectors, kth, now)
        clock.lap("write vectors")
        store.replace_all_peers(rows)
        clock.lap("write peers")
    VECTOR_INDEX.reset()
    return {"groups": len(features), "peers": len(rows), "seconds": clock.laps}


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
