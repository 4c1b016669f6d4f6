"""Reads for funder challenges, entries and reviews. Each returns what its page needs in a fixed
number of queries, whatever the number of entries.

Public lists and counts leave out entries the moderators have hidden, and entries whose solution or
group they have hidden. The funder's review list keeps them (the funder moderates its entries), marked.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    Count,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
)

from ..models import (
    Answer,
    Award,
    Challenge,
    ChallengeStage,
    Entry,
    EntryStatus,
    Funder,
    Metric,
    MetricReading,
    PublishEntries,
    Score,
    StageChange,
)
from ..selectors import solution_visible
from .permissions import SHORTLISTED_AND_LATER


def entry_visible(prefix: str = "", *, solution: str | None = None) -> Q:
    """Entries anyone may see: neither the entry, its solution nor its group is hidden. `prefix` reaches the
    entry; `solution`, if given, reaches its solution another way (spares joining back through the entry)."""
    solution = f"{prefix}solution__" if solution is None else solution
    return Q(**{f"{prefix}hidden_at__isnull": True}) & solution_visible(solution)


# The number of entries shown on a challenge's card: hidden entries are not counted.
_ENTRY_COUNT = Count("entries", filter=Q(entries__hidden_at__isnull=True))


def visible_challenges() -> QuerySet[Challenge]:
    """Challenges past their draft, newest first, with their funder, areas and number of entries."""
    return (
        Challenge.objects.exclude(stage=ChallengeStage.DRAFT)
        .select_related("funder")
        .prefetch_related("challenge_areas")
        .annotate(entry_count=_ENTRY_COUNT)
        .order_by("-created_at", "-pk")
    )


def open_and_recent_challenges(*, limit: int) -> tuple[list[Challenge], list[Challenge]]:
    """(open challenges, other recent challenges past their draft), in two queries plus prefetches."""
    base = visible_challenges()
    open_ = list(base.filter(stage=ChallengeStage.OPEN)[:limit])
    recent = list(base.exclude(stage=ChallengeStage.OPEN)[:limit])
    return open_, recent


def challenges_of_funder(*, funder: Funder, include_drafts: bool) -> QuerySet[Challenge]:
    challenges = funder.challenges.prefetch_related("challenge_areas").annotate(entry_count=_ENTRY_COUNT)
    return challenges if include_drafts else challenges.exclude(stage=ChallengeStage.DRAFT)


def challenge_detail(*, slug: str) -> QuerySet[Challenge]:
    return (
        Challenge.objects.filter(slug=slug)
        .select_related("funder")
        .prefetch_related(
            "challenge_areas",
            "criteria",
            "questions",
            Prefetch("stage_changes", queryset=StageChange.objects.select_related("changed_by")),
        )
    )


def challenge_by_slug(*, slug: str) -> QuerySet[Challenge]:
    return Challenge.objects.filter(slug=slug).select_related("funder")


def public_entries(*, challenge: Challenge) -> QuerySet[Entry]:
    """The entries anyone may see on the challenge page, winners first; none hidden by the moderators."""
    entries = challenge.entries.filter(entry_visible()).select_related("solution__group", "solution__challenge_area")
    if challenge.stage == ChallengeStage.DRAFT:
        return entries.none()
    if challenge.publish_entries != PublishEntries.ALL:
        entries = entries.filter(status__in=SHORTLISTED_AND_LATER)
    return entries.order_by(_status_rank(), "solution__group__name", "pk")


def _public_entry() -> Q:
    """Entries anyone may see, as a filter on awards: the challenge is past its draft, the entry is published
    by the challenge's rule ("all", or shortlisted and later) and neither it, its solution nor its group is
    hidden. The same rules as `public_entries` and `permissions.is_entry_public`."""
    published = Q(entry__challenge__publish_entries=PublishEntries.ALL) | Q(entry__status__in=SHORTLISTED_AND_LATER)
    return ~Q(entry__challenge__stage=ChallengeStage.DRAFT) & published & entry_visible("entry__")


def public_awards() -> QuerySet[Award]:
    """Every award anyone may see, oldest first (date awarded, then id): those of entries the public sees on
    their challenge's page, never of a draft challenge or of a hidden entry, solution or group. With the entry,
    its solution and group, and the challenge and its funder (no query per award)."""
    return (
        Award.objects.filter(_public_entry())
        .select_related("entry__solution__group", "entry__challenge__funder")
        .order_by("awarded_on", "pk")
    )


def public_awards_of(*, challenge: Challenge) -> QuerySet[Award]:
    """`public_awards()` of one challenge."""
    return public_awards().filter(entry__challenge=challenge)


def awards_of_entry(*, entry: Entry) -> list[Award]:
    """All the entry's awards, for its funder (hidden or not), oldest first (one query)."""
    return list(Award.objects.filter(entry=entry).select_related("created_by").order_by("awarded_on", "pk"))


def award_for_funder(*, slug: str, pk: int) -> QuerySet[Award]:
    """The award `pk` of the challenge `slug`, with what its pages show."""
    return Award.objects.filter(pk=pk, entry__challenge__slug=slug).select_related(
        "entry__challenge__funder", "entry__solution__group"
    )


