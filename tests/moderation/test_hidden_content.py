"""What hiding does across the site: a hidden item leaves every public page, list, feed, sitemap, search,
map and peer list; its own page is a 404 for everyone but the people who run its group and the
moderators, who see it with the reason and a link to appeal; restoring brings it all back.

Items are hidden through the moderation services (a report, then a moderator's decision) wherever the
test is about what people see; the query-count tests set `hidden_at` directly.
"""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core import mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from challenges.models import Solution, Update
from groups import area_table, notifications
from groups.models import Group, GroupActivity, Role
from learning.models import Connection, ConnectionMessage, GroupVector, Peer
from learning.services import load_features, rebuild_all_peers, recompute_peers_for_group
from moderation import services

from ..factories import (
    ChallengeAreaFactory,
    GroupFactory,
    MembershipFactory,
    SolutionFactory,
    UpdateFactory,
    UserFactory,
    similar_and_different_groups,
)
from ..funders.factories import ChallengeFactory, EntryFactory, FunderMembershipFactory
from ..residents.factories import ActionFactory, ActivityFactory, FollowFactory, SignupFactory

pytestmark = pytest.mark.django_db

REASON = "Advertises a payday lender."
PAGE_KINDS = ["group", "solution", "update", "action", "entry"]
# Near Totnes, where the factories put groups and their actions.
NEAR = {"latitude": "50.43", "longitude": "-3.69", "radius": "10"}


@pytest.fixture
def world():
    """Hilltop Energy (the group whose things get hidden) and Valley Gardens (never hidden), each with a
    solution, an update with lessons, an upcoming action and an entry in a public funder challenge; an
    accepted connection in which Valley asked and Hilltop answered; and the people who look at them."""
    area = ChallengeAreaFactory(name="Fuel poverty", slug="fuel-poverty")
    w = SimpleNamespace()
    w.group = GroupFactory(name="Hilltop Energy", summary="Hilltop insulation volunteers.", areas=[area])
    w.owner = MembershipFactory(group=w.group, role=Role.OWNER).user
    w.solution = SolutionFactory(
        group=w.group, title="Hilltop loft lagging", challenge_area=area, problem="Cold lofts on the hill."
    )
    w.update = UpdateFactory(solution=w.solution, title="Hilltop first month", what_worked="Hilltop tea and talk.")
    w.action = ActionFactory(group=w.group, title="Hilltop work day")
    w.other = GroupFactory(name="Valley Gardens", summary="Valley growers.", areas=[area])
    w.other_organiser = MembershipFactory(group=w.other, role=Role.ORGANISER).user
    w.other_solution = SolutionFactory(group=w.other, title="Valley allotments", challenge_area=area)
    w.other_update = UpdateFactory(solution=w.other_solution, title="Valley harvest", what_worked="Valley compost.")
    w.other_action = ActionFactory(group=w.other, title="Valley dig day")
    w.challenge = ChallengeFactory(title="Warm homes challenge", publish_entries="all", dashboard_public=True)
    w.challenge_funder = FunderMembershipFactory(funder=w.challenge.funder).user
    w.entry = EntryFactory(challenge=w.challenge, solution=w.solution)
    w.other_entry = EntryFactory(challenge=w.challenge, solution=w.other_solution)
    w.funder = FunderMembershipFactory().user  # of another funder
    w.resident = UserFactory(display_name="Rita Resident")
    w.moderator = UserFactory(is_moderator=True)
    w.connection = Connection.objects.create(
        from_group=w.other, to_group=w.group, requested_by=w.other_organiser, status=Connection.Status.ACCEPTED
    )
    w.question = ConnectionMessage.objects.create(
        connection=w.connection, sender_group=w.other, author=w.other_organiser, body="Valley asks: how?"
    )
    w.message = ConnectionMessage.objects.create(
        connection=w.connection, sender_group=w.group, author=w.owner, body="Hilltop answers: buy our pills."
    )
    return w


def hide(w, kind, item, reason=REASON):
    """Report `item` and have a moderator hide it, as on the site; returns the case."""
    # Only the other side of a connection can see (and so report) a message.
    reporter = w.other_organiser if kind == "message" else w.resident
    made = services.report(reporter=reporter, kind=kind, pk=item.pk, reason="spam")
    case = services.hide(case=made.case, by=w.moderator, reason=reason)
    item.refresh_from_db()
    assert item.hidden_at is not None and item.hidden_reason == reason
    return case


