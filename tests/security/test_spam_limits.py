"""Limits against spam, through the site as people use it: a refusal is a 4xx with a message that says
why, the form comes back with what was typed, and nothing is saved. Established accounts do not notice.
"""

import datetime as dt
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from challenges.models import Solution, Update
from groups.models import Action, Group
from learning import connections
from learning.models import Connection, ConnectionMessage

from ..challenges.conftest import solution_post, update_post
from ..factories import ChallengeAreaFactory, GroupFactory, MembershipFactory, SolutionFactory, UserFactory

pytestmark = pytest.mark.django_db

THREE_LINKS = "Cheap boilers at https://one.example, [here](https://two.example) and <https://three.example>."
SUSPENDED = "Your account is suspended, so you cannot post."


@pytest.fixture
def solution(group):
    return SolutionFactory(group=group, title="Warm homes", slug="warm-homes")


def organiser(group, **user_fields):
    user = UserFactory(**user_fields)
    MembershipFactory(group=group, user=user, role="organiser")
    return user


def update_url(solution):
    return reverse("challenges:update_create", kwargs={"group_slug": solution.group.slug, "slug": solution.slug})


def update_data(**overrides):
    """The update form's POST, with a body in plain words (the repeat tests type it again)."""
    return update_post(**{"body": "We visited forty homes.", **overrides})


def page_text(response):
    return unescape(response.content.decode())


def textarea(response, name):
    """What the form's textarea `name` holds, as the browser would show it."""
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', response.content.decode(), re.S)
    assert match, f"no textarea {name}"
    return unescape(match.group(1)).strip()


# --- Updates ----------------------------------------------------------------------------------------


def test_new_accounts_update_with_three_links_comes_back_with_the_text_and_why(client, group, solution):
    client.force_login(organiser(group, new_account=True))
    response = client.post(update_url(solution), update_data(title="Boiler offers", body=THREE_LINKS))
    assert response.status_code == 400
    html = page_text(response)
    assert "you can include at most 2 links in a post, and this has 3" in html
    assert 'value="Boiler offers"' in html
    assert textarea(response, "body") == THREE_LINKS
    assert not Update.objects.exists()


def test_unverified_accounts_update_with_three_links_is_refused_too(client, group, solution):
    client.force_login(organiser(group, verified=False))
    response = client.post(update_url(solution), update_data(body=THREE_LINKS))
    assert response.status_code == 400
    assert "at most 2 links" in page_text(response)
    assert not Update.objects.exists()


def test_the_same_update_twice_is_a_409_with_the_text_kept(client, group, solution):
    client.force_login(organiser(group))
    assert client.post(update_url(solution), update_data()).status_code == 302
    response = client.post(update_url(solution), update_data(body="We visited  FORTY homes."))
    assert response.status_code == 409
    assert "You have already posted exactly this update in the last 24 hours" in page_text(response)
    assert textarea(response, "body") == "We visited  FORTY homes."
    assert Update.objects.count() == 1


def test_new_accounts_fourth_update_in_an_hour_is_a_429_with_the_text_kept(client, group, solution):
    client.force_login(organiser(group, new_account=True))
    for week in range(3):
        assert client.post(update_url(solution), update_data(title=f"Week {week}")).status_code == 302
    response = client.post(update_url(solution), update_data(title="Week 4", body="Fifty homes now."))
    assert response.status_code == 429
    html = page_text(response)
    assert "While your account is new you can post 3 updates an hour" in html
    assert "you can post it in 60 minutes" in html
    assert textarea(response, "body") == "Fifty homes now."
    assert Update.objects.count() == 3


def test_established_organiser_posts_updates_with_links_freely(client, group, solution):
    client.force_login(organiser(group))
    for week in range(5):
        response = client.post(update_url(solution), update_data(title=f"Week {week}", body=THREE_LINKS))
        assert response.status_code == 302
    assert Update.objects.count() == 5


def test_editing_an_update_into_too_many_links_is_refused_with_the_text_kept(client, group, solution):
    author = organiser(group, new_account=True)
    client.force_login(author)
    client.post(update_url(solution), update_data())
    update = Update.objects.get()
    url = reverse("challenges:update_edit", kwargs={"group_slug": group.slug, "slug": solution.slug, "pk": update.pk})
    response = client.post(url, update_data(body=THREE_LINKS))
    assert response.status_code == 400
    assert textarea(response, "body") == THREE_LINKS
    update.refresh_from_db()
    assert update.body == "We visited forty homes."


# --- Links shown on pages ---------------------------------------------------------------------------


def links_in(html):
    return re.findall(r"<a\b[^>]*>", html)


def test_a_new_accounts_links_are_nofollow_ugc_on_the_update_page(client, group, solution):
    client.force_login(organiser(group, new_account=True))
    body = 'See [our site](https://one.example) and <a href="https://two.example" rel="follow">this</a>.'
    client.post(update_url(solution), update_data(body=body))
    update = Update.objects.get()
    html = client.get(update.get_absolute_url()).content.decode()
    theirs = [tag for tag in links_in(html) if ".example" in tag]
    assert len(theirs) == 2
    for tag in theirs:
        rel = re.search(r'rel="([^"]*)"', tag).group(1).split()
        assert "nofollow" in rel and "ugc" in rel, tag


