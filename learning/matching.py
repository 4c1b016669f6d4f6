"""Context vectors, similarity, top-K search and explanations for peer matching.

Pure functions on numpy arrays: nothing here touches Django or the database, so the benchmarks and
the services share exactly the same code. A group's vector is a concatenation of blocks, one per
signal, each of unit length (or zero when the group has nothing for that signal). The weighted dot
product of two vectors is then the weighted mean of per-signal cosine similarities:

    score(a, b) = sum_s w_s * sim_s(a, b) / sum_s w_s

Vectors are stored unweighted, so changing the weights needs no recomputation of vectors.
"""

import io
import itertools
import json
import math
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

# --- Signals and weights -------------------------------------------------------------------------

PLACE_SIGNALS = ("area_kind", "deprivation", "population", "region")
APPROACH_SIGNALS = ("challenges", "tags", "text", "meaning")
SIGNALS = PLACE_SIGNALS + APPROACH_SIGNALS

# Tuned with bench/learning_quality.py (docs/learning.md); override with settings.LEARNING_MATCH_WEIGHTS.
DEFAULT_WEIGHTS = {
    "area_kind": 1.0,
    "deprivation": 0.8,
    "population": 0.5,
    "region": 0.4,
    "challenges": 1.5,
    "tags": 1.2,
    "text": 0.6,
    "meaning": 1.2,
}
# How much the place and approach halves are multiplied by for each lean.
LEANS = {"place": (3.0, 1.0), "balanced": (1.0, 1.0), "approach": (1.0, 3.0)}

# --- Vocabularies of the structured fields (mirrors groups.models; a test keeps them in step) ---

AREA_KINDS = ("urban", "suburban", "small_town", "rural", "coastal", "island")
# How alike two kinds of area are. Rural, coastal and island places share sparse services, long
# journeys and small populations, so they are close to each other and far from urban.
AREA_SIMILARITY = np.array(
    [
        # urban suburb town  rural coast island
        [1.00, 0.60, 0.25, 0.00, 0.05, 0.00],  # urban
        [0.60, 1.00, 0.45, 0.10, 0.10, 0.00],  # suburban
        [0.25, 0.45, 1.00, 0.40, 0.40, 0.20],  # small town
        [0.00, 0.10, 0.40, 1.00, 0.55, 0.50],  # rural
        [0.05, 0.10, 0.40, 0.55, 1.00, 0.65],  # coastal
        [0.00, 0.00, 0.20, 0.50, 0.65, 1.00],  # island
    ]
)
REGIONS = (
    "north_east",
    "north_west",
    "yorkshire",
    "east_midlands",
    "west_midlands",
    "east",
    "london",
    "south_east",
    "south_west",
    "wales",
    "scotland",
    "northern_ireland",
)
STAGES = ("idea", "pilot", "running", "growing", "completed")

# Deciles and populations are embedded with Gaussian bumps, so the dot product of two embeddings is
# a smooth kernel of their distance: deciles 2 and 3 are close (0.78), 2 and 7 are not (0.002).
DECILE_SIGMA = 1.0
POPULATION_CENTRES = np.arange(1.0, 7.01, 0.5)  # log10 of population served: 10 to 10 million
POPULATION_SIGMA = 0.4  # in log10 units: 4,000 and 6,500 score 0.93, 1,000 and 10,000 score 0.21

CHALLENGE_DIM = 32  # multi-hot on ChallengeArea id modulo the width (no collisions below 32 areas)
TAG_DIM = 64  # the mean of the group's tag names' embeddings (first TAG_DIM dimensions of the model)
TEXT_DIM = 48  # latent semantic dimensions of the TF-IDF text
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


def resolve_weights(overrides=None):
    """The default weights updated with `overrides` (e.g. settings.LEARNING_MATCH_WEIGHTS)."""
    weights = dict(DEFAULT_WEIGHTS)
    for name, value in (overrides or {}).items():
        if name not in weights:
            raise ValueError(f"Unknown matching signal {name!r}; known: {', '.join(SIGNALS)}.")
        weights[name] = float(value)
    if sum(weights.values()) <= 0:
        raise ValueError("At least one matching weight must be positive.")
    return weights


