"""The pure matcher: vectors, kernels, top-K search, explanations. No database."""

import numpy as np
import pytest

from groups.models import AreaKind, Region
from learning.matching.features import AREA_KINDS, AREA_SIMILARITY, REGIONS, GroupFeatures, Progress
from learning.matching.reasons import PairReasons, explain, reason_sentence, reasons, reasons_json
from learning.matching.search import select_top_k, top_k
from learning.matching.text import TEXT_DIM, TextModel
from learning.matching.vectors import BLOCKS, DIM, context_vectors, signal_similarities
from learning.matching.weights import lean_weights, resolve_weights


def features(i, **overrides):
    values = dict(id=i, area_kind="rural", deprivation_decile=5, population=5000, region="wales")
    values.update(overrides)
    return GroupFeatures(**values)


def pair_similarity(a, b, signal):
    vectors = context_vectors([a, b], np.zeros((2, TEXT_DIM), dtype=np.float32))
    return float(signal_similarities(vectors, np.array([0]), np.array([1]))[signal][0])


def test_every_kind_of_area_and_region_of_the_models_has_its_own_column():
    assert BLOCKS["area_kind"].stop - BLOCKS["area_kind"].start == len(AreaKind)
    assert BLOCKS["region"].stop - BLOCKS["region"].start == len(Region)
    for kind in AreaKind:
        place = features(1, area_kind=kind)
        assert pair_similarity(place, features(2, area_kind=kind), "area_kind") == pytest.approx(1)
    regions = list(Region)
    for region, elsewhere in zip(regions, regions[1:] + regions[:1], strict=True):
        place = features(1, region=region)
        assert pair_similarity(place, features(2, region=region), "region") == 1
        assert pair_similarity(place, features(3, region=elsewhere), "region") == 0


def test_kinds_of_area_are_alike_both_ways_and_each_is_most_like_itself():
    assert AREA_SIMILARITY.shape == (len(AreaKind), len(AreaKind))
    assert (AREA_SIMILARITY == AREA_SIMILARITY.T).all()
    assert (AREA_SIMILARITY.diagonal() == 1).all()
    assert (AREA_SIMILARITY < 1).sum() == len(AreaKind) * (len(AreaKind) - 1)


def test_neighbouring_deciles_score_closer_than_distant_ones():
    base = features(1, deprivation_decile=3)
    near = pair_similarity(base, features(2, deprivation_decile=4), "deprivation")
    further = pair_similarity(base, features(3, deprivation_decile=5), "deprivation")
    far = pair_similarity(base, features(4, deprivation_decile=9), "deprivation")
    assert pair_similarity(base, features(5, deprivation_decile=3), "deprivation") == pytest.approx(1)
    assert 1 > near > further > far
    assert near > 0.7 and far < 0.01


def test_rural_coastal_and_island_are_closer_to_each_other_than_to_urban():
    rural = features(1, area_kind="rural")
    coastal = pair_similarity(rural, features(2, area_kind="coastal"), "area_kind")
    island = pair_similarity(rural, features(3, area_kind="island"), "area_kind")
    urban = pair_similarity(rural, features(4, area_kind="urban"), "area_kind")
    assert coastal > 0.5 and island > 0.4 and urban < 0.05


def test_populations_compare_on_a_log_scale():
    town = features(1, population=4000)
    assert pair_similarity(town, features(2, population=6500), "population") > 0.9
    assert pair_similarity(town, features(3, population=400_000), "population") < 0.01


def test_exact_and_partitioned_search_agree_on_clustered_data():
    rng = np.random.default_rng(1)
    centres = rng.standard_normal((30, DIM)).astype(np.float32)
    vectors = centres[rng.integers(0, 30, 3000)] + 0.3 * rng.standard_normal((3000, DIM)).astype(np.float32)
    weights = resolve_weights()
    exact_idx, exact_scores = top_k(vectors, weights, 10)
    ivf_idx, _ = top_k(vectors, weights, 10, exact_limit=100)
    assert (exact_idx[:, 0] != np.arange(3000)).all()  # never itself
    assert (np.diff(exact_scores, axis=1) <= 0).all()  # best first
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(exact_idx, ivf_idx, strict=True)])
    assert recall > 0.9


