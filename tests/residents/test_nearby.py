"""Near me: what is around a place, nearest first, computed and bounded in the database query."""

import pytest
from django.urls import reverse

from groups import nearby
from groups.models import Group

from ..factories import ChallengeAreaFactory, GroupFactory, UserFactory
from .factories import ActionFactory

URL = reverse("groups:nearby")
KENDAL = (54.328, -2.745)


@pytest.fixture
def cumbria(db):
    """Groups at known distances from Kendal (LA9), and one far away."""
    return {
        "kendal": GroupFactory(name="Kendal Green Streets", latitude=54.330, longitude=-2.748, area_kind="small_town"),
        "windermere": GroupFactory(name="Windermere Repair", latitude=54.380, longitude=-2.907, area_kind="rural"),
        "penrith": GroupFactory(
            name="Penrith Community Energy", latitude=54.664, longitude=-2.752, area_kind="small_town"
        ),
        "london": GroupFactory(name="Brixton Energy", latitude=51.462, longitude=-0.115, area_kind="urban"),
    }


def names(response, key="groups"):
    return [item.name for item in response.context[key]]


def test_groups_are_listed_nearest_first_within_the_radius(client, cumbria):
    response = client.get(URL, {"place": "Kendal", "radius": "50"})
    assert response.status_code == 200
    assert names(response) == ["Kendal Green Streets", "Windermere Repair", "Penrith Community Energy"]
    distances = [group.distance_km for group in response.context["groups"]]
    assert distances == sorted(distances)
    assert 10 < distances[1] < 13  # Kendal to Windermere, about 11.4 km
    assert "Brixton Energy" not in response.content.decode()


def test_radius_narrows_the_results(client, cumbria):
    assert names(client.get(URL, {"place": "LA9", "radius": "5"})) == ["Kendal Green Streets"]
    assert names(client.get(URL, {"place": "LA9", "radius": "25"})) == ["Kendal Green Streets", "Windermere Repair"]


def test_an_unknown_radius_is_refused_with_the_place_kept(client, cumbria):
    response = client.get(URL, {"place": "Kendal", "radius": "7"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert 'value="Kendal"' in html


def test_unknown_place_is_a_400_with_a_message_and_the_text_kept(client, cumbria):
    response = client.get(URL, {"place": "Nowhereshire Magna"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "We could not find “Nowhereshire Magna”" in html
    assert 'value="Nowhereshire Magna"' in html
    assert "groups" not in response.context or not response.context.get("groups")


def test_browser_location_works_without_a_place(client, cumbria):
    response = client.get(URL, {"latitude": "54.33", "longitude": "-2.75", "radius": "5"})
    assert response.status_code == 200
    assert names(response) == ["Kendal Green Streets"]
    assert "your location" in response.content.decode()


def test_group_list_filters_combine_with_distance(client, cumbria):
    area = ChallengeAreaFactory(name="Energy", slug="energy")
    cumbria["penrith"].challenge_areas.set([area])
    cumbria["london"].challenge_areas.set([area])
    response = client.get(URL, {"place": "Kendal", "radius": "50", "challenge": "energy"})
    assert names(response) == ["Penrith Community Energy"]
    response = client.get(URL, {"place": "Kendal", "radius": "50", "area_kind": "small_town"})
    assert names(response) == ["Kendal Green Streets", "Penrith Community Energy"]


def test_upcoming_actions_nearby_are_listed_by_distance_and_filtered_by_group(client, cumbria):
    far = ActionFactory(group=cumbria["penrith"], title="Penrith draught-busting")
    near = ActionFactory(group=cumbria["kendal"], title="Kendal repair café")
    ActionFactory(group=cumbria["london"], title="Brixton solar open day")
    ActionFactory(group=cumbria["kendal"], title="Cancelled walk", status="cancelled")
    response = client.get(URL, {"place": "Kendal", "radius": "50"})
    assert [a.title for a in response.context["actions"]] == [near.title, far.title]
    response = client.get(URL, {"place": "Kendal", "radius": "50", "area_kind": "rural"})
    assert response.context["actions"] == []


def test_distance_is_computed_in_the_query_within_a_bounding_box(cumbria):
    point = nearby.Point(*KENDAL)
    queryset = nearby.groups_near(Group.objects.all(), point=point, radius_km=10)
    sql = str(queryset.query)
    # The box comes first (answered by the (latitude, longitude) index), then the distance, in SQL.
    assert '"latitude" >=' in sql and '"longitude" <=' in sql
    assert "SQRT" in sql.upper()
    assert [g.name for g in queryset] == ["Kendal Green Streets"]


def test_box_corners_outside_the_circle_are_left_out(db):
    point = nearby.Point(*KENDAL)
    box = nearby.bounding_box(point, 10)
    corner = GroupFactory(name="Corner", latitude=box.north - 0.001, longitude=box.east - 0.001)
    edge = GroupFactory(name="Edge", latitude=box.north - 0.001, longitude=point.longitude)
    found = list(nearby.groups_near(Group.objects.all(), point=point, radius_km=10))
    assert edge in found and corner not in found


def test_signed_in_resident_sees_their_home_area_by_default_and_can_save_a_new_one(client, cumbria):
    resident = UserFactory(home_area="Penrith")
    client.force_login(resident)
    response = client.get(URL)
    assert response.context["from_home"] is True
    assert names(response)[0] == "Penrith Community Energy"

    response = client.get(URL, {"place": "Kendal"})
    assert "Save “Kendal” as my home area" in response.content.decode()
    response = client.post(reverse("accounts:save_home_area"), {"place": "Kendal"})
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.home_area == "Kendal"
    assert names(client.get(URL))[0] == "Kendal Green Streets"


def test_an_unknown_home_area_is_not_saved(client, cumbria):
    resident = UserFactory(home_area="Kendal")
    client.force_login(resident)
    response = client.post(reverse("accounts:save_home_area"), {"place": "Atlantis"}, follow=True)
    assert "could not find “Atlantis”" in response.content.decode()
    resident.refresh_from_db()
    assert resident.home_area == "Kendal"


def test_without_a_place_the_page_asks_for_one(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert "Enter a postcode district or a town" in response.content.decode()


def test_page_has_no_inline_script_or_style(client, cumbria):
    html = client.get(URL, {"place": "Kendal"}).content.decode()
    assert "style=" not in html
    assert "<script>" not in html and "js/nearby.js" in html
