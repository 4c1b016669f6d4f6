import pytest
from django.urls import reverse

from ..factories import ChallengeAreaFactory, GroupFactory

pytestmark = pytest.mark.django_db
URL = reverse("groups:list")


def names(response):
    return [group.name for group in response.context["page"].object_list]


@pytest.fixture
def places():
    climate = ChallengeAreaFactory(name="Climate", slug="climate")
    food = ChallengeAreaFactory(name="Food", slug="food")
    return {
        "eigg": GroupFactory(
            name="Isle of Eigg Heritage Trust",
            summary="Island grid of hydro, wind and solar power",
            place_name="Isle of Eigg",
            area_kind="island",
            region="scotland",
            deprivation_decile=4,
            population=95,
            areas=[climate],
        ),
        "meadows": GroupFactory(
            name="Meadows Ozone Energy Services",
            summary="Solar panels on low-income homes first",
            place_name="Nottingham",
            area_kind="urban",
            region="east_midlands",
            deprivation_decile=1,
            population=9000,
            areas=[climate],
        ),
        "todmorden": GroupFactory(
            name="Incredible Edible Todmorden",
            summary="Vegetables planted in public places",
            place_name="Todmorden",
            area_kind="small_town",
            region="yorkshire",
            deprivation_decile=4,
            population=17000,
            areas=[food],
        ),
    }


def test_unfiltered_list_is_alphabetical(client, places):
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == [
        "Incredible Edible Todmorden",
        "Isle of Eigg Heritage Trust",
        "Meadows Ozone Energy Services",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"area_kind": ["island", "small_town"]}, {"Isle of Eigg Heritage Trust", "Incredible Edible Todmorden"}),
        ({"region": "east_midlands"}, {"Meadows Ozone Energy Services"}),
        ({"challenge": ["food"]}, {"Incredible Edible Todmorden"}),
        (
            {"challenge": ["food", "climate"]},
            {"Incredible Edible Todmorden", "Isle of Eigg Heritage Trust", "Meadows Ozone Energy Services"},
        ),
        (
            {"deprivation_min": "2", "deprivation_max": "5"},
            {"Isle of Eigg Heritage Trust", "Incredible Edible Todmorden"},
        ),
        ({"population_min": "1000", "population_max": "10000"}, {"Meadows Ozone Energy Services"}),
        ({"q": "solar"}, {"Isle of Eigg Heritage Trust", "Meadows Ozone Energy Services"}),
        ({"q": "vegetables"}, {"Incredible Edible Todmorden"}),
        ({"q": "Nottingham solar"}, {"Meadows Ozone Energy Services"}),
    ],
)
def test_filters_and_search(client, places, query, expected):
    response = client.get(URL, query)
    assert response.status_code == 200
    assert set(names(response)) == expected


def test_sorting(client, places):
    assert names(client.get(URL, {"sort": "population"}))[0] == "Incredible Edible Todmorden"
    assert names(client.get(URL, {"sort": "deprivation"}))[0] == "Meadows Ozone Energy Services"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"deprivation_min": "7", "deprivation_max": "3"}, "must not be below the lowest"),
        ({"population_min": "lots"}, "Enter a number"),
        ({"population_max": "-5"}, "greater than or equal to 0"),
        ({"sort": "sideways"}, "Select a valid choice"),
        ({"challenge": ["no-such-challenge"]}, "Select a valid choice"),
        ({"area_kind": ["volcano"]}, "Select a valid choice"),
    ],
)
def test_bad_filters_get_400_with_message_and_keep_input(client, places, query, message):
    response = client.get(URL, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "There is a problem" in html
    # The list still shows, and what was typed is still in the form.
    assert response.context["page"].paginator.count >= 1
    for value in query.values():
        if isinstance(value, str) and value not in ("sideways",):
            assert value in html


def test_pagination_keeps_filters(client):
    area = ChallengeAreaFactory(slug="climate")
    for n in range(25):
        GroupFactory(name=f"Rural group {n:02}", area_kind="rural", areas=[area])
    GroupFactory(name="Urban group", area_kind="urban")
    response = client.get(URL, {"area_kind": "rural"})
    assert response.context["page"].paginator.count == 25
    html = response.content.decode()
    assert "area_kind=rural&amp;page=2" in html
    second = client.get(URL, {"area_kind": "rural", "page": 2})
    assert len(second.context["page"].object_list) == 5


@pytest.mark.parametrize("page", ["0", "-1", "abc", "999", "1\x00"])
def test_odd_page_numbers_never_fail(client, places, page):
    assert client.get(URL, {"page": page}).status_code == 200


def test_list_queries_do_not_grow_with_groups(client, django_assert_max_num_queries):
    # A list that fits on one page needs no count query; from two pages on, the number is fixed.
    area = ChallengeAreaFactory()
    for _ in range(3):
        GroupFactory(areas=[area, ChallengeAreaFactory()])
    with django_assert_max_num_queries(12) as one_page:
        client.get(URL, {"challenge": [area.slug], "sort": "newest"})
    for _ in range(22):
        GroupFactory(areas=[area, ChallengeAreaFactory()])
    with django_assert_max_num_queries(12) as small:
        client.get(URL, {"challenge": [area.slug], "sort": "newest"})
    for _ in range(40):
        GroupFactory(areas=[area, ChallengeAreaFactory()])
    with django_assert_max_num_queries(12) as large:
        client.get(URL, {"challenge": [area.slug], "sort": "newest"})
    assert len(small.captured_queries) == len(large.captured_queries) == len(one_page.captured_queries) + 1


def test_map_lists_groups_with_coordinates_and_ships_marker_data(client, places):
    GroupFactory(name="Nowhere group", latitude=None, longitude=None)
    response = client.get(reverse("groups:map"), {"region": "scotland"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="map-markers"' in html and "Isle of Eigg Heritage Trust" in html
    assert "Meadows Ozone" not in html
    assert "vendor/leaflet/leaflet.js" in html
    markers = response.context["markers"]
    assert [m["name"] for m in markers] == ["Isle of Eigg Heritage Trust"]
    assert markers[0]["url"] == places["eigg"].get_absolute_url()
    all_markers = client.get(reverse("groups:map")).context["markers"]
    assert "Nowhere group" not in [m["name"] for m in all_markers]


def test_map_page_has_no_inline_script(client, places):
    html = client.get(reverse("groups:map")).content.decode()
    import re

    for tag in re.findall(r"<script[^>]*>", html):
        assert 'type="application/json"' in tag or "src=" in tag


def test_each_card_names_its_challenges(client):
    """The cards read each group's areas from a list prefetched with the page (selectors.group_cards)."""
    climate = ChallengeAreaFactory(name="Climate", slug="climate")
    food = ChallengeAreaFactory(name="Food", slug="food")
    GroupFactory(name="Both", areas=[food, climate])
    GroupFactory(name="Neither", areas=[])
    html = client.get(URL).content.decode()
    both = html[html.index(">Both<") :]
    both = both[: both.index("</article>")]
    assert '<ul class="tags" aria-label="Challenges"><li>Climate</li><li>Food</li></ul>' in both
    neither = html[html.index(">Neither<") :]
    assert '<ul class="tags"' not in neither[: neither.index("</article>")]
