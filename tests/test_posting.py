"""The posting rules (core.posting), through the services that publish what people write.

Established accounts (verified, over a day old) are not slowed down; new accounts (under a day old or
unverified) post a little at a time with few links; suspended accounts post nothing; nobody posts
exactly the same thing twice in a day. Time moves by dating earlier rows back, never by sleeping.
"""

import datetime as dt
import time

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from challenges import services as challenge_services
from challenges.models import Solution, Update
from core import posting
from core.posting import PostingRateLimited, PostingRefused
from core.refusals import StaleEdit, refusal_status
from groups import actions
from groups import services as group_services
from groups.models import Action, Group
from learning import connections
from learning.models import Connection, ConnectionMessage

from .factories import ChallengeAreaFactory, GroupFactory, MembershipFactory, SolutionFactory, UserFactory

pytestmark = pytest.mark.django_db

THREE_LINKS = "See https://one.example, [our site](https://two.example) and <https://three.example>."
TWO_LINKS = "See https://one.example and [our site](https://two.example)."


def established():
    return UserFactory()


def joined_just_now():
    return UserFactory(new_account=True)


def unverified():
    return UserFactory(verified=False)


def suspended():
    return UserFactory(suspended_at=timezone.now())


NEW_ACCOUNTS = [joined_just_now, unverified]


@pytest.fixture
def solution(group):
    return SolutionFactory(group=group)


def post_update(solution, author, **fields):
    values = {"title": "Forty homes done", "body": "We visited forty homes.", **fields}
    return challenge_services.create_update(solution=solution, author=author, **values)


def organiser_of(group, user):
    MembershipFactory(group=group, user=user, role="organiser")
    return user


def age_rows(queryset, **delta):
    """Pretend the rows were written `delta` ago."""
    queryset.update(created_at=timezone.now() - dt.timedelta(**delta))


# --- Who is new -------------------------------------------------------------------------------------


def test_an_account_is_new_for_a_day_and_until_its_address_is_verified():
    assert not posting.is_new_account(established())
    assert posting.is_new_account(joined_just_now())
    assert posting.is_new_account(unverified())


# --- Hourly limits ----------------------------------------------------------------------------------


def test_established_account_posts_updates_without_an_hourly_limit(solution):
    author = established()
    for n in range(6):
        post_update(solution, author, title=f"Week {n}")
    assert Update.objects.filter(author=author).count() == 6


@pytest.mark.parametrize("make_user", NEW_ACCOUNTS, ids=["joined-today", "unverified"])
def test_new_account_posts_three_updates_an_hour_then_is_told_when_it_can_post_again(solution, make_user):
    author = make_user()
    for n in range(3):
        post_update(solution, author, title=f"Week {n}")
    age_rows(Update.objects.filter(author=author), minutes=50)

    with pytest.raises(PostingRateLimited) as refused:
        post_update(solution, author, title="Week 4")

    message = refused.value.message
    assert refused.value.code == "rate_limited"
    assert "3 updates an hour" in message
    assert "in 10 minutes (at " in message
    assert "verified" in message
    assert Update.objects.filter(author=author).count() == 3


def test_new_account_limit_resets_after_an_hour(solution):
    author = joined_just_now()
    for n in range(3):
        post_update(solution, author, title=f"Week {n}")
    age_rows(Update.objects.filter(author=author), minutes=61)
    post_update(solution, author, title="Week 4")
    assert Update.objects.filter(author=author).count() == 4


def test_only_the_last_hour_counts(solution):
    author = joined_just_now()
    post_update(solution, author, title="Yesterday evening")
    age_rows(Update.objects.filter(author=author), minutes=90)
    for n in range(3):
        post_update(solution, author, title=f"Week {n}")
    with pytest.raises(PostingRateLimited):
        post_update(solution, author, title="One too many")


def test_hourly_limits_can_be_set_in_settings(solution, settings):
    settings.POSTING_LIMITS = {"update": 1}
    author = joined_just_now()
    post_update(solution, author)
    with pytest.raises(PostingRateLimited, match="1 update an hour"):
        post_update(solution, author, title="Second")