def test_autolinks_are_nofollow_ugc_and_bare_addresses_are_not_links_at_all(client, group, solution):
    client.force_login(organiser(group, new_account=True))
    body = "Autolinked: <https://one.example/page>. Bare: https://two.example/page"
    client.post(update_url(solution), update_data(body=body))
    html = client.get(Update.objects.get().get_absolute_url()).content.decode()
    (autolink,) = [tag for tag in links_in(html) if "one.example" in tag]
    rel = re.search(r'rel="([^"]*)"', autolink).group(1).split()
    assert "nofollow" in rel and "ugc" in rel
    assert not [tag for tag in links_in(html) if "two.example" in tag]
    assert "https://two.example/page" in html


# --- Suspended accounts -----------------------------------------------------------------------------


def test_suspended_organiser_cannot_post_an_update(client, group, solution):
    client.force_login(organiser(group, suspended_at=timezone.now()))
    response = client.post(update_url(solution), update_data(body="Still here."))
    assert response.status_code == 403
    assert SUSPENDED in page_text(response)
    assert textarea(response, "body") == "Still here."
    assert not Update.objects.exists()


def test_suspended_organiser_cannot_describe_a_solution(client, group):
    area = ChallengeAreaFactory()
    client.force_login(organiser(group, suspended_at=timezone.now()))
    response = client.post(
        reverse("challenges:solution_create", kwargs={"group_slug": group.slug}), solution_post(area)
    )
    assert response.status_code == 403
    assert SUSPENDED in page_text(response)
    assert textarea(response, "problem") == "Old terraces leak heat."
    assert not Solution.objects.exists()


def test_suspended_organiser_cannot_publish_an_action(client, group):
    client.force_login(organiser(group, suspended_at=timezone.now()))
    start = timezone.localtime() + dt.timedelta(days=10)
    data = {
        "title": "Repair café",
        "description": "Bring your broken toasters.",
        "starts_at": start.strftime("%Y-%m-%dT10:00"),
        "ends_at": start.strftime("%Y-%m-%dT13:00"),
        "place_name": "",
        "postcode_district": "",
        "capacity": "20",
        "accessibility_notes": "",
    }
    response = client.post(reverse("groups:action_create", kwargs={"slug": group.slug}), data)
    assert response.status_code == 403
    assert SUSPENDED in page_text(response)
    assert textarea(response, "description") == "Bring your broken toasters."
    assert not Action.objects.exists()


def test_suspended_person_cannot_start_a_group(client):
    area = ChallengeAreaFactory()
    client.force_login(UserFactory(suspended_at=timezone.now()))
    data = {
        "name": "Hook Norton Low Carbon",
        "summary": "Villagers cutting the village's carbon footprint together.",
        "description": "We run a car club.",
        "place_name": "Hook Norton",
        "postcode_district": "OX15",
        "area_kind": "rural",
        "population": "2500",
        "deprivation_decile": "8",
        "region": "south_east",
        "challenge_areas": [str(area.pk)],
    }
    response = client.post(reverse("groups:create"), data)
    assert response.status_code == 403
    assert SUSPENDED in page_text(response)
    assert textarea(response, "description") == "We run a car club."
    assert not Group.objects.filter(name="Hook Norton Low Carbon").exists()


def test_suspended_organiser_cannot_ask_a_peer_or_write_a_message(client, group):
    author = organiser(group)
    other = GroupFactory()
    answerer = MembershipFactory(group=other, role="owner").user
    connection = connections.request_connection(from_group=group, to_group=other, by=author, message="Hello")
    connections.respond(connection=connection, by=answerer, accept=True)
    author.suspended_at = timezone.now()
    author.save()
    client.force_login(author)

    response = client.post(reverse("learning:connection", kwargs={"pk": connection.pk}), {"body": "Buy cheap boilers."})
    assert response.status_code == 403
    assert SUSPENDED in page_text(response)
    assert textarea(response, "body") == "Buy cheap boilers."

    response = client.post(
        reverse("learning:ask", kwargs={"slug": GroupFactory().slug}),
        {"from_group": group.pk, "message": "Buy cheap boilers."},
    )
    assert response.status_code == 403
    assert textarea(response, "message") == "Buy cheap boilers."
    assert Connection.objects.count() == 1
    assert not ConnectionMessage.objects.filter(body="Buy cheap boilers.").exists()


# --- Messages ---------------------------------------------------------------------------------------


def test_new_accounts_sixth_message_in_an_hour_is_a_429_with_the_message_kept(client, group):
    author = organiser(group, new_account=True)
    client.force_login(author)
    for n in range(5):
        response = client.post(
            reverse("learning:ask", kwargs={"slug": GroupFactory().slug}),
            {"from_group": group.pk, "message": f"How did you start, group {n}?"},
        )
        assert response.status_code == 302
    response = client.post(
        reverse("learning:ask", kwargs={"slug": GroupFactory().slug}),
        {"from_group": group.pk, "message": "And you?"},
    )
    assert response.status_code == 429
    assert "you can post 5 messages an hour" in page_text(response)
    assert textarea(response, "message") == "And you?"
    assert Connection.objects.count() == 5
