from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from core.choices import ChoicesDisplay
from core.db import LimitedTextField
from core.hiding import Hideable, shown_hidden_reason
from groups.models import Group


class TextModel(models.Model):
    """The fitted text model (TF-IDF vocabulary, IDF and SVD components, compressed numpy arrays).

    The full rebuild fits a new one and removes the old; incremental updates project new text with
    the latest. A few megabytes at most (20,000 terms x 48 components in float16).
    """

    data = models.BinaryField()
    documents = models.PositiveIntegerField(default=0)
    terms = models.PositiveIntegerField(default=0)
    fitted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Text model of {self.fitted_at:%Y-%m-%d %H:%M} ({self.terms} terms)"


class GroupVector(models.Model):
    """A group's context vector and the facts its explanations quote, kept for incremental updates."""

    group = models.OneToOneField(Group, on_delete=models.CASCADE, primary_key=True, related_name="context_vector")
    # float32 little-endian, unweighted, one unit-length block per signal (learning.matching.vectors.BLOCKS).
    vector = models.BinaryField()
    # Kind of area, decile, population, region, challenge and tag names, salient terms, progress.
    facts = models.JSONField(default=dict)
    progress = models.FloatField(default=0.0)
    # Score of the last peer in this group's list: a changed group enters the list only above it.
    # Empty while the list is not full.
    kth_score = models.FloatField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    def __str__(self):
        return f"Context vector of group {self.group_id}"


class Peer(models.Model):
    """One precomputed match: `peer` is the rank-th most similar group to `group` (balanced weights).

    The per-half scores let a page re-rank the stored list toward place or approach without
    recomputing; `ahead_score` > 0 says how much further along the peer is.
    """

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="peer_matches", db_index=False)
    peer = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="matched_by")
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()
    place_score = models.FloatField()
    approach_score = models.FloatField()
    ahead_score = models.FloatField(default=0.0)
    reasons = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["group_id", "rank"]
        constraints = [models.UniqueConstraint(fields=["group", "peer"], name="one_match_per_pair")]
        indexes = [models.Index(fields=["group", "rank"], name="peer_group_rank")]

    def __str__(self):
        return f"{self.peer_id} is peer #{self.rank} of {self.group_id}"


class Connection(ChoicesDisplay, models.Model):
    """Ask a peer: one group asks another a question or to connect; the other side answers."""

    class Status(models.TextChoices):
        PENDING = "pending", gettext_lazy("Waiting for an answer")
        ACCEPTED = "accepted", gettext_lazy("Connected")
        DECLINED = "declined", pgettext_lazy("connection status", "Declined")
        BLOCKED = "blocked", pgettext_lazy("connection status", "Blocked")

    from_group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="connections_started")
    to_group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="connections_received")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="connection_requests"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["from_group", "to_group"], name="one_connection_per_pair"),
            models.CheckConstraint(condition=~models.Q(from_group=models.F("to_group")), name="no_self_connection"),
        ]
        indexes = [
            models.Index(fields=["requested_by", "created_at"], name="connection_requester_time"),
            models.Index(fields=["to_group", "status"], name="connection_to_status"),
        ]

    def __str__(self):
        return f"{self.from_group} → {self.to_group} ({self.get_status_display()})"


class ConnectionMessage(Hideable):
    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="messages")
    sender_group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = LimitedTextField(max_length=4_000)
    created_at = models.DateTimeField(default=timezone.now)
    # Set once the other side has been mailed, so a retried task never mails twice.
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["author", "created_at"], name="message_author_time")]

    def __str__(self):
        return f"Message from {self.sender_group} at {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def shown_hidden_reason(self):
        """Why the moderators hid it, as shown: what the site wrote itself in the active language."""
        return shown_hidden_reason(self.hidden_reason)


class GroupBlock(models.Model):
    """`blocker` no longer hears from `blocked`: no requests or messages either way."""

    blocker = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="blocks_made")
    blocked = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="blocks_received")
    blocked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["blocker", "blocked"], name="one_block_per_pair")]

    def __str__(self):
        return f"{self.blocker} blocks {self.blocked}"