def test_new_account_sends_five_messages_an_hour_counting_its_questions():
    asking, *asked = GroupFactory.create_batch(7)
    author = organiser_of(asking, joined_just_now())
    for group in asked[:5]:
        connections.request_connection(from_group=asking, to_group=group, by=author, message=f"Hello {group.name}")
    with pytest.raises(PostingRateLimited, match="5 messages an hour"):
        connections.request_connection(from_group=asking, to_group=asked[5], by=author, message="One more")
    assert Connection.objects.count() == 5


def test_new_accounts_message_limit_applies_to_messages_in_a_conversation():
    connection, author = accepted_connection(joined_just_now())
    for n in range(4):  # the question was the first of five
        connections.send_message(connection=connection, by=author, body=f"Message {n}")
    with pytest.raises(PostingRateLimited):
        connections.send_message(connection=connection, by=author, body="Message 5")
    age_rows(ConnectionMessage.objects.filter(author=author), hours=1, minutes=1)
    connections.send_message(connection=connection, by=author, body="Message 5")


def test_established_account_keeps_the_general_message_limit_only():
    connection, author = accepted_connection(established())
    for n in range(10):
        connections.send_message(connection=connection, by=author, body=f"Message {n}")
    assert ConnectionMessage.objects.filter(author=author).count() == 11


def test_rate_check_works_for_any_kind_from_a_count():
    newcomer, regular = joined_just_now(), established()
    posting.ensure_within_rate(user=newcomer, kind="report", recent_count=4)
    posting.ensure_within_rate(user=regular, kind="report", recent_count=500)
    posting.ensure_within_rate(user=newcomer, kind="kind-without-a-limit", recent_count=500)
    with pytest.raises(PostingRateLimited, match="5 reports an hour") as refused:
        posting.ensure_within_rate(user=newcomer, kind="report", recent_count=5)
    assert "within the hour" in refused.value.message
    with pytest.raises(TypeError):
        posting.ensure_within_rate(user=newcomer, kind="report")


# --- Links ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("No links, just words. Email sam@example.org.", 0),
        ("https://one.example/page?x=1 and http://two.example", 2),
        ("www.one.example", 1),
        ("[our site](https://one.example) and [https://two.example](https://two.example)", 2),
        ('[a](https://one.example "Title") and ![a picture](https://two.example/p.png)', 2),
        ("<https://one.example> and <sam@example.org>", 2),
        ("[a][1]\n\n[1]: https://one.example", 1),
        ('<a href="https://one.example">https://one.example</a>', 1),
        ("[protocol-relative](//one.example)", 1),
    ],
)
def test_links_are_counted_however_they_are_written(text, links):
    assert posting.count_links(text) == links


def test_hostile_text_is_counted_quickly():
    for text in ("[a](" * 50_000, "<https://" * 50_000, "[" * 200_000, "<a " * 60_000):
        started = time.perf_counter()
        posting.count_links(text)
        assert time.perf_counter() - started < 2


@pytest.mark.parametrize("make_user", NEW_ACCOUNTS, ids=["joined-today", "unverified"])
def test_new_account_may_put_two_links_in_an_update_but_not_three(solution, make_user):
    author = make_user()
    post_update(solution, author, body=TWO_LINKS)
    with pytest.raises(PostingRefused) as refused:
        post_update(solution, author, title="More links", body="Read on.", what_worked=THREE_LINKS)
    assert refused.value.code == "too_many_links"
    assert "at most 2 links" in refused.value.message and "this has 3" in refused.value.message
    assert "remove 1 link" in refused.value.message
    assert Update.objects.filter(author=author).count() == 1


def test_established_account_may_put_many_links_but_not_a_page_of_them(solution):
    author = established()
    post_update(solution, author, body=THREE_LINKS)
    many = " ".join(f"https://site{n}.example" for n in range(posting.MAX_LINKS + 3))
    with pytest.raises(PostingRefused, match=f"at most {posting.MAX_LINKS} links, and this has 23"):
        post_update(solution, author, title="Link farm", body=many)