def _status_rank():
    from django.db.models import Case, When

    order = [EntryStatus.WINNER, EntryStatus.FINALIST, EntryStatus.SHORTLISTED, EntryStatus.ENTERED]
    return Case(
        *(When(status=status, then=Value(index)) for index, status in enumerate(order)),
        default=Value(len(order)),
        output_field=IntegerField(),
    )


def entries_of_groups(*, challenge: Challenge, group_ids) -> list[Entry]:
    """The viewer's own groups' entries in this challenge (one query)."""
    if not group_ids:
        return []
    return list(
        challenge.entries.filter(solution__group_id__in=group_ids).select_related("solution__group").order_by("pk")
    )


def entries_for_review(*, challenge: Challenge) -> QuerySet[Entry]:
    """Every entry of the challenge with its solution and group; `ReviewFilter` filters and sorts it.

    The weighted score, number of scores and disagreement are read from the entry's own columns (kept
    up to date by `services.score_entry`), so sorting and filtering by them uses an index.
    """
    return Entry.objects.filter(challenge=challenge).select_related("solution__group", "solution__challenge_area")


def shared_metrics() -> list[Metric]:
    return list(Metric.objects.filter(group=None).order_by("name", "pk"))


def latest_shared_readings(*, solution_ids) -> dict[int, dict[int, object]]:
    """{solution id: {shared metric id: latest value}} for the given solutions, in one query."""
    latest: dict[int, dict[int, object]] = defaultdict(dict)
    rows = (
        MetricReading.objects.filter(solution_metric__solution_id__in=solution_ids, solution_metric__metric__group=None)
        .order_by("measured_on", "created_at", "pk")
        .values_list("solution_metric__solution_id", "solution_metric__metric_id", "value")
    )
    for solution_id, metric_id, value in rows:
        latest[solution_id][metric_id] = value  # later readings overwrite earlier ones
    return latest


def decorate_review_page(entries: list[Entry], metrics: list[Metric], challenge: Challenge) -> None:
    """Attach `.metric_values` (latest reading per shared metric, in `metrics` order) and
    `.metric_results` to each entry of a page: one query, whatever the page size."""
    latest = latest_shared_readings(solution_ids=[entry.solution_id for entry in entries])
    for entry in entries:
        entry.challenge = challenge  # for links, without a query per row
        values = latest.get(entry.solution_id, {})
        entry.metric_values = [values.get(metric.pk) for metric in metrics]
        entry.metric_results = [(metric, values[metric.pk]) for metric in metrics if values.get(metric.pk) is not None]


def entry_detail(*, slug: str, pk: int) -> QuerySet[Entry]:
    return (
        Entry.objects.filter(pk=pk, challenge__slug=slug)
        .select_related("challenge__funder", "solution__group", "solution__challenge_area", "entered_by")
        .prefetch_related(
            Prefetch("challenge__criteria"),
            Prefetch("challenge__questions"),
            Prefetch("answers", queryset=Answer.objects.select_related("question")),
        )
    )


@dataclass
class ReviewerScores:
    reviewer: object
    scores: dict  # criterion id → Score
    weighted: float | None
    cells: list = None  # Score or None per criterion, in the criteria's order


@dataclass
class ScoreSummary:
    reviewers: list[ReviewerScores]
    weighted_score: float | None
    spread: float | None  # highest minus lowest reviewer's weighted score
    mine: dict  # criterion id → Score of the viewing reviewer


def score_summary(*, entry: Entry, criteria, viewer) -> ScoreSummary:
    """Each reviewer's scores and weighted score, their mean, and how far apart they are (one query)."""
    weights = {criterion.pk: criterion.weight for criterion in criteria}
    by_reviewer: dict[int, ReviewerScores] = {}
    for score in Score.objects.filter(entry=entry).select_related("reviewer").order_by("reviewer_id", "criterion_id"):
        row = by_reviewer.setdefault(score.reviewer_id, ReviewerScores(score.reviewer, {}, None))
        row.scores[score.criterion_id] = score
    weighted = []
    pooled_top = pooled_bottom = 0
    for row in by_reviewer.values():
        row.cells = [row.scores.get(criterion.pk) for criterion in criteria]
        top = sum(weights[c] * s.value for c, s in row.scores.items() if c in weights)
        bottom = sum(weights[c] for c in row.scores if c in weights)
        row.weighted = top / bottom if bottom else None
        pooled_top, pooled_bottom = pooled_top + top, pooled_bottom + bottom
        if row.weighted is not None:
            weighted.append(row.weighted)
    mine = by_reviewer[viewer.pk].scores if viewer.pk in by_reviewer else {}
    return ScoreSummary(
        reviewers=list(by_reviewer.values()),
        weighted_score=pooled_top / pooled_bottom if pooled_bottom else None,
        spread=(max(weighted) - min(weighted)) if len(weighted) > 1 else None,
        mine=mine,
    )


def normalised_weights(criteria) -> list[tuple[object, float]]:
    """(criterion, share of the total weight in per cent), for showing weights as percentages."""
    criteria = list(criteria)
    total = sum(criterion.weight for criterion in criteria) or 1
    return [(criterion, round(100 * criterion.weight / total, 1)) for criterion in criteria]