def restore(w, case, item):
    services.restore(case=case, by=w.moderator, reason="Looked again: it is fine.")
    item.refresh_from_db()
    assert item.hidden_at is None


def page(client, url, viewer=None, **params):
    client.logout()
    if viewer is not None:
        client.force_login(viewer)
    return client.get(url, params)


def html(client, url, viewer=None, **params):
    response = page(client, url, viewer, **params)
    assert response.status_code == 200, url
    return response.content.decode()


def report_url(kind, pk):
    return reverse("moderation:report", kwargs={"kind": kind, "pk": pk})


def item_url(kind, pk):
    return reverse("moderation:item", kwargs={"kind": kind, "pk": pk})


# --- Detail pages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_hidden_page_is_404_to_the_public_and_shown_with_the_reason_to_owner_and_moderator(client, world, kind):
    item = getattr(world, kind)
    url = item.get_absolute_url()
    assert page(client, url).status_code == 200
    case = hide(world, kind, item)

    for viewer in (None, world.resident, world.other_organiser, world.funder):
        assert page(client, url, viewer).status_code == 404, viewer
    for viewer in (world.owner, world.moderator):
        body = html(client, url, viewer)
        assert f"Hidden by the moderators: {REASON}" in body
        assert 'role="status"' in body
        assert f'href="{item_url(kind, item.pk)}">See why and appeal</a>' in body
        assert "report-link" not in body

    restore(world, case, item)
    body = html(client, url)
    assert "Hidden by the moderators" not in body
    assert report_url(kind, item.pk) in body


def test_the_challenge_funder_sees_a_hidden_entry_as_a_moderator_does(client, world):
    hide(world, "entry", world.entry)
    body = html(client, world.entry.get_absolute_url(), world.challenge_funder)
    assert f"Hidden by the moderators: {REASON}" in body
    review = html(client, reverse("challenges:review", kwargs={"slug": world.challenge.slug}), world.challenge_funder)
    assert "Hilltop loft lagging" in review and "Hidden by the moderators" in review


def test_everything_under_a_hidden_group_is_hidden_with_it(client, world):
    hide(world, "group", world.group)
    pages = {
        "solution": world.solution.get_absolute_url(),
        "update": world.update.get_absolute_url(),
        "action": world.action.get_absolute_url(),
        "entry": world.entry.get_absolute_url(),
        "learning": reverse("learning:group", kwargs={"slug": world.group.slug}),
    }
    for what, url in pages.items():
        assert page(client, url, world.resident).status_code == 404, what
        body = html(client, url, world.owner)
        assert f"Hidden by the moderators: {REASON}" in body, what
        assert f'href="{item_url("group", world.group.pk)}"' in body, what
    assert "is hidden from the public because its group is" in html(client, pages["update"], world.moderator)
    slug = world.group.slug
    for url in (
        reverse("groups:actions_feed", kwargs={"slug": slug}),
        reverse("groups:actions_ics", kwargs={"slug": slug}),
        reverse("challenges:feed_group", kwargs={"group_slug": slug}),
        reverse("groups:action_ics", kwargs={"slug": slug, "pk": world.action.pk}),
    ):
        assert page(client, url).status_code == 404, url
    client.force_login(world.resident)
    assert client.post(reverse("groups:follow", kwargs={"slug": slug}), {"mail": "weekly"}).status_code == 404
    assert client.post(reverse("groups:join", kwargs={"slug": slug})).status_code == 404
    assert client.get(reverse("learning:ask", kwargs={"slug": slug})).status_code == 404


def test_the_updates_of_a_hidden_solution_are_hidden_with_it(client, world):
    hide(world, "solution", world.solution)
    url = world.update.get_absolute_url()
    assert page(client, url).status_code == 404
    body = html(client, url, world.owner)
    assert "is hidden from the public because its solution is" in body
    assert f'href="{item_url("solution", world.solution.pk)}"' in body


def test_signing_up_for_a_hidden_action_is_404(client, world):
    hide(world, "action", world.action)
    client.force_login(world.resident)
    url = reverse("groups:action_signup", kwargs={"slug": world.group.slug, "pk": world.action.pk})
    assert client.post(url).status_code == 404
    assert not world.action.signups.exists()


# --- Report links -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_every_page_has_a_report_link_except_for_those_who_run_the_group(client, world, kind):
    item = getattr(world, kind)
    link = report_url(kind, item.pk)
    for viewer in (None, world.resident, world.other_organiser):
        body = html(client, item.get_absolute_url(), viewer)
        assert (
            f'<a href="{link}" class="report-link">Report<span class="visually-hidden"> this {kind}</span></a>' in body
        )
    assert link not in html(client, item.get_absolute_url(), world.owner)


