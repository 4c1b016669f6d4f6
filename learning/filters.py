"""The lessons library: lessons learned, filtered by the author's local context."""

import django_filters
from django import forms
from django.db.models import F, FloatField, Func, IntegerField
from django.utils.translation import gettext_lazy

from challenges.models import Stage, Update
from groups.filters import LocalContextFilterSet, full_text_search

# On PostgreSQL, lessons are searched by the update's stored `search_document` (title and the three
# lesson fields; challenges migration 0006); elsewhere every word must appear in one of these fields.
LESSON_SEARCH_FIELDS = ["title", "what_worked", "what_didnt", "do_differently", "solution__title"]


class _Closeness(Func):
    """`context_closeness` written out as one SQL expression: building it from Django's Case, When, Abs and Cast
    (a dozen nodes, cloned and compiled on every page) took about 1 ms of a learning page, longer than running
    the query. Only the reader group's values are parameters; the columns come from Django."""

    output_field = FloatField()

    def __init__(self, prefix, area_kind, region, population, deprivation_decile):
        # Plain values, not the group: an expression is compared and hashed by what it was made from.
        super().__init__(
            *(F(f"{prefix}{name}") for name in ("area_kind", "region", "population", "deprivation_decile"))
        )
        # Populations from a third to three times the group's, whole people: -(-n // 3) rounds a third up.
        self.group = (area_kind, region, -(-population // 3), population * 3)
        self.decile = deprivation_decile

    def as_sql(self, compiler, connection, **extra_context):
        (kind, kind_params), (region, region_params), (population, population_params), (decile, decile_params) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        kind_value, region_value, low, high = self.group
        integer, real = IntegerField().cast_db_type(connection), FloatField().cast_db_type(connection)
        sql = (
            f"CAST(CASE WHEN {kind} = %s THEN 3.0 ELSE 0.0 END + CASE WHEN {region} = %s THEN 1.0 ELSE 0.0 END"
            f" + CASE WHEN {population} >= %s AND {population} <= %s THEN 1.0 ELSE 0.0 END"
            f" - ABS(CAST({decile} AS {integer}) - %s) * 0.4 AS {real})"
        )
        params = (
            *kind_params, kind_value, *region_params, region_value,
            *population_params, low, *population_params, high, *decile_params, self.decile,
        )  # fmt: skip
        return sql, params


def context_closeness(group, prefix="solution__group__"):
    """An SQL expression: how close the local context at `prefix` is to `group` (higher is closer).

    Same kind of area counts most (3), then deprivation (0.4 off for each decile apart: neighbouring deciles
    are close), the same region (1), and a population of the same order of magnitude (1: from a third to
    three times the group's).
    """
    return _Closeness(prefix, group.area_kind, group.region, group.population, group.deprivation_decile)


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
