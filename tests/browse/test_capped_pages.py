"""The big public lists count matches only up to a cap (core.pagination), yet every page stays
reachable. The cap is lowered here so a few groups exceed it."""

import pytest
from django.urls import reverse

from core import pagination

from ..factories import GroupFactory, SolutionFactory, UpdateFactory

pytestmark = pytest.mark.django_db
URL = reverse("groups:list")


@pytest.fixture
def cap_of_30(monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 30)


def make_groups(count):
    return [GroupFactory(name=f"Group {number:03}") for number in range(count)]


def names(response):
    return [group.name for group in response.context["page"]]


def test_under_the_cap_the_count_and_the_pages_are_exact(client, cap_of_30):
    make_groups(25)
    response = client.get(URL)
    assert response.context["page"].paginator.count == 25
    html = response.content.decode()
    assert "25 groups" in html
    assert "Page 1 of 2" in html
    assert names(client.get(URL, {"page": 2})) == [f"Group {n:03}" for n in range(20, 25)]


def test_over_the_cap_the_list_says_more_than_and_next_reaches_every_page(client, cap_of_30):
    make_groups(75)
    first = client.get(URL)
    html = first.content.decode()
    assert "More than 30 groups" in html
    assert "Page 1</li>" in html  # no "of N": the total is not counted
    seen = names(first)
    page = first.context["page"]
    while page.has_next():
        response = client.get(URL, {"page": page.next_page_number()})
        page = response.context["page"]
        seen += names(response)
    assert seen == [f"Group {n:03}" for n in range(75)]
    assert page.number == 4
    # The last page knows its total from its own rows: exact again.
    assert "75 groups" in response.content.decode()
    assert 'rel="next"' not in response.content.decode()


def test_a_page_past_the_end_shows_the_last_page(client, cap_of_30):
    make_groups(45)
    response = client.get(URL, {"page": "9"})
    assert response.status_code == 200
    assert response.context["page"].number == 3
    assert names(response) == [f"Group {n:03}" for n in range(40, 45)]


def test_an_empty_list_has_no_pages(client, cap_of_30):
    response = client.get(URL, {"q": "nothing matches this"})
    assert response.context["page"].paginator.count == 0
    assert "0 groups" in response.content.decode()
    assert 'aria-label="Pages"' not in response.content.decode()


def test_the_solution_list_and_lessons_library_use_the_cap_too(client, cap_of_30):
    solution = SolutionFactory()
    for _ in range(34):
        SolutionFactory()
        UpdateFactory(solution=solution, what_worked="Knocking on doors.")
    assert "More than 30 solutions" in client.get(reverse("challenges:solution_list")).content.decode()
    assert "More than 30 lessons" in client.get(reverse("learning:index")).content.decode()


def test_the_map_says_more_than_its_marker_limit(client, monkeypatch):
    from groups.views import listing

    monkeypatch.setattr(listing, "MAP_LIMIT", 5)
    make_groups(7)
    html = client.get(reverse("groups:map")).content.decode()
    assert "More than 5 groups, the first 5 shown" in html
