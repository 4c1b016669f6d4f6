"""Rebuilding and incrementally updating the stored peer lists, through the services and signal."""

import pytest
from django.core.management import call_command

from groups.models import Group
from groups.signals import announce_group_context_changed
from learning import services
from learning.models import GroupVector, Peer
from learning.selectors import peers_ahead, peers_for_group

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
    monkeypatch.setattr(services, "PEERS_PER_GROUP", 2)
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
    monkeypatch.setattr(services, "PEERS_PER_GROUP", 2)
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
    monkeypatch.setattr(services, "PEERS_PER_GROUP", 2)
    (r1, r2, r3), (u1, u2, u3) = two_clusters()
    services.rebuild_all_peers()
    services.recompute_peers_for_group(group_id=r1.pk)  # loads this process's vector index
    r2_pk = r2.pk
    r2.delete()
    services.recompute_peers_for_group(group_id=r2_pk)
    services.recompute_peers_for_group(group_id=r1.pk)
    assert r2_pk not in peer_ids(r1) and len(peer_ids(r1)) == 2


def test_context_change_signal_recomputes_peers_through_the_task(monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(services, "PEERS_PER_GROUP", 2)
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
