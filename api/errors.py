"""JSON errors that say what was wrong, for every failure of an /api/ address.

Each error body has `detail` (one sentence) and, for bad query parameters, `errors` (the messages per
parameter). Addresses under /api/ that match no endpoint answer with the same JSON shape (404), never an
HTML page.
"""

from django.http import JsonResponse
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError) or not (isinstance(data, dict) and "detail" in data):
        response.data = {"detail": "Some query parameters are not valid.", "errors": data}
    if isinstance(exc, exceptions.Throttled):
        response.data["detail"] = (
            f"Too many requests from this address: wait {exc.wait or 1:.0f} seconds and try again."
        )
    return response


def not_found(request, path=""):
    """A JSON 404 for an /api/ address that matches no endpoint."""
    return JsonResponse(
        {"detail": "There is no API endpoint at this address. The index is at /api/v1/."},
        status=status.HTTP_404_NOT_FOUND,
    )
