"""Reads for solutions, updates and metrics.

Public lists leave out what the moderators have hidden (`hidden_at`, see core.hiding): a hidden
group hides its solutions and their updates, a hidden solution its updates, a hidden update the
readings it recorded. The conditions are built here once (`solution_visible`, `reading_visible`) for
every list, count and dashboard that needs them. Detail selectors return hidden items too; the views
decide who sees them.
"""

import datetime as dt
import functools
from decimal import Decimal

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from core.db import LinkedValues, RowJSON
from core.markdown import rendered_fields
from groups.models import ChallengeArea, Group

from .charts import Reading
from .models import MetricReading, Solution, SolutionMetric, Status, Update


def hidden_group_ids() -> QuerySet:
    """A subquery: the ids of the groups the moderators have hidden."""
    return Group.objects.filter(hidden_at__isnull=False).values("pk")


def solution_visible(prefix: str = "") -> Q:
    """Neither the solution (reached by `prefix`) nor its group is hidden.

    The group test is an anti-join (NOT EXISTS) on the group's primary key, answered from the small index
    of hidden groups: no join of the group table, for a short page or for a count.
    """
    hidden_group = Group.objects.filter(pk=OuterRef(f"{prefix}group_id"), hidden_at__isnull=False)
    return Q(**{f"{prefix}hidden_at__isnull": True}) & ~Exists(hidden_group)


def reading_visible(prefix: str = "") -> Q:
    """The metric reading (reached by `prefix`) was not recorded by an update the moderators hid.

    A small subquery (hidden updates are few) rather than a join of every reading to its update; readings
    entered without an update pass. A solution page's readings apply the same rule in SQL written out
    (`_ShownReadings`); tests/challenges/test_shown_readings.py checks the page against this rule.
    """
    return ~Q(**{f"{prefix}update__in": Update.objects.filter(hidden_at__isnull=False).values("pk")})


# The long texts of a solution and of a group, with their HTML: only their own pages show them, so lists
# (and rows joined to them) leave them unread. A list's card shows the approach, cut short.
SOLUTION_LONG_TEXTS = tuple(name for field in rendered_fields(Solution) for name in (field.source, field.attname))
SOLUTION_CARD_LEAVES_OUT = tuple(name for name in SOLUTION_LONG_TEXTS if name != "approach")
GROUP_LONG_TEXTS = ("description", "about_html")


def published_solutions() -> QuerySet[Solution]:
    """Published solutions the moderators have not hidden, of groups they have not hidden."""
    return Solution.objects.filter(solution_visible(), status=Status.PUBLISHED).select_related(
        "group", "challenge_area"
    )


def solutions_for_group(*, group: Group, include_drafts: bool) -> QuerySet[Solution]:
    """The group's solutions for its page. `include_drafts` is for the people who run the group: they also
    see drafts and hidden solutions (marked so); others see the published, visible ones."""
    # Only what the list shows (the long texts are for the solution's own page).
    solutions = group.solutions.select_related("challenge_area").only(
        "group", "title", "slug", "stage", "status", "hidden_at", "challenge_area__name", "challenge_area__name_cy"
    )
    return solutions if include_drafts else solutions.filter(status=Status.PUBLISHED, hidden_at__isnull=True)


def metrics_with_readings() -> Prefetch:
    """Prefetch a solution's metrics (by name) with their targets and readings (oldest first): two queries."""
    return Prefetch(
        "solution_metrics",
        queryset=SolutionMetric.objects.select_related("metric")
        .order_by("metric__name", "pk")
        .prefetch_related(
            Prefetch(
                "readings",
                # Readings recorded by an update the moderators hid are not shown with the rest.
                queryset=MetricReading.objects.filter(reading_visible()).order_by("measured_on", "created_at", "pk"),
            )
        ),
    )


def with_tag_names(queryset: QuerySet[Solution]) -> QuerySet[Solution]:
    """Solutions with the names of their approach tags read in the same query (`Solution.tag_names`, by
    name): what the solution page and the list's cards show of them, without a query of their own."""
    return queryset.annotate(approach_tag_names=LinkedValues(Solution.approach_tags, "name"))


def solution_detail(*, group_slug: str, slug: str) -> QuerySet[Solution]:
    """The solution with its group, challenge area and tags' names; its page reads its metrics with
    `metrics_for_page`."""
    return with_tag_names(Solution.objects.filter(group__slug=group_slug, slug=slug)).select_related(
        "group", "challenge_area"
    )


class _ShownReadings(RowJSON):
    """A solution metric's readings as a JSON array of {"day", "value"}, oldest first (as entered, within a
    day), leaving out those of an update the moderators hid, as `reading_visible` does; read in the metric's
    own query (a correlated subquery written out, as core.db.LinkedValues). Values as text: exact."""

    def as_sql(self, compiler, connection, **extra_context):
        quote = connection.ops.quote_name
        reading, update = MetricReading._meta, Update._meta
        column = functools.partial(self.column, connection)

        # Only names from the models: nothing from outside. A reading entered without an update passes.
        updates, reading_update = quote(update.db_table), column(reading, "update")
        hidden_update = f"SELECT 1 FROM {updates} u WHERE u.{quote(update.pk.column)} = r.{reading_update}"  # noqa: S608
        hidden_update += f" AND u.{column(update, 'hidden_at')} IS NOT NULL"
        source = (
            f"FROM {quote(reading.db_table)} r WHERE r.{column(reading, 'solution_metric')} = %(expressions)s"
            f" AND NOT EXISTS ({hidden_update})"
        )
        values = {"day": f"r.{column(reading, 'measured_on')}", "value": f"CAST(r.{column(reading, 'value')} AS TEXT)"}
        order = f"r.{column(reading, 'measured_on')}, r.{column(reading, 'created_at')}, r.{quote(reading.pk.column)}"
        template = self.json_array(connection, values, source, order)
        return super().as_sql(compiler, connection, template=template, **extra_context)


