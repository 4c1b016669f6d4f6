"""Reports, moderation cases and their audit log.

One `Case` per item of user content that anyone has reported or a moderator has acted on. A case points
at its item with a plain foreign key for each kind (only one is set); the key is cleared if the item is
deleted, but the case, its reports (each with a snapshot of the item as it was when reported) and its log
stay: deleting or editing the item never destroys the evidence.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.db import LimitedTextField


class Kind(models.TextChoices):
    GROUP = "group", "Group page"
    SOLUTION = "solution", "Solution"
    UPDATE = "update", "Progress update"
    ACTION = "action", "Action"
    ENTRY = "entry", "Challenge entry"
    MESSAGE = "message", "Ask-a-peer message"


class Reason(models.TextChoices):
    SPAM = "spam", "Spam or advertising"
    ABUSE = "abuse", "Abuse or harassment"
    PERSONAL_DATA = "personal_data", "Personal data about someone"
    MISINFORMATION = "misinformation", "Misinformation"
    OTHER = "other", "Something else"


class CaseState(models.TextChoices):
    VISIBLE = "visible", "Visible"
    HIDDEN = "hidden", "Hidden"


# The foreign key a case uses for each kind.
TARGET_FIELDS = {
    Kind.GROUP: "group",
    Kind.SOLUTION: "solution",
    Kind.UPDATE: "update",
    Kind.ACTION: "action",
    Kind.ENTRY: "entry",
    Kind.MESSAGE: "message",
}


class Case(models.Model):
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
    HIDDEN = "hidden", "The item was hidden"
    DISMISSED = "dismissed", "The item was reviewed and stays up"
    RESTORED = "restored", "The item was reviewed and restored"


class Report(models.Model):
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
    upheld = models.BooleanField(null=True, help_text="True if the item was restored on appeal.")

    def __str__(self):
        return f"Appeal on {self.case}"


class Event(models.TextChoices):
    REPORTED = "reported", "Reported"
    AUTO_HIDDEN = "auto_hidden", "Hidden automatically pending review"
    HIDDEN = "hidden", "Hidden"
    DISMISSED = "dismissed", "Reports dismissed"
    RESTORED = "restored", "Restored"
    KEPT_HIDDEN = "kept_hidden", "Appeal refused; stays hidden"
    APPEALED = "appealed", "Appealed"
    SUSPENDED = "suspended", "Account suspended"
    UNSUSPENDED = "unsuspended", "Suspension lifted"


class LogEntry(models.Model):
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
        verbose_name = "log entry"
        verbose_name_plural = "log"
        indexes = [models.Index(fields=["-created_at"], name="moderation_log_time")]

    def __str__(self):
        return f"{self.get_event_display()} at {self.created_at:%Y-%m-%d %H:%M}"