def lean_weights(weights, lean="balanced"):
    """Weights with the place or approach half scaled up for a lean."""
    if lean not in LEANS:
        raise ValueError(f"Unknown lean {lean!r}; use one of {', '.join(LEANS)}.")
    place_factor, approach_factor = LEANS[lean]
    return {
        name: value * (place_factor if name in PLACE_SIGNALS else approach_factor) for name, value in weights.items()
    }


def column_weights(weights):
    """Per-column factors w_s / sum(w): score = u_a . (column_weights * u_b)."""
    total = sum(weights.values())
    columns = np.empty(DIM, dtype=np.float32)
    for name in SIGNALS:
        columns[BLOCKS[name]] = weights[name] / total
    return columns


def half_weights(weights):
    """(sum of place weights, sum of approach weights)."""
    return sum(weights[s] for s in PLACE_SIGNALS), sum(weights[s] for s in APPROACH_SIGNALS)


# --- Features -------------------------------------------------------------------------------------


@dataclass
class Progress:
    """How far along a group is: its most advanced published solution, updates and metrics."""

    stage: int = -1  # index in STAGES; -1 when nothing is published
    updates: int = 0  # published updates
    months: float = 0.0  # between the first and the latest published update
    metrics_total: int = 0  # measured metrics with a target
    metrics_moving: int = 0  # of those, latest reading closer to the target than the first
    metrics_progress: float = 0.0  # mean share of the way from the first reading to the target

    @property
    def value(self):
        """0..1: stage counts most; then updates, time, and metrics moving toward target."""
        if self.stage < 0:
            return 0.0
        return (
            0.4 * self.stage / (len(STAGES) - 1)
            + 0.2 * min(1.0, math.log1p(self.updates) / math.log1p(12))
            + 0.2 * min(1.0, self.months / 24)
            + 0.2 * self.metrics_progress
        )


@dataclass
class GroupFeatures:
    """Everything the matcher knows about a group. `terms` is filled from the text model."""

    id: int
    area_kind: str
    deprivation_decile: int
    population: int
    region: str
    challenges: dict = field(default_factory=dict)  # ChallengeArea id -> name
    tags: dict = field(default_factory=dict)  # ApproachTag id -> name
    text: str = ""
    progress: Progress = field(default_factory=Progress)
    terms: list = field(default_factory=list)  # salient text terms, most salient first
    area_label: str = ""
    region_label: str = ""

    def to_facts(self):
        """A JSON-able summary, stored so explanations need no re-reading of the group's text."""
        return {
            "area_kind": self.area_kind,
            "area_label": self.area_label,
            "decile": self.deprivation_decile,
            "population": self.population,
            "region": self.region,
            "region_label": self.region_label,
            "challenges": [[k, v] for k, v in sorted(self.challenges.items())],
            "tags": [[k, v] for k, v in sorted(self.tags.items())],
            "terms": list(self.terms),
            "progress": self.progress.__dict__.copy(),
        }

    @classmethod
    def from_facts(cls, group_id, facts):
        return cls(
            id=group_id,
            area_kind=facts["area_kind"],
            deprivation_decile=facts["decile"],
            population=facts["population"],
            region=facts["region"],
            challenges={int(k): v for k, v in facts["challenges"]},
            tags={int(k): v for k, v in facts["tags"]},
            progress=Progress(**facts["progress"]),
            terms=list(facts["terms"]),
            area_label=facts.get("area_label", ""),
            region_label=facts.get("region_label", ""),
        )


# --- Text -----------------------------------------------------------------------------------------

TOP_TERMS = 20
_WORD = re.compile(r"(?u)[^\W\d_][^\W\d_]+")  # a token that is a word of two or more letters: no numbers
_TOKEN = re.compile(r"(?u)\w+")
_CLAUSE = re.compile(r"[.,;:!?()\[\]\n\u2013\u2014\u2018\u2019\u201c\u201d\"]+")
# What may stand between the two words of a phrase: spaces, hyphens ("draught-proofing") and a plain
# apostrophe ("residents' homes"). Anything else (a symbol such as & or /) separates them.
_JOIN = re.compile(r"[\s'\-\u2010\u2011]+")


