"""Paging for every list of the API: a cursor over the primary key.

A cursor is stable while data changes (nothing is skipped or seen twice when a group registers while a
researcher pages through), and each page is one indexed range scan however deep it is (`id > last
ORDER BY id LIMIT n`), where an offset would scan every row before it.
"""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination


class IdCursorPagination(CursorPagination):
    ordering = "id"
    page_size_query_param = "page_size"
    max_page_size = 200
    cursor_query_description = "The `next` or `previous` link of a page carries it; never build one by hand."
    page_size_query_description = "Items per page, 1 to 200 (default 50)."

    def decode_cursor(self, request):
        """An empty cursor is the first page, as no cursor is."""
        if request.query_params.get(self.cursor_query_param) == "":
            return None
        return super().decode_cursor(request)

    def get_page_size(self, request):
        """A page size that is not a whole number from 1 to 200 is refused, not silently replaced."""
        value = request.query_params.get(self.page_size_query_param, "")
        if value == "":
            return self.page_size
        if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= self.max_page_size:
            raise ValidationError({self.page_size_query_param: [f"A whole number from 1 to {self.max_page_size}."]})
        return int(value)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": self.max_page_size})
        return parameters
