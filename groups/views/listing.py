"""Finding groups: the filtered list and the map share one filter."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse

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
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
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
        "total": queryset.count(),
        "limit": MAP_LIMIT,
        "map_config": map_config(),
    }
    return render(request, "groups/group_map.html", context, status=status)
