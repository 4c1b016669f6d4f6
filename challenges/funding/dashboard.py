"""The collective impact of a challenge's entries: shared metrics added up over time, where entries
are, how varied their approaches are, and where entries are missing. A fixed number of queries.

What the moderators have hidden counts for nothing here: an entry that is hidden, or whose solution or
group is, and readings recorded by a hidden update.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from groups.models import AreaKind, Region

from ..charts import Reading, metric_charts
from ..models import Entry, Metric, MetricReading, Solution
from ..selectors import reading_visible
from .permissions import SHORTLISTED_AND_LATER
from .selectors import entry_visible

MAP_LIMIT = 1000
DEPRIVATION_BANDS = [
    ((1, 2), gettext_lazy("1–2 (most deprived fifth)")),
    ((3, 4), "3–4"),
    ((5, 6), "5–6"),
    ((7, 8), "7–8"),
    ((9, 10), gettext_lazy("9–10 (least deprived fifth)")),
]


@dataclass
class MetricImpact:
    metric: Metric
    total: Decimal  # the sum of every entry's latest reading
    solutions: int  # how many entries report it
    trend: list[Reading] = field(default_factory=list)  # the total as it stood at the end of each month
    chart: str = ""


def _month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def metric_impacts(*, challenge) -> list[MetricImpact]:
    """For each shared metric reported by an entry: the total of the latest readings, and how that
    total grew month by month (each entry counts with its latest reading up to that month)."""
    metrics = {metric.pk: metric for metric in Metric.objects.filter(group=None).order_by("name")}
    rows = (
        MetricReading.objects.filter(
            entry_visible("solution_metric__solution__entries__", solution="solution_metric__solution__"),
            solution_metric__solution__entries__challenge=challenge,
            solution_metric__metric__group=None,
        )
        .filter(reading_visible())
        .order_by("measured_on", "created_at", "pk")
        .values_list("solution_metric__metric_id", "solution_metric_id", "measured_on", "value")
    )
    latest: dict[int, dict[int, Decimal]] = defaultdict(dict)
    trend: dict[int, dict[dt.date, Decimal]] = defaultdict(dict)
    for metric_id, solution_metric_id, measured_on, value in rows:
        latest[metric_id][solution_metric_id] = value
        trend[metric_id][_month_end(measured_on)] = sum(latest[metric_id].values(), Decimal(0))
    impacts = []
    for metric_id, metric in metrics.items():
        if metric_id not in latest:
            continue
        points = [Reading(day, total) for day, total in sorted(trend[metric_id].items())]
        impact = MetricImpact(
            metric=metric,
            total=sum(latest[metric_id].values(), Decimal(0)),
            solutions=len(latest[metric_id]),
            trend=points,
        )
        impact.chart = metric_charts(
            readings=points,
            target=None,
            # Translators: the title of a chart of a metric's total, e.g. "Total homes insulated".
            name=_("Total %(metric)s") % {"metric": _in_sentence(metric.name)},
            unit=metric.unit,
            chart_id=f"impact-{metric_id}",
        )
        impacts.append(impact)
    return impacts


def _in_sentence(name: str) -> str:
    """A metric's name after another word: "Homes insulated" → "homes insulated", "CO2 saved" stays."""
    first_word = name.split(" ", 1)[0]
    return name if first_word[1:2].isupper() or first_word[1:2].isdigit() else name[:1].lower() + name[1:]


def spread_of_entries(*, challenge) -> dict:
    """Counts of entries by kind of area, region and deprivation band, the kinds and regions with
    none, and how many different approach tags the entries use (two queries)."""
    rows = (
        Entry.objects.filter(entry_visible(), challenge=challenge)
        .values_list("solution__group__area_kind", "solution__group__region", "solution__group__deprivation_decile")
        .annotate(count=Count("id"))
        .order_by()
    )
    kinds, regions, deciles = Counter(), Counter(), Counter()
    total = 0
    for kind, region, decile, count in rows:
        kinds[kind] += count
        regions[region] += count
        deciles[decile] += count
        total += count
    tags = list(
        Solution.approach_tags.through.objects.filter(
            entry_visible("solution__entries__", solution="solution__"), solution__entries__challenge=challenge
        )
        .values_list("approachtag__name")
        .annotate(count=Count("solution_id", distinct=True))
        .order_by("-count", "approachtag__name")
    )
    eligible_regions = challenge.eligible_regions or Region.values
    eligible_kinds = challenge.eligible_area_kinds or AreaKind.values
    return {
        "total": total,
        "by_kind": [(label, kinds[value]) for value, label in AreaKind.choices],
        "by_region": [(label, regions[value]) for value, label in Region.choices],
        "by_deprivation": [
            (label, sum(deciles[d] for d in range(low, high + 1))) for (low, high), label in DEPRIVATION_BANDS
        ],
        "missing_regions": [
            label for value, label in Region.choices if value in eligible_regions and not regions[value]
        ],
        "missing_kinds": [label for value, label in AreaKind.choices if value in eligible_kinds and not kinds[value]],
        "approach_count": len(tags),
        "approaches": tags,
    }


def entry_markers(*, challenge, public_only: bool) -> list[dict]:
    """Name, place and position of up to MAP_LIMIT entering groups, in map.js's format (one query).

    For people outside the funder only entries already published on the challenge page are shown.
    """
    entries = Entry.objects.filter(
        entry_visible(),
        challenge=challenge,
        solution__group__latitude__isnull=False,
        solution__group__longitude__isnull=False,
    )
    if public_only and challenge.publish_entries != "all":
        entries = entries.filter(status__in=SHORTLISTED_AND_LATER)
    rows = entries.order_by("pk").values(
        "pk",
        "solution__group__name",
        "solution__group__place_name",
        "solution__group__latitude",
        "solution__group__longitude",
    )[:MAP_LIMIT]
    prefix = reverse("challenges:dashboard", kwargs={"slug": challenge.slug}).replace("/dashboard/", "/entries/")
    return [
        {
            "name": row["solution__group__name"],
            "place_name": row["solution__group__place_name"],
            "latitude": row["solution__group__latitude"],
            "longitude": row["solution__group__longitude"],
            "url": f"{prefix}{row['pk']}/",
        }
        for row in rows
    ]
