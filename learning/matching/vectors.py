"""Context vectors: one block per signal, each of unit length (or zero when the group has nothing for it).

The weighted dot product of two vectors is then the weighted mean of per-signal cosine similarities:

    score(a, b) = sum_s w_s * sim_s(a, b) / sum_s w_s

Vectors are stored unweighted, so changing the weights needs no recomputation of vectors.
"""

import numpy as np

from .features import AREA_KINDS, AREA_SIMILARITY, REGIONS
from .meaning import EMBEDDER
from .text import TEXT_DIM
from .weights import APPROACH_SIGNALS, PLACE_SIGNALS, SIGNALS, half_weights

# Deciles and populations are embedded with Gaussian bumps, so the dot product of two embeddings is
# a smooth kernel of their distance: deciles 2 and 3 are close (0.78), 2 and 7 are not (0.002).
DECILE_SIGMA = 1.0
POPULATION_CENTRES = np.arange(1.0, 7.01, 0.5)  # log10 of population served: 10 to 10 million
POPULATION_SIGMA = 0.4  # in log10 units: 4,000 and 6,500 score 0.93, 1,000 and 10,000 score 0.21

CHALLENGE_DIM = 32  # multi-hot on ChallengeArea id modulo the width (no collisions below 32 areas)
TAG_DIM = 64  # the mean of the group's tag names' embeddings (first TAG_DIM dimensions of the model)
MEANING_DIM = 64  # the text's embedding (first MEANING_DIM dimensions of the model)


def _psd_embedding(similarity):
    """Rows whose dot products reproduce `similarity` (clipped to its positive semi-definite part)."""
    values, vectors = np.linalg.eigh(similarity)
    embedding = vectors * np.sqrt(np.clip(values, 0, None))
    return embedding / np.linalg.norm(embedding, axis=1, keepdims=True)


AREA_EMBEDDING = _psd_embedding(AREA_SIMILARITY).astype(np.float32)
_DECILE_CENTRES = np.arange(1, 11, dtype=float)


def _gaussian_bumps(values, centres, sigma):
    # exp(-d^2 / 2 sigma^2) bumps: the dot product of two normalised rows is ~exp(-delta^2 / 4 sigma^2).
    bumps = np.exp(-((np.asarray(values, dtype=float)[:, None] - centres[None, :]) ** 2) / (2 * sigma**2))
    return bumps / np.linalg.norm(bumps, axis=1, keepdims=True)


DECILE_EMBEDDING = _gaussian_bumps(_DECILE_CENTRES, _DECILE_CENTRES, DECILE_SIGMA).astype(np.float32)

BLOCK_WIDTHS = {
    "area_kind": len(AREA_KINDS),
    "deprivation": len(_DECILE_CENTRES),
    "population": len(POPULATION_CENTRES),
    "region": len(REGIONS),
    "challenges": CHALLENGE_DIM,
    "tags": TAG_DIM,
    "text": TEXT_DIM,
    "meaning": MEANING_DIM,
}
BLOCKS = {}
_start = 0
for _name in SIGNALS:
    BLOCKS[_name] = slice(_start, _start + BLOCK_WIDTHS[_name])
    _start += BLOCK_WIDTHS[_name]
DIM = _start
_BLOCK_STARTS = np.array([BLOCKS[name].start for name in SIGNALS])


def column_weights(weights):
    """Per-column factors w_s / sum(w): score = u_a . (column_weights * u_b)."""
    total = sum(weights.values())
    columns = np.empty(DIM, dtype=np.float32)
    for name in SIGNALS:
        columns[BLOCKS[name]] = weights[name] / total
    return columns


def _multi_hot(id_lists, width):
    block = np.zeros((len(id_lists), width), dtype=np.float32)
    rows = [row for row, ids in enumerate(id_lists) for _ in ids]
    cols = [int(i) % width for ids in id_lists for i in ids]
    if rows:
        np.add.at(block, (np.array(rows), np.array(cols)), 1.0)
    np.minimum(block, 1.0, out=block)
    norms = np.linalg.norm(block, axis=1, keepdims=True)
    np.divide(block, norms, out=block, where=norms > 0)
    return block


def context_vectors(features, text_vectors):
    """(n, DIM) float32 matrix of unweighted context vectors, one unit-length block per signal."""
    n = len(features)
    matrix = np.zeros((n, DIM), dtype=np.float32)
    if not n:
        return matrix
    kinds = np.array([AREA_KINDS.index(f.area_kind) for f in features])
    matrix[:, BLOCKS["area_kind"]] = AREA_EMBEDDING[kinds]
    deciles = np.clip(np.array([f.deprivation_decile for f in features]), 1, 10)
    matrix[:, BLOCKS["deprivation"]] = DECILE_EMBEDDING[deciles - 1]
    log_population = np.log10(np.maximum(1, np.array([f.population for f in features], dtype=float)))
    matrix[:, BLOCKS["population"]] = _gaussian_bumps(log_population, POPULATION_CENTRES, POPULATION_SIGMA)
    regions = np.array([REGIONS.index(f.region) for f in features])
    matrix[np.arange(n), BLOCKS["region"].start + regions] = 1.0
    matrix[:, BLOCKS["challenges"]] = _multi_hot([list(f.challenges) for f in features], CHALLENGE_DIM)
    matrix[:, BLOCKS["tags"]] = EMBEDDER.tag_block([f.tags.values() for f in features], TAG_DIM)
    matrix[:, BLOCKS["text"]] = text_vectors
    matrix[:, BLOCKS["meaning"]] = EMBEDDER.embed([f.text for f in features], MEANING_DIM)
    return matrix


def signal_similarities(vectors, rows, cols):
    """Per-signal cosine similarities of the pairs (rows[i], cols[i]): dict signal -> array."""
    out = {name: np.empty(len(rows), dtype=np.float32) for name in SIGNALS}
    for start in range(0, len(rows), 65_536):
        chunk = slice(start, start + 65_536)
        products = vectors[rows[chunk]] * vectors[cols[chunk]]
        sums = np.add.reduceat(products, _BLOCK_STARTS, axis=1)
        for i, name in enumerate(SIGNALS):
            out[name][chunk] = sums[:, i]
    return out


def combine(similarities, weights):
    """(score, place_score, approach_score): weighted means over all, place and approach signals."""
    place_total, approach_total = half_weights(weights)
    place = sum(weights[s] * similarities[s] for s in PLACE_SIGNALS)
    approach = sum(weights[s] * similarities[s] for s in APPROACH_SIGNALS)
    return (
        (place + approach) / (place_total + approach_total),
        place / place_total if place_total else np.zeros_like(place),
        approach / approach_total if approach_total else np.zeros_like(approach),
    )
