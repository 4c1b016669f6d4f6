"""Atom feeds of published updates."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from tests.factories import GroupFactory, SolutionFactory, UpdateFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own output, parsed to prove it is well-formed
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None
    return root.findall(f"{ATOM}entry")


def test_feed_lists_only_published_updates_of_published_solutions(client):
    public = UpdateFactory(title="We planted trees")
    UpdateFactory(title="Draft update", status="draft", published_at=None)
    UpdateFactory(title="Update of a draft", solution=SolutionFactory(status="draft"))
    items = entries(client.get(reverse("challenges:feed_updates")))
    titles = [entry.find(f"{ATOM}title").text for entry in items]
    assert titles == [f"{public.solution.title}: We planted trees"]
    entry = items[0]
    assert entry.find(f"{ATOM}link").get("href").endswith(public.get_absolute_url())
    for required in ("id", "updated", "published"):
        assert entry.find(f"{ATOM}{required}") is not None


def test_feed_html_is_sanitised_markdown(client):
    UpdateFactory(body='Some **bold** <script>alert(1)</script> <a href="javascript:x" onclick="y">z</a>')
    summary = entries(client.get(reverse("challenges:feed_updates")))[0].find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert "<strong>bold</strong>" in summary.text
    assert "<script" not in summary.text and "onclick" not in summary.text and "javascript:" not in summary.text


def test_group_feed_has_only_that_groups_updates(client):
    group = GroupFactory(name="Reepham Green Team")
    mine = UpdateFactory(solution=SolutionFactory(group=group), title="Ours")
    UpdateFactory(title="Theirs")
    response = client.get(reverse("challenges:feed_group", kwargs={"group_slug": group.slug}))
    items = entries(response)
    assert [entry.find(f"{ATOM}title").text for entry in items] == [f"{mine.solution.title}: Ours"]
    assert "<title>Localism: progress updates from Reepham Green Team</title>" in response.content.decode()
    assert client.get(reverse("challenges:feed_group", kwargs={"group_slug": "nope"})).status_code == 404


def test_feed_is_capped_at_50_and_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    url = reverse("challenges:feed_updates")
    UpdateFactory.create_batch(3)
    client.get(url)  # warm the site cache
    with django_assert_max_num_queries(2) as small:
        client.get(url)
    UpdateFactory.create_batch(55)
    with django_assert_max_num_queries(2) as large:
        response = client.get(url)
    assert len(small.captured_queries) == len(large.captured_queries)
    assert len(entries(response)) == 50
