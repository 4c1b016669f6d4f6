"""What moderation holds about a person, as parts of their data export (see `core.personal_data`); erasing an
account keeps all of it, for the reasons declared at the end.

Their reports and appeals, and the decisions about their account. Neither the moderator who decided nor
the reported item's author (in a report's snapshot) is this person's data, so neither is read. One query
per part. Each row lists the plain fields first, then the renamed ones: the order Django's `values()`
gives, and the order people's files have always had.
"""

from django.db.models import F

from core import personal_data
from core.personal_data import Person

from .models import Appeal, LogEntry, Report

ITEM = {"item_kind": F("case__kind"), "item": F("case__title")}


@personal_data.part("moderation_reports_you_made", covers=["moderation.Report.reporter"])
def reports_you_made(person: Person) -> list[dict]:
    reports = Report.objects.filter(reporter=person.user).order_by("pk")
    return list(reports.values("reason", "details", "created_at", "resolved_at", "outcome", **ITEM))


@personal_data.part("moderation_appeals_you_made", covers=["moderation.Appeal.by"])
def appeals_you_made(person: Person) -> list[dict]:
    appeals = Appeal.objects.filter(by=person.user).order_by("pk")
    return list(appeals.values("text", "created_at", "decided_at", "upheld", **ITEM))


@personal_data.part("moderation_decisions_about_you", covers=["moderation.LogEntry.subject_user"])
def decisions_about_you(person: Person) -> list[dict]:
    entries = LogEntry.objects.filter(subject_user=person.user).order_by("pk")
    return list(entries.values("event", "reason", "created_at"))


# --- Erasure: deleting an account keeps these rows, under the anonymised user -----------------------------

personal_data.kept(
    {
        "moderation.Report.reporter": (
            "a report, with its details, is part of the record of a moderation case; it stays, by “Former member”"
        ),
        "moderation.Appeal.by": "an appeal is part of the record of a moderation case",
        "moderation.LogEntry.subject_user": "the moderation log is the service's record of its decisions",
        "moderation.LogEntry.actor": "the moderation log is the service's record of its decisions, and who took them",
    }
)
