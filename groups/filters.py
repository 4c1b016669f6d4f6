"""Browsing groups: filters, free-text search and sorting, shared by the list and the map.

`LocalContextFilterSet` holds the filters on a group's local context (kind of area, region,
deprivation, population, challenge). Other apps reuse it for things that belong to a group by
setting `context_prefix` (e.g. "group__" for solutions).
"""

import django_filters
from django import forms
from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.db import SearchDocument

from .area_table import area_table
from .models import AreaKind, ChallengeArea, Group, Region

# On PostgreSQL, groups are searched by their stored `search_document` (name, summary, place name and
# postcode district; migration 0006); elsewhere every word must appear in one of these fields.
GROUP_SEARCH_FIELDS = ["name", "summary", "place_name", "name_cy", "summary_cy"]
DECILES = [(n, str(n)) for n in range(1, 11)]
MAX_POPULATION = 10_000_000


class _ListedChoices(django_filters.fields.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.listed():
            yield self.choice(obj)

    def __len__(self):
        return len(self.field.listed()) + (self.field.empty_label is not None)


class ListedModelMultipleChoiceField(django_filters.fields.ModelMultipleChoiceField):
    """Lists its choices once per form (`listed`), for both drawing them and checking what was sent: one
    plain query, or none for a subclass whose `choice_objects` has them already. Django's field checks the
    values with one query and draws the boxes with another through a server-side cursor (three round trips on
    PostgreSQL): about 1 ms of every list page."""

    iterator = _ListedChoices

    def choice_objects(self):
        return self.queryset

    def listed(self):
        if getattr(self, "_listed", None) is None:
            self._listed = list(self.choice_objects())
        return self._listed

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        try:
            value = frozenset(value)
        except TypeError:
            raise forms.ValidationError(self.error_messages["invalid_list"], code="invalid_list") from None
        for item in value:
            self.validate_no_null_characters(item)
        by_key = {str(getattr(obj, key)): obj for obj in self.listed()}
        for item in value:
            if str(item) not in by_key:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
                )
        return [by_key[str(item)] for item in value]


class ChallengeAreaChoiceField(ListedModelMultipleChoiceField):
    """The challenge areas this process keeps (groups.area_table) are its choices: no query."""

    def choice_objects(self):
        return area_table().areas


class ChallengeAreaFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = ChallengeAreaChoiceField


def full_text_search(queryset, text, *, fields):
    """Ranked full-text search on PostgreSQL; elsewhere every word must appear in one of `fields`.

    On PostgreSQL the model's stored `search_document` is matched through its GIN index and ranked
    without recomputing any text; the result is annotated with `search_rank`.
    """
    text = " ".join(text.split())[:200]
    if not text:
        return queryset
    if connection.vendor == "postgresql":
        # English words by their stem, Welsh ones as written (core.db.bilingual_search_sql).
        query = SearchQuery(text, config="english", search_type="websearch") | SearchQuery(
            text, config="simple", search_type="websearch"
        )
        return (
            queryset.alias(search_match=SearchDocument())
            .filter(search_match=query)
            .annotate(search_rank=SearchRank(SearchDocument(), query))
        )
    for word in text.split()[:8]:
        match = Q()
        for field in fields:
            match |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(match)
    return queryset


class LocalContextFilterForm(forms.Form):
    """Rejects ranges that contradict themselves, with a message people can act on.

    Each field draws the same for the same value, so its markup is kept and reused (core.forms).
    """

    reuse_field_markup = True

    def clean(self):
        data = super().clean()
        pairs = [
            (
                "deprivation_min",
                "deprivation_max",
                # Translators: the lowest decile chosen in the filters is shown in brackets.
                _("The highest deprivation decile must not be below the lowest (%(lowest)s)."),
            ),
            (
                "population_min",
                "population_max",
                # Translators: the lowest population chosen in the filters is shown in brackets.
                _("The highest population must not be below the lowest (%(lowest)s)."),
            ),
        ]
        for low, high, message in pairs:
            if (
                data.get(low) not in (None, "")
                and data.get(high) not in (None, "")
                and int(data[low]) > int(data[high])
            ):
                self.add_error(high, message % {"lowest": data[low]})
                data.pop(low, None)  # a contradictory range is ignored as a whole
        return data


