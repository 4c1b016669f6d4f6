"""The review list as CSV, streamed: rows are written as the database cursor yields them, so the
memory used does not grow with the number of entries."""

import csv
from collections.abc import Iterable, Iterator
from itertools import islice

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext

from groups.models import AreaKind, Region

from ..models import EntryStatus, Stage
from .selectors import latest_shared_readings

CHUNK = 2000
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """The cell as text, with a quote in front if a spreadsheet would take it for a formula."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file-like object whose write() returns the line, so csv.writer can feed a generator."""

    def write(self, value):
        return value


def _batches(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


# Read as tuples, not model instances: the export's cost is then the database's and the CSV writer's.
_COLUMNS = (
    "pk",
    "solution_id",
    "solution__group__name",
    "solution__title",
    "solution__challenge_area__name",
    "solution__stage",
    "solution__group__region",
    "solution__group__area_kind",
    "solution__group__deprivation_decile",
    "solution__group__population",
    "created_at",
    "status",
    "weighted_score",
    "score_count",
)


def review_csv_rows(*, challenge, entries, metrics, site_url: str = "") -> Iterator[str]:
    """CSV lines for `entries` (a filtered, sorted `entries_for_review` queryset): one header line,
    then one line per entry with each shared metric's latest reading as a column.

    Two queries per CHUNK rows, whatever the number of rows: the entries are read as tuples with
    `.iterator(chunk_size=CHUNK)` (a server-side cursor on PostgreSQL) with the score stored on the
    entry, and each chunk's latest readings in one more query; memory stays that of one chunk.

    The column headings and the labels of stages, regions, kinds of area and statuses are translated
    here, when the response is made, in the request's language; the lines are written later, as the
    response streams.
    """
    header = [
        pgettext("review CSV column", "entry id"),
        pgettext("review CSV column", "group"),
        pgettext("review CSV column", "solution"),
        pgettext("review CSV column", "challenge area"),
        pgettext("review CSV column", "solution stage"),
        pgettext("review CSV column", "region"),
        pgettext("review CSV column", "kind of area"),
        pgettext("review CSV column", "deprivation decile"),
        pgettext("review CSV column", "population"),
        pgettext("review CSV column", "entered"),
        pgettext("review CSV column", "status"),
        pgettext("review CSV column", "weighted score"),
        pgettext("review CSV column", "number of scores"),
        *(safe_cell(f"{metric.name} ({metric.unit})") for metric in metrics),
        pgettext("review CSV column", "link"),
    ]
    labels = tuple(
        {value: str(label) for value, label in choices}
        for choices in (Stage.choices, Region.choices, AreaKind.choices, EntryStatus.choices)
    )
    return _csv_lines(
        challenge=challenge, entries=entries, metrics=metrics, site_url=site_url, header=header, labels=labels
    )


def _csv_lines(*, challenge, entries, metrics, site_url: str, header: list[str], labels: tuple) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # Reversed once: the entry id is the only part that changes from row to row.
    link_prefix = site_url + reverse("challenges:review", kwargs={"slug": challenge.slug}).replace(
        "/review/", "/entries/"
    )
    stages, regions, kinds, statuses = labels
    metric_ids = [metric.pk for metric in metrics]
    yield writer.writerow(header)
    rows = entries.values_list(*_COLUMNS).iterator(chunk_size=CHUNK)
    for batch in _batches(rows, CHUNK):
        latest = latest_shared_readings(solution_ids=[row[1] for row in batch]) if metric_ids else {}
        lines = []
        for (
            pk,
            solution_id,
            group_name,
            title,
            area_name,
            stage,
            region,
            area_kind,
            decile,
            population,
            created_at,
            status,
            score,
            score_count,
        ) in batch:
            values = latest.get(solution_id, {})
            # Text people typed is guarded against formula injection; numbers we computed stay numbers.
            lines.append(
                writer.writerow(
                    [
                        pk,
                        safe_cell(group_name),
                        safe_cell(title),
                        safe_cell(area_name),
                        stages.get(stage, stage),
                        regions.get(region, region),
                        kinds.get(area_kind, area_kind),
                        decile,
                        population,
                        timezone.localtime(created_at).date().isoformat(),
                        statuses.get(status, status),
                        "" if score is None else f"{score:.2f}",
                        score_count,
                        *("" if values.get(pk_) is None else values[pk_] for pk_ in metric_ids),
                        f"{link_prefix}{pk}/",
                    ]
                )
            )
        # One piece per chunk: the response is written in a few large pieces, not one per row.
        yield "".join(lines)
