"""Stored vectors carry the meaning block, and vectors stored in an older layout do not break updates."""

import numpy as np
import pytest

from learning import services
from learning.matching.vectors import BLOCKS, DIM
from learning.models import GroupVector, Peer
from learning.services.index import VECTOR_INDEX

from .factories import FUEL_POVERTY, FUEL_POVERTY_2, YOUTH, local_group

pytestmark = pytest.mark.django_db


def test_stored_vectors_hold_the_meaning_of_the_text():
    group = local_group(kind="rural", decile=2, population=4000, challenge="fuel-poverty", text=FUEL_POVERTY)
    local_group(kind="rural", decile=3, population=5000, challenge="fuel-poverty", text=FUEL_POVERTY_2)
    services.rebuild_all_peers()
    vector = np.frombuffer(GroupVector.objects.get(group=group).vector, dtype="<f4")
    assert len(vector) == DIM
    assert np.linalg.norm(vector[BLOCKS["meaning"]]) == pytest.approx(1, abs=1e-5)


def test_a_vector_stored_before_the_layout_changed_is_left_out_until_the_rebuild():
    groups = [
        local_group(kind="rural", decile=2, population=4000, challenge="fuel-poverty", text=FUEL_POVERTY),
        local_group(kind="rural", decile=3, population=5000, challenge="fuel-poverty", text=FUEL_POVERTY_2),
        local_group(kind="urban", decile=8, population=90_000, challenge="youth", text=YOUTH),
    ]
    services.rebuild_all_peers()
    old = groups[2]
    GroupVector.objects.filter(group=old).update(vector=np.zeros(185, dtype="<f4").tobytes())
    VECTOR_INDEX.reset()  # a worker started after the deploy
    services.recompute_peers_for_group(group_id=groups[0].pk)
    assert old.pk not in Peer.objects.filter(group=groups[0]).values_list("peer_id", flat=True)
    assert groups[1].pk in Peer.objects.filter(group=groups[0]).values_list("peer_id", flat=True)
    services.rebuild_all_peers()
    assert old.pk in Peer.objects.filter(group=groups[0]).values_list("peer_id", flat=True)
