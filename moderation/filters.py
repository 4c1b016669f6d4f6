import django_filters
from django.utils.translation import gettext_lazy

from .models import Kind, Reason


class CaseFilter(django_filters.FilterSet):
    """The moderation queue's filters: by kind of item and by the reason of its open reports."""

    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Kind"), choices=Kind.choices, empty_label=gettext_lazy("Any kind")
    )
    reason = django_filters.ChoiceFilter(
        label=gettext_lazy("Reason"),
        choices=Reason.choices,
        empty_label=gettext_lazy("Any reason"),
        method="filter_reason",
    )

    def filter_reason(self, queryset, name, value):
        return queryset.filter(reports__reason=value, reports__resolved_at__isnull=True).distinct()
