"""A solution's approach tags are read with the solution (`challenges.selectors.with_tag_names`): their
names, by name, as a JSON array in the solution's own query. The solution page and the list's cards show
them without a query of their own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from challenges.models import ApproachTag, Solution
from challenges.selectors import with_tag_names

from ..factories import SolutionFactory

pytestmark = pytest.mark.django_db

ODD_NAMES = ['Co-op, "open" & <shared>', "Street patrols", "Ynni cymunedol – ŵyn", "zero\\waste [1]"]


def tagged(title, names):
    solution = SolutionFactory(title=title)
    solution.approach_tags.set(
        [ApproachTag.objects.create(name=name, slug=f"{title}-{index}".lower()) for index, name in enumerate(names)]
    )
    return solution


def get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), queries


def reads_tags_alone(queries):
    """Any query of the tags of its own: by the solution (the page's old read) or prefetched (the list's)."""
    starts = ('SELECT "challenges_approachtag"', 'SELECT ("challenges_solution_approach_tags"')
    return any(query["sql"].startswith(starts) for query in queries.captured_queries)


def tags_html(names):
    escaped = [
        name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;") for name in names
    ]
    return '<ul class="tags" aria-label="Approach">' + "".join(f"<li>{name}</li>" for name in escaped) + "</ul>"


def test_names_come_with_the_solution_in_order_whatever_they_hold():
    solution = tagged("Odd", list(reversed(ODD_NAMES)))
    plain = SolutionFactory(title="Plain")
    read = {item.pk: item for item in with_tag_names(Solution.objects.all())}
    assert read[solution.pk].tag_names == sorted(ODD_NAMES)
    assert read[plain.pk].tag_names == []


def test_the_solution_page_reads_no_tags_of_its_own(client):
    solution = tagged("Page", ODD_NAMES)
    get(client, solution.get_absolute_url())
    html, queries = get(client, solution.get_absolute_url())
    assert tags_html(sorted(ODD_NAMES)) in html
    assert not reads_tags_alone(queries)


def test_the_list_cards_read_no_tags_of_their_own(client):
    tagged("Listed", ODD_NAMES)
    SolutionFactory(title="Untagged")
    url = reverse("challenges:solution_list")
    get(client, url)
    html, queries = get(client, url)
    card = html[html.index(">Listed<") :]
    assert tags_html(sorted(ODD_NAMES)) in card[: card.index("</article>")]
    card = html[html.index(">Untagged<") :]
    assert '<ul class="tags"' not in card[: card.index("</article>")]
    assert not reads_tags_alone(queries)


def test_a_solution_read_any_other_way_still_has_its_names():
    solution = tagged("Other", ["b", "a"])
    assert Solution.objects.get(pk=solution.pk).tag_names == ["a", "b"]
