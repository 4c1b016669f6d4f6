"""Rebuilding and incrementally updating the stored peer lists, through the services and signal."""

import numpy as np
import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from groups.models import Group
from groups.signals import announce_group_context_changed
from learning import services
from learning.matching.search import top_k_for_rows
from learning.matching.weights import match_weights
from learning.models import GroupVector, Peer
from learning.selectors import peers_ahead, peers_for_group
from learning.services import store

from .factories import FUEL_POVERTY, FUEL_POVERTY_2, YOUTH, YOUTH_2, area, local_group, tag

pytestmark = pytest.mark.django_db


def peer_ids(group):
    return list(Peer.objects.filter(group=group).order_by("rank").values_list("peer_id", flat=True))


def stored_rows():
    return sorted(
        Peer.objects.values_list(
            "group_id", "peer_id", "rank", "score", "place_score", "approach_score", "ahead_score", "reasons"
        )
    )


def test_rural_fuel_poverty_group_is_matched_first_with_its_rural_fuel_poverty_peer(
    rural_fuel_poverty, rural_fuel_poverty_peer, urban_youth, urban_youth_peer
):
    services.rebuild_all_peers()
    assert peer_ids(rural_fuel_poverty)[0] == rural_fuel_poverty_peer.pk
    assert peer_ids(rural_fuel_poverty)[-1] in (urban_youth.pk, urban_youth_peer.pk)
    assert peer_ids(urban_youth)[0] == urban_youth_peer.pk


def test_explanation_mentions_kind_of_area_deciles_challenge_and_shared_terms(
    rural_fuel_poverty, rural_fuel_poverty_peer, urban_youth
):
    services.rebuild_all_peers()
    best = peers_for_group(group=rural_fuel_poverty, limit=1)[0]
    assert best.peer == rural_fuel_poverty_peer
    sentence = best.sentence
    assert sentence.startswith("Both rural; deprivation deciles 2 and 3; populations 4,000 and 6,500;")
    assert "both tackling fuel poverty" in sentence
    assert "both using draught proofing" in sentence
    assert "‘older residents’" in sentence and "‘draughty homes’" in sentence
    stored = Peer.objects.get(group=rural_fuel_poverty, peer=rural_fuel_poverty_peer).reasons
    assert stored["deciles"] == [2, 3] and stored["challenges"] == ["Fuel poverty"]


def test_lean_toward_place_or_approach_changes_the_order():
    me = local_group(
        kind="rural", decile=2, population=5000, challenge="fuel-poverty", tags=["energy"], text=FUEL_POVERTY
    )
    # Same kind of place, different work.
    place_twin = local_group(kind="rural", decile=2, population=5200, challenge="youth", tags=["club"], text=YOUTH)
    # Same work, a very different place.
    approach_twin = local_group(
        kind="urban",
        decile=9,
        population=400_000,
        region="london",
        challenge="fuel-poverty",
        tags=["energy"],
        text=FUEL_POVERTY_2,
    )
    local_group(kind="island", decile=6, population=90, region="scotland", challenge="food", text="Growing kale.")
    services.rebuild_all_peers()
    assert peers_for_group(group=me, lean="place")[0].peer == place_twin
    assert peers_for_group(group=me, lean="approach")[0].peer == approach_twin
    place_first = peers_for_group(group=me, lean="place")[0]
    assert place_first.place_score > place_first.approach_score


def test_peers_ahead_are_those_further_along_furthest_first():
    me = local_group(kind="rural", decile=4, population=3000, challenge="food", text="Gleaning from local farms.")
    far_ahead = local_group(
        kind="rural",
        decile=4,
        population=3000,
        challenge="food",
        text="Gleaning from local farms.",
        stage="growing",
        updates=6,
        months=18,
        metric_share=0.8,
    )
    a_little_ahead = local_group(
        kind="rural", decile=5, population=3500, challenge="food", text="Gleaning.", stage="pilot", updates=1
    )
    behind = local_group(kind="rural", decile=4, population=3000, challenge="food", text="Gleaning from farms.")
    services.rebuild_all_peers()
    ahead = peers_ahead(group=me)
    assert [m.peer for m in ahead] == [far_ahead, a_little_ahead]
    assert ahead[0].ahead_score > ahead[1].ahead_score > 0
    assert "Further along: at the growing stage, 6 updates over 18 months, 1 of 1 measures moving toward target" in (
        ahead[0].reasons
    )
    assert behind not in [m.peer for m in ahead]
    assert peers_ahead(group=far_ahead) == []


def test_rebuild_is_idempotent(rural_fuel_poverty, rural_fuel_poverty_peer, urban_youth, urban_youth_peer):
    services.rebuild_all_peers()
    first, vectors = stored_rows(), sorted(GroupVector.objects.values_list("group_id", "vector", "kth_score"))
    services.rebuild_all_peers()
    assert stored_rows() == first
    assert sorted(GroupVector.objects.values_list("group_id", "vector", "kth_score")) == vectors
    assert len(first) == 4 * 3


