"""List pages put their results before their filters and say at the top how many filters are on."""

import pytest
from django.urls import reverse

from .factories import GroupFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["groups:list", "groups:map", "challenges:solution_list", "learning:index"])
def test_results_come_before_the_filters_and_the_link_counts_the_filters_on(client, name):
    GroupFactory(area_kind="rural")
    html = client.get(reverse(name), {"q": "warm", "area_kind": "rural", "sort": "newest", "page": "1"}).content.decode()
    assert html.index('class="results"') < html.index('id="filters"')
    # q and area_kind narrow the list; sort and page do not.
    assert '<a href="#filters">Filter results (2 active)</a>' in html
    # The form goes to the page itself, without the #filters the visitor jumped to.
    assert f'<form method="get" action="{reverse(name)}" class="filter-form"' in html


def test_near_you_results_come_first_with_one_submit_and_no_second_search_box(client):
    html = client.get(reverse("groups:nearby"), {"place": "Kendal", "radius": "50"}).content.decode()
    assert html.index("Within 50 km of Kendal") < html.index('id="filters"')
    assert "Change the place or filters (0 active)" in html
    form = html[html.index('id="nearby-form"') : html.index("</form>", html.index('id="nearby-form"'))]
    assert form.count('type="submit"') == 1
    assert ">Search<" not in form
    assert "Words in the group&#x27;s description" in form


def test_an_unknown_place_sends_the_visitor_to_the_message_in_the_form(client):
    response = client.get(reverse("groups:nearby"), {"place": "Nowhere-on-earth-xyz"})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<a href="#filters">We could not search there' in html
