"""Reports, moderation cases and their audit log.

One `Case` per item of user content that anyone has reported or a moderator has acted on. A case points
at its item with a plain foreign key for each kind (only one is set); the key is cleared if the item is
deleted, but the case, its reports (each with a snapshot of the item as it was when reported) and its log
stay: deleting or editing the item never destroys the evidence.
"""

import functools
import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from core.choices import ChoicesDisplay
from core.db import LimitedTextField
from core.hiding import AUTO_HIDE_REASON, shown_hidden_reason  # noqa: F401 (where moderation code looks for them)


class Kind(models.TextChoices):
    GROUP = "group", gettext_lazy("Group page")
    SOLUTION = "solution", gettext_lazy("Solution")
    UPDATE = "update", gettext_lazy("Progress update")
    ACTION = "action", gettext_lazy("Action")
    ENTRY = "entry", gettext_lazy("Challenge entry")
    MESSAGE = "message", gettext_lazy("Ask-a-peer message")


class Reason(models.TextChoices):
    SPAM = "spam", gettext_lazy("Spam or advertising")
    ABUSE = "abuse", gettext_lazy("Abuse or harassment")
    PERSONAL_DATA = "personal_data", gettext_lazy("Personal data about someone")
    MISINFORMATION = "misinformation", gettext_lazy("Misinformation")
    OTHER = "other", gettext_lazy("Something else")


class CaseState(models.TextChoices):
    VISIBLE = "visible", pgettext_lazy("moderation state", "Visible")
    HIDDEN = "hidden", pgettext_lazy("moderation state", "Hidden")


# What an item hidden automatically says: core.hiding (stored in English, shown translated).
# The foreign key a case uses for each kind.
TARGET_FIELDS = {
    Kind.GROUP: "group",
    Kind.SOLUTION: "solution",
    Kind.UPDATE: "update",
    Kind.ACTION: "action",
    Kind.ENTRY: "entry",
    Kind.MESSAGE: "message",
}


