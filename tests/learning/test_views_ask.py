"""Ask a peer, and write to it, as a person would through the forms: who asks, whom, and bad input."""

import re

import pytest
from django.urls import reverse

from learning import connections
from learning.models import Connection, ConnectionMessage

from ..factories import GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db

QUESTION = "How did you find volunteers for home visits?"


@pytest.fixture
def organiser_of_two():
    """Someone running two groups (A… first alphabetically) and a peer with its own owner."""
    first = GroupFactory(name="Aberystwyth Warm Homes")
    second = GroupFactory(name="Llanidloes Warm Homes")
    peer = GroupFactory(name="Rhayader Warm Homes")
    user = MembershipFactory(group=first, role="owner").user
    MembershipFactory(group=second, role="organiser", user=user)
    MembershipFactory(group=peer, role="owner")
    return user, first, second, peer


def ask_url(group, **query):
    path = reverse("learning:ask", kwargs={"slug": group.slug})
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def selected_group(html):
    select = re.search(r'<select name="from_group".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="(\d+)"[^>]*selected', select)


def test_ask_defaults_to_the_group_whose_learning_page_they_came_from(client, organiser_of_two):
    user, first, second, peer = organiser_of_two
    client.force_login(user)
    response = client.get(ask_url(peer, **{"from": second.slug}))
    assert response.status_code == 200
    assert selected_group(response.content.decode()) == [str(second.pk)]

    response = client.post(ask_url(peer, **{"from": second.slug}), {"from_group": second.pk, "message": QUESTION})
    assert response.status_code == 302
    assert Connection.objects.get().from_group == second


def test_without_from_the_first_group_they_run_is_offered(client, organiser_of_two):
    user, first, _, peer = organiser_of_two
    client.force_login(user)
    html = client.get(ask_url(peer)).content.decode()
    assert selected_group(html) in ([], [str(first.pk)])  # the browser's default: the first option
    assert html.index("Aberystwyth Warm Homes") < html.index("Llanidloes Warm Homes")


@pytest.mark.parametrize("forged", ["someone-elses-group", "rhayader", "x%00y"])
def test_from_a_group_they_do_not_run_is_refused(client, organiser_of_two, forged):
    user, _, _, peer = organiser_of_two
    GroupFactory(name="Someone Else's Group", slug="someone-elses-group")
    client.force_login(user)
    url = ask_url(peer, **{"from": peer.slug if forged == "rhayader" else forged})
    response = client.get(url)
    assert response.status_code == 403
    html = response.content.decode()
    assert "You can only ask on behalf of a group you run" in html
    assert selected_group(html) == []


def test_posting_for_a_group_they_do_not_run_is_refused_and_the_question_kept(client, organiser_of_two):
    user, first, _, peer = organiser_of_two
    not_theirs = GroupFactory(name="Someone Else's Group")
    client.force_login(user)
    for forged in (not_theirs.pk, peer.pk, "not-a-number", ""):
        response = client.post(ask_url(peer, **{"from": first.slug}), {"from_group": forged, "message": QUESTION})
        assert response.status_code == 400
        html = response.content.decode()
        assert "You can only ask on behalf of a group you run" in html or "Choose the group you are asking for." in html
        assert QUESTION in html
    assert not Connection.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Please write your question."),
        ("  \n ", "Please write your question."),
        ("x" * 4001, "Your question is 4001 characters long; please keep it to at most 4000."),
    ],
    ids=["empty", "blank", "too-long"],
)
def test_a_bad_question_is_refused_with_a_clear_message_and_kept(client, organiser_of_two, text, message):
    user, first, _, peer = organiser_of_two
    client.force_login(user)
    response = client.post(ask_url(peer), {"from_group": first.pk, "message": text})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    if text.strip():
        assert text in html
    assert selected_group(html) == [str(first.pk)]  # their choice is kept too
    assert not Connection.objects.exists()


