"""The review list as CSV, streamed: rows are written as the database cursor yields them, so the
memory used does not grow with the number of entries."""

import csv
from collections.abc import Iterable, Iterator
from itertools import islice

from django.urls import reverse

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


def review_csv_rows(*, challenge, entries, metrics, site_url: str = "") -> Iterator[str]:
    """CSV lines for `entries` (a filtered, sorted `entries_for_review` queryset): one header line,
    then one line per entry with each shared metric's latest reading as a column.

    The entries are read with `.iterator(chunk_size=CHUNK)`; each chunk's readings are fetched in one
    more query.
    """
    writer = csv.writer(_Echo())
    # Reversed once: the entry id is the only part that changes from row to row.
    link_prefix = site_url + reverse("challenges:review", kwargs={"slug": challenge.slug}).replace(
        "/review/", "/entries/"
    )
    yield writer.writerow(
        [
            "entry id",
            "group",
            "solution",
            "challenge area",
            "solution stage",
            "region",
            "kind of area",
            "deprivation decile",
            "population",
            "entered",
            "status",
            "weighted score",
            "number of scores",
            *(f"{metric.name} ({metric.unit})" for metric in metrics),
            "link",
        ]
    )
    for batch in _batches(entries.iterator(chunk_size=CHUNK), CHUNK):
        latest = latest_shared_readings(solution_ids=[entry.solution_id for entry in batch])
        for entry in batch:
            solution, group = entry.solution, entry.solution.group
            values = latest.get(entry.solution_id, {})
            score = entry.weighted_score
            # Text people typed is guarded against formula injection; numbers we computed stay numbers.
            yield writer.writerow(
                [
                    entry.pk,
                    safe_cell(group.name),
                    safe_cell(solution.title),
                    safe_cell(solution.challenge_area.name),
                    solution.get_stage_display(),
                    group.get_region_display(),
                    group.get_area_kind_display(),
                    group.deprivation_decile,
                    group.population,
                    entry.created_at.date().isoformat(),
                    entry.get_status_display(),
                    "" if score is None else f"{score:.2f}",
                    entry.score_count,
                    *("" if values.get(metric.pk) is None else values[metric.pk] for metric in metrics),
                    f"{link_prefix}{entry.pk}/",
                ]
            )
