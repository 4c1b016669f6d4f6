"""The features the matcher reads of each group: its context, texts, tags and progress.

What the moderators have hidden is not matched: a hidden group is not read, and a hidden solution or update
adds nothing to its group's text, tags or progress.
"""

from django.db.models import Count, Max, Min

from challenges.models import MetricReading, Solution, SolutionMetric, Status, Update
from challenges.selectors import reading_visible
from groups.models import AreaKind, Group, Region

from ..matching.features import STAGES, GroupFeatures, english_labels

_STAGE_INDEX = {stage: i for i, stage in enumerate(STAGES)}


def load_features(group_ids=None):
    """GroupFeatures (with text, without terms) of the given groups, or of all; 7 queries.

    Hidden groups are left out, and hidden solutions and updates (and what hangs off them) add nothing.
    Rows of hidden groups' solutions are skipped here rather than joined away: hidden groups are few.
    """

    def scoped(queryset, field):
        return queryset if group_ids is None else queryset.filter(**{f"{field}__in": group_ids})

    features, by_id = [], {}
    # Stored (in the facts and the reasons) in English whatever the language: shown translated.
    area_labels, region_labels = english_labels(AreaKind), english_labels(Region)
    rows = scoped(Group.objects.visible().order_by("pk"), "pk").values_list(
        "pk", "area_kind", "deprivation_decile", "population", "region", "summary", "description"
    )
    texts = {}
    for pk, kind, decile, population, region, summary, description in rows.iterator(chunk_size=5000):
        feature = GroupFeatures(
            id=pk,
            area_kind=kind,
            deprivation_decile=decile,
            population=population,
            region=region,
            area_label=area_labels.get(kind, ""),
            region_label=region_labels.get(region, ""),
        )
        features.append(feature)
        by_id[pk] = feature
        texts[pk] = [summary, description]
    if not features:
        return []

    through = Group.challenge_areas.through.objects
    for group_id, area_id, name in scoped(through, "group_id").values_list(
        "group_id", "challengearea_id", "challengearea__name"
    ):
        if group_id in by_id:
            by_id[group_id].challenges[area_id] = name

    published = Solution.objects.filter(status=Status.PUBLISHED, hidden_at__isnull=True)
    for group_id, stage, problem, approach, why_here in scoped(published, "group_id").values_list(
        "group_id", "stage", "problem", "approach", "why_here"
    ):
        if group_id not in by_id:
            continue
        texts[group_id] += [problem, approach, why_here]
        progress = by_id[group_id].progress
        progress.stage = max(progress.stage, _STAGE_INDEX.get(stage, 0))

    tags = Solution.approach_tags.through.objects.filter(
        solution__status=Status.PUBLISHED, solution__hidden_at__isnull=True
    )
    for group_id, tag_id, name in scoped(tags, "solution__group_id").values_list(
        "solution__group_id", "approachtag_id", "approachtag__name"
    ):
        if group_id in by_id:
            by_id[group_id].tags[tag_id] = name

    updates = Update.objects.filter(
        status=Status.PUBLISHED,
        published_at__isnull=False,
        hidden_at__isnull=True,
        solution__status=Status.PUBLISHED,
        solution__hidden_at__isnull=True,
    )
    for row in (
        scoped(updates, "solution__group_id")
        .values("solution__group_id")
        .annotate(n=Count("id"), first=Min("published_at"), last=Max("published_at"))
        .order_by()
    ):
        if row["solution__group_id"] not in by_id:
            continue
        progress = by_id[row["solution__group_id"]].progress
        progress.updates = row["n"]
        progress.months = (row["last"] - row["first"]).days / 30.44

    _add_metric_progress(by_id, scoped)
    for feature in features:
        feature.text = "\n".join(part for part in texts[feature.id] if part)
    return features


def _add_metric_progress(by_id, scoped):
    """Share of the way from each metric's first reading to its target, per group (readings recorded by a
    hidden update do not count; nor do hidden solutions' metrics)."""
    metrics = SolutionMetric.objects.filter(
        solution__status=Status.PUBLISHED, solution__hidden_at__isnull=True, target__isnull=False
    )
    metric_group = dict(scoped(metrics, "solution__group_id").values_list("id", "solution__group_id"))
    targets = dict(scoped(metrics, "solution__group_id").values_list("id", "target"))
    readings = (
        MetricReading.objects.filter(
            solution_metric__solution__status=Status.PUBLISHED,
            solution_metric__solution__hidden_at__isnull=True,
            solution_metric__target__isnull=False,
        )
        .filter(reading_visible())
        .order_by("solution_metric_id", "measured_on", "created_at")
    )
    first, last = {}, {}
    for metric_id, value in scoped(readings, "solution_metric__solution__group_id").values_list(
        "solution_metric_id", "value"
    ):
        first.setdefault(metric_id, value)
        last[metric_id] = value
    shares = {}
    for metric_id, start in first.items():
        if metric_id not in metric_group:
            continue
        gap = float(targets[metric_id]) - float(start)
        moved = float(last[metric_id]) - float(start)
        share = 0.0 if gap == 0 else min(1.0, max(0.0, moved / gap))
        shares.setdefault(metric_group[metric_id], []).append(share)
    for group_id, values in shares.items():
        if group_id not in by_id:
            continue
        progress = by_id[group_id].progress
        progress.metrics_total = len(values)
        progress.metrics_moving = sum(1 for v in values if v > 0)
        progress.metrics_progress = sum(values) / len(values)
