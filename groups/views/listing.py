"""Finding groups: the filtered list and the map share one filter."""

import math

from django import forms
from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse

from core.pagination import capped_page, filters_key

from .. import selectors
from ..filters import GroupFilter, map_config, map_markers

PAGE_SIZE = 20
# Groups listed under the map for people without JavaScript; the map itself shows every group, clustered.
MAP_LIMIT = 1000
# The zoom of the clusters embedded in the page: Great Britain and Ireland fill a phone's screen at it.
MAP_START_ZOOM = 5
# A 4K screen shows fewer than 3,000 cells: more than this is not one view of the map.
MAP_MAX_CELLS = 10_000


def _filtered(request, queryset):
    filterset = GroupFilter(request.GET or None, queryset=queryset)
    # Invalid filters are reported and ignored; the list still shows, with status 400.
    status = 400 if filterset.is_bound and not filterset.is_valid() else 200
    return filterset, status


def group_list(request):
    filterset, status = _filtered(request, selectors.group_cards())
    page = capped_page(
        filterset.qs, request.GET.get("page"), per_page=PAGE_SIZE, count_key=filters_key(request, "groups")
    )
    context = {"filter": filterset, "page": page, "share_filter_form": True}
    return render(request, "groups/group_list.html", context, status=status)


def _with_urls(clusters):
    for group in clusters["groups"]:
        group["url"] = reverse("groups:detail", kwargs={"slug": group.pop("slug")})
    return clusters


def group_map(request):
    filterset, status = _filtered(request, selectors.group_list())
    queryset = filterset.qs
    markers = map_markers(queryset, limit=MAP_LIMIT)
    for marker in markers:
        marker["url"] = reverse("groups:detail", kwargs={"slug": marker["slug"]})
    filters = request.GET.copy()
    filters.pop("page", None)
    context = {
        "filter": filterset,
        "share_filter_form": True,
        "markers": markers,
        "map_markers": _with_urls(selectors.map_clusters(queryset, zoom=MAP_START_ZOOM)),
        # Counted no further than the groups listed: the heading says "more than" beyond that.
        "total": queryset.order_by().values("pk")[: MAP_LIMIT + 1].count(),
        "limit": MAP_LIMIT,
        "map_config": {
            **map_config(),
            "outline": static("vendor/uk-outline/uk-outline.geojson"),
            "data_url": reverse("groups:map_data") + (f"?{filters.urlencode()}" if filters else ""),
            "list_url": reverse("groups:list") + (f"?{filters.urlencode()}" if filters else ""),
            "max_zoom": selectors.MAP_MAX_ZOOM,
        },
    }
    return render(request, "groups/group_map.html", context, status=status)


class MapViewForm(forms.Form):
    """The part of the map a browser shows: `bbox` is "west,south,east,north" in degrees."""

    zoom = forms.IntegerField(min_value=0, max_value=selectors.MAP_MAX_ZOOM)
    bbox = forms.CharField()

    def clean_bbox(self):
        parts = self.cleaned_data["bbox"].split(",")
        try:
            west, south, east, north = (float(part) for part in parts)
        except ValueError:
            raise forms.ValidationError("Give the bounds as four numbers: west,south,east,north.") from None
        if not all(math.isfinite(value) for value in (west, south, east, north)):
            raise forms.ValidationError("The bounds must be finite numbers.")
        if not (-180 <= west <= east <= 180):
            raise forms.ValidationError("West and east must be longitudes from -180 to 180, west first.")
        if not (-90 <= south <= north <= 90):
            raise forms.ValidationError("South and north must be latitudes from -90 to 90, south first.")
        return west, south, east, north

    def clean(self):
        data = super().clean()
        too_large = (
            "bbox" in data
            and "zoom" in data
            and selectors.map_cells_in(data["bbox"], zoom=data["zoom"]) > MAP_MAX_CELLS
        )
        if too_large:
            self.add_error("bbox", "These bounds are far larger than one view of the map at this zoom.")
        return data


def group_map_data(request):
    """Clusters and single groups for one view of the map, filtered as the list is."""
    view = MapViewForm(request.GET)
    filterset = GroupFilter(request.GET, queryset=selectors.group_list())
    if not view.is_valid() or not filterset.is_valid():
        errors = {**filterset.errors, **view.errors}
        return JsonResponse({"errors": {field: list(messages) for field, messages in errors.items()}}, status=400)
    clusters = selectors.map_clusters(filterset.qs, zoom=view.cleaned_data["zoom"], bounds=view.cleaned_data["bbox"])
    return JsonResponse(_with_urls(clusters))
