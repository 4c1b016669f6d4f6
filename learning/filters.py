"""The lessons library: lessons learned, filtered by the author's local context."""

import django_filters
from django import forms
from django.db.models import Case, F, FloatField, IntegerField, Value, When
from django.db.models.functions import Abs, Cast
from django.utils.translation import gettext_lazy

from challenges.models import Stage, Update
from groups.filters import LocalContextFilterSet, full_text_search

# On PostgreSQL, lessons are searched by the update's stored `search_document` (title and the three
# lesson fields; challenges migration 0006); elsewhere every word must appear in one of these fields.
LESSON_SEARCH_FIELDS = ["title", "what_worked", "what_didnt", "do_differently", "solution__title"]


def context_closeness(group, prefix="solution__group__"):
    """An SQL expression: how close the local context at `prefix` is to `group` (higher is closer).

    Same kind of area counts most, then deprivation (neighbouring deciles are close), the same
    region, and a population of the same order of magnitude.
    """
    same_kind = Case(When(**{f"{prefix}area_kind": group.area_kind}, then=Value(3.0)), default=Value(0.0))
    same_region = Case(When(**{f"{prefix}region": group.region}, then=Value(1.0)), default=Value(0.0))
    decile_gap = Abs(Cast(F(f"{prefix}deprivation_decile"), IntegerField()) - Value(group.deprivation_decile))
    low, high = group.population / 3, group.population * 3
    similar_size = Case(
        When(**{f"{prefix}population__gte": low, f"{prefix}population__lte": high}, then=Value(1.0)),
        default=Value(0.0),
    )
    return Cast(same_kind + same_region + similar_size - decile_gap * Value(0.4), FloatField())


class LessonFilter(LocalContextFilterSet):
    context_prefix = "solution__group__"
    sorts = {
        "newest": (gettext_lazy("Newest first"), ["-published_at", "-pk"]),
        "oldest": (gettext_lazy("Oldest first"), ["published_at", "pk"]),
    }
    default_order = ["-published_at", "-pk"]

    stage = django_filters.MultipleChoiceFilter(
        label=gettext_lazy("Stage of the solution"),
        field_name="solution__stage",
        choices=Stage.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )

    class Meta(LocalContextFilterSet.Meta):
        model = Update
        fields = []

    def filter_challenge(self, queryset, name, values):
        return queryset.filter(solution__challenge_area__in=values) if values else queryset

    def filter_search(self, queryset, name, value):
        return full_text_search(queryset, value, fields=LESSON_SEARCH_FIELDS)
