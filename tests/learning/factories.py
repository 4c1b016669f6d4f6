"""Builders for the learning tests: groups with a solution, tags and text in one call."""

import datetime as dt

import factory
from django.utils import timezone

from challenges.models import ApproachTag
from tests.factories import (
    ChallengeAreaFactory,
    GroupFactory,
    MetricReadingFactory,
    SolutionFactory,
    SolutionMetricFactory,
    UpdateFactory,
)


class ApproachTagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApproachTag
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Approach {n}")
    slug = factory.Sequence(lambda n: f"approach-{n}")


def area(slug):
    return ChallengeAreaFactory(slug=slug, name=slug.replace("-", " ").capitalize())


def tag(slug):
    return ApproachTagFactory(slug=slug, name=slug.replace("-", " ").capitalize())


def local_group(
    *,
    kind,
    decile,
    population,
    region="south_west",
    challenge,
    tags=(),
    text="",
    stage="idea",
    updates=0,
    months=0,
    metric_share=None,
    **fields,
):
    """A group with one published solution about `challenge`, whose texts are `text`."""
    group = GroupFactory(
        area_kind=kind,
        deprivation_decile=decile,
        population=population,
        region=region,
        summary=text[:280],
        description="",
        areas=[area(challenge)],
        **fields,
    )
    solution = SolutionFactory(
        group=group, challenge_area=area(challenge), problem=text, approach="", why_here="", stage=stage
    )
    solution.approach_tags.set([tag(t) for t in tags])
    start = timezone.now() - dt.timedelta(days=30.44 * months)
    for i in range(updates):
        UpdateFactory(solution=solution, published_at=start + (timezone.now() - start) * (i / max(1, updates - 1)))
    if metric_share is not None:
        measure = SolutionMetricFactory(solution=solution, target=100)
        MetricReadingFactory(solution_metric=measure, value=0, measured_on=dt.date(2026, 1, 1))
        MetricReadingFactory(solution_metric=measure, value=100 * metric_share, measured_on=dt.date(2026, 6, 1))
    return group


FUEL_POVERTY = "Older residents live in draughty homes and cannot afford heating; we fit draught excluders."
FUEL_POVERTY_2 = "Many older residents in draughty homes face winter fuel bills; volunteers give energy advice."
YOUTH = "Young people have nowhere to go at night, so we run a youth club with football and music."
YOUTH_2 = "Teenagers hang around the precinct; a youth club with music sessions gives them somewhere to go."
