"""Paging for every list of the API: a cursor over the primary key.

A cursor is stable while data changes (nothing is skipped or seen twice when a group registers while a
researcher pages through), and each page is one indexed range scan however deep it is (`id > last
ORDER BY id LIMIT n`), where an offset would scan every row before it.
"""

from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    ordering = "id"
    page_size_query_param = "page_size"
    max_page_size = 200
    cursor_query_description = "The `next` or `previous` link of a page carries it; never build one by hand."
    page_size_query_description = "Items per page (1 to 200; default 50)."