def analyze(text):
    """Words and two-word phrases, stop words dropped; phrases never span a clause boundary.

    A phrase is two words next to each other in the text: a stop word, a number or a one-letter
    word between them ("we run a youth club") leaves no phrase across it ("run youth"), so every
    phrase a reason quotes was written, word for word, by both groups.
    """
    terms = []
    for clause in _CLAUSE.split(text.lower()):
        previous, previous_end = None, 0
        for token in _TOKEN.finditer(clause):
            word = token.group()
            if not _WORD.fullmatch(word) or word in _STOP_WORDS:
                previous = None
                continue
            terms.append(word)
            if previous is not None and _JOIN.fullmatch(clause, previous_end, token.start()):
                terms.append(f"{previous} {word}")
            previous, previous_end = word, token.end()
    return terms


def _stop_words():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


_STOP_WORDS = _stop_words()


class TextModel:
    """TF-IDF (words and two-word phrases, English stop words dropped) reduced by a truncated SVD.

    Fitted on every group's text at the full rebuild; between rebuilds new text is projected with
    the stored model (words it has never seen are ignored until the next rebuild).
    """

    def __init__(self, terms, idf, components):
        self.terms = np.asarray(terms, dtype=object)
        self.idf = np.asarray(idf, dtype=np.float32)
        self.components = np.asarray(components, dtype=np.float32)  # (k <= TEXT_DIM, n_terms)
        self._vectorizer = None

    @classmethod
    def fit_transform(cls, texts, *, max_features=20_000, random_state=0):
        """(model, vectors, salient terms), tokenising the texts once. The model is returned as it
        will be stored (float16 components), so these vectors equal a later transform()."""
        from sklearn.feature_extraction.text import CountVectorizer

        n = len(texts)
        vectorizer = CountVectorizer(
            analyzer=analyze,
            min_df=2 if n >= 50 else 1,
            max_df=0.5 if n >= 50 else 1.0,
            max_features=max_features,
            dtype=np.float32,
        )
        try:
            counts = vectorizer.fit_transform(texts)
        except ValueError:  # no words at all
            model = cls([], np.zeros(0), np.zeros((0, 0)))
            return model, *model.transform(texts)
        df = np.bincount(counts.indices, minlength=counts.shape[1])
        idf = np.log((1 + n) / (1 + df)) + 1
        model = cls(vectorizer.get_feature_names_out(), idf, np.zeros((0, counts.shape[1])))
        model.components = _svd_components(model._weigh(counts), TEXT_DIM, random_state)
        model = cls.from_bytes(model.to_bytes())
        return model, *model._project(model._weigh(counts))

    @classmethod
    def fit(cls, texts, **kwargs):
        return cls.fit_transform(texts, **kwargs)[0]

    def _count(self, texts):
        from sklearn.feature_extraction.text import CountVectorizer

        if self._vectorizer is None:
            self._vectorizer = CountVectorizer(
                analyzer=analyze, vocabulary={term: i for i, term in enumerate(self.terms)}, dtype=np.float32
            )
        return self._vectorizer.transform(texts)

    def _weigh(self, counts):
        from sklearn.preprocessing import normalize

        tfidf = counts.tocsr(copy=True)
        tfidf.data = 1 + np.log(tfidf.data)  # sublinear term frequency
        tfidf = tfidf.multiply(self.idf[None, :]).tocsr()
        return normalize(tfidf).astype(np.float32)

    def transform(self, texts):
        """(vectors (n, TEXT_DIM) unit rows or zeros, salient terms per text)."""
        if not len(self.terms):
            return np.zeros((len(texts), TEXT_DIM), dtype=np.float32), [[] for _ in texts]
        return self._project(self._weigh(self._count(texts)))

    def _project(self, tfidf):
        vectors = np.zeros((tfidf.shape[0], TEXT_DIM), dtype=np.float32)
        k = self.components.shape[0]
        if k:
            vectors[:, :k] = tfidf @ self.components.T
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            np.divide(vectors, norms, out=vectors, where=norms > 0)
        return vectors, self._top_terms(tfidf)

    def _top_terms(self, tfidf):
        result = []
        indptr, indices, data = tfidf.indptr, tfidf.indices, tfidf.data
        for row in range(tfidf.shape[0]):
            cols, weights = indices[indptr[row] : indptr[row + 1]], data[indptr[row] : indptr[row + 1]]
            # Heaviest first; equal weights in vocabulary order, so results never depend on chance.
            order = np.lexsort((cols, -weights))[: TOP_TERMS * 2]
            result.append(_drop_covered_unigrams([str(self.terms[c]) for c in cols[order]])[:TOP_TERMS])
        return result

    def to_bytes(self):
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            terms=np.array("\n".join(self.terms)),
            idf=self.idf,
            components=self.components.astype(np.float16),
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data):
        with np.load(io.BytesIO(bytes(data)), allow_pickle=False) as arrays:
            joined = str(arrays["terms"])
            return cls(joined.split("\n") if joined else [], arrays["idf"], arrays["components"])