def test_link_limit_applies_to_solutions_groups_actions_and_messages(group):
    author = organiser_of(group, joined_just_now())
    area = ChallengeAreaFactory()
    attempts = {
        "solution": lambda: challenge_services.create_solution(
            group=group,
            title="Warm homes",
            challenge_area=area,
            problem=THREE_LINKS,
            approach="A",
            why_here="B",
            by=author,
        ),
        "group": lambda: group_services.update_group(
            group=group, based_on_version=group.version, challenge_areas=[area], description=THREE_LINKS, by=author
        ),
        "action": lambda: actions.create_action(
            group=group,
            created_by=author,
            title="Repair café",
            description=THREE_LINKS,
            starts_at=timezone.now() + dt.timedelta(days=3),
            ends_at=timezone.now() + dt.timedelta(days=3, hours=2),
            capacity=10,
        ),
        "question": lambda: connections.request_connection(
            from_group=group, to_group=GroupFactory(), by=author, message=THREE_LINKS
        ),
    }
    for name, attempt in attempts.items():
        with pytest.raises(PostingRefused, match="at most 2 links") as refused:
            attempt()
        assert refused.value.code == "too_many_links", name
    assert not Solution.objects.exists() and not Action.objects.exists() and not Connection.objects.exists()
    group.refresh_from_db()
    assert group.description != THREE_LINKS


def test_new_account_cannot_start_a_group_full_of_links():
    founder = unverified()
    area = ChallengeAreaFactory()
    with pytest.raises(PostingRefused, match="at most 2 links"):
        group_services.create_group(
            creator=founder,
            name="Cheap pills",
            summary="Best prices",
            description=THREE_LINKS,
            place_name="Totnes",
            postcode_district="TQ9",
            area_kind="small_town",
            population=8000,
            deprivation_decile=5,
            region="south_west",
            challenge_areas=[area],
        )
    assert not Group.objects.filter(name="Cheap pills").exists()


# --- Repeats ----------------------------------------------------------------------------------------


def test_the_same_update_twice_is_refused_whatever_the_spacing_and_case(solution):
    author = established()
    post_update(solution, author, title="Forty homes done", body="We visited  forty homes.\n")
    with pytest.raises(PostingRefused) as refused:
        post_update(solution, author, title="  FORTY homes done", body="We visited forty\nhomes.")
    assert refused.value.code == "repeated"
    assert "You have already posted exactly this update" in refused.value.message
    assert "edit it instead" in refused.value.message
    assert Update.objects.count() == 1


def test_a_repeat_is_allowed_after_a_day_or_from_someone_else_or_with_new_text(solution):
    author = established()
    post_update(solution, author)
    post_update(solution, author, body="We visited fifty homes.")
    post_update(solution, established())
    age_rows(Update.objects.filter(author=author), hours=25)
    post_update(solution, author)
    assert Update.objects.count() == 4


def test_editing_an_update_into_a_copy_of_another_is_refused_but_saving_it_unchanged_is_not(solution):
    author = established()
    first = post_update(solution, author, title="March")
    second = post_update(solution, author, title="April")
    challenge_services.edit_update(update=second, title="April", body=second.body, status="published", by=author)
    with pytest.raises(PostingRefused, match="already posted exactly this update"):
        challenge_services.edit_update(update=second, title="March", body=first.body, status="published", by=author)
    second.refresh_from_db()
    assert second.title == "April"


def test_the_same_solution_twice_in_a_group_is_refused(group):
    author = organiser_of(group, established())
    area = ChallengeAreaFactory()
    fields = {
        "title": "Warm homes",
        "challenge_area": area,
        "problem": "Cold.",
        "approach": "Strips.",
        "why_here": "Old.",
    }
    challenge_services.create_solution(group=group, by=author, **fields)
    with pytest.raises(PostingRefused, match="already posted exactly this solution"):
        challenge_services.create_solution(group=group, by=author, **fields)
    assert Solution.objects.filter(group=group).count() == 1


def test_the_same_message_in_one_conversation_is_still_refused():
    connection, author = accepted_connection(established())
    connections.send_message(connection=connection, by=author, body="Thank you!")
    with pytest.raises(ValidationError, match="You have already sent exactly this message."):
        connections.send_message(connection=connection, by=author, body="Thank you!")


# --- Suspension -------------------------------------------------------------------------------------


