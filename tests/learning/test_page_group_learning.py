"""A group's learning page as its own people, other organisers and visitors see it."""

import re

import pytest
from django.urls import reverse

from learning.services import rebuild_all_peers

from ..factories import GroupFactory, MembershipFactory, SolutionFactory, UpdateFactory, similar_and_different_groups

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbourhood():
    """Llanidloes (idea), Rhayader (completed: ahead of Llanidloes), Hackney, and a few more rural Welsh
    groups so both sections have something; one of them is a historical example."""
    mine, twin, far = similar_and_different_groups()
    for n, source in enumerate(["", "", "NESTA Big Green Challenge, 2010"]):
        group = GroupFactory(
            name=f"Welsh Village {n}",
            area_kind="rural",
            region="wales",
            areas=list(mine.challenge_areas.all()),
            summary="Draughty homes of older residents.",
            example_source=source,
        )
        UpdateFactory(solution=SolutionFactory(group=group, stage="idea"), what_worked=f"Village {n} lesson.")
    rebuild_all_peers()
    return mine, twin, far


def url(group, **params):
    return reverse("learning:group", kwargs={"slug": group.slug}), params


def get(client, group, **params):
    path, query = url(group, **params)
    response = client.get(path, query)
    assert response.status_code == 200
    return response, response.content.decode()


def section(html, title_id):
    """The HTML of the page section labelled by the heading with this id."""
    match = re.search(rf'<section aria-labelledby="{title_id}".*?</section>', html, re.S)
    return match.group(0) if match else ""


def peer_names(section_html):
    return re.findall(r"<h3><a [^>]*>([^<]+)</a></h3>", section_html)


@pytest.mark.parametrize("lean", ["balanced", "place", "approach"])
def test_a_peer_appears_in_one_section_only(client, neighbourhood, lean):
    mine, twin, _ = neighbourhood
    _, html = get(client, mine, lean=lean)
    ahead, similar = peer_names(section(html, "ahead-title")), peer_names(section(html, "peers-title"))
    assert twin.name in ahead  # further along: listed among the peers ahead ...
    assert similar, "the other peers are listed as most similar"
    assert not set(ahead) & set(similar)  # ... and nowhere else
    assert len(ahead + similar) == len(set(ahead + similar))


def test_visitors_read_the_groups_name_not_yours(client, neighbourhood):
    mine, _, _ = neighbourhood
    _, html = get(client, mine)
    assert "resemble those of Llanidloes Warm Homes" in html
    assert "Peers ahead of Llanidloes Warm Homes" in html
    assert "yours" not in html and "Peers ahead of you" not in html


@pytest.mark.parametrize("role", ["member", "organiser", "owner"])
def test_the_groups_own_people_read_yours(client, neighbourhood, role):
    mine, _, _ = neighbourhood
    client.force_login(MembershipFactory(group=mine, role=role).user)
    _, html = get(client, mine)
    assert "resemble yours" in html
    assert "Peers ahead of you" in html


def test_an_organiser_of_another_group_is_not_addressed_as_this_group(client, neighbourhood):
    mine, twin, _ = neighbourhood
    client.force_login(MembershipFactory(group=twin, role="owner").user)
    _, html = get(client, mine)
    assert "resemble those of Llanidloes Warm Homes" in html
    assert "resemble yours" not in html and "Peers ahead of you" not in html
    assert "Ask " not in html  # asking is offered on the asking group's own page


def test_ask_links_say_which_group_asks_and_skip_historical_examples(client, neighbourhood):
    mine, twin, _ = neighbourhood
    client.force_login(MembershipFactory(group=mine, role="organiser").user)
    _, html = get(client, mine, all="1")
    ask_twin = reverse("learning:ask", kwargs={"slug": twin.slug})
    assert f'href="{ask_twin}?from={mine.slug}"' in html
    card = re.search(r'<li class="card[^"]*">\s*<h3><a [^>]*>Welsh Village 2</a>.*?</li>', html, re.S).group(0)
    assert "Historical example" in card
    assert "Ask Welsh Village 2" not in card and "/ask/" not in card
    # The others are not labelled.
    village_0 = re.search(r"<h3><a [^>]*>Welsh Village 0</a>.*?</li>", html, re.S).group(0)
    assert "Historical example" not in village_0 and "Ask Welsh Village 0 a question" in village_0


def test_a_phone_shows_the_first_few_and_links_to_all_of_them(client, neighbourhood):
    mine, _, _ = neighbourhood
    _, html = get(client, mine)
    similar = section(html, "peers-title")
    cards = re.findall(r'<li class="card([^"]*)">', similar)
    assert len(cards) > 2
    assert [extra.strip() for extra in cards[:2]] == ["", ""]
    assert all(extra.strip() == "beyond-phone" for extra in cards[2:])
    assert f"See all {len(cards)} similar groups" in similar
    assert 'href="?lean=balanced&amp;all=1#peers-title"' in similar

    _, everything = get(client, mine, all="1")
    assert "beyond-phone" not in everything and "See all" not in everything
    assert len(re.findall(r'<li class="card', section(everything, "peers-title"))) == len(cards)


def test_learning_page_of_a_historical_example_says_so(client, neighbourhood):
    example = GroupFactory(name="Isle of Example Trust", example_source="BBC, 2010", area_kind="rural")
    _, html = get(client, example)
    assert "Historical example from public sources" in html


@pytest.mark.parametrize("role", ["anonymous", "organiser"])
def test_the_page_runs_the_same_few_queries_whatever_the_number_of_peers_and_lessons(
    client, role, django_assert_max_num_queries
):
    """Three queries for the page itself (the group, its peers with what the cards show, the lessons);
    a signed-in organiser adds the user (and the session, where it is not read from the cache); their role
    is read with the group. No query per peer or lesson: a field the cards use but the selectors leave
    unread would add one per card."""
    mine, _, _ = similar_and_different_groups()
    counts = []
    for added, total in ((2, 2), (10, 12)):
        for n in range(added):
            group = GroupFactory(
                area_kind=mine.area_kind, region=mine.region, summary="Draughty homes, older residents."
            )
            UpdateFactory(solution=SolutionFactory(group=group, stage="running"), what_worked=f"Lesson {total}-{n}.")
        rebuild_all_peers()
        if role == "organiser":
            client.force_login(MembershipFactory(group=mine, role="organiser").user)
        with django_assert_max_num_queries(12) as captured:
            response, html = get(client, mine)
        counts.append(len([query for query in captured.captured_queries if "django_session" not in query["sql"]]))
        assert html.count('<li class="card') >= min(total, 10)
        assert html.count('class="card lesson') >= min(total, 5) - 1
    assert counts[0] == counts[1]
    assert counts[0] == (3 if role == "anonymous" else 4)