def _svd_components(tfidf, k, random_state):
    """Right singular vectors (k, n_terms): exact for small corpora, randomised for large ones."""
    n_docs, n_terms = tfidf.shape
    if min(n_docs, n_terms) <= 2 * k:
        _, singular, vt = np.linalg.svd(tfidf.toarray(), full_matrices=False)
        vt = vt[: min(k, int((singular > 1e-6).sum()))]
    else:
        from sklearn.utils.extmath import randomized_svd

        _, _, vt = randomized_svd(tfidf, n_components=k, n_iter=4, random_state=random_state)
    # Fix each component's sign so that refits on the same data give the same vectors.
    signs = np.sign(vt[np.arange(len(vt)), np.abs(vt).argmax(axis=1)])
    return (vt * signs[:, None]).astype(np.float32)


def _drop_covered_unigrams(terms):
    """Keep "draughty homes" and drop "draughty" and "homes" when the bigram is also salient."""
    covered = {word for term in terms if " " in term for word in term.split()}
    return [term for term in terms if " " in term or term not in covered]


# --- Meaning -------------------------------------------------------------------------------------


class Embedder:
    """Static token embeddings distilled from a language model (wordllama's "l2_supercat", 256
    dimensions, trained so that the first 64 or 128 are a usable embedding on their own).

    A text's embedding is the mean of its tokens' rows, so "the last bus goes at six" and "no public
    transport in the evenings" come out close though they share no word. The weights and the
    tokenizer ship inside the wheel and are read from the package directory: nothing is downloaded
    and no cache outside the package is read. Loaded once per process, on first use (0.2 s).
    """

    WEIGHTS = ("weights", "l2_supercat_256.safetensors")
    TOKENIZER = ("tokenizers", "l2_supercat_tokenizer_config.json")

    def __init__(self):
        self._lock = threading.Lock()
        self._table = None
        self._tokenizer = None
        self._truncated = {}
        self._tags = {}

    def _load(self):
        with self._lock:
            if self._table is None:
                from importlib.util import find_spec

                from safetensors.numpy import load_file
                from tokenizers import Tokenizer

                # Found, not imported: the package's __init__ configures the root logger.
                root = Path(find_spec("wordllama").submodule_search_locations[0])
                tokenizer = Tokenizer.from_file(str(root.joinpath(*self.TOKENIZER)))
                tokenizer.no_padding()
                tokenizer.no_truncation()
                self._tokenizer = tokenizer
                self._table = load_file(str(root.joinpath(*self.WEIGHTS)))["embedding.weight"].astype(np.float32)
        return self._table, self._tokenizer

    def _rows(self, dim):
        rows = self._truncated.get(dim)
        if rows is None:
            rows = self._truncated[dim] = np.ascontiguousarray(self._load()[0][:, :dim])
        return rows

    def embed(self, texts, dim):
        """(len(texts), dim) float32: each text's mean token embedding, unit length (zeros if empty)."""
        from scipy.sparse import csr_matrix

        texts = list(texts)
        out = np.zeros((len(texts), dim), dtype=np.float32)
        present = [i for i, text in enumerate(texts) if text and text.strip()]
        if not present:
            return out
        rows, tokenizer = self._rows(dim), self._load()[1]
        ids = [
            encoding.ids for encoding in tokenizer.encode_batch([texts[i] for i in present], add_special_tokens=False)
        ]
        lengths = np.array([len(i) for i in ids])
        flat = np.fromiter(itertools.chain.from_iterable(ids), dtype=np.int64, count=int(lengths.sum()))
        np.clip(flat, 0, len(rows) - 1, out=flat)
        counts = csr_matrix(
            (np.ones(len(flat), dtype=np.float32), (np.repeat(np.arange(len(ids)), lengths), flat)),
            shape=(len(ids), len(rows)),
        )
        out[present] = counts @ rows  # sums: the same direction as the means
        return _unit_rows(out)

    def tag_block(self, name_lists, dim):
        """Each group's tags as the normalised mean of its tag names' unit embeddings: one tag is its
        own direction (no two tags share a column by accident), similar names point the same way."""
        name_lists = [sorted(set(names)) for names in name_lists]
        missing = sorted({n for names in name_lists for n in names if (n, dim) not in self._tags})
        if missing:
            # Lower case: a tag's capital is a label convention, and cased word pieces lose meaning.
            for name, vector in zip(missing, self.embed([n.lower() for n in missing], dim), strict=True):
                self._tags[(name, dim)] = vector
        out = np.zeros((len(name_lists), dim), dtype=np.float32)
        for row, names in enumerate(name_lists):
            for name in names:
                out[row] += self._tags[(name, dim)]
        return _unit_rows(out)