def test_report_link_leads_anonymous_people_to_log_in_first(client, world):
    response = page(client, report_url("update", world.update.pk))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


# --- Connection threads -----------------------------------------------------------------------------------


def test_messages_of_the_other_side_have_a_report_link_and_own_messages_none(client, world):
    url = reverse("learning:connection", kwargs={"pk": world.connection.pk})
    asking = html(client, url, world.other_organiser)
    assert report_url("message", world.message.pk) in asking
    assert report_url("message", world.question.pk) not in asking
    answering = html(client, url, world.owner)
    assert report_url("message", world.question.pk) in answering
    assert report_url("message", world.message.pk) not in answering


def test_a_hidden_message_is_withdrawn_from_the_other_side_and_explained_to_its_author(client, world):
    url = reverse("learning:connection", kwargs={"pk": world.connection.pk})
    case = hide(world, "message", world.message)

    other_side = html(client, url, world.other_organiser)
    assert "This message was hidden by the moderators." in other_side
    assert "buy our pills" not in other_side
    assert report_url("message", world.message.pk) not in other_side
    assert "Valley asks: how?" in other_side

    author_side = html(client, url, world.owner)
    assert f"Hidden by the moderators: {REASON}" in author_side
    assert "buy our pills" in author_side
    assert f'href="{item_url("message", world.message.pk)}">See why and appeal</a>' in author_side

    restore(world, case, world.message)
    assert "buy our pills" in html(client, url, world.other_organiser)


# --- Lists, search, map, feeds, sitemap -------------------------------------------------------------------


def _sitemap(client):
    return html(client, reverse("sitemap"))


def _markers(client, **params):
    return [marker["slug"] for marker in page(client, reverse("groups:map"), **params).context["markers"]]


def _feed(client, name, **kwargs):
    return html(client, reverse(name, kwargs=kwargs or None))


def test_a_hidden_group_leaves_every_public_list_and_comes_back_when_restored(client, world):
    slug, other_slug = world.group.slug, world.other.slug
    group_path = f"/groups/{slug}/</loc>"
    assert "Hilltop Energy" in html(client, reverse("groups:list"))
    assert group_path in _sitemap(client)
    assert page(client, reverse("groups:list"), q="Hilltop").context["page"].paginator.count == 1
    assert page(client, reverse("challenges:solution_list"), q="lofts").context["page"].paginator.count == 1
    assert page(client, reverse("learning:index"), q="talk").context["page"].paginator.count == 1
    case = hide(world, "group", world.group)

    listing = html(client, reverse("groups:list"))
    assert "Hilltop Energy" not in listing and "Valley Gardens" in listing
    assert page(client, reverse("groups:list"), q="Hilltop").context["page"].paginator.count == 0
    assert "Valley Gardens" in html(client, reverse("groups:list"), q="Valley")
    assert _markers(client) == [other_slug]
    assert page(client, reverse("groups:map")).context["total"] == 1
    sitemap = _sitemap(client)
    assert group_path not in sitemap and world.solution.get_absolute_url() not in sitemap
    assert f"/groups/{other_slug}/</loc>" in sitemap

    home = page(client, reverse("home"))
    assert home.context["figures"] == {"groups": 1, "solutions": 1, "updates": 1}
    assert "Hilltop" not in home.content.decode() and "Valley harvest" in home.content.decode()
    solutions = html(client, reverse("challenges:solution_list"))
    assert "Hilltop loft lagging" not in solutions and "Valley allotments" in solutions
    assert page(client, reverse("challenges:solution_list"), q="lofts").context["page"].paginator.count == 0
    assert "Hilltop" not in html(client, reverse("challenges:index"))
    lessons = html(client, reverse("learning:index"))
    assert "Hilltop tea" not in lessons and "Valley compost." in lessons
    assert page(client, reverse("learning:index"), q="talk").context["page"].paginator.count == 0
    assert "Hilltop" not in _feed(client, "challenges:feed_updates")

    nearby = page(client, reverse("groups:nearby"), **NEAR)
    assert [group.name for group in nearby.context["groups"]] == ["Valley Gardens"]
    assert [action.title for action in nearby.context["actions"]] == ["Valley dig day"]

    challenge = html(client, world.challenge.get_absolute_url())
    assert "Hilltop" not in challenge and "Valley allotments" in challenge
    dashboard = page(client, reverse("challenges:dashboard", kwargs={"slug": world.challenge.slug}))
    assert [marker["name"] for marker in dashboard.context["markers"]] == ["Valley Gardens"]
    assert dashboard.context["spread"]["total"] == 1

    restore(world, case, world.group)
    assert "Hilltop Energy" in html(client, reverse("groups:list"))
    assert sorted(_markers(client)) == sorted([slug, other_slug])
    assert group_path in _sitemap(client)
    assert page(client, reverse("home")).context["figures"] == {"groups": 2, "solutions": 2, "updates": 2}
    assert "Hilltop loft lagging" in html(client, world.challenge.get_absolute_url())


