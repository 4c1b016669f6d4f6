"""Ask a peer: a group asks a matched group a question or to connect; the other side accepts or
declines; connected groups exchange messages; either side can block. Views and tasks call these.

Rate limits are counted from the rows themselves, so they hold across processes and survive a
cache outage: a person may start REQUESTS_PER_DAY requests a day and send MESSAGES_PER_HOUR
messages an hour. Questions and messages also pass `core.posting`'s rules: nothing from a
suspended account, few links and (for a new account) few messages an hour, the question counting
as a message.
"""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.mail import Mail, in_languages_of, send_once
from core.posting import PostingRateLimited, check_post, ensure_group_visible
from groups.models import Group, Membership
from groups.permissions import MANAGING_ROLES, can_manage_group

from .models import Connection, ConnectionMessage, GroupBlock

REQUESTS_PER_DAY = 10
MESSAGES_PER_HOUR = 30
MAX_MESSAGE_LENGTH = ConnectionMessage._meta.get_field("body").max_length


class RateLimited(PostingRateLimited):
    """Too many requests or messages in a short time; the message says when to try again."""

    def __init__(self, message):
        super().__init__(message, code="rate_limited")


def _clean_text(text, *, what):
    """`what`: "question" (the first message of a request) or "message"."""
    text = (text or "").replace("\x00", "").strip()
    question = what == "question"
    if not text:
        raise ValidationError(_("Please write your question.") if question else _("Please write your message."))
    if len(text) > MAX_MESSAGE_LENGTH:
        if question:
            # Translators: %(length)s and %(limit)s are numbers of characters.
            too_long = _("Your question is %(length)s characters; the limit is %(limit)s.")
        else:
            # Translators: %(length)s and %(limit)s are numbers of characters.
            too_long = _("Your message is %(length)s characters; the limit is %(limit)s.")
        raise ValidationError(too_long % {"length": f"{len(text):,}", "limit": f"{MAX_MESSAGE_LENGTH:,}"})
    return text


def _check_posting(user, text):
    """Suspension, links, and a new account's hourly limit, counted over all the messages they wrote."""
    check_post(user=user, kind="message", content={"body": text}, counted=ConnectionMessage.objects.filter(author=user))


def is_blocked(group_a, group_b):
    return GroupBlock.objects.filter(Q(blocker=group_a, blocked=group_b) | Q(blocker=group_b, blocked=group_a)).exists()


def _notify_on_commit(message_id):
    from .tasks import send_connection_notice

    transaction.on_commit(lambda: send_connection_notice.delay(message_id))


@transaction.atomic
def request_connection(*, from_group: Group, to_group: Group, by, message: str) -> Connection:
    """Ask `to_group` a question or to connect, on behalf of `from_group` (which `by` runs)."""
    if not can_manage_group(by, from_group):
        raise PermissionDenied(_("Only the owners and organisers of a group can ask on its behalf."))
    if from_group.pk == to_group.pk:
        raise ValidationError(_("A group cannot ask itself."))
    text = _clean_text(message, what="question")
    _check_posting(by, text)
    ensure_group_visible(from_group)
    if is_blocked(from_group, to_group):
        raise ValidationError(_("You cannot contact this group."))
    existing = Connection.objects.filter(
        Q(from_group=from_group, to_group=to_group) | Q(from_group=to_group, to_group=from_group)
    ).first()
    if existing is not None and existing.status in (Connection.Status.PENDING, Connection.Status.ACCEPTED):
        raise ValidationError(_("Your groups are already connected or have a question waiting for an answer."))
    since = timezone.now() - timedelta(days=1)
    if Connection.objects.filter(requested_by=by, created_at__gte=since).count() >= REQUESTS_PER_DAY:
        raise RateLimited(
            ngettext(
                "You can send %(count)d request a day. Please try again tomorrow.",
                "You can send %(count)d requests a day. Please try again tomorrow.",
                REQUESTS_PER_DAY,
            )
            % {"count": REQUESTS_PER_DAY}
        )
    if existing is not None:  # declined earlier: ask again on the same connection
        connection = existing
        connection.from_group, connection.to_group = from_group, to_group
        connection.status = Connection.Status.PENDING
        connection.requested_by, connection.created_at, connection.responded_at = by, timezone.now(), None
        connection.save()
    else:
        connection = Connection.objects.create(from_group=from_group, to_group=to_group, requested_by=by)
    first = ConnectionMessage.objects.create(connection=connection, sender_group=from_group, author=by, body=text)
    _notify_on_commit(first.pk)
    return connection