def test_asking_a_group_that_does_not_exist_is_404(client, organiser_of_two):
    user, first, _, _ = organiser_of_two
    client.force_login(user)
    response = client.post(
        reverse("learning:ask", kwargs={"slug": "no-such-group"}), {"from_group": first.pk, "message": QUESTION}
    )
    assert response.status_code == 404


def test_asking_your_own_only_group_says_so(client):
    mine = GroupFactory(name="Llanidloes Warm Homes")
    client.force_login(MembershipFactory(group=mine, role="owner").user)
    response = client.get(ask_url(mine))
    assert response.status_code == 403
    assert "Llanidloes Warm Homes is your own group" in response.content.decode()


def test_a_historical_example_cannot_be_asked(client, organiser_of_two):
    user, first, _, _ = organiser_of_two
    example = GroupFactory(name="Isle of Eigg Heritage Trust", example_source="NESTA Big Green Challenge, 2010")
    client.force_login(user)

    response = client.get(ask_url(example))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Isle of Eigg Heritage Trust is a historical example" in html
    assert "Send question" not in html

    response = client.post(ask_url(example), {"from_group": first.pk, "message": QUESTION})
    assert response.status_code == 403
    html = response.content.decode()
    assert "nobody there can answer a question" in html
    assert QUESTION in html  # kept, to use elsewhere
    assert not Connection.objects.exists()


@pytest.fixture
def accepted():
    asking, asked = GroupFactory(name="Llanidloes Warm Homes"), GroupFactory(name="Rhayader Warm Homes")
    asker = MembershipFactory(group=asking, role="organiser").user
    answerer = MembershipFactory(group=asked, role="owner").user
    connection = connections.request_connection(from_group=asking, to_group=asked, by=asker, message="Hello?")
    connections.respond(connection=connection, by=answerer, accept=True)
    return connection, asker, answerer


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Please write your message."),
        ("   ", "Please write your message."),
        ("y" * 4001, "Your message is 4001 characters long; please keep it to at most 4000."),
    ],
    ids=["empty", "blank", "too-long"],
)
def test_a_bad_message_is_refused_with_a_clear_message_and_kept(client, accepted, text, message):
    connection, _, answerer = accepted
    client.force_login(answerer)
    response = client.post(reverse("learning:connection", kwargs={"pk": connection.pk}), {"body": text})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    if text.strip():
        assert text in html
    assert connection.messages.count() == 1


def test_someone_who_runs_neither_group_cannot_write_or_answer(client, accepted):
    connection, _, _ = accepted
    outsider = MembershipFactory(group=GroupFactory(), role="owner").user
    client.force_login(outsider)
    response = client.post(reverse("learning:connection", kwargs={"pk": connection.pk}), {"body": "Let me in"})
    assert response.status_code == 403
    assert "Only the owners and organisers of these two groups" in response.content.decode()
    assert not ConnectionMessage.objects.filter(body="Let me in").exists()


@pytest.mark.parametrize("decision", ["", "maybe", "accept" * 100])
def test_an_answer_must_be_accept_or_decline(client, decision):
    asking, asked = GroupFactory(), GroupFactory()
    asker = MembershipFactory(group=asking, role="organiser").user
    answerer = MembershipFactory(group=asked, role="owner").user
    connection = connections.request_connection(from_group=asking, to_group=asked, by=asker, message="Hello?")
    client.force_login(answerer)
    response = client.post(reverse("learning:respond", kwargs={"pk": connection.pk}), {"decision": decision})
    assert response.status_code == 400
    assert "Please choose whether to accept or decline." in response.content.decode()
    connection.refresh_from_db()
    assert connection.status == "pending"


@pytest.mark.parametrize(
    "query",
    [{"q": "draught " * 40}, {"stage": "sideways", "q": "draught"}, {"region": "atlantis", "q": "draught"}],
    ids=["search-too-long", "unknown-stage", "unknown-region"],
)
def test_bad_lesson_filters_are_refused_and_the_search_kept(client, db, query):
    response = client.get(reverse("learning:index"), query)
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'class="[^"]*error', html) or "errorlist" in html
    assert "draught" in html