_READING_PLACES = Decimal(1).scaleb(-MetricReading._meta.get_field("value").decimal_places)


def metrics_for_page(*, solution: Solution) -> list[SolutionMetric]:
    """The solution's metrics (by name) with their targets, each with `shown_readings` (charts.Reading): its
    readings oldest first, except those recorded by an update the moderators hid.

    One query: the readings come with each metric as JSON (`_ShownReadings`). Prefetching them took 2.3 of a
    solution page's 10 ms at 100,000 groups; a second plain query for them about 0.5 ms more than this.
    """
    metrics = list(
        SolutionMetric.objects.filter(solution=solution)
        .select_related("metric")
        .annotate(readings_json=_ShownReadings())
        .order_by("metric__name", "pk")
    )
    for metric in metrics:
        metric.shown_readings = [
            Reading(dt.date.fromisoformat(item["day"]), Decimal(item["value"]).quantize(_READING_PLACES))
            for item in metric.readings_json
        ]
    return metrics


def published_updates() -> QuerySet[Update]:
    """Published updates of published solutions, none of update, solution or group hidden; group joined."""
    return (
        Update.objects.filter(
            solution_visible("solution__"),
            status=Status.PUBLISHED,
            solution__status=Status.PUBLISHED,
            hidden_at__isnull=True,
        )
        .select_related("solution__group", "author")
        .defer(
            *(f"solution__{name}" for name in SOLUTION_LONG_TEXTS),
            *(f"solution__group__{name}" for name in GROUP_LONG_TEXTS),
        )
    )


def recent_published_updates(*, limit: int) -> list[Update]:
    return list(published_updates().order_by("-published_at")[:limit])


def lessons() -> QuerySet[Update]:
    """Published updates that carry at least one lesson learned."""
    return published_updates().filter(~Q(what_worked="") | ~Q(what_didnt="") | ~Q(do_differently=""))


def home_page_figures() -> dict:
    """Counts shown on the home page, of what the public can see (nothing hidden): one query each."""
    return {
        "groups": Group.objects.visible().count(),
        "solutions": Solution.objects.filter(solution_visible(), status=Status.PUBLISHED).count(),
        "updates": Update.objects.filter(
            solution_visible("solution__"), status=Status.PUBLISHED, hidden_at__isnull=True
        ).count(),
    }


def challenge_area_summary() -> QuerySet:
    """Each challenge area with how many visible published solutions and visible groups work on it.

    Each count is a subquery per area (a handful of areas), not a join of every solution to every group.
    """

    def per_area(rows, area_field):
        counted = rows.filter(**{area_field: OuterRef("pk")}).order_by().values(area_field).annotate(n=Count("*"))
        return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), 0)

    solutions = Solution.objects.filter(solution_visible(), status=Status.PUBLISHED)
    memberships = Group.challenge_areas.through.objects.exclude(group_id__in=hidden_group_ids())
    return ChallengeArea.objects.annotate(
        solution_count=per_area(solutions, "challenge_area_id"),
        group_count=per_area(memberships, "challengearea_id"),
    ).order_by("name")


def updates_for_solution(*, solution: Solution, include_drafts: bool) -> list[Update]:
    """The solution's updates for its timeline, newest first (drafts, not yet dated, on top), in one query.

    `include_drafts` is for the people who run the group: they also see drafts and hidden updates (marked
    so); others see the published, visible ones.
    """
    updates = solution.updates.select_related("author").order_by(
        F("published_at").desc(nulls_first=True), "-created_at", "-pk"
    )
    if not include_drafts:
        updates = updates.filter(status=Status.PUBLISHED, hidden_at__isnull=True)
    return list(updates)


def solution_for_editing(*, group_slug: str, slug: str) -> QuerySet[Solution]:
    """The solution with its group, tags and metrics, as the edit and update forms need them."""
    return (
        Solution.objects.filter(group__slug=group_slug, slug=slug)
        .select_related("group", "challenge_area")
        .prefetch_related(
            "approach_tags",
            Prefetch(
                "solution_metrics", queryset=SolutionMetric.objects.select_related("metric").order_by("metric__name")
            ),
        )
    )


def metrics_of_solution(*, solution: Solution) -> QuerySet[SolutionMetric]:
    """The solution's metrics with their names, in name order (one query)."""
    return solution.solution_metrics.select_related("metric").order_by("metric__name", "pk")


def update_detail(*, group_slug: str, slug: str, pk: int) -> QuerySet[Update]:
    """One update with its solution, group, author, images and the readings it recorded."""
    return (
        Update.objects.filter(pk=pk, solution__slug=slug, solution__group__slug=group_slug)
        .select_related("solution__group", "author")
        .prefetch_related(
            "images",
            Prefetch(
                "readings",
                queryset=MetricReading.objects.select_related("solution_metric__metric").order_by(
                    "solution_metric__metric__name", "measured_on"
                ),
            ),
        )
    )


def updates_for_feed(*, group: Group | None = None, limit: int = 50) -> list[Update]:
    """The newest published updates of published solutions (of one group, if given), in one query."""
    updates = published_updates()
    if group is not None:
        updates = updates.filter(solution__group=group)
    return list(updates.order_by("-published_at", "-pk")[:limit])