@transaction.atomic
def respond(*, connection: Connection, by, accept: bool) -> Connection:
    """The asked group accepts or declines."""
    connection = Connection.objects.select_for_update().get(pk=connection.pk)
    if not can_manage_group(by, connection.to_group):
        raise PermissionDenied(_("Only the asked group's owners and organisers can answer this request."))
    if connection.status != Connection.Status.PENDING:
        raise ValidationError(_("This request has already been answered."))
    connection.status = Connection.Status.ACCEPTED if accept else Connection.Status.DECLINED
    connection.responded_at, connection.responded_by = timezone.now(), by
    connection.save(update_fields=["status", "responded_at", "responded_by"])
    return connection


@transaction.atomic
def send_message(*, connection: Connection, by, body: str) -> ConnectionMessage:
    """A message from one connected group to the other."""
    sender = side_of(by, connection)
    if sender is None:
        raise PermissionDenied(_("Only the owners and organisers of the two groups can write here."))
    if connection.status != Connection.Status.ACCEPTED:
        raise ValidationError(_("You can write once the other group has accepted."))
    if is_blocked(connection.from_group, connection.to_group):
        raise ValidationError(_("One of the groups has blocked the other; no more messages can be sent."))
    text = _clean_text(body, what="message")
    _check_posting(by, text)
    ensure_group_visible(sender)
    since = timezone.now() - timedelta(hours=1)
    if ConnectionMessage.objects.filter(author=by, created_at__gte=since).count() >= MESSAGES_PER_HOUR:
        raise RateLimited(
            ngettext(
                "You can send %(count)d message an hour. Please wait a little.",
                "You can send %(count)d messages an hour. Please wait a little.",
                MESSAGES_PER_HOUR,
            )
            % {"count": MESSAGES_PER_HOUR}
        )
    if ConnectionMessage.objects.filter(connection=connection, author=by, body=text).exists():
        raise ValidationError(_("You have already sent exactly this message."), code="repeated")
    message = ConnectionMessage.objects.create(connection=connection, sender_group=sender, author=by, body=text)
    _notify_on_commit(message.pk)
    return message


@transaction.atomic
def block(*, connection: Connection, by) -> GroupBlock:
    """The group `by` runs blocks the other group: no more requests or messages either way."""
    sender = side_of(by, connection)
    if sender is None:
        raise PermissionDenied(_("Only the owners and organisers of the two groups can block."))
    other = connection.to_group if sender.pk == connection.from_group_id else connection.from_group
    blocked, _created = GroupBlock.objects.get_or_create(blocker=sender, blocked=other, defaults={"blocked_by": by})
    Connection.objects.filter(pk=connection.pk).update(status=Connection.Status.BLOCKED)
    return blocked


def side_of(user, connection):
    """The group of the two that `user` runs (from-group first), or None."""
    for group in (connection.from_group, connection.to_group):
        if can_manage_group(user, group):
            return group
    return None


def send_connection_notice(*, message_id: int) -> int:
    """Mail the other group's owners and organisers about a new request or message, once.

    The message row is claimed before sending (`core.mail.send_once`, on `notified_at`), so a retried
    task sends nothing twice; if sending fails the claim is released and the error propagates (retry).
    One mail goes to all of them together. Returns how many people it went to.
    """
    # A message the moderators hid before its mail went is not mailed.
    messages = ConnectionMessage.objects.filter(pk=message_id)
    return send_once(
        messages, field="notified_at", only_if=Q(hidden_at__isnull=True), compose=lambda: _notice(message_id)
    )


def _notice(message_id: int) -> Mail | None:
    message = ConnectionMessage.objects.select_related(
        "connection__from_group", "connection__to_group", "sender_group", "author"
    ).get(pk=message_id)
    connection = message.connection
    receiver = connection.to_group if message.sender_group_id == connection.from_group_id else connection.from_group
    recipients = list(
        Membership.objects.filter(group=receiver, role__in=MANAGING_ROLES)
        .exclude(user=message.author)
        .values_list("user__email", flat=True)
    )
    if not recipients:
        return None
    is_request = connection.messages.order_by("created_at").values_list("pk", flat=True).first() == message.pk
    # Each receiver reads it in their own language: one copy per language among them.
    return in_languages_of(recipients, partial(_notice_in_language, message, receiver, is_request))


def _notice_in_language(message, receiver, is_request, recipients) -> Mail:
    connection = message.connection
    context = {
        "message": message,
        "receiver": receiver,
        "is_request": is_request,
        "url": settings.SITE_URL + reverse("learning:connection", kwargs={"pk": connection.pk}),
    }
    subject = (
        # Translators: a mail's subject: "Kendal Warm Homes asks Llanidloes Energy a question" (group names).
        _("%(sender)s asks %(receiver)s a question") % {"sender": message.sender_group.name, "receiver": receiver.name}
        if is_request
        else _("New message from %(sender)s") % {"sender": message.sender_group.name}
    )
    return Mail(subject=subject, body=render_to_string("emails/connection_notice.txt", context), to=recipients)
