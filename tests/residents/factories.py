import datetime as dt

import factory
from django.utils import timezone

from groups.models import Action, ActionSignup, Follow, FollowMail, GroupActivity, SignupStatus

from ..factories import GroupFactory, UserFactory


def in_days(days, hour=18):
    moment = timezone.localtime() + dt.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    group = factory.SubFactory(GroupFactory)
    title = factory.Sequence(lambda n: f"Repair café {n}")
    description = "Bring something broken."
    starts_at = factory.LazyFunction(lambda: in_days(7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=3))
    capacity = 10
    latitude = factory.LazyAttribute(lambda o: o.group.latitude)
    longitude = factory.LazyAttribute(lambda o: o.group.longitude)


class SignupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionSignup

    action = factory.SubFactory(ActionFactory)
    user = factory.SubFactory(UserFactory)
    status = SignupStatus.CONFIRMED
    queued_at = factory.LazyFunction(timezone.now)


class FollowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Follow

    group = factory.SubFactory(GroupFactory)
    user = factory.SubFactory(UserFactory)
    mail = FollowMail.IMMEDIATE


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupActivity

    group = factory.SubFactory(GroupFactory)
    kind = "update"
    title = factory.Sequence(lambda n: f"News {n}")
    # What the activity announces (an update or an action); without one it links to the groups list.
    subject = None
    url = factory.LazyAttribute(
        lambda activity: activity.subject.get_absolute_url() if activity.subject else "/groups/"
    )
