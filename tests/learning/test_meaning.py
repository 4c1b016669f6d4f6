"""The semantic signals: text compared by meaning, tags by what their names mean. No database."""

import socket
import sys

import numpy as np
import pytest

from learning.matching.features import GroupFeatures
from learning.matching.meaning import EMBEDDER, Embedder
from learning.matching.text import TEXT_DIM, TextModel
from learning.matching.vectors import BLOCKS, MEANING_DIM, context_vectors, signal_similarities


def features(i, **overrides):
    values = dict(id=i, area_kind="rural", deprivation_decile=5, population=5000, region="wales")
    values.update(overrides)
    return GroupFeatures(**values)


def similarities(a, b):
    texts = [a.text, b.text]
    _, text_vectors, _ = TextModel.fit_transform(texts)
    vectors = context_vectors([a, b], text_vectors)
    return {s: float(v[0]) for s, v in signal_similarities(vectors, np.array([0]), np.array([1])).items()}


def test_similar_tags_score_higher_than_unrelated_ones():
    insulation = features(1, tags={1: "Insulation"})
    draughts = similarities(insulation, features(2, tags={2: "Draught-proofing"}))["tags"]
    youth = similarities(insulation, features(3, tags={3: "Youth club"}))["tags"]
    assert draughts > youth
    assert similarities(insulation, features(4, tags={1: "Insulation"}))["tags"] == pytest.approx(1)


def test_distinct_tag_ids_never_share_a_dimension_by_accident():
    # 1 and 65 fell on the same column of the old multi-hot (id modulo 64) and scored 1.
    insulation = features(1, tags={1: "Insulation"})
    assert similarities(insulation, features(2, tags={65: "Youth club"}))["tags"] < 0.5


def test_texts_that_mean_the_same_in_other_words_score_closer_than_unrelated_ones():
    bus = features(1, text="The last bus goes at six.")
    transport = similarities(bus, features(2, text="No public transport in the evenings."))
    knitting = similarities(bus, features(3, text="We knit jumpers for babies."))
    assert transport["text"] == pytest.approx(0, abs=1e-6)  # no word in common: the TF-IDF block sees nothing
    assert transport["meaning"] > knitting["meaning"] + 0.1  # 0.22 and -0.08


def test_a_group_without_text_or_tags_has_empty_meaning_and_tag_blocks():
    vectors = context_vectors([features(1, text="  ")], np.zeros((1, TEXT_DIM), dtype=np.float32))
    assert not vectors[0, BLOCKS["meaning"]].any()
    assert not vectors[0, BLOCKS["tags"]].any()
    assert np.linalg.norm(EMBEDDER.embed(["Cold homes."], MEANING_DIM)) == pytest.approx(1)


def test_the_model_loads_from_the_installed_package_without_network(monkeypatch, tmp_path):
    def refuse(*args, **kwargs):
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setenv("HOME", str(tmp_path))  # an empty home: no model cache to fall back on
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    vectors = Embedder().embed(["No buses after teatime.", "Cold homes, huge energy bills."], 64)
    assert vectors.shape == (2, 64) and np.isfinite(vectors).all()
    assert not any(tmp_path.iterdir())
    assert "wordllama" not in sys.modules  # found, not imported: its __init__ would set up the root logger
