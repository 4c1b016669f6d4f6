"""The `meaning` and `tags` signals' embeddings: static token embeddings read from the installed package."""

import itertools
import threading
from pathlib import Path

import numpy as np


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