def test_suspended_account_can_post_nothing_and_nothing_is_saved(group, solution):
    author = organiser_of(group, suspended())
    area = ChallengeAreaFactory()
    update = post_update(solution, established(), title="Theirs")
    in_three_days = timezone.now() + dt.timedelta(days=3)
    connection, _ = accepted_connection(established(), asking=group)
    attempts = {
        "update": lambda: post_update(solution, author, title="Mine"),
        "edit update": lambda: challenge_services.edit_update(
            update=update, title="Mine", body="x", status="published", by=author
        ),
        "solution": lambda: challenge_services.create_solution(
            group=group, title="Mine", challenge_area=area, problem="A", approach="B", why_here="C", by=author
        ),
        "edit solution": lambda: challenge_services.edit_solution(
            solution=solution,
            based_on_version=solution.version,
            title="Mine",
            challenge_area=area,
            problem="A",
            approach="B",
            why_here="C",
            by=author,
        ),
        "group": lambda: group_services.create_group(
            creator=author,
            name="Mine",
            summary="A",
            description="B",
            place_name="Totnes",
            postcode_district="TQ9",
            area_kind="small_town",
            population=8000,
            deprivation_decile=5,
            region="south_west",
            challenge_areas=[area],
        ),
        "edit group": lambda: group_services.update_group(
            group=group, based_on_version=group.version, challenge_areas=[area], name="Mine", by=author
        ),
        "action": lambda: actions.create_action(
            group=group,
            created_by=author,
            title="Mine",
            starts_at=in_three_days,
            ends_at=in_three_days + dt.timedelta(hours=1),
            capacity=5,
        ),
        "question": lambda: connections.request_connection(
            from_group=group, to_group=GroupFactory(), by=author, message="Mine"
        ),
        "message": lambda: connections.send_message(connection=connection, by=author, body="Mine"),
    }
    for name, attempt in attempts.items():
        with pytest.raises(PostingRefused) as refused:
            attempt()
        assert refused.value.code == "suspended", name
        assert "Your account is suspended, so you cannot post." in refused.value.message
    assert not Update.objects.filter(title="Mine").exists()
    assert not Solution.objects.filter(title="Mine").exists()
    assert not Group.objects.filter(name="Mine").exists()
    assert not Action.objects.exists()
    assert not ConnectionMessage.objects.filter(body="Mine").exists()
    update.refresh_from_db()
    solution.refresh_from_db()
    group.refresh_from_db()
    assert "Mine" not in (update.title, solution.title, group.name)


def test_suspended_account_can_edit_its_action_no_more(group):
    author = organiser_of(group, established())
    start = timezone.now() + dt.timedelta(days=3)
    action = actions.create_action(
        group=group,
        created_by=author,
        title="Repair café",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        capacity=5,
    )
    author.suspended_at = timezone.now()
    author.save()
    with pytest.raises(PostingRefused, match="suspended"):
        actions.update_action(action=action, title="Changed", by=author)
    action.refresh_from_db()
    assert action.title == "Repair café"


# --- Statuses for views -----------------------------------------------------------------------------


def test_refusals_carry_their_http_status():
    assert refusal_status(PostingRateLimited("x", code="rate_limited")) == 429
    assert refusal_status(PostingRefused("x", code="suspended")) == 403
    assert refusal_status(PostingRefused("x", code="repeated")) == 409
    assert refusal_status(PostingRefused("x", code="too_many_links"), default=409) == 400
    assert refusal_status(ValidationError("x")) == 400
    assert refusal_status(ValidationError("x"), default=409) == 409
    assert refusal_status(connections.RateLimited("x")) == 429
    # Every service refusal is one type that carries its status.
    assert refusal_status(actions.SignupRefused("x", code="past")) == 409
    assert refusal_status(group_services.InvitationExpired("x")) == 410
    assert refusal_status(group_services.InvitationWrongAccount("x")) == 403
    assert refusal_status(StaleEdit("x", current=3)) == 409


def accepted_connection(author, *, asking=None):
    """A connection `author` asked for on behalf of `asking` (a new group unless given), accepted by the
    other group. Returns it and the author."""
    asking = asking or GroupFactory()
    asked = GroupFactory()
    if not asking.memberships.filter(user=author).exists():
        organiser_of(asking, author)
    answerer = MembershipFactory(group=asked, role="owner").user
    connection = connections.request_connection(from_group=asking, to_group=asked, by=author, message="Hello")
    connections.respond(connection=connection, by=answerer, accept=True)
    connection.refresh_from_db()
    return connection, author
