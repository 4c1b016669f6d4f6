"""The text model: words and two-word phrases, TF-IDF reduced by a truncated SVD, and salient terms."""

import io
import re

import numpy as np

TEXT_DIM = 48  # latent semantic dimensions of the TF-IDF text
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