def _unit_rows(matrix):
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    np.divide(matrix, norms, out=matrix, where=norms > 0)
    return matrix


EMBEDDER = Embedder()


# --- Vectors --------------------------------------------------------------------------------------


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


# --- Top-K search (no Python loop over pairs) -----------------------------------------------------

EXACT_LIMIT = 25_000  # above this many groups the full rebuild searches a k-means partition (IVF)


def _select(scores, k):
    """Row-wise top k of a score block: (indices, scores) sorted best first, ties by lower index.

    Wide blocks are not partitioned whole: the k-th largest of 4k column-group maxima is a lower
    bound of each row's k-th score (k of those maxima are k distinct scores), so one pass finds the
    few scores at or above it and only those are sorted.
    """
    b, c = scores.shape
    k = min(k, c)
    if k <= 0:
        return np.zeros((b, 0), dtype=np.int64), np.zeros((b, 0), dtype=np.float32)
    groups = 4 * k
    if c >= 8 * groups and b:
        maxima = scores[:, : groups * (c // groups)].reshape(b, c // groups, groups).max(axis=1)
        bound = np.partition(maxima, groups - k, axis=1)[:, groups - k]
        if np.isfinite(bound).all():
            rows, cols = np.nonzero(scores >= bound[:, None])
            values = scores[rows, cols]
            order = np.lexsort((cols, -values, rows))
            counts = np.bincount(rows, minlength=b)
            take = (np.cumsum(counts) - counts)[:, None] + np.arange(k)
            return cols[order][take], values[order][take]
    part = np.argpartition(-scores, k - 1, axis=1)[:, :k] if k < c else np.tile(np.arange(c), (b, 1))
    part_scores = np.take_along_axis(scores, part, axis=1)
    order = np.lexsort((part, -part_scores), axis=1)
    return np.take_along_axis(part, order, axis=1), np.take_along_axis(part_scores, order, axis=1)


def top_k_for_rows(vectors, weights, rows, k, *, exclude=None, block=1024):
    """Exact top k peers of vectors[rows] among all rows of `vectors` (itself and `exclude`d rows
    left out; missing places have score -inf)."""
    columns = column_weights(weights)
    rows = np.asarray(rows, dtype=np.int64)
    all_idx, all_scores = [], []
    for start in range(0, len(rows), block):
        chunk = rows[start : start + block]
        scores = (vectors[chunk] * columns) @ vectors.T
        scores[np.arange(len(chunk)), chunk] = -np.inf
        if exclude is not None:
            scores[:, exclude] = -np.inf
        idx, sc = _select(scores, k)
        all_idx.append(idx)
        all_scores.append(sc)
    if not all_idx:
        return np.zeros((0, k), dtype=np.int64), np.zeros((0, k), dtype=np.float32)
    return np.vstack(all_idx), np.vstack(all_scores)


def top_k(vectors, weights, k, *, exact_limit=EXACT_LIMIT, nprobe=None, seed=0):
    """Top k peers of every row: exact below `exact_limit` rows, else an IVF search (see docs)."""
    n = len(vectors)
    if n <= exact_limit:
        return top_k_for_rows(vectors, weights, np.arange(n), k)
    return _top_k_ivf(vectors, weights, k, nprobe=nprobe, seed=seed)


def _top_k_ivf(vectors, weights, k, *, nprobe=None, seed=0):
    """Approximate top k: k-means cells; each cell's members are compared with the nprobe cells
    whose centroids score highest against the cell's own centroid. Recall is measured by
    bench/learning_speed.py against an exact search of sampled rows."""
    from sklearn.cluster import MiniBatchKMeans

    n = len(vectors)
    columns = column_weights(weights)
    scaled = vectors * np.sqrt(columns)  # inner product of scaled rows == weighted score
    n_cells = int(min(1024, max(16, round(math.sqrt(n)))))
    # A quarter of the cells: recall@20 0.91 at 100k seeded groups (0.64 with a sixteenth), see docs.
    nprobe = nprobe or max(8, n_cells // 4)
    rng = np.random.default_rng(seed)
    sample = scaled[rng.choice(n, size=min(n, 40 * n_cells), replace=False)]
    kmeans = MiniBatchKMeans(n_clusters=n_cells, batch_size=4096, n_init=1, max_iter=20, random_state=seed)
    kmeans.fit(sample)
    centroids = kmeans.cluster_centers_.astype(np.float32)
    cell = np.empty(n, dtype=np.int64)
    for start in range(0, n, 16_384):
        cell[start : start + 16_384] = (scaled[start : start + 16_384] @ centroids.T).argmax(axis=1)
    order = np.argsort(cell, kind="stable")
    bounds = np.searchsorted(cell[order], np.arange(n_cells + 1))
    members = [order[bounds[c] : bounds[c + 1]] for c in range(n_cells)]
    centroid_scores = centroids @ centroids.T
    probes = np.argsort(-centroid_scores, axis=1, kind="stable")

    out_idx = np.zeros((n, k), dtype=np.int64)
    out_scores = np.full((n, k), -np.inf, dtype=np.float32)
    position = np.full(n, -1, dtype=np.int64)
    for c in range(n_cells):
        queries = members[c]
        if not len(queries):
            continue
        chosen, total = [], 0
        for p in probes[c]:
            chosen.append(members[p])
            total += len(members[p])
            if len(chosen) >= nprobe and total > 4 * k:
                break
        candidates = np.concatenate(chosen)
        cand_vectors = scaled[candidates]
        position[candidates] = np.arange(len(candidates))
        for start in range(0, len(queries), 1024):
            q = queries[start : start + 1024]
            scores = scaled[q] @ cand_vectors.T
            own = position[q]  # a query is among the candidates when its own cell was probed
            scores[np.flatnonzero(own >= 0), own[own >= 0]] = -np.inf
            idx, sc = _select(scores, k)
            out_idx[q, : idx.shape[1]] = candidates[idx]
            out_scores[q, : sc.shape[1]] = sc
        position[candidates] = -1
    return out_idx, out_scores


# --- Peers ahead ----------------------------------------------------------------------------------


def ahead_scores(progress_a, progress_b):
    """How much further along b is than a (0 when it is not): arrays of Progress.value."""
    return np.clip(np.asarray(progress_b) - np.asarray(progress_a), 0, None)


# --- Explanations ---------------------------------------------------------------------------------

CLOSE_DECILES = 2
CLOSE_POPULATION_RATIO = 3.0
SHARED_TERMS = 3


def reasons(a, b):
    """Machine-readable reasons why b is a peer of a (GroupFeatures), from b's point of view."""
    out = {}
    ka, kb = AREA_KINDS.index(a.area_kind), AREA_KINDS.index(b.area_kind)
    if AREA_SIMILARITY[ka, kb] >= 0.5:
        out["area_kind"] = [_label(a.area_label, a.area_kind), _label(b.area_label, b.area_kind)]
    if abs(a.deprivation_decile - b.deprivation_decile) <= CLOSE_DECILES:
        out["deciles"] = [a.deprivation_decile, b.deprivation_decile]
    low, high = sorted((max(1, a.population), max(1, b.population)))
    if high / low <= CLOSE_POPULATION_RATIO:
        out["populations"] = [a.population, b.population]
    if a.region == b.region:
        out["region"] = _label(a.region_label, a.region)
    shared = sorted(set(a.challenges) & set(b.challenges))
    if shared:
        out["challenges"] = [a.challenges[i] for i in shared]
    shared = sorted(set(a.tags) & set(b.tags))
    if shared:
        out["tags"] = [a.tags[i] for i in shared]
    terms = shared_terms(a.terms, b.terms)
    if terms:
        out["terms"] = terms
    if b.progress.value - a.progress.value > 0:
        p = b.progress
        out["ahead"] = {
            "stage": STAGES[p.stage] if p.stage >= 0 else "",
            "updates": p.updates,
            "months": round(p.months),
            "metrics_moving": p.metrics_moving,
            "metrics_total": p.metrics_total,
        }
    return out


def shared_terms(terms_a, terms_b, limit=SHARED_TERMS):
    """Salient terms both texts use, most salient for a first."""
    in_b = set(terms_b)
    return [t for t in terms_a if t in in_b][:limit]


def _label(label, code):
    return label or code.replace("_", " ").capitalize()


def _lower_first(text):
    # "Fuel poverty" -> "fuel poverty", but "NHS referrals" stays.
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _and(items):
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


_COMPASS = {"North", "South", "East", "West"}


def render_reasons(data):
    """Readable reasons, one string each, from reasons() output (stored as JSON)."""
    out = []
    if "area_kind" in data:
        a, b = data["area_kind"]
        out.append(f"Both {_lower_first(a)}" if a == b else f"{a} and {_lower_first(b)}")
    if "deciles" in data:
        a, b = data["deciles"]
        out.append(f"Both in deprivation decile {a}" if a == b else f"Deprivation deciles {a} and {b}")
    if "populations" in data:
        a, b = data["populations"]
        out.append(f"Populations {a:,} and {b:,}")
    if "region" in data:
        region = data["region"]
        out.append(f"Both in {'the ' if region.split()[0] in _COMPASS else ''}{region}")
    if data.get("challenges"):
        out.append("Both tackling " + _and(_lower_first(c) for c in data["challenges"]))
    if data.get("tags"):
        out.append("Both using " + _and(_lower_first(t) for t in data["tags"]))
    if data.get("terms"):
        out.append("Both wrote about " + _and(f"‘{t}’" for t in data["terms"]))
    if "ahead" in data:
        out.append(_ahead_phrase(data["ahead"]))
    return out


def _ahead_phrase(ahead):
    parts = []
    if ahead.get("stage"):
        parts.append(f"at the {ahead['stage']} stage")
    if ahead.get("updates"):
        months = ahead.get("months") or 0
        span = f" over {months} months" if months >= 2 else ""
        parts.append(f"{ahead['updates']} update{'s' if ahead['updates'] != 1 else ''}{span}")
    if ahead.get("metrics_total"):
        parts.append(f"{ahead['metrics_moving']} of {ahead['metrics_total']} measures moving toward target")
    return "Further along: " + ", ".join(parts) if parts else "Further along"


def explain(a, b):
    """Readable reasons why b (GroupFeatures) is a peer of a."""
    return render_reasons(reasons(a, b))


def reason_sentence(items):
    """One sentence from readable reasons (or from the stored reasons dict)."""
    if isinstance(items, dict):
        items = render_reasons(items)
    if not items:
        return ""
    return "; ".join([items[0]] + [_lower_first(item) for item in items[1:]]) + "."


def _json(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def reasons_json(a, b):
    """reasons(a, b) as the compact JSON text that is stored."""
    return _json(reasons(a, b))


class PairReasons:
    """reasons_json() for many pairs at once: the tests hold the two to the same output.

    Comparisons run on arrays; only joining the JSON fragments of each pair is a Python loop, which
    is linear in the number of stored matches (K per group), never in the number of pairs compared.
    """

    def __init__(self, features):
        self.kind = np.array([AREA_KINDS.index(f.area_kind) for f in features], dtype=np.int64)
        self.decile = np.array([f.deprivation_decile for f in features], dtype=np.int64)
        self.population = np.array([max(1, f.population) for f in features], dtype=np.float64)
        self.region = np.array([REGIONS.index(f.region) for f in features], dtype=np.int64)
        self.progress = np.array([f.progress.value for f in features])
        area_labels = {f.area_kind: _label(f.area_label, f.area_kind) for f in features}
        region_labels = {f.region: _label(f.region_label, f.region) for f in features}
        kinds = [area_labels.get(k, _label("", k)) for k in AREA_KINDS]
        self.area_fragment = [[f'"area_kind":{_json([x, y])}' for y in kinds] for x in kinds]
        self.decile_fragment = [[f'"deciles":[{x},{y}]' for y in range(11)] for x in range(11)]
        self.population_text = [str(f.population) for f in features]
        self.region_fragment = [f'"region":{_json(region_labels.get(r, _label("", r)))}' for r in REGIONS]
        self.challenges, self.challenge_names = self._masks([f.challenges for f in features])
        self.tags, self.tag_names = self._masks([f.tags for f in features])
        self.ahead_fragment = [_ahead_fragment(f.progress) for f in features]
        vocabulary = {}
        width = max([len(f.terms) for f in features] + [1])
        self.terms = np.full((len(features), width), -1, dtype=np.int64)
        for row, f in enumerate(features):
            for col, term in enumerate(f.terms):
                self.terms[row, col] = vocabulary.setdefault(term, len(vocabulary))
        self.term_json = [_json(term) for term in vocabulary]
        self._cache = {}

    @staticmethod
    def _masks(dicts):
        """Each group's ids as one integer bitmask, and each bit's name."""
        ids = sorted({i for d in dicts for i in d})
        bit = {i: n for n, i in enumerate(ids)}
        names = [""] * len(ids)
        for d in dicts:
            for i, name in d.items():
                names[bit[i]] = name
        masks = np.array([sum(1 << bit[i] for i in d) for d in dicts] + [0], dtype=object)[:-1]
        return masks, names

    def _names_fragment(self, key, mask, names):
        cached = self._cache.get((key, mask))
        if cached is None:
            chosen = [names[b] for b in range(mask.bit_length()) if mask >> b & 1]
            cached = self._cache[(key, mask)] = f'"{key}":{_json(chosen)}'
        return cached

    def json(self, a_rows, b_rows, *, chunk=50_000):
        """JSON reasons for the pairs (a_rows[i], b_rows[i]) (row numbers into the features)."""
        a_rows, b_rows = np.asarray(a_rows), np.asarray(b_rows)
        out = []
        for start in range(0, len(a_rows), chunk):
            out += self._json(a_rows[start : start + chunk], b_rows[start : start + chunk])
        return out

    def _json(self, a, b):
        ka, kb = self.kind[a], self.kind[b]
        close_kind = AREA_SIMILARITY[ka, kb] >= 0.5
        da, db = self.decile[a], self.decile[b]
        close_decile = np.abs(da - db) <= CLOSE_DECILES
        pa, pb = self.population[a], self.population[b]
        close_population = np.maximum(pa, pb) / np.minimum(pa, pb) <= CLOSE_POPULATION_RATIO
        same_region = self.region[a] == self.region[b]
        shared_challenges = self.challenges[a] & self.challenges[b]
        shared_tags = self.tags[a] & self.tags[b]
        ta, tb = self.terms[a], self.terms[b]
        shared = ((ta[:, :, None] == tb[:, None, :]) & (ta[:, :, None] >= 0)).any(axis=2)
        ahead = self.progress[b] - self.progress[a] > 0
        out = []
        for i in range(len(a)):
            parts = []
            if close_kind[i]:
                parts.append(self.area_fragment[ka[i]][kb[i]])
            if close_decile[i]:
                parts.append(self.decile_fragment[da[i]][db[i]])
            if close_population[i]:
                parts.append(f'"populations":[{self.population_text[a[i]]},{self.population_text[b[i]]}]')
            if same_region[i]:
                parts.append(self.region_fragment[self.region[a[i]]])
            if shared_challenges[i]:
                parts.append(self._names_fragment("challenges", shared_challenges[i], self.challenge_names))
            if shared_tags[i]:
                parts.append(self._names_fragment("tags", shared_tags[i], self.tag_names))
            if shared[i].any():
                terms = ta[i][shared[i]][:SHARED_TERMS]
                parts.append('"terms":[' + ",".join(self.term_json[t] for t in terms) + "]")
            if ahead[i]:
                parts.append(self.ahead_fragment[b[i]])
            out.append("{" + ",".join(parts) + "}")
        return out


def _ahead_fragment(p):
    return '"ahead":' + _json(
        {
            "stage": STAGES[p.stage] if p.stage >= 0 else "",
            "updates": p.updates,
            "months": round(p.months),
            "metrics_moving": p.metrics_moving,
            "metrics_total": p.metrics_total,
        }
    )