def two_clusters():
    rural = [
        local_group(kind="rural", decile=d, population=p, challenge="fuel-poverty", tags=["energy"], text=t)
        for d, p, t in [(2, 4000, FUEL_POVERTY), (3, 6000, FUEL_POVERTY_2), (2, 5000, FUEL_POVERTY)]
    ]
    urban = [
        local_group(kind="urban", decile=d, population=p, region="london", challenge="youth", tags=["club"], text=t)
        for d, p, t in [(8, 200_000, YOUTH), (7, 150_000, YOUTH_2), (8, 300_000, YOUTH)]
    ]
    return rural, urban


def move_to_the_city(group):
    Group.objects.filter(pk=group.pk).update(
        area_kind="urban", deprivation_decile=8, population=220_000, region="london", summary=YOUTH
    )
    group.challenge_areas.set([area("youth")])
    group.solutions.update(problem=YOUTH_2, challenge_area=area("youth"))
    group.solutions.get().approach_tags.set([tag("club")])


def test_incremental_update_moves_a_changed_group_into_and_out_of_other_lists(monkeypatch):
    monkeypatch.setattr(store, "PEERS_PER_GROUP", 2)
    (r1, r2, r3), (u1, u2, u3) = two_clusters()
    services.rebuild_all_peers()
    assert set(peer_ids(r1)) == {r2.pk, r3.pk}
    assert set(peer_ids(u1)) == {u2.pk, u3.pk}

    move_to_the_city(r3)
    result = services.recompute_peers_for_group(group_id=r3.pk)

    assert r3.pk not in peer_ids(r1) and r3.pk not in peer_ids(r2)  # left the rural lists
    assert r3.pk in peer_ids(u1) and r3.pk in peer_ids(u3)  # entered the urban ones
    assert set(peer_ids(r3)) <= {u1.pk, u2.pk, u3.pk}
    assert result["updated"] >= 4
    # Every stored list still holds two peers, ranked 1 and 2, and is what a rebuild would store.
    for group in (r1, r2, r3, u1, u2, u3):
        assert list(Peer.objects.filter(group=group).values_list("rank", flat=True)) == [1, 2]
    incremental = {g.pk: set(peer_ids(g)) for g in (r1, r2, r3, u1, u2, u3)}
    services.rebuild_all_peers()
    assert {g.pk: set(peer_ids(g)) for g in (r1, r2, r3, u1, u2, u3)} == incremental

    # Running it again changes nothing.
    before = stored_rows()
    services.recompute_peers_for_group(group_id=r3.pk)
    assert [row[:7] for row in stored_rows()] == [row[:7] for row in before]


def test_a_new_group_enters_the_lists_it_belongs_in(monkeypatch):
    monkeypatch.setattr(store, "PEERS_PER_GROUP", 2)
    (r1, r2, r3), (u1, u2, u3) = two_clusters()
    services.rebuild_all_peers()
    newcomer = local_group(
        kind="urban", decile=8, population=210_000, region="london", challenge="youth", tags=["club"], text=YOUTH
    )
    services.recompute_peers_for_group(group_id=newcomer.pk)
    assert newcomer.pk in peer_ids(u1)
    assert set(peer_ids(newcomer)) <= {u1.pk, u2.pk, u3.pk}
    assert newcomer.pk not in peer_ids(r1)


def test_deleted_peer_is_skipped_by_later_updates(monkeypatch):
    monkeypatch.setattr(store, "PEERS_PER_GROUP", 2)
    (r1, r2, r3), (u1, u2, u3) = two_clusters()
    services.rebuild_all_peers()
    services.recompute_peers_for_group(group_id=r1.pk)  # loads this process's vector index
    r2_pk = r2.pk
    r2.delete()
    services.recompute_peers_for_group(group_id=r2_pk)
    services.recompute_peers_for_group(group_id=r1.pk)
    assert r2_pk not in peer_ids(r1) and len(peer_ids(r1)) == 2


