"""The map page: clusters embedded for its first view, the outline when there is no tile server, and a list
of groups that works without JavaScript."""

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from groups.views import listing

from ..factories import GroupFactory

pytestmark = pytest.mark.django_db
URL = reverse("groups:map")


def embedded(response, element_id):
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', response.content.decode())
    return json.loads(match.group(1))


def test_the_page_embeds_clusters_for_every_group_not_only_the_listed_ones(client, monkeypatch):
    monkeypatch.setattr(listing, "MAP_LIMIT", 5)
    for n in range(8):
        GroupFactory(latitude=52 + n / 1000, longitude=-1.5)
    GroupFactory(name="Lone group", latitude=57.0, longitude=-4.0)
    response = client.get(URL)
    markers = embedded(response, "map-markers")
    assert [cluster[2] for cluster in markers["clusters"]] == [8]
    assert [group["name"] for group in markers["groups"]] == ["Lone group"]
    assert len(response.context["markers"]) == 5  # the list without JavaScript stays short


def test_the_config_points_at_the_outline_and_the_filtered_data(client):
    GroupFactory(region="scotland")
    config = embedded(client.get(URL, {"region": "scotland", "page": "2"}), "map-config")
    assert config["outline"].endswith("vendor/uk-outline/uk-outline.geojson")
    assert config["data_url"] == reverse("groups:map_data") + "?region=scotland"


def test_the_outline_is_a_small_geojson_of_the_uk_and_ireland():
    from django.contrib.staticfiles import finders

    content = Path(finders.find("vendor/uk-outline/uk-outline.geojson")).read_bytes()
    outline = json.loads(content)
    names = {feature["properties"]["name"] for feature in outline["features"]}
    assert {"United Kingdom", "Ireland"} <= names
    assert len(content) < 150_000


def test_the_list_below_the_map_links_to_the_full_list(client):
    GroupFactory(name="Listed group")
    html = client.get(URL, {"region": "south_west"}).content.decode()
    assert "Listed group" in html
    assert f'href="{reverse("groups:list")}?region=south_west"' in html


def test_page_queries_do_not_grow_with_the_groups(client, django_assert_max_num_queries):
    GroupFactory(name="Lerwick", latitude=60.15, longitude=-1.15)  # a pin in both cases
    GroupFactory()
    with django_assert_max_num_queries(12) as few:
        client.get(URL)
    for n in range(40):
        GroupFactory(latitude=50 + n / 5, longitude=-5 + (n % 5))
    with django_assert_max_num_queries(12) as many:
        client.get(URL)
    assert len(few.captured_queries) == len(many.captured_queries)
