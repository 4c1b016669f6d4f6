"""The funder's review list: the group's local context (reused from `groups.filters`), plus the
solution's stage, a shared metric's latest reading, the weighted score and the entry's status."""

import django_filters
from django import forms
from django.db.models import F, OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from groups.filters import LocalContextFilterForm, LocalContextFilterSet

from ..models import EntryStatus, Metric, MetricReading, SolutionMetric, Stage
from .permissions import SHORTLISTED_AND_LATER

SCORE_CHOICES = [(n, str(n)) for n in range(1, 6)]


class ReviewFilterForm(LocalContextFilterForm):
    def clean(self):
        data = super().clean()
        low, high = data.get("score_min"), data.get("score_max")
        if low not in (None, "") and high not in (None, "") and float(low) > float(high):
            self.add_error(
                "score_max",
                # Translators: %(low)s is the lowest weighted score chosen, a number from 1 to 5.
                _("The highest score must not be below the lowest (%(low)s).") % {"low": low},
            )
            data.pop("score_min", None)
        if data.get("metric_min") is not None and not data.get("metric"):
            self.add_error("metric", _("Choose the shared metric the value is for."))
            data.pop("metric_min", None)
        return data


def solutions_with_latest_reading_at_least(metric, value):
    """Ids of the solutions whose latest reading of `metric` is at least `value`, as a subquery.

    Driven from the metric's solution metrics (one index probe each for the latest reading), not from
    the challenge's entries: a metric is measured by fewer solutions than a big challenge has entries.
    """
    latest = (
        MetricReading.objects.filter(solution_metric=OuterRef("pk"))
        .order_by("-measured_on", "-created_at", "-pk")
        .values("value")[:1]
    )
    return (
        SolutionMetric.objects.filter(metric=metric)
        .alias(latest_value=Subquery(latest))
        .filter(latest_value__gte=value)
        .values("solution_id")
    )


class ReviewFilter(LocalContextFilterSet):
    context_prefix = "solution__group__"
    sorts = {
        "score": (gettext_lazy("Highest weighted score first"), [F("weighted_score").desc(nulls_last=True), "-pk"]),
        "score_low": (gettext_lazy("Lowest weighted score first"), [F("weighted_score").asc(nulls_last=True), "pk"]),
        "newest": (gettext_lazy("Newest entries first"), ["-created_at", "-pk"]),
        "oldest": (gettext_lazy("Oldest entries first"), ["created_at", "pk"]),
        "group": (gettext_lazy("Group name (A–Z)"), ["solution__group__name", "pk"]),
        "population": (gettext_lazy("Largest population first"), ["-solution__group__population", "pk"]),
        "deprivation": (gettext_lazy("Most deprived first"), ["solution__group__deprivation_decile", "pk"]),
        "scores": (gettext_lazy("Fewest scores first"), ["score_count", "pk"]),
    }
    default_order = ["-created_at", "-pk"]

    stage = django_filters.MultipleChoiceFilter(
        label=gettext_lazy("Solution stage"),
        field_name="solution__stage",
        choices=Stage.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    status = django_filters.MultipleChoiceFilter(
        label=gettext_lazy("Entry status"),
        choices=EntryStatus.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    shortlisted = django_filters.ChoiceFilter(
        label=pgettext_lazy("filter", "Shortlisted"),
        choices=[("yes", gettext_lazy("Shortlisted or further")), ("no", gettext_lazy("Not shortlisted"))],
        empty_label=gettext_lazy("Either"),
        method="filter_shortlisted",
    )
    score_min = django_filters.ChoiceFilter(
        label=gettext_lazy("Weighted score at least"),
        choices=SCORE_CHOICES,
        empty_label=pgettext_lazy("score", "Any"),
        method="filter_score",
    )
    score_max = django_filters.ChoiceFilter(
        label=gettext_lazy("Weighted score at most"),
        choices=SCORE_CHOICES,
        empty_label=pgettext_lazy("score", "Any"),
        method="filter_score",
    )
    unscored = django_filters.BooleanFilter(
        label=gettext_lazy("Only entries nobody has scored"), method="filter_unscored", widget=forms.CheckboxInput
    )
    metric = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Shared metric"),
        queryset=Metric.objects.filter(group=None),
        empty_label=pgettext_lazy("metric", "Choose"),
        method="filter_none",
    )
    metric_min = django_filters.NumberFilter(
        label=gettext_lazy("Its latest reading at least"), method="filter_metric", min_value=-1e12, max_value=1e12
    )

    class Meta(LocalContextFilterSet.Meta):
        form = ReviewFilterForm
        fields = []

    def filter_challenge(self, queryset, name, values):
        return queryset.filter(solution__challenge_area__in=values) if values else queryset

    def filter_search(self, queryset, name, value):
        for word in value.split()[:8]:
            queryset = queryset.filter(Q(solution__title__icontains=word) | Q(solution__group__name__icontains=word))
        return queryset

    def filter_shortlisted(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(status__in=SHORTLISTED_AND_LATER)
        if value == "no":
            return queryset.exclude(status__in=SHORTLISTED_AND_LATER)
        return queryset

    def filter_score(self, queryset, name, value):
        if value in (None, ""):
            return queryset
        lookup = "gte" if name == "score_min" else "lte"
        return queryset.filter(**{f"weighted_score__{lookup}": float(value)})

    def filter_unscored(self, queryset, name, value):
        return queryset.filter(score_count=0) if value else queryset

    def filter_none(self, queryset, name, value):
        return queryset  # used together with metric_min

    def filter_metric(self, queryset, name, value):
        metric = self.form.cleaned_data.get("metric")
        if value is None or metric is None:
            return queryset
        return queryset.filter(solution_id__in=solutions_with_latest_reading_at_least(metric, value))
