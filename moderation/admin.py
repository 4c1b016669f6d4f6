"""Read-only views of the moderation records: decisions are made on the moderation pages, where the
services log them; the admin never edits the evidence or the log."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Appeal, Case, LogEntry, Report


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "state", "open_reports", "needs_review", "waiting_since"]
    list_filter = ["kind", "state", "needs_review"]
    search_fields = ["title"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["case", "reason", "reporter", "created_at", "outcome"]
    list_filter = ["reason", "outcome"]
    list_select_related = ["case", "reporter"]


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin):
    list_display = ["case", "by", "created_at", "decided_at", "upheld"]
    list_select_related = ["case", "by"]


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "event", "case", "subject_user", "actor", "reason"]
    list_filter = ["event"]
    list_select_related = ["case", "subject_user", "actor"]