def test_a_hidden_solution_leaves_the_lists_its_updates_go_with_it_and_its_owners_still_see_it(client, world):
    solution_path = f"{world.solution.get_absolute_url()}</loc>"
    assert solution_path in _sitemap(client)
    case = hide(world, "solution", world.solution)

    assert "Hilltop loft lagging" not in html(client, reverse("challenges:solution_list"))
    assert page(client, reverse("challenges:solution_list"), q="lofts").context["page"].paginator.count == 0
    assert solution_path not in _sitemap(client)
    assert "Hilltop loft lagging" not in html(client, reverse("challenges:index"))
    assert page(client, reverse("home")).context["figures"] == {"groups": 2, "solutions": 1, "updates": 1}
    assert "Hilltop first month" not in html(client, reverse("home"))
    assert "Hilltop tea" not in html(client, reverse("learning:index"))
    assert "Hilltop first month" not in _feed(client, "challenges:feed_updates")
    assert "Hilltop first month" not in _feed(client, "challenges:feed_group", group_slug=world.group.slug)
    assert "Hilltop loft lagging" not in html(client, world.challenge.get_absolute_url())
    # The group itself stays; its page lists the solution only to the people who run it, marked.
    assert "Hilltop loft lagging" not in html(client, world.group.get_absolute_url(), world.resident)
    owner_view = html(client, world.group.get_absolute_url(), world.owner)
    assert "Hilltop loft lagging" in owner_view and "Hidden by the moderators" in owner_view

    restore(world, case, world.solution)
    assert "Hilltop loft lagging" in html(client, reverse("challenges:solution_list"))
    assert "Hilltop first month" in _feed(client, "challenges:feed_updates")


def test_a_hidden_update_leaves_feeds_home_lessons_and_its_solution_page(client, world):
    case = hide(world, "update", world.update)

    assert "Hilltop first month" not in html(client, reverse("home"))
    assert page(client, reverse("home")).context["figures"]["updates"] == 1
    lessons = html(client, reverse("learning:index"))
    assert "Hilltop tea" not in lessons and "Valley compost." in lessons
    assert "Hilltop first month" not in _feed(client, "challenges:feed_updates")
    assert "Hilltop first month" not in _feed(client, "challenges:feed_group", group_slug=world.group.slug)
    public = html(client, world.solution.get_absolute_url())
    assert "Hilltop first month" not in public and "Hilltop tea" not in public
    owner_view = html(client, world.solution.get_absolute_url(), world.owner)
    assert "Hilltop first month" in owner_view and "Hidden by the moderators" in owner_view

    restore(world, case, world.update)
    assert "Hilltop first month" in html(client, reverse("home"))
    assert "Hilltop tea" in html(client, reverse("learning:index"))


def test_a_hidden_action_leaves_the_group_page_nearby_feeds_and_calendars(client, world):
    slug = world.group.slug
    assert "Hilltop work day" in html(client, world.group.get_absolute_url())
    case = hide(world, "action", world.action)

    assert "Hilltop work day" not in html(client, world.group.get_absolute_url())
    nearby = page(client, reverse("groups:nearby"), **NEAR)
    assert [action.title for action in nearby.context["actions"]] == ["Valley dig day"]
    assert "Hilltop work day" not in _feed(client, "groups:actions_feed", slug=slug)
    assert "Hilltop work day" not in html(client, reverse("groups:actions_ics", kwargs={"slug": slug}))
    assert page(client, reverse("groups:action_ics", kwargs={"slug": slug, "pk": world.action.pk})).status_code == 404

    restore(world, case, world.action)
    assert "Hilltop work day" in _feed(client, "groups:actions_feed", slug=slug)


