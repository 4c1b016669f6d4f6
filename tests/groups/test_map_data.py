"""The map's data: clusters of groups per grid cell for the visible area and zoom, and single groups as pins."""

import pytest
from django.urls import reverse
from django.utils import timezone

from groups import area_table
from groups.models import Group

from ..factories import ChallengeAreaFactory, GroupFactory

pytestmark = pytest.mark.django_db
URL = reverse("groups:map_data")
UK = {"bbox": "-11,49,3,61"}


def data(client, **params):
    response = client.get(URL, {**UK, "zoom": 5, **params})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def total(payload):
    return sum(cluster[2] for cluster in payload["clusters"]) + len(payload["groups"])


@pytest.fixture
def towns():
    """Three groups in Edinburgh (close together), one in Totnes, one in Belfast."""
    climate = ChallengeAreaFactory(name="Climate", slug="climate")
    food = ChallengeAreaFactory(name="Food", slug="food")
    edinburgh = [
        GroupFactory(
            name=f"Edinburgh {n}", latitude=55.95 + n / 1000, longitude=-3.19, region="scotland", areas=[climate]
        )
        for n in range(3)
    ]
    totnes = GroupFactory(name="Totnes Transition", latitude=50.43, longitude=-3.69, areas=[food])
    belfast = GroupFactory(name="Belfast Food", latitude=54.6, longitude=-5.93, region="northern_ireland", areas=[food])
    return {"edinburgh": edinburgh, "totnes": totnes, "belfast": belfast}


def test_close_groups_are_one_cluster_with_their_count_and_lone_groups_are_pins(client, towns):
    payload = data(client, zoom=5)
    assert payload["zoom"] == 5
    assert len(payload["clusters"]) == 1
    latitude, longitude, count = payload["clusters"][0]
    assert count == 3 and 55.95 <= latitude <= 55.953 and longitude == pytest.approx(-3.19)
    pins = {group["name"]: group for group in payload["groups"]}
    assert set(pins) == {"Totnes Transition", "Belfast Food"}
    assert pins["Totnes Transition"] == {
        "name": "Totnes Transition",
        "place_name": "Totnes",
        "latitude": 50.43,
        "longitude": -3.69,
        "url": towns["totnes"].get_absolute_url(),
    }


def test_zooming_in_splits_a_cluster_into_pins(client, towns):
    payload = data(client, zoom=16, bbox="-3.2,55.94,-3.18,55.96")
    assert payload["clusters"] == []
    assert sorted(group["name"] for group in payload["groups"]) == ["Edinburgh 0", "Edinburgh 1", "Edinburgh 2"]


def test_only_groups_inside_the_bounds_are_counted(client, towns):
    payload = data(client, zoom=7, bbox="-7,53,-1,57")
    assert total(payload) == 4  # Edinburgh's three and Belfast, not Totnes
    assert "Totnes Transition" not in [group["name"] for group in payload["groups"]]


def test_the_list_filters_apply_to_the_map_data(client, towns):
    assert total(data(client, region="scotland")) == 3
    assert total(data(client, challenge="food")) == 2
    assert [group["name"] for group in data(client, q="Belfast")["groups"]] == ["Belfast Food"]


def test_hidden_groups_and_groups_without_a_place_are_never_included(client, towns):
    Group.objects.filter(pk=towns["belfast"].pk).update(hidden_at=timezone.now(), hidden_reason="Spam")
    GroupFactory(name="Nowhere", latitude=None, longitude=None)
    payload = data(client)
    assert total(payload) == 4
    assert "Belfast Food" not in [group["name"] for group in payload["groups"]]


def test_groups_at_the_same_spot_stay_a_cluster_at_the_closest_zoom(client):
    for _ in range(3):
        GroupFactory(latitude=51.5, longitude=-0.12)
    payload = data(client, zoom=18, bbox="-0.121,51.499,-0.119,51.501")
    assert [cluster[2] for cluster in payload["clusters"]] == [3]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"zoom": "five"}, "zoom"),
        ({"zoom": "-1"}, "zoom"),
        ({"zoom": "19"}, "zoom"),
        ({"zoom": ""}, "zoom"),
        ({"bbox": ""}, "bbox"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "a,b,c,d"}, "bbox"),
        ({"bbox": "nan,49,3,61"}, "bbox"),
        ({"bbox": "3,49,-11,61"}, "bbox"),  # west east of east
        ({"bbox": "-11,61,3,49"}, "bbox"),  # south north of north
        ({"bbox": "-11,-91,3,61"}, "bbox"),
        ({"bbox": "-181,49,3,61"}, "bbox"),
        ({"bbox": "-180,-85,180,85", "zoom": "15"}, "bbox"),  # far too many cells for one view
    ],
)
def test_bad_bounds_or_zoom_are_refused_with_a_message(client, towns, params, message):
    response = client.get(URL, {**UK, "zoom": 5, **params})
    assert response.status_code == 400
    body = response.json()
    assert message in body["errors"] and body["errors"][message]


def test_a_bad_filter_is_refused_with_its_message(client, towns):
    response = client.get(URL, {**UK, "zoom": 5, "population_min": "lots"})
    assert response.status_code == 400
    assert response.json()["errors"]["population_min"]


def test_queries_do_not_grow_with_the_groups(client, django_assert_max_num_queries):
    area = ChallengeAreaFactory(slug="climate")
    GroupFactory(name="Lerwick", latitude=60.15, longitude=-1.15, areas=[area])  # a pin in both cases
    GroupFactory(latitude=52.0, longitude=-1.0, areas=[area])
    area_table.area_table()  # the challenge areas this process keeps, read once (the filter checks against them)
    with django_assert_max_num_queries(4) as few:
        data(client, challenge="climate")
    for n in range(60):
        GroupFactory(latitude=50 + n / 10, longitude=-5 + (n % 7), areas=[area])
    with django_assert_max_num_queries(4) as many:
        payload = data(client, challenge="climate")
    assert total(payload) == 62
    assert len(few.captured_queries) == len(many.captured_queries)