def test_context_change_signal_recomputes_peers_through_the_task(monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(store, "PEERS_PER_GROUP", 2)
    (r1, r2, r3), (u1, u2, u3) = two_clusters()
    services.rebuild_all_peers()
    move_to_the_city(r3)
    with django_capture_on_commit_callbacks(execute=True):
        announce_group_context_changed(r3.pk)
    assert r3.pk in peer_ids(u1)
    assert r3.pk not in peer_ids(r1)


def test_first_change_without_a_text_model_builds_everything(django_capture_on_commit_callbacks):
    (r1, r2, r3), _ = two_clusters()
    with django_capture_on_commit_callbacks(execute=True):
        announce_group_context_changed(r1.pk)
    assert Peer.objects.filter(group=r1).count() == 5
    assert GroupVector.objects.count() == 6


def test_rebuild_peers_command_reports_what_it_did(capsys, rural_fuel_poverty, urban_youth):
    call_command("rebuild_peers")
    assert "Matched 2 groups: 2 peers in" in capsys.readouterr().out


def many_groups(count, seed):
    """Groups spread over a few kinds of place, challenges and texts, with many near ties."""
    import random

    rng = random.Random(seed)
    texts = [FUEL_POVERTY, FUEL_POVERTY_2, YOUTH, YOUTH_2, "Growing food on a shared allotment.", ""]
    return [
        local_group(
            kind=rng.choice(["rural", "coastal", "urban", "suburban"]),
            decile=rng.randint(1, 10),
            population=rng.choice([800, 4000, 6500, 40_000, 250_000]),
            region=rng.choice(["south_west", "london", "wales"]),
            challenge=rng.choice(["fuel-poverty", "youth", "food"]),
            tags=rng.sample(["energy", "club", "garden", "advice"], rng.randint(0, 2)),
            text=rng.choice(texts),
        )
        for _ in range(count)
    ]


def exact_lists(k):
    """Every group's exact top k from the stored vectors: {group: [(peer, score rounded)]}."""
    ids, blobs = zip(*GroupVector.objects.order_by("group_id").values_list("group_id", "vector"), strict=True)
    vectors = np.vstack([np.frombuffer(bytes(blob), dtype="<f4") for blob in blobs])
    idx, scores = top_k_for_rows(vectors, match_weights(), np.arange(len(ids)), k)
    return {
        g: [(ids[j], round(float(s), 4)) for j, s in zip(idx[i], scores[i], strict=True)] for i, g in enumerate(ids)
    }


def test_incremental_updates_keep_every_list_exact(monkeypatch):
    monkeypatch.setattr(store, "PEERS_PER_GROUP", 4)
    groups = many_groups(30, seed=3)
    services.rebuild_all_peers()
    for group in groups[:8]:
        move_to_the_city(group)
        services.recompute_peers_for_group(group_id=group.pk)
        Group.objects.filter(pk=group.pk).update(summary=FUEL_POVERTY_2, area_kind="coastal", deprivation_decile=3)
        services.recompute_peers_for_group(group_id=group.pk)

    exact = exact_lists(4)
    stored = {}
    for group_id, peer_id, rank, score in Peer.objects.values_list("group_id", "peer_id", "rank", "score"):
        stored.setdefault(group_id, {})[rank] = (peer_id, round(score, 4))
    kth = dict(GroupVector.objects.values_list("group_id", "kth_score"))
    assert stored.keys() == exact.keys()
    for group_id, peers in exact.items():
        assert sorted(stored[group_id]) == [1, 2, 3, 4]
        ranked = [stored[group_id][rank] for rank in (1, 2, 3, 4)]
        assert [score for _, score in ranked] == pytest.approx([score for _, score in peers], abs=2e-4)
        # Peers with equal scores may come in either order; any other peer must be the exact one.
        for (peer_id, score), (exact_id, _) in zip(ranked, peers, strict=True):
            assert peer_id == exact_id or any(
                abs(s - score) < 2e-4 and p == peer_id for p, s in exact_lists(30)[group_id]
            )
        assert kth[group_id] == pytest.approx(peers[-1][1], abs=2e-4)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the table swap is PostgreSQL only")
def test_rebuild_swaps_in_a_table_with_the_same_constraints_and_indexes(rural_fuel_poverty, urban_youth):
    def schema():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'learning_peer'::regclass"
            )
            constraints = sorted(cursor.fetchall())
            cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'learning_peer'")
            indexes = sorted(cursor.fetchall())
            cursor.execute("SELECT pg_get_serial_sequence('learning_peer', 'id')")
            return constraints, indexes, cursor.fetchone()[0]

    before = schema()
    services.rebuild_all_peers()
    services.rebuild_all_peers()
    assert schema() == before
    assert Peer.objects.count() == 2
    Peer.objects.create(
        group=rural_fuel_poverty,
        peer=rural_fuel_poverty,
        rank=9,
        score=0,
        place_score=0,
        approach_score=0,
        computed_at=timezone.now(),
    )  # the identity column still numbers rows


def test_incremental_update_with_fewer_groups_than_peers_per_group(rural_fuel_poverty, rural_fuel_poverty_peer):
    services.rebuild_all_peers()
    Group.objects.filter(pk=rural_fuel_poverty.pk).update(deprivation_decile=5)
    services.recompute_peers_for_group(group_id=rural_fuel_poverty.pk)
    assert peer_ids(rural_fuel_poverty) == [rural_fuel_poverty_peer.pk]
    assert peer_ids(rural_fuel_poverty_peer) == [rural_fuel_poverty.pk]
    assert GroupVector.objects.get(group=rural_fuel_poverty).kth_score is None