class LocalContextFilterSet(django_filters.FilterSet):
    context_prefix = ""
    # key: (label, ordering); set by subclasses. The empty choice means best match, then the default order.
    sorts: dict = {}
    default_order: list = []

    q = django_filters.CharFilter(
        label=gettext_lazy("Search"), method="filter_search", max_length=200, widget=forms.SearchInput
    )
    challenge = ChallengeAreaFilter(
        label=gettext_lazy("Challenge"),
        queryset=ChallengeArea.objects.all(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        method="filter_challenge",
    )
    area_kind = django_filters.MultipleChoiceFilter(
        label=gettext_lazy("Kind of area"),
        choices=AreaKind.choices,
        widget=forms.CheckboxSelectMultiple,
        method="filter_context",
        distinct=False,
    )
    region = django_filters.ChoiceFilter(
        label=gettext_lazy("Region"),
        choices=Region.choices,
        empty_label=gettext_lazy("Any region"),
        method="filter_context",
    )
    deprivation_min = django_filters.ChoiceFilter(
        label=gettext_lazy("Deprivation decile from"),
        choices=DECILES,
        empty_label=gettext_lazy("1 (most deprived)"),
        method="filter_context",
    )
    deprivation_max = django_filters.ChoiceFilter(
        label=gettext_lazy("Deprivation decile to"),
        choices=DECILES,
        empty_label=gettext_lazy("10 (least deprived)"),
        method="filter_context",
    )
    population_min = django_filters.NumberFilter(
        label=gettext_lazy("Population at least"), min_value=0, max_value=MAX_POPULATION, method="filter_context"
    )
    population_max = django_filters.NumberFilter(
        label=gettext_lazy("Population at most"), min_value=0, max_value=MAX_POPULATION, method="filter_context"
    )
    sort = django_filters.ChoiceFilter(
        label=gettext_lazy("Sort by"), empty_label=gettext_lazy("Best match"), method="filter_sort"
    )

    CONTEXT_LOOKUPS = {
        "area_kind": "area_kind__in",
        "region": "region",
        "deprivation_min": "deprivation_decile__gte",
        "deprivation_max": "deprivation_decile__lte",
        "population_min": "population__gte",
        "population_max": "population__lte",
    }

    class Meta:
        form = LocalContextFilterForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "sort" in self.filters:  # the API's subclasses have none (their lists keep one order)
            self.filters["sort"].extra["choices"] = [(key, label) for key, (label, _ordering) in self.sorts.items()]

    def filter_context(self, queryset, name, value):
        if value in (None, "", []):
            return queryset
        return queryset.filter(**{f"{self.context_prefix}{self.CONTEXT_LOOKUPS[name]}": value})

    def filter_challenge(self, queryset, name, values):
        if not values:
            return queryset
        # A subquery rather than a join, so no DISTINCT is needed over wide rows.
        groups_with = Group.challenge_areas.through.objects.filter(challengearea__in=values).values("group_id")
        return queryset.filter(**{f"{self.context_prefix}id__in": groups_with})

    def filter_search(self, queryset, name, value):
        raise NotImplementedError

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*self.sorts[value][1])

    @property
    def qs(self):
        queryset = super().qs
        if not getattr(self.form, "cleaned_data", {}).get("sort"):
            if "search_rank" in queryset.query.annotations:
                queryset = queryset.order_by(F("search_rank").desc(), *self.default_order)
            else:
                queryset = queryset.order_by(*self.default_order)
        return queryset


class GroupFilter(LocalContextFilterSet):
    sorts = {
        "name": (gettext_lazy("Name (A–Z)"), ["name", "pk"]),
        "newest": (gettext_lazy("Newest first"), ["-created_at", "-pk"]),
        "population": (gettext_lazy("Largest population first"), ["-population", "pk"]),
        "deprivation": (gettext_lazy("Most deprived first"), ["deprivation_decile", "name", "pk"]),
    }
    default_order = ["name", "pk"]

    class Meta(LocalContextFilterSet.Meta):
        model = Group
        fields = []

    def filter_search(self, queryset, name, value):
        return full_text_search(queryset, value, fields=GROUP_SEARCH_FIELDS)


def map_markers(queryset, *, limit):
    """Name, link and position of up to `limit` groups from `queryset` that have coordinates and are not
    hidden by the moderators."""
    rows = queryset.filter(latitude__isnull=False, longitude__isnull=False, hidden_at__isnull=True).values(
        "name", "slug", "place_name", "latitude", "longitude"
    )[:limit]
    return list(rows)


def map_config():
    """What static/js/map.js needs besides the markers: the tile server and Leaflet's marker images."""
    return {
        "tiles": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "icon": static("vendor/leaflet/images/marker-icon.png"),
        "icon2x": static("vendor/leaflet/images/marker-icon-2x.png"),
        "shadow": static("vendor/leaflet/images/marker-shadow.png"),
    }
