"""Browsing solutions: the group's local context filters, plus stage and the solution's own challenge."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy

from groups.filters import LocalContextFilterSet, full_text_search

from .models import STAGE_ORDER, Solution, Stage

# On PostgreSQL, solutions are searched by their stored `search_document` (title, problem, approach, why
# here; migration 0006); elsewhere every word must appear in one of these fields.
SOLUTION_SEARCH_FIELDS = ["title", "problem", "approach", "group__name"]


class SolutionFilter(LocalContextFilterSet):
    context_prefix = "group__"
    sorts = {
        "updated": (gettext_lazy("Recently updated"), ["-updated_at", "-pk"]),
        "title": (gettext_lazy("Title (A–Z)"), ["title", "pk"]),
        "stage": (gettext_lazy("Furthest along first"), ["-stage_order", "-updated_at", "-pk"]),
    }
    default_order = ["-updated_at", "-pk"]

    stage = django_filters.MultipleChoiceFilter(
        label=gettext_lazy("Stage"), choices=Stage.choices, widget=forms.CheckboxSelectMultiple, distinct=False
    )

    class Meta(LocalContextFilterSet.Meta):
        model = Solution
        fields = []

    def filter_sort(self, queryset, name, value):
        if value == "stage":
            queryset = queryset.annotate(stage_order=STAGE_ORDER)
        return super().filter_sort(queryset, name, value)

    def filter_challenge(self, queryset, name, values):
        return queryset.filter(challenge_area__in=values) if values else queryset

    def filter_search(self, queryset, name, value):
        return full_text_search(queryset, value, fields=SOLUTION_SEARCH_FIELDS)
