"""Reads for solutions, updates and metrics."""

from django.db.models import Count, F, Prefetch, Q, QuerySet

from groups.models import ChallengeArea, Group

from .models import MetricReading, Solution, SolutionMetric, Status, Update


def published_solutions() -> QuerySet[Solution]:
    return Solution.objects.filter(status=Status.PUBLISHED).select_related("group", "challenge_area")


def solutions_for_group(*, group: Group, include_drafts: bool) -> QuerySet[Solution]:
    solutions = group.solutions.select_related("challenge_area").prefetch_related("approach_tags")
    return solutions if include_drafts else solutions.filter(status=Status.PUBLISHED)


def solution_detail(*, group_slug: str, slug: str) -> QuerySet[Solution]:
    return (
        Solution.objects.filter(group__slug=group_slug, slug=slug)
        .select_related("group", "challenge_area")
        .prefetch_related(
            "approach_tags",
            Prefetch(
                "solution_metrics",
                queryset=SolutionMetric.objects.select_related("metric")
                .order_by("metric__name", "pk")
                .prefetch_related(
                    Prefetch("readings", queryset=MetricReading.objects.order_by("measured_on", "created_at"))
                ),
            ),
        )
    )


def published_updates() -> QuerySet[Update]:
    return Update.objects.filter(status=Status.PUBLISHED, solution__status=Status.PUBLISHED).select_related(
        "solution__group", "author"
    )


def recent_published_updates(*, limit: int) -> list[Update]:
    return list(published_updates().order_by("-published_at")[:limit])


def lessons() -> QuerySet[Update]:
    """Published updates that carry at least one lesson learned."""
    return published_updates().filter(~Q(what_worked="") | ~Q(what_didnt="") | ~Q(do_differently=""))


def home_page_figures() -> dict:
    """Counts shown on the home page, in one query per table."""
    return {
        "groups": Group.objects.count(),
        "solutions": Solution.objects.filter(status=Status.PUBLISHED).count(),
        "updates": Update.objects.filter(status=Status.PUBLISHED).count(),
    }


def challenge_area_summary() -> QuerySet:
    return ChallengeArea.objects.annotate(
        solution_count=Count("solutions", filter=Q(solutions__status=Status.PUBLISHED), distinct=True),
        group_count=Count("groups", distinct=True),
    ).order_by("name")


def updates_for_solution(*, solution: Solution, include_drafts: bool) -> list[Update]:
    """The solution's updates for its timeline, newest first (drafts, not yet dated, on top), in one query."""
    updates = solution.updates.select_related("author").order_by(
        F("published_at").desc(nulls_first=True), "-created_at", "-pk"
    )
    if not include_drafts:
        updates = updates.filter(status=Status.PUBLISHED)
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
