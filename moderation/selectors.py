"""Reads for the moderation pages, each in a fixed number of queries."""

from django.db.models import Prefetch, QuerySet

from challenges.funding.permissions import funder_ids

from .models import TARGET_FIELDS, Case, LogEntry, Report


def queue_for(user) -> QuerySet[Case]:
    """Cases waiting for a moderator: most-reported first, then the longest waiting.

    Site moderators see every case; a funder's members see the cases about entries to its challenges.
    """
    cases = Case.objects.filter(needs_review=True).prefetch_related(
        Prefetch("reports", queryset=Report.objects.filter(resolved_at__isnull=True).only("case_id", "reason")),
        "appeal",
    )
    if not user.can_moderate:
        cases = cases.filter(funder_id__in=funder_ids(user))
    return cases.order_by("-open_reports", "waiting_since", "pk")


def case_detail(pk: int) -> Case | None:
    return (
        Case.objects.filter(pk=pk)
        .select_related("owner_group", "appeal__by", *TARGET_FIELDS.values())
        .prefetch_related(
            Prefetch("reports", queryset=Report.objects.select_related("reporter")),
            Prefetch("log", queryset=LogEntry.objects.select_related("actor")),
        )
        .first()
    )


def case_for_item(kind: str, pk: int) -> Case | None:
    field = TARGET_FIELDS.get(kind)
    if field is None:
        return None
    return (
        Case.objects.filter(**{field: pk})
        .select_related("appeal")
        .prefetch_related(Prefetch("log", queryset=LogEntry.objects.select_related("actor")))
        .first()
    )


def reports_by(user) -> QuerySet[Report]:
    return Report.objects.filter(reporter=user).select_related("case").order_by("-created_at", "-pk")


def own_report(user, case) -> Report | None:
    if case is None or not user.is_authenticated:
        return None
    return Report.objects.filter(case=case, reporter=user).first()


def audit_log() -> QuerySet[LogEntry]:
    return LogEntry.objects.select_related("case", "actor", "subject_user").order_by("-created_at", "-pk")
