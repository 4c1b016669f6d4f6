import pytest
from django.urls import reverse

from learning.services import rebuild_all_peers

from ..factories import GroupFactory, SolutionFactory, UpdateFactory, similar_and_different_groups

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbourhood():
    return similar_and_different_groups()


def test_learning_page_shows_similar_peer_first_with_reasons_and_lessons(client, neighbourhood):
    me, twin, far = neighbourhood
    response = client.get(reverse("learning:group", kwargs={"slug": me.slug}))
    assert response.status_code == 200
    peers = [match.peer for match in response.context["peers"]]
    assert peers[0] == twin
    html = response.content.decode()
    assert "Rhayader Warm Homes" in html
    assert "rural" in response.context["peers"][0].sentence.lower()
    assert twin in [match.peer for match in response.context["ahead"]]
    assert "Rhayader Warm Homes: tea with every visit." in html


@pytest.mark.parametrize("lean", ["place", "approach", "balanced", "sideways"])
def test_lean_switch_never_fails(client, neighbourhood, lean):
    me, _, _ = neighbourhood
    response = client.get(reverse("learning:group", kwargs={"slug": me.slug}), {"lean": lean})
    assert response.status_code == 200
    assert response.context["lean"] == (lean if lean != "sideways" else "balanced")


def test_unknown_group_is_404(client, db):
    assert client.get(reverse("learning:group", kwargs={"slug": "nobody"})).status_code == 404


def test_learning_page_queries_do_not_grow(client, neighbourhood, django_assert_max_num_queries):
    me, _, _ = neighbourhood
    url = reverse("learning:group", kwargs={"slug": me.slug})
    with django_assert_max_num_queries(15) as small:
        client.get(url)
    for n in range(12):
        group = GroupFactory(area_kind="rural", region="wales")
        UpdateFactory(solution=SolutionFactory(group=group), what_worked=f"lesson {n}")
    rebuild_all_peers()
    with django_assert_max_num_queries(15) as large:
        client.get(url)
    assert len(small.captured_queries) == len(large.captured_queries)