def test_a_hidden_entry_leaves_the_challenge_page_its_figures_and_map(client, world):
    case = hide(world, "entry", world.entry)

    challenge = html(client, world.challenge.get_absolute_url())
    assert "Hilltop loft lagging" not in challenge and "Valley allotments" in challenge
    dashboard = page(client, reverse("challenges:dashboard", kwargs={"slug": world.challenge.slug}))
    assert [marker["name"] for marker in dashboard.context["markers"]] == ["Valley Gardens"]
    assert dashboard.context["spread"]["total"] == 1
    index = page(client, reverse("challenges:index"))
    assert [c.entry_count for c in index.context["open_challenges"]] == [1]
    # The entering group still sees its own entry on the challenge page, marked.
    owner_view = html(client, world.challenge.get_absolute_url(), world.owner)
    assert "Hilltop loft lagging" in owner_view and "Hidden by the moderators" in owner_view

    restore(world, case, world.entry)
    assert "Hilltop loft lagging" in html(client, world.challenge.get_absolute_url())


def test_hidden_content_leaves_a_residents_own_page(client, world):
    MembershipFactory(group=world.group, user=world.resident, role=Role.MEMBER)
    SignupFactory(action=world.action, user=world.resident)
    ActivityFactory(group=world.group, kind="update", title="Hilltop news", subject=world.update)
    url = reverse("groups:me")
    before = html(client, url, world.resident)
    assert "Hilltop work day" in before and "Hilltop news" in before
    hide(world, "action", world.action)
    hide(world, "update", world.update)
    after = html(client, url, world.resident)
    assert "Hilltop work day" not in after and "Hilltop news" not in after
    assert "Hilltop Energy" in after
    hide(world, "group", world.group)
    assert "Hilltop Energy" not in html(client, url, world.resident)
    assert "Hilltop Energy" in html(client, url, world.owner)  # the people who run it still find it


# --- Mail --------------------------------------------------------------------------------------------------


def test_a_hidden_update_is_not_mailed_to_followers(world):
    FollowFactory(group=world.group, user=world.resident, mail="immediate")
    activity = ActivityFactory(group=world.group, kind="update", title="Hilltop news", subject=world.update)
    hide(world, "update", world.update)
    mail.outbox.clear()
    assert notifications.send_activity_mails(activity_id=activity.pk) == 0
    assert mail.outbox == []


def test_the_weekly_digest_leaves_out_what_was_hidden(world):
    FollowFactory(group=world.group, user=world.resident, mail="weekly")
    week = notifications.digest_week()
    during = timezone.make_aware(dt.datetime.combine(week - dt.timedelta(days=3), dt.time(12)))
    ActivityFactory(group=world.group, kind="update", title="Hilltop news", subject=world.update)
    ActivityFactory(group=world.group, kind="action", title="Hilltop work day", subject=world.action)
    GroupActivity.objects.update(created_at=during)
    hide(world, "update", world.update)
    mail.outbox.clear()
    assert notifications.send_digest(user_id=world.resident.pk, week=week) is True
    assert "Hilltop work day" in mail.outbox[0].body and "Hilltop news" not in mail.outbox[0].body


def test_no_digest_goes_out_when_everything_in_it_was_hidden(world):
    FollowFactory(group=world.group, user=world.resident, mail="weekly")
    week = notifications.digest_week()
    ActivityFactory(
        group=world.group,
        kind="update",
        title="Hilltop news",
        subject=world.update,
        created_at=timezone.make_aware(dt.datetime.combine(week - dt.timedelta(days=2), dt.time(9))),
    )
    hide(world, "group", world.group)
    mail.outbox.clear()
    assert notifications.send_digest(user_id=world.resident.pk, week=week) is False
    assert mail.outbox == []


# --- Peer matching -----------------------------------------------------------------------------------------


def _in_matching(group):
    return (
        GroupVector.objects.filter(group=group).exists() or Peer.objects.filter(Q(group=group) | Q(peer=group)).exists()
    )


def test_a_hidden_group_gets_no_peers_and_is_in_nobody_s_list(client):
    mine, twin, far = similar_and_different_groups()
    w = SimpleNamespace(resident=UserFactory(), moderator=UserFactory(is_moderator=True))
    learning_page = reverse("learning:group", kwargs={"slug": mine.slug})
    assert twin in [match.peer for match in page(client, learning_page).context["peers"]]
    case = hide(w, "group", twin)

    # At once, before any recompute: the stored lists are read without it.
    response = page(client, learning_page)
    assert twin not in [match.peer for match in response.context["peers"]]
    assert twin not in [match.peer for match in response.context["ahead"]]
    assert "Rhayader" not in response.content.decode()

    recompute_peers_for_group(group_id=twin.pk)
    assert not _in_matching(twin)
    assert list(Peer.objects.filter(group=mine).values_list("peer_id", flat=True)) == [far.pk]
    rebuild_all_peers()
    assert not _in_matching(twin)
    assert Peer.objects.filter(group=mine, peer=far).exists()

    restore(w, case, twin)
    recompute_peers_for_group(group_id=twin.pk)
    assert Peer.objects.filter(group=mine, peer=twin, rank=1).exists()
    assert Peer.objects.filter(group=twin).exists()