class Case(ChoicesDisplay, models.Model):
    kind = models.CharField(max_length=10, choices=Kind.choices)
    group = models.ForeignKey("groups.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    solution = models.ForeignKey(
        "challenges.Solution", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    update = models.ForeignKey("challenges.Update", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    action = models.ForeignKey("groups.Action", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    entry = models.ForeignKey("challenges.Entry", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    message = models.ForeignKey(
        "learning.ConnectionMessage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who answers for the item: the group that published it (for a message, the sending group) and, for
    # a challenge entry, the funder running the challenge, whose members may moderate it too.
    owner_group = models.ForeignKey(
        "groups.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="moderation_cases"
    )
    funder = models.ForeignKey("challenges.Funder", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # What the queue shows even after the item is gone.
    title = models.CharField(max_length=200)
    url = models.CharField(max_length=500, blank=True)
    state = models.CharField(max_length=10, choices=CaseState.choices, default=CaseState.VISIBLE)
    # In the queue: open reports or an appeal wait for a moderator.
    needs_review = models.BooleanField(default=False)
    open_reports = models.PositiveIntegerField(default=0)
    waiting_since = models.DateTimeField(null=True, blank=True)
    auto_hidden_at = models.DateTimeField(null=True, blank=True)
    # Set once every moderator has had the auto-hide mail (each copy is claimed on its own: core.mail).
    moderators_notified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-open_reports", "waiting_since", "pk"]
        constraints = [
            *[
                models.UniqueConstraint(
                    fields=[field], condition=Q(**{f"{field}__isnull": False}), name=f"one_case_per_{field}"
                )
                for field in TARGET_FIELDS.values()
            ],
        ]
        indexes = [models.Index(fields=["needs_review", "-open_reports", "waiting_since"], name="case_queue")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    def get_absolute_url(self):
        return reverse("moderation:case", kwargs={"pk": self.pk})

    @property
    def target_id(self):
        return getattr(self, f"{TARGET_FIELDS[self.kind]}_id")

    @property
    def is_hidden(self):
        return self.state == CaseState.HIDDEN


class Outcome(models.TextChoices):
    HIDDEN = "hidden", gettext_lazy("The item was hidden")
    DISMISSED = "dismissed", gettext_lazy("The item was reviewed and stays up")
    RESTORED = "restored", gettext_lazy("The item was reviewed and restored")


class Report(ChoicesDisplay, models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reports")
    # Kept if the reporter's account goes: the evidence stays with the case.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="reports_made"
    )
    reason = models.CharField(max_length=20, choices=Reason.choices)
    details = LimitedTextField(max_length=2_000, blank=True)
    # The item as the reporter saw it: title, text, author, address.
    snapshot = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    outcome_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "reporter"], name="one_report_per_user_per_item")]
        indexes = [models.Index(fields=["reporter", "created_at"], name="report_reporter_time")]

    def __str__(self):
        return f"{self.get_reason_display()} report on {self.case}"

    @property
    def is_open(self):
        return self.resolved_at is None


class Appeal(models.Model):
    """The owner's one appeal against a hidden item."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="appeal")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="appeals")
    text = LimitedTextField(max_length=2_000)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    upheld = models.BooleanField(null=True, help_text=gettext_lazy("True if the item was restored on appeal."))

    def __str__(self):
        return f"Appeal on {self.case}"


class Event(models.TextChoices):
    REPORTED = "reported", pgettext_lazy("moderation event", "Reported")
    AUTO_HIDDEN = "auto_hidden", gettext_lazy("Hidden automatically pending review")
    HIDDEN = "hidden", pgettext_lazy("moderation event", "Hidden")
    DISMISSED = "dismissed", gettext_lazy("Reports dismissed")
    RESTORED = "restored", pgettext_lazy("moderation event", "Restored")
    KEPT_HIDDEN = "kept_hidden", gettext_lazy("Appeal refused; stays hidden")
    APPEALED = "appealed", pgettext_lazy("moderation event", "Appealed")
    SUSPENDED = "suspended", gettext_lazy("Account suspended")
    UNSUSPENDED = "unsuspended", gettext_lazy("Suspension lifted")


class LogEntry(ChoicesDisplay, models.Model):
    """Who did what, when and why. Written by the services only; never edited."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, null=True, blank=True, related_name="log")
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="moderation_log"
    )
    # Empty for what the system did by itself (an automatic hide).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    event = models.CharField(max_length=12, choices=Event.choices)
    reason = LimitedTextField(max_length=2_000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Claimed before the item's owners are mailed about a decision, so they are told once.
    owner_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = gettext_lazy("log entry")
        verbose_name_plural = pgettext_lazy("moderation log", "log")
        indexes = [models.Index(fields=["-created_at"], name="moderation_log_time")]

    def __str__(self):
        return f"{self.get_event_display()} at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def shown_reason(self) -> str:
        """`reason` as shown: what the site wrote itself (stored in English by the services: a report's
        reason, how many people reported an item hidden automatically) in the active language; people's
        words as they wrote them."""
        if self.event == Event.REPORTED:
            code = _reason_codes().get(self.reason)
            return self.reason if code is None else str(Reason(code).label)
        if self.event == Event.AUTO_HIDDEN:
            reported = _REPORTED_BY.fullmatch(self.reason)
            if reported:
                count = int(reported["count"])
                return ngettext("%(count)d person reported it.", "%(count)d people reported it.", count) % {
                    "count": count
                }
        return self.reason


# How the services write an automatic hide's reason (moderation.services.report), in English.
_REPORTED_BY = re.compile(r"(?P<count>\d+) (?:person|people) reported it\.")


@functools.cache
def _reason_codes() -> dict:
    """English label of each report reason (as the log stores it) -> its code."""
    with translation.override("en"):
        return {str(label): code for code, label in Reason.choices}
