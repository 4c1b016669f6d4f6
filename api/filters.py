"""The API's filters: the site's own list filters (the same names and values as the pages' query
strings), without the site's sort orders, since every API list is in id order for its cursor."""

import django_filters
from django import forms
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from challenges.filters import SolutionFilter
from challenges.models import ChallengeStage, Stage
from groups.filters import GroupFilter
from groups.models import ActionStatus, ChallengeArea, Group

_SLUG = {"max_length": 140}


@extend_schema_field(OpenApiTypes.STR)
class ChallengeAreaSlugs(django_filters.ModelMultipleChoiceFilter):
    """Challenge areas by slug (repeat the parameter for several; /api/v1/challenge-areas/ lists them)."""


def _challenge_filter():
    return ChallengeAreaSlugs(
        queryset=ChallengeArea.objects.all(),
        to_field_name="slug",
        method="filter_challenge",
        help_text="A challenge area's slug; repeat for several (any of them).",
    )


class ApiGroupFilter(GroupFilter):
    challenge = _challenge_filter()


class ApiSolutionFilter(SolutionFilter):
    challenge = _challenge_filter()
    group = django_filters.CharFilter(field_name="group__slug", help_text="A group's slug.", **_SLUG)
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices, distinct=False)


for _filterset in (ApiGroupFilter, ApiSolutionFilter):
    del _filterset.base_filters["sort"]


class UpdateFilter(django_filters.FilterSet):
    group = django_filters.CharFilter(field_name="solution__group__slug", help_text="A group's slug.", **_SLUG)
    solution = django_filters.NumberFilter(field_name="solution_id", min_value=1, help_text="A solution's id.")
    lessons = django_filters.BooleanFilter(
        method="filter_lessons", widget=forms.NullBooleanSelect, help_text="true: only updates with lessons learned."
    )
    published_after = django_filters.IsoDateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = django_filters.IsoDateTimeFilter(field_name="published_at", lookup_expr="lt")

    def filter_lessons(self, queryset, name, value):
        if value is None:
            return queryset
        has_lessons = ~Q(what_worked="", what_didnt="", do_differently="")
        return queryset.filter(has_lessons) if value else queryset.exclude(has_lessons)


class ActionFilter(django_filters.FilterSet):
    group = django_filters.CharFilter(field_name="group__slug", help_text="A group's slug.", **_SLUG)
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices)
    starts_after = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="lt")
    ends_after = django_filters.IsoDateTimeFilter(
        field_name="ends_at", lookup_expr="gte", help_text="Use the current time for actions not yet over."
    )
    region = django_filters.ChoiceFilter(field_name="group__region", choices=Group._meta.get_field("region").choices)


class ChallengeFilter(django_filters.FilterSet):
    stage = django_filters.MultipleChoiceFilter(
        choices=[c for c in ChallengeStage.choices if c[0] != ChallengeStage.DRAFT], distinct=False
    )
