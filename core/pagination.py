"""Pages of the big public lists (groups, solutions, lessons), without counting every match.

Django's Paginator counts the whole result before it shows page 1. At 100,000 groups a broad filter or
a common search word matches tens of thousands of rows, and counting them costs more than showing the
page. Here a page fetches one row more than it shows (so it knows whether a next page exists), and the
count stops at `count_cap`: up to that it is exact ("214 groups"), beyond it the list says "more than
1,000". Every page stays reachable with Next, however deep. Lists with bounded results (a funder's
review list, the moderation queue) keep Django's Paginator.
"""

import hashlib
from collections.abc import Sequence
from math import ceil
from urllib.parse import urlencode

from django.utils.translation import get_language

from .caching import cached_count

COUNT_CAP = 1000
MAX_PAGE = 100_000
# From this many rows in, a page finds its rows' ids first (`_rows`).
DEEP_OFFSET = 200


class CappedPage(Sequence):
    """One page, with the attributes of Django's `Page` that templates use (`number`, `has_next`,
    `paginator.count`, `paginator.num_pages` ...). `paginator` is the page itself; `num_pages` is None
    and `count_capped` True when there are more than `count_cap` matches."""

    def __init__(self, rows, *, number, per_page, count, count_capped, count_cap, has_next):
        self.object_list = rows
        self.number = number
        self.per_page = per_page
        self.count = count
        self.count_capped = count_capped
        self.count_cap = count_cap
        self._has_next = has_next

    def __getitem__(self, index):
        return self.object_list[index]

    def __len__(self):
        return len(self.object_list)

    @property
    def paginator(self):
        return self

    @property
    def num_pages(self):
        return None if self.count_capped else max(1, ceil(self.count / self.per_page))

    def has_next(self):
        return self._has_next

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.has_next() or self.has_previous()

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1

    def start_index(self):
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0

    def end_index(self):
        return (self.number - 1) * self.per_page + len(self.object_list)


def _number(text):
    try:
        number = int(text)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def filters_key(request, name, *, ignore=("page", "sort")):
    """A cache key, prefixed `name`, for what a list's address asks for whatever its `ignore`d fields (its page
    and order): the path, the page's language and the rest of the query (core.caching.cached_count, and
    the shared filter forms)."""
    query = sorted((field, value) for field, values in request.GET.lists() if field not in ignore for value in values)
    described = f"{request.path}|{get_language()}|{urlencode(query)}"
    return f"{name}:{hashlib.sha256(described.encode()).hexdigest()}"


def capped_page(queryset, page_text, *, per_page=20, count_cap=None, count_key=None, ids_first=False):
    """The page `page_text` (1 if missing or not a number) of `queryset`; past the end, the last page.

    Two queries at most on a first page: the rows, then a count that stops at `count_cap` + 1. The count
    is skipped when the rows alone tell it (a last page) or when the page lies past the cap. With a
    `count_key` (`filters_key`), the count is shared by every page and order of the same filters for a
    while (core.caching.cached_count): counting up to 1,000 matches took 3 to 20 ms of SQL.

    `ids_first`: every page chooses its rows' ids first, as deep pages do (`_rows`): for an order computed
    over every match (the lessons library by closeness), so that only narrow rows are scored and sorted.
    """
    count_cap = COUNT_CAP if count_cap is None else count_cap
    number = _number(page_text)
    rows, has_next = _rows(queryset, number, per_page, ids_first)
    if not rows and number > 1:
        # Past the end (an old link, a typed number): show the last page, as Django's get_page does.
        total = queryset.order_by().values("pk")[: MAX_PAGE * per_page].count()
        number = max(1, ceil(total / per_page))
        rows, has_next = _rows(queryset, number, per_page, ids_first)
    offset = (number - 1) * per_page
    if not has_next:
        count, capped = offset + len(rows), False  # the last page: its own rows give the exact total
    elif offset + per_page >= count_cap:
        count, capped = count_cap, True  # this page already holds a row beyond the cap
    else:

        def count():
            return queryset.order_by().values("pk")[: count_cap + 1].count()

        counted = count() if count_key is None else cached_count(f"{count_key}:{count_cap}", count)
        count, capped = min(counted, count_cap), counted > count_cap
    return CappedPage(
        rows,
        number=number,
        per_page=per_page,
        count=count,
        count_capped=capped,
        count_cap=count_cap,
        has_next=has_next,
    )


def _rows(queryset, number, per_page, ids_first=False):
    """The page's rows, and one more if there is one. A deep page (`DEEP_OFFSET`) finds their ids first, in a
    subquery of the same query: PostgreSQL works out each row's selected values (a group's areas, a
    solution's tags: core.db.RowJSON) for every row it skips on the way to the page, unless the page's rows
    are chosen first. At 100,000 groups page 50 of the solution list took 10.5 ms of SQL, 4.0 ms without its
    tags; building the subquery costs about half a millisecond, so shallow pages are read directly.

    The lists' rows are distinct and their orders end in the primary key, so both ways give the same rows in
    the same order (tests/browse/test_deep_pages.py). A union cannot be filtered: it is always sliced."""
    offset = (number - 1) * per_page
    page = slice(offset, offset + per_page + 1)
    deep = (ids_first or offset >= DEEP_OFFSET) and not queryset.query.combinator
    rows = list(queryset.filter(pk__in=queryset.values("pk")[page]) if deep else queryset[page])
    return rows[:per_page], len(rows) > per_page
