"""The rules the services keep, called directly."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from challenges import selectors, services
from challenges.models import ApproachTag, Metric, MetricReading, SolutionMetric, Status
from core.refusals import StaleEdit
from groups.images import process_image
from tests.factories import (
    GroupFactory,
    MetricFactory,
    MetricReadingFactory,
    SolutionFactory,
    SolutionMetricFactory,
    UpdateFactory,
    UserFactory,
)

from .conftest import png_upload

pytestmark = pytest.mark.django_db


def solution_fields(area, **overrides):
    fields = dict(
        title="Warm homes",
        challenge_area=area,
        problem="Cold homes.",
        approach="Draught-proofing.",
        why_here="Old terraces.",
        stage="pilot",
        status=Status.PUBLISHED,
    )
    fields.update(overrides)
    return fields


def test_create_solution_with_unique_slug_tags_and_metrics(group, area, shared_metric):
    ApproachTag.objects.create(name="Community energy", slug="community-energy")
    first = services.create_solution(group=group, **solution_fields(area))
    second = services.create_solution(
        group=group,
        **solution_fields(area),
        tags=["  community   energy ", "Street visits"],
        metric_targets={shared_metric.pk: Decimal("100")},
        new_metrics=[services.NewMetric(name="Volunteers", unit="people", target=None)],
    )
    assert first.slug == "warm-homes"
    assert second.slug == "warm-homes-2"
    assert sorted(tag.name for tag in second.approach_tags.all()) == ["Community energy", "Street visits"]
    assert ApproachTag.objects.count() == 2  # the existing tag was reused, matched without letter case
    targets = {sm.metric.name: sm.target for sm in second.solution_metrics.select_related("metric")}
    assert targets == {"Homes insulated": Decimal("100"), "Volunteers": None}
    assert Metric.objects.get(name="Volunteers").group == group


def test_slug_in_another_group_is_free_and_reserved_words_are_avoided(area):
    one, other = GroupFactory(), GroupFactory()
    services.create_solution(group=one, **solution_fields(area))
    assert services.create_solution(group=other, **solution_fields(area)).slug == "warm-homes"
    assert services.create_solution(group=one, **solution_fields(area, title="New")).slug == "new-2"


def test_tag_names_are_checked():
    assert services.clean_tag_names(" a , A,,b ") == ["a", "b"]
    with pytest.raises(ValidationError, match="at most 60 characters"):
        services.clean_tag_names("x" * 61)
    with pytest.raises(ValidationError, match="at most 10 tags"):
        services.clean_tag_names(",".join(f"tag {n}" for n in range(11)))
    with pytest.raises(ValidationError, match="letter or digit"):
        services.clean_tag_names("!!!")


def test_metrics_of_another_group_are_refused(group, area):
    foreign = MetricFactory(group=GroupFactory())
    with pytest.raises(ValidationError, match="shared list"):
        services.create_solution(group=group, **solution_fields(area), metric_targets={foreign.pk: None})
    assert not group.solutions.exists()


def test_at_most_three_own_metrics(group, area):
    new = [services.NewMetric(name=f"Own {n}", unit="things") for n in range(4)]
    with pytest.raises(ValidationError, match="at most 3"):
        services.create_solution(group=group, **solution_fields(area), new_metrics=new)
    assert not group.solutions.exists()  # the whole save was rolled back


def test_edit_changes_fields_targets_and_bumps_version(solution, area, shared_metric):
    SolutionMetricFactory(solution=solution, metric=shared_metric, target=10)
    edited = services.edit_solution(
        solution=solution,
        based_on_version=1,
        **solution_fields(area, title="Warmer homes"),
        metric_targets={shared_metric.pk: Decimal("20")},
    )
    edited.refresh_from_db()
    assert edited.title == "Warmer homes" and edited.slug == "warm-homes"  # links keep working
    assert edited.version == 2
    assert SolutionMetric.objects.get(solution=solution).target == Decimal("20")


def test_stale_edit_is_refused_and_nothing_changes(solution, area):
    services.edit_solution(solution=solution, based_on_version=1, **solution_fields(area, title="First save"))
    with pytest.raises(StaleEdit) as refused:
        services.edit_solution(solution=solution, based_on_version=1, **solution_fields(area, title="Second save"))
    assert refused.value.current == 2 and refused.value.status == 409
    solution.refresh_from_db()
    assert solution.title == "First save" and solution.version == 2


def test_metric_with_readings_cannot_be_removed(solution, area):
    kept = SolutionMetricFactory(solution=solution)
    unused = SolutionMetricFactory(solution=solution)
    MetricReadingFactory(solution_metric=kept)
    with pytest.raises(services.MetricInUse) as refused:
        services.edit_solution(solution=solution, based_on_version=1, **solution_fields(area), metric_targets={})
    assert refused.value.metrics == [kept.metric]
    assert SolutionMetric.objects.filter(solution=solution).count() == 2  # nothing removed
    assert MetricReading.objects.count() == 1
    # A metric without readings can go.
    services.edit_solution(
        solution=solution, based_on_version=1, **solution_fields(area), metric_targets={kept.metric_id: None}
    )
    assert list(solution.solution_metrics.values_list("pk", flat=True)) == [kept.pk]
    assert not SolutionMetric.objects.filter(pk=unused.pk).exists()


def test_update_with_readings_images_and_lessons(solution):
    metric = SolutionMetricFactory(solution=solution)
    author = UserFactory()
    update = services.create_update(
        solution=solution,
        author=author,
        title="Forty homes",
        body="Done.",
        status=Status.PUBLISHED,
        what_worked="Tea and biscuits.",
        readings={metric.pk: services.ReadingInput(value=Decimal("40"), measured_on=dt.date(2026, 1, 5))},
        images=[services.NewImage(file=process_image(png_upload()), alt_text="Volunteers on a doorstep")],
    )
    assert update.published_at is not None
    assert update.has_lessons
    reading = update.readings.get()
    assert (reading.value, reading.measured_on, reading.solution_metric) == (
        Decimal("40"),
        dt.date(2026, 1, 5),
        metric,
    )
    assert update.images.get().alt_text == "Volunteers on a doorstep"


def test_draft_update_has_no_publication_date_until_published(solution):
    update = services.create_update(
        solution=solution, author=UserFactory(), title="Draft", body="x", status=Status.DRAFT
    )
    assert update.published_at is None
    services.edit_update(update=update, title="Now out", body="x", status=Status.PUBLISHED)
    first_published = update.published_at
    assert first_published is not None
    services.edit_update(update=update, title="Back to draft", body="x", status=Status.DRAFT)
    services.edit_update(update=update, title="Out again", body="x", status=Status.PUBLISHED)
    assert update.published_at == first_published


def test_future_reading_and_foreign_metric_are_refused(solution):
    other = SolutionMetricFactory()
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    own = SolutionMetricFactory(solution=solution)
    with pytest.raises(ValidationError, match="future"):
        services.create_update(
            solution=solution,
            author=UserFactory(),
            title="t",
            body="b",
            readings={own.pk: services.ReadingInput(value=Decimal(1), measured_on=tomorrow)},
        )
    with pytest.raises(ValidationError, match="this solution's metrics"):
        services.create_update(
            solution=solution,
            author=UserFactory(),
            title="t",
            body="b",
            readings={other.pk: services.ReadingInput(value=Decimal(1), measured_on=dt.date(2026, 1, 1))},
        )
    assert not solution.updates.exists()


def test_editing_an_update_replaces_its_readings(solution):
    metric = SolutionMetricFactory(solution=solution)
    update = UpdateFactory(solution=solution)
    MetricReadingFactory(solution_metric=metric, update=update, value=5)
    services.edit_update(
        update=update,
        title="t",
        body="b",
        status=Status.PUBLISHED,
        readings={metric.pk: services.ReadingInput(value=Decimal(7), measured_on=dt.date(2026, 2, 1))},
    )
    assert list(update.readings.values_list("value", flat=True)) == [Decimal("7.00")]
    assert MetricReading.objects.count() == 1


def test_published_updates_of_draft_solutions_stay_out_of_public_selectors(group):
    draft_solution = SolutionFactory(group=group, status=Status.DRAFT)
    hidden = UpdateFactory(solution=draft_solution)
    draft = UpdateFactory(status=Status.DRAFT, published_at=None)
    public = UpdateFactory()
    feed = selectors.updates_for_feed()
    assert public in feed and hidden not in feed and draft not in feed