def test_text_model_round_trips_and_finds_salient_terms():
    texts = ["older residents in draughty homes", "draughty homes and older residents", "a youth club at night"]
    model = TextModel.fit(texts)
    again = TextModel.from_bytes(model.to_bytes())
    vectors, terms = again.transform(texts)
    assert vectors[0] @ vectors[1] > 0.6 and abs(vectors[0] @ vectors[2]) < 0.1
    assert "draughty homes" in terms[0] and "draughty" not in terms[0]


def test_explanation_names_what_the_two_groups_share():
    a = features(
        1,
        deprivation_decile=2,
        population=4000,
        challenges={7: "Fuel poverty"},
        terms=["older residents", "draughty homes", "heating"],
        area_label="Rural",
    )
    b = features(
        2,
        deprivation_decile=3,
        population=6500,
        challenges={7: "Fuel poverty", 8: "Health"},
        terms=["draughty homes", "winter", "older residents"],
        area_label="Rural",
        progress=Progress(stage=3, updates=6, months=18, metrics_total=1, metrics_moving=1, metrics_progress=0.5),
    )
    sentence = reason_sentence(explain(a, b))
    assert sentence.startswith(
        "Both rural; deprivation deciles 2 and 3; populations 4,000 and 6,500; both in Wales; both tackling fuel "
        "poverty; both wrote about ‘older residents’ and ‘draughty homes’; further along: at the growing stage, "
        "6 updates over 18 months"
    )
    assert reasons(a, b)["challenges"] == ["Fuel poverty"]
    assert "ahead" not in reasons(b, a)


def test_unknown_weights_and_leans_are_refused():
    with pytest.raises(ValueError):
        resolve_weights({"colour": 1})
    with pytest.raises(ValueError):
        lean_weights(resolve_weights(), "sideways")


def test_vectorised_reasons_equal_the_reference_for_every_pair():
    rng = np.random.default_rng(3)
    names = {i: f"Area {i}" for i in range(1, 70)}  # more than 64 ids: masks wider than a machine word
    words = ["older residents", "draughty homes", "youth club", "winter", "bus", "gleaning", "solar"]
    group = []
    for i in range(40):
        group.append(
            features(
                i,
                area_kind=str(rng.choice(AREA_KINDS)),
                deprivation_decile=int(rng.integers(1, 11)),
                population=int(rng.integers(50, 500_000)),
                region=str(rng.choice(REGIONS[:3])),
                challenges={int(k): names[int(k)] for k in rng.choice(list(names), size=rng.integers(0, 4))},
                tags={int(k): names[int(k)] for k in rng.choice(list(names), size=rng.integers(0, 3))},
                terms=list(rng.permutation(words)[: rng.integers(0, 6)]),
                progress=Progress(stage=int(rng.integers(-1, 5)), updates=int(rng.integers(0, 9)), months=float(i)),
                area_label="",
                region_label="Place ‘quoted’",
            )
        )
    a, b = np.meshgrid(np.arange(40), np.arange(40))
    a, b = a.ravel(), b.ravel()
    assert PairReasons(group).json(a, b) == [reasons_json(group[i], group[j]) for i, j in zip(a, b, strict=True)]


def test_wide_selection_by_group_maxima_equals_a_full_sort():
    rng = np.random.default_rng(2)
    scores = rng.standard_normal((50, 5000)).astype(np.float32)
    scores[3, 100:140] = 9.0  # more equal best scores than k: the lowest indices win
    scores[7, :] = 0.5  # a row of ties
    idx, top = select_top_k(scores, 20)
    order = np.lexsort((np.tile(np.arange(5000), (50, 1)), -scores), axis=1)[:, :20]
    assert (idx == order).all()
    assert (top == np.take_along_axis(scores, order, axis=1)).all()
    assert list(idx[3]) == list(range(100, 120))