def test_hidden_solutions_and_updates_add_nothing_to_what_is_matched(world):
    def features():
        (found,) = load_features([world.group.pk])
        return found

    assert "Cold lofts on the hill." in features().text
    assert features().progress.updates == 1
    hide(world, "update", world.update)
    assert features().progress.updates == 0
    hide(world, "solution", world.solution)
    assert "Cold lofts on the hill." not in features().text
    assert "Hilltop insulation volunteers." in features().text
    hide(world, "group", world.group)
    assert load_features([world.group.pk]) == []
    assert [f.id for f in load_features()] == [world.other.pk]


# --- Query counts --------------------------------------------------------------------------------------------


def _hide_directly(model, queryset):
    model.objects.filter(pk__in=list(queryset.values_list("pk", flat=True))).update(
        hidden_at=timezone.now(), hidden_reason="Spam"
    )


def _grow(groups):
    """`groups` more groups, each with a solution and a lesson; of each four, the first has its group
    hidden, the second its solution, the third its update, and the fourth nothing."""
    area = ChallengeAreaFactory(slug="fuel-poverty")
    for n in range(groups):
        group = GroupFactory(areas=[area])
        solution = SolutionFactory(group=group, challenge_area=area)
        update = UpdateFactory(solution=solution, what_worked=f"Lesson {n}.")
        target = n % 4
        if target == 0:
            _hide_directly(Group, Group.objects.filter(pk=group.pk))
        elif target == 1:
            _hide_directly(Solution, Solution.objects.filter(pk=solution.pk))
        elif target == 2:
            _hide_directly(Update, Update.objects.filter(pk=update.pk))


@pytest.mark.parametrize(
    "url_name, params, limit",
    [
        ("groups:list", {}, 12),
        ("groups:list", {"q": "Group"}, 12),
        ("groups:map", {}, 12),
        ("challenges:solution_list", {}, 12),
        ("learning:index", {}, 10),
        ("home", {}, 8),
    ],
)
def test_list_queries_do_not_grow_with_hidden_content(client, django_assert_max_num_queries, url_name, params, limit):
    _grow(88)  # over a page of each list (22 lessons are visible): first pages then count, up to a cap
    area_table.area_table()  # kept by each process, read again only when an area changes (groups.area_table)
    with django_assert_max_num_queries(limit) as small:
        assert client.get(reverse(url_name), params).status_code == 200
    _grow(30)
    area_table.area_table()
    with django_assert_max_num_queries(limit) as large:
        response = client.get(reverse(url_name), params)
    assert response.status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries)


def test_list_counts_leave_out_everything_hidden(client):
    _grow(8)  # two groups hidden, two solutions, two updates; two groups with nothing hidden
    assert page(client, reverse("groups:list")).context["page"].paginator.count == 6
    assert page(client, reverse("challenges:solution_list")).context["page"].paginator.count == 4
    assert page(client, reverse("learning:index")).context["page"].paginator.count == 2
    assert page(client, reverse("home")).context["figures"] == {"groups": 6, "solutions": 4, "updates": 2}


def test_me_page_queries_stay_fixed_with_news_to_check(client, django_assert_max_num_queries):
    resident = UserFactory()
    counts = []
    for size in (2, 12):
        for _ in range(size):
            group = GroupFactory()
            MembershipFactory(group=group, user=resident)
            update = UpdateFactory(solution=SolutionFactory(group=group))
            action = ActionFactory(group=group)
            ActivityFactory(group=group, kind="update", subject=update)
            ActivityFactory(group=group, kind="action", subject=action)
            _hide_directly(Update, Update.objects.filter(pk=update.pk))
        client.force_login(resident)
        # Session, user, groups, sign-ups, news, and one query for the hidden updates and actions in it.
        with django_assert_max_num_queries(6) as captured:
            response = client.get(reverse("groups:me"))
        assert response.status_code == 200
        assert response.context["news"] and all(news.kind == "action" for news in response.context["news"])
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]
