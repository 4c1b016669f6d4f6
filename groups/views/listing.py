"""Finding groups: the filtered list and the map share one filter."""

from django.shortcuts import render
from django.urls import reverse

from localism.pagination import capped_page

from .. import selectors
from ..filters import GroupFilter, map_config, map_markers

PAGE_SIZE = 20
MAP_LIMIT = 1000


def _filtered(request):
    filterset = GroupFilter(request.GET or None, queryset=selectors.group_list())
    # Invalid filters are reported and ignored; the list still shows, with status 400.
    status = 400 if filterset.is_bound and not filterset.is_valid() else 200
    return filterset, status


def group_list(request):
    filterset, status = _filtered(request)
    page = capped_page(filterset.qs, request.GET.get("page"), per_page=PAGE_SIZE)
    return render(request, "groups/group_list.html", {"filter": filterset, "page": page}, status=status)


def group_map(request):
    filterset, status = _filtered(request)
    queryset = filterset.qs
    markers = map_markers(queryset, limit=MAP_LIMIT)
    for marker in markers:
        marker["url"] = reverse("groups:detail", kwargs={"slug": marker["slug"]})
    context = {
        "filter": filterset,
        "markers": markers,
        "map_markers": markers,
        # Counted no further than the markers shown: the heading says "more than" beyond that.
        "total": queryset.order_by().values("pk")[: MAP_LIMIT + 1].count(),
        "limit": MAP_LIMIT,
        "map_config": map_config(),
    }
    return render(request, "groups/group_map.html", context, status=status)
