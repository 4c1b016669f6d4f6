import datetime as dt

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from challenges.models import Metric, MetricReading, Solution, SolutionMetric, Status, Update
from groups.models import AreaKind, ChallengeArea, Group, Membership, Region, Role

PASSWORD = "a-Long-test-password-42"


class UserFactory(factory.django.DjangoModelFactory):
    """An established account by default: verified email, joined two days ago, so the limits on new
    accounts (core.posting) do not apply. `UserFactory(new_account=True)` joined just now;
    `UserFactory(verified=False)` has no verified address."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        new_account = factory.Trait(date_joined=factory.LazyFunction(timezone.now))

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    date_joined = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=2))
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        self.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class ChallengeAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChallengeArea
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Challenge {n}")
    slug = factory.Sequence(lambda n: f"challenge-{n}")


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Group {n}")
    slug = factory.Sequence(lambda n: f"group-{n}")
    summary = "Neighbours working together."
    description = "We meet on **Tuesdays**."
    place_name = "Totnes"
    postcode_district = "TQ9"
    latitude = 50.43
    longitude = -3.69
    area_kind = AreaKind.SMALL_TOWN
    population = 8000
    deprivation_decile = 5
    region = Region.SOUTH_WEST

    @factory.post_generation
    def areas(self, create, extracted, **kwargs):
        if create:
            self.challenge_areas.set(extracted if extracted is not None else [ChallengeAreaFactory()])


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    group = factory.SubFactory(GroupFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.MEMBER


class MetricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Metric

    name = factory.Sequence(lambda n: f"Metric {n}")
    unit = "households"


class SolutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Solution

    group = factory.SubFactory(GroupFactory)
    title = factory.Sequence(lambda n: f"Solution {n}")
    slug = factory.Sequence(lambda n: f"solution-{n}")
    challenge_area = factory.SubFactory(ChallengeAreaFactory)
    problem = "Cold homes."
    approach = "Draught-proofing visits."
    why_here = "Old terraces."
    status = Status.PUBLISHED


class SolutionMetricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SolutionMetric

    solution = factory.SubFactory(SolutionFactory)
    metric = factory.SubFactory(MetricFactory)
    target = 100


class UpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Update

    solution = factory.SubFactory(SolutionFactory)
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Update {n}")
    body = "We visited *ten* homes."
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    what_worked = "Tea."


class MetricReadingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MetricReading

    solution_metric = factory.SubFactory(SolutionMetricFactory)
    value = 10
    measured_on = factory.LazyFunction(lambda: dt.date(2026, 1, 1))


def similar_and_different_groups():
    """Two rural Welsh fuel-poverty groups (the second further along) and an urban London youth group,
    each with a solution and a lesson, with peers computed. Returns (mine, twin, far)."""
    from learning.services import rebuild_all_peers

    fuel = ChallengeAreaFactory(name="Fuel poverty", slug="fuel-poverty")
    youth = ChallengeAreaFactory(name="Youth", slug="youth")
    rural = dict(area_kind="rural", region="wales", areas=[fuel], summary="Draughty homes of older residents.")
    mine = GroupFactory(name="Llanidloes Warm Homes", deprivation_decile=3, population=3000, **rural)
    twin = GroupFactory(name="Rhayader Warm Homes", deprivation_decile=2, population=2500, **rural)
    far = GroupFactory(
        name="Hackney Youth Boxing",
        area_kind="urban",
        deprivation_decile=9,
        population=90000,
        region="london",
        areas=[youth],
        summary="Boxing for teenagers.",
    )
    for group, area, stage in ((mine, fuel, "idea"), (twin, fuel, "completed"), (far, youth, "pilot")):
        solution = SolutionFactory(group=group, challenge_area=area, stage=stage)
        UpdateFactory(solution=solution, what_worked=f"{group.name}: tea with every visit.")
    rebuild_all_peers()
    return mine, twin, far
