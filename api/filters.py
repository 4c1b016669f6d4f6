"""The API's filters: the site's own list filters (the same names and values as the pages' query
strings), without the site's sort orders, since every API list is in id order for its cursor.

Each filter's limits are stated in the OpenAPI document as the form enforces them, so that a value the
document allows is never refused and one it forbids is refused with a 400 naming the parameter.
"""

import datetime as dt
import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db.models import Q
from django_filters.fields import IsoDateTimeField
from drf_spectacular.utils import extend_schema_field

from challenges.filters import SolutionFilter
from challenges.models import ChallengeStage, Stage
from groups.filters import MAX_POPULATION, GroupFilter
from groups.models import ActionStatus, Group

SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
SLUG_LENGTH = 140
SEARCH_LENGTH = 200
LARGEST_ID = 2**53 - 1  # what a JSON number holds exactly


@extend_schema_field({"type": "string", "pattern": SLUG.pattern, "maxLength": SLUG_LENGTH})
class SlugFilter(django_filters.CharFilter):
    """A group's slug: one that names no group simply matches nothing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, max_length=SLUG_LENGTH, validators=[RegexValidator(SLUG)], **kwargs)


# Any text but the NUL character, which Django's forms refuse (PostgreSQL cannot store or compare it).
@extend_schema_field({"type": "string", "maxLength": SEARCH_LENGTH, "pattern": "^[^\u0000]*$"})
class SearchFilter(django_filters.CharFilter):
    pass


class WholeNumberField(forms.IntegerField):
    """Digits only: Django's IntegerField also takes "1.0", which the document's `integer` does not."""

    def to_python(self, value):
        if value not in self.empty_values and not re.fullmatch(r"-?[0-9]+", str(value).strip()):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


@extend_schema_field({"type": "integer", "minimum": 0, "maximum": LARGEST_ID})
class IdFilter(django_filters.NumberFilter):
    field_class = WholeNumberField


@extend_schema_field({"type": "integer", "minimum": 0, "maximum": MAX_POPULATION})
class PopulationFilter(django_filters.NumberFilter):
    field_class = WholeNumberField


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 time with any offset Python reads, compared in UTC: PostgreSQL refuses offsets beyond
    ±16 hours that the standard's syntax allows ("-22:26")."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(dt.UTC)
        except OverflowError:  # within minutes of year 1 or 9999 in UTC: the earliest or latest time there is
            edge = dt.datetime.min if moment.year == 1 else dt.datetime.max
            return edge.replace(tzinfo=dt.UTC)


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class _AnySlugs(forms.MultipleChoiceField):
    """Any slug: one that names no challenge area simply matches nothing."""

    def valid_value(self, value):
        return bool(SLUG.fullmatch(value)) and len(value) <= SLUG_LENGTH


@extend_schema_field({"type": "string", "pattern": SLUG.pattern, "maxLength": SLUG_LENGTH})
class ChallengeAreaSlugs(django_filters.MultipleChoiceFilter):
    """Challenge areas by slug (repeat the parameter for several; /api/v1/challenge-areas/ lists them)."""

    field_class = _AnySlugs


class _LocalContext(django_filters.FilterSet):
    """What the API's group and solution filters change of the site's: the same names, with limits the
    document states. Listed first among the bases, its filters replace the site's; their methods are the
    site's FilterSet's. The site's sort is taken away below: every API list keeps id order for its cursor."""

    q = SearchFilter(method="filter_search", max_length=SEARCH_LENGTH, help_text="Words to search for.")
    challenge = ChallengeAreaSlugs(
        method="filter_challenge", help_text="A challenge area's slug; repeat for several (any of them)."
    )
    population_min = PopulationFilter(
        min_value=0, max_value=MAX_POPULATION, method="filter_context", help_text="Not above population_max."
    )
    population_max = PopulationFilter(min_value=0, max_value=MAX_POPULATION, method="filter_context")


class ApiGroupFilter(_LocalContext, GroupFilter):
    def filter_challenge(self, queryset, name, values):
        if not values:
            return queryset
        groups_with = Group.challenge_areas.through.objects.filter(challengearea__slug__in=values).values("group_id")
        return queryset.filter(id__in=groups_with)


class ApiSolutionFilter(_LocalContext, SolutionFilter):
    group = SlugFilter(field_name="group__slug", help_text="A group's slug.")
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices, distinct=False)

    def filter_challenge(self, queryset, name, values):
        return queryset.filter(challenge_area__slug__in=values) if values else queryset


for _filterset in (ApiGroupFilter, ApiSolutionFilter):
    del _filterset.base_filters["sort"]  # django-filter has no way to undeclare an inherited filter


class UpdateFilter(django_filters.FilterSet):
    group = SlugFilter(field_name="solution__group__slug", help_text="A group's slug.")
    solution = IdFilter(field_name="solution_id", min_value=0, max_value=LARGEST_ID, help_text="A solution's id.")
    lessons = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_lessons",
        help_text="true: only updates with lessons learned; false: only those without.",
    )
    published_after = UtcDateTimeFilter(field_name="published_at", lookup_expr="gte")
    published_before = UtcDateTimeFilter(field_name="published_at", lookup_expr="lt")

    def filter_lessons(self, queryset, name, value):
        has_lessons = ~Q(what_worked="", what_didnt="", do_differently="")
        return queryset.filter(has_lessons) if value == "true" else queryset.exclude(has_lessons)


class ActionFilter(django_filters.FilterSet):
    group = SlugFilter(field_name="group__slug", help_text="A group's slug.")
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices)
    starts_after = UtcDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = UtcDateTimeFilter(field_name="starts_at", lookup_expr="lt")
    ends_after = UtcDateTimeFilter(
        field_name="ends_at", lookup_expr="gte", help_text="Use the current time for actions not yet over."
    )
    region = django_filters.ChoiceFilter(field_name="group__region", choices=Group._meta.get_field("region").choices)


class ChallengeFilter(django_filters.FilterSet):
    stage = django_filters.MultipleChoiceFilter(
        choices=[c for c in ChallengeStage.choices if c[0] != ChallengeStage.DRAFT], distinct=False
    )


class AwardFilter(django_filters.FilterSet):
    challenge = SlugFilter(field_name="entry__challenge__slug", help_text="A challenge's slug.")
    group = SlugFilter(field_name="entry__solution__group__slug", help_text="A group's slug.")
    awarded_after = django_filters.DateFilter(field_name="awarded_on", lookup_expr="gte")
    awarded_before = django_filters.DateFilter(field_name="awarded_on", lookup_expr="lt")
