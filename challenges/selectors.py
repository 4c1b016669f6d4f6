"""Reads for solutions, updates and metrics."""

from django.db.models import Count, Prefetch, Q, QuerySet

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
                queryset=SolutionMetric.objects.select_related("metric").prefetch_related(
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
