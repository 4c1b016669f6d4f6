"""A group's activity points at what it announces, and that item's own model says whether it is hidden."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core import mail
from django.utils import timezone

from challenges import services as challenge_services
from challenges.models import Solution, Update
from groups import actions, notifications, selectors
from groups.models import Action, GroupActivity

from ..factories import GroupFactory, MembershipFactory, SolutionFactory, UpdateFactory, UserFactory
from .factories import ActionFactory, ActivityFactory, FollowFactory, in_days

pytestmark = pytest.mark.django_db

fill_subjects = importlib.import_module("groups.migrations.0009_activity_subject").fill_subjects


def _hide(item):
    type(item).objects.filter(pk=item.pk).update(hidden_at=timezone.now(), hidden_reason="Spam")


def _published_update(group):
    return challenge_services.create_update(
        solution=SolutionFactory(group=group), author=UserFactory(), title="100 homes insulated", body="Yes."
    )


def test_a_published_update_is_announced_by_an_activity_pointing_at_it(group):
    update = _published_update(group)
    activity = GroupActivity.objects.get(group=group)
    assert activity.subject == update and activity.kind == "update"
    assert activity.url == update.get_absolute_url()


def test_a_new_action_is_announced_by_an_activity_pointing_at_it(group):
    action = actions.create_action(
        group=group, created_by=None, title="Repair café", starts_at=in_days(3), ends_at=in_days(3, 21), capacity=10
    )
    activity = GroupActivity.objects.get(group=group)
    assert activity.subject == action and activity.kind == "action"
    assert activity.url == action.get_absolute_url()


@pytest.mark.parametrize("hidden", ["update", "solution"])
def test_hiding_an_update_or_its_solution_takes_its_activity_out_of_news_and_mails(group, hidden):
    resident = UserFactory()
    MembershipFactory(group=group, user=resident)
    FollowFactory(group=group, user=resident, mail="immediate")
    weekly = FollowFactory(group=group, mail="weekly").user
    update = _published_update(group)
    activity = GroupActivity.objects.get(subject_id=update.pk)
    week = notifications.digest_week()
    GroupActivity.objects.update(
        created_at=timezone.make_aware(dt.datetime.combine(week, dt.time(9))) - dt.timedelta(days=2)
    )
    assert [news.title for news in selectors.resident_news(user=resident)] == ["100 homes insulated"]

    _hide(update if hidden == "update" else update.solution)
    mail.outbox.clear()
    assert selectors.resident_news(user=resident) == []
    assert notifications.send_activity_mails(activity_id=activity.pk) == 0
    assert notifications.send_digest(user_id=weekly.pk, week=week) is False
    assert mail.outbox == []


def test_an_activity_without_a_subject_is_hidden_only_with_its_group(group):
    resident = UserFactory()
    MembershipFactory(group=group, user=resident)
    ActivityFactory(group=group, title="Older news", url="/somewhere/else/")
    assert [news.title for news in selectors.resident_news(user=resident)] == ["Older news"]
    _hide(group)
    assert selectors.resident_news(user=resident) == []


def test_the_hidden_check_is_one_query_for_every_kind(django_assert_num_queries):
    activities = []
    for _ in range(3):
        group = GroupFactory()
        update = UpdateFactory(solution=SolutionFactory(group=group))
        action = ActionFactory(group=group)
        _hide(action)
        activities += [
            ActivityFactory(group=group, kind="update", subject=update),
            ActivityFactory(group=group, kind="action", subject=action),
        ]
    activities = list(GroupActivity.objects.filter(pk__in=[a.pk for a in activities]).select_related("group"))
    with django_assert_num_queries(1):
        shown = notifications.without_hidden_activities(activities)
    assert {activity.kind for activity in shown} == {"update"} and len(shown) == 3


def test_each_announced_model_says_which_of_its_items_are_hidden():
    update, other = UpdateFactory(), UpdateFactory()
    _hide(update.solution)
    action = ActionFactory()
    _hide(action)
    assert list(Update.hidden_among([update.pk, other.pk]).values_list("pk", flat=True)) == [update.pk]
    assert list(Action.hidden_among([action.pk, ActionFactory().pk]).values_list("pk", flat=True)) == [action.pk]
    assert not Solution.hidden_among([other.solution.pk]).exists()


def test_the_migration_points_older_activities_at_what_their_address_names(group):
    update = UpdateFactory(solution=SolutionFactory(group=group))
    action = ActionFactory(group=group)
    old_update = ActivityFactory(group=group, kind="update", url=update.get_absolute_url())
    old_action = ActivityFactory(group=group, kind="action", url=action.get_absolute_url())
    wrong_kind = ActivityFactory(group=group, kind="action", url=update.get_absolute_url())
    unknown = ActivityFactory(group=group, kind="update", url="/no/such/page/")
    elsewhere = ActivityFactory(group=group, kind="update", url=group.get_absolute_url())

    fill_subjects(apps, None)

    for activity in (old_update, old_action, wrong_kind, unknown, elsewhere):
        activity.refresh_from_db()
    assert old_update.subject == update and old_action.subject == action
    assert wrong_kind.subject is None and unknown.subject is None and elsewhere.subject is None
