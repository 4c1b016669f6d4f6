"""Reading stored peers costs a fixed number of queries, whatever the number of peers shown."""

import pytest

from learning import services
from learning.selectors import peers_ahead, peers_for_group

from .factories import FUEL_POVERTY, YOUTH, local_group

pytestmark = pytest.mark.django_db


def groups(n):
    made = [
        local_group(
            kind=("rural", "urban", "coastal")[i % 3],
            decile=1 + i % 10,
            population=1000 * (i + 1),
            challenge=("fuel-poverty", "youth", "food")[i % 3],
            text=(FUEL_POVERTY, YOUTH)[i % 2],
            stage=("idea", "running", "completed")[i % 3],
            updates=i % 3,
            months=i,
        )
        for i in range(n)
    ]
    services.rebuild_all_peers()
    return made


def read_everything(matches):
    return [(m.peer.name, [a.name for a in m.peer.challenge_areas.all()], m.reasons, m.sentence) for m in matches]


@pytest.mark.parametrize("size", [4, 16])
def test_peer_lists_take_two_queries_at_any_size(size, django_assert_max_num_queries):
    me = groups(size)[0]
    for lean in ("balanced", "place", "approach"):
        with django_assert_max_num_queries(2):
            shown = read_everything(peers_for_group(group=me, lean=lean, limit=10))
        assert len(shown) == min(10, size - 1)
    with django_assert_max_num_queries(2):
        read_everything(peers_ahead(group=me, limit=5))


def test_balanced_list_is_in_stored_rank_order_with_scores():
    me = groups(6)[0]
    matches = peers_for_group(group=me, limit=3)
    assert len(matches) == 3
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert all(m.reasons for m in matches)


def test_unknown_lean_is_refused():
    me = groups(2)[0]
    with pytest.raises(ValueError):
        peers_for_group(group=me, lean="sideways")
