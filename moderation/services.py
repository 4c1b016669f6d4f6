"""Moderation operations: report, hide, dismiss, restore, appeal, suspend. Views and tasks call these.

Each runs in one transaction, locks the case row, writes a `LogEntry`, and queues its mail with
`transaction.on_commit`. Refusals raise `ModerationRefused` (a `ValidationError`) with a message for the
person; a missing item raises `ItemNotFound`; too many reports raise `PostingRateLimited`.
"""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from accounts.models import User
from core.caching import forget_public_pages
from core.mail import Mail, in_languages_of, send_once, send_once_to_each, speaking_to
from core.posting import PostingRateLimited, ensure_within_rate
from core.refusals import Refused
from groups.models import Membership
from groups.permissions import MANAGING_ROLES
from groups.signals import announce_group_context_changed

from . import kinds
from .models import (
    AUTO_HIDE_REASON,
    TARGET_FIELDS,
    Appeal,
    Case,
    CaseState,
    Event,
    Kind,
    LogEntry,
    Outcome,
    Reason,
    Report,
)
from .permissions import can_moderate_case, can_suspend

REPORTS_PER_HOUR = 20
# Hiding these changes what the peer matcher reads about the group.
PEER_CONTEXT_KINDS = {Kind.GROUP, Kind.SOLUTION, Kind.UPDATE}
MAX_DETAILS_LENGTH = Report._meta.get_field("details").max_length  # also an appeal's text
MAX_REASON_LENGTH = 300


class ModerationRefused(Refused):
    """The action is not possible in the item's present state; the message says why: 409."""

    status = 409


class ItemNotFound(Exception):
    """No such item, or not one this person can see."""


def auto_hide_threshold() -> int:
    return getattr(settings, "MODERATION_AUTO_HIDE_REPORTS", 3)


def _on_commit(task, *args):
    transaction.on_commit(lambda: task.delay(*args))


def _log(*, case=None, subject_user=None, actor=None, event, reason=""):
    return LogEntry.objects.create(case=case, subject_user=subject_user, actor=actor, event=event, reason=reason)


# What `_clean` says of each text: (when it is missing, when it is too long).
_CLEAN_MESSAGES = {
    "details": (
        gettext_noop("Please write what is wrong."),
        # Translators: %(length)s and %(limit)s are numbers of characters.
        gettext_noop("What is wrong is %(length)s characters; the limit is %(limit)s."),
    ),
    "owner_reason": (
        gettext_noop("Please write the reason the owner will see."),
        gettext_noop("The reason the owner will see is %(length)s characters; the limit is %(limit)s."),
    ),
    "reason": (
        gettext_noop("Please write the reason."),
        gettext_noop("The reason is %(length)s characters; the limit is %(limit)s."),
    ),
    "appeal": (
        gettext_noop("Please write why it should be shown again."),
        gettext_noop("Why it should be shown again is %(length)s characters; the limit is %(limit)s."),
    ),
}


def _clean(text, *, limit, what, required=False):
    """`what` names the text: a key of _CLEAN_MESSAGES."""
    missing, too_long = _CLEAN_MESSAGES[what]
    text = (text or "").replace("\x00", "").strip()
    if required and not text:
        raise ValidationError(_(missing), code="required")
    if len(text) > limit:
        raise ValidationError(_(too_long) % {"length": f"{len(text):,}", "limit": f"{limit:,}"}, code="too_long")
    return text


def _set_item_hidden(case, *, hidden: bool, reason: str = ""):
    """Hide or show the item itself (if it still exists): the content apps' selectors do the rest."""
    info_model = kinds.KINDS[case.kind].queryset().model
    values = (
        {"hidden_at": timezone.now(), "hidden_reason": reason[:MAX_REASON_LENGTH]}
        if hidden
        else {
            "hidden_at": None,
            "hidden_reason": "",
        }
    )
    if case.target_id is not None:
        info_model.objects.filter(pk=case.target_id).update(**values)
    case.state = CaseState.HIDDEN if hidden else CaseState.VISIBLE
    # Pages shared with anonymous visitors may show the item as it was: they are retired once this commits.
    transaction.on_commit(forget_public_pages)
    if case.kind in PEER_CONTEXT_KINDS and case.owner_group_id is not None:
        # What the group wrote changed for the matcher: its peers (and the lists it is in) are recomputed.
        announce_group_context_changed(case.owner_group_id)


def _case_for(kind, item):
    """The item's case, created on its first report, locked for the rest of the transaction."""
    field = TARGET_FIELDS[kind]
    info = kinds.KINDS[kind]
    case, _created = Case.objects.get_or_create(
        **{field: item},
        defaults={
            "kind": kind,
            "owner_group": info.owner_group(item),
            "funder_id": info.funder_id(item),
            "title": info.title(item)[:200],
            "url": info.url(item)[:500],
            "state": CaseState.HIDDEN if item.hidden_at else CaseState.VISIBLE,
        },
    )
    return Case.objects.select_for_update().get(pk=case.pk)


def _ensure_report_rate(reporter):
    """Everyone may send REPORTS_PER_HOUR reports an hour; a new account the posting rules' "report" limit."""
    recent = Report.objects.filter(reporter=reporter)
    ensure_within_rate(user=reporter, kind="report", recent=recent)
    if recent.filter(created_at__gte=timezone.now() - timedelta(hours=1)).count() >= REPORTS_PER_HOUR:
        raise PostingRateLimited(
            ngettext(
                "You can send %(count)d report an hour. Thank you for looking out for the community; "
                "please try again a little later.",
                "You can send %(count)d reports an hour. Thank you for looking out for the community; "
                "please try again a little later.",
                REPORTS_PER_HOUR,
            )
            % {"count": REPORTS_PER_HOUR},
            code="rate_limited",
        )


@transaction.atomic
def report(*, reporter, kind: str, pk: int, reason: str, details: str = "") -> Report:
    """Record `reporter`'s report on an item, with a snapshot of it as it is now.

    One report per person per item; the item is hidden automatically pending review when it reaches
    `MODERATION_AUTO_HIDE_REPORTS` open reports from different people, and the moderators are mailed once.
    """
    item = kinds.load(kind, pk)
    if item is None or not kinds.KINDS[kind].can_see(reporter, item):
        raise ItemNotFound
    if reason not in Reason.values:
        raise ValidationError(_("Please choose why you are reporting this."), code="reason")
    details = _clean(details, limit=MAX_DETAILS_LENGTH, what="details")
    if reason == Reason.OTHER and not details:
        raise ValidationError(_("Please say what is wrong when you choose “something else”."), code="details")
    if kinds.is_hidden(kind, item):
        raise ModerationRefused(_("This is already hidden while the moderators look at it."), code="already_hidden")
    if kinds.answers_for(reporter, kind, item):
        raise ModerationRefused(_("You cannot report your own group's content; edit or delete it instead."), code="own")
    case = _case_for(kind, item)
    if case.state != CaseState.VISIBLE:
        # Checked again under the case's lock: reports sent at the same moment wait here for the one
        # that hid the item, and then see it hidden (the check above read the item before the lock).
        raise ModerationRefused(_("This is already hidden while the moderators look at it."), code="already_hidden")
    if Report.objects.filter(case=case, reporter=reporter).exists():
        raise ModerationRefused(_("You have already reported this. The moderators will look at it."), code="duplicate")
    _ensure_report_rate(reporter)
    made = Report.objects.create(
        case=case, reporter=reporter, reason=reason, details=details, snapshot=kinds.snapshot(kind, item)
    )
    now = timezone.now()
    case.open_reports = F("open_reports") + 1
    case.needs_review = True
    case.waiting_since = case.waiting_since or now
    case.save()
    case.refresh_from_db()
    # The log keeps what the site wrote in English, whatever the language: LogEntry.shown_reason translates it.
    with translation.override("en"):
        reason_label = str(Reason(reason).label)
        reported_by = ngettext("%(count)d person reported it.", "%(count)d people reported it.", case.open_reports) % {
            "count": case.open_reports
        }
    _log(case=case, actor=reporter, event=Event.REPORTED, reason=reason_label)
    if case.state == CaseState.VISIBLE and case.open_reports >= auto_hide_threshold():
        _set_item_hidden(case, hidden=True, reason=AUTO_HIDE_REASON)
        case.auto_hidden_at = now
        case.moderators_notified_at = None
        case.save()
        _log(case=case, event=Event.AUTO_HIDDEN, reason=reported_by)
        from .tasks import notify_moderators_of_auto_hide

        _on_commit(notify_moderators_of_auto_hide, case.pk)
    return made


def _resolve_reports(case, outcome):
    now = timezone.now()
    resolved = Report.objects.filter(case=case, resolved_at__isnull=True).update(resolved_at=now, outcome=outcome)
    case.open_reports = 0
    if resolved:
        from .tasks import notify_reporters

        _on_commit(notify_reporters, case.pk)


def _decide_appeal(case, *, upheld):
    Appeal.objects.filter(case=case, decided_at__isnull=True).update(decided_at=timezone.now(), upheld=upheld)


def _locked(case, by):
    if not can_moderate_case(by, case):
        raise PermissionDenied(_("Only moderators can do this."))
    return Case.objects.select_for_update().get(pk=case.pk)


@transaction.atomic
def hide(*, case: Case, by, reason: str) -> Case:
    """Hide the item from everyone but the people who answer for it; they see `reason` and may appeal."""
    case = _locked(case, by)
    reason = _clean(reason, limit=MAX_REASON_LENGTH, what="owner_reason", required=True)
    appeal_pending = Appeal.objects.filter(case=case, decided_at__isnull=True).exists()
    if case.is_hidden and not case.needs_review:
        raise ModerationRefused(_("This is already hidden."), code="already_hidden")
    _set_item_hidden(case, hidden=True, reason=reason)
    _resolve_reports(case, Outcome.HIDDEN)
    if appeal_pending:
        _decide_appeal(case, upheld=False)
    case.needs_review = False
    case.waiting_since = None
    case.save()
    entry = _log(case=case, actor=by, event=Event.KEPT_HIDDEN if appeal_pending else Event.HIDDEN, reason=reason)
    from .tasks import notify_owner

    _on_commit(notify_owner, entry.pk)
    return case


@transaction.atomic
def dismiss(*, case: Case, by, reason: str = "") -> Case:
    """The reports are unfounded: close them and, if the item was hidden automatically, show it again."""
    case = _locked(case, by)
    reason = _clean(reason, limit=MAX_REASON_LENGTH, what="reason")
    if not case.open_reports:
        raise ModerationRefused(_("There are no open reports to dismiss."), code="nothing_open")
    if case.is_hidden and case.auto_hidden_at and not Appeal.objects.filter(case=case).exists():
        _set_item_hidden(case, hidden=False)
    _resolve_reports(case, Outcome.DISMISSED)
    case.needs_review = Appeal.objects.filter(case=case, decided_at__isnull=True).exists()
    case.waiting_since = case.waiting_since if case.needs_review else None
    case.save()
    _log(case=case, actor=by, event=Event.DISMISSED, reason=reason)
    return case


@transaction.atomic
def restore(*, case: Case, by, reason: str = "") -> Case:
    """Show a hidden item again (after an appeal or a second look), closing its reports and appeal."""
    case = _locked(case, by)
    reason = _clean(reason, limit=MAX_REASON_LENGTH, what="reason")
    if not case.is_hidden:
        raise ModerationRefused(_("This is not hidden."), code="not_hidden")
    _set_item_hidden(case, hidden=False)
    _resolve_reports(case, Outcome.RESTORED)
    _decide_appeal(case, upheld=True)
    case.needs_review = False
    case.waiting_since = None
    case.auto_hidden_at = None
    case.save()
    entry = _log(case=case, actor=by, event=Event.RESTORED, reason=reason)
    from .tasks import notify_owner

    _on_commit(notify_owner, entry.pk)
    return case


@transaction.atomic
def appeal(*, kind: str, pk: int, by, text: str) -> Appeal:
    """The owner's one appeal against a hidden item; it goes back into the moderators' queue."""
    item = kinds.load(kind, pk)
    if item is None:
        raise ItemNotFound
    if not kinds.answers_for(by, kind, item):
        raise PermissionDenied(_("Only the people who run this item's group can appeal."))
    text = _clean(text, limit=MAX_DETAILS_LENGTH, what="appeal", required=True)
    case = Case.objects.select_for_update().filter(**{TARGET_FIELDS[kind]: item}).first()
    if case is None or not case.is_hidden:
        raise ModerationRefused(_("Only a hidden item can be appealed."), code="not_hidden")
    if Appeal.objects.filter(case=case).exists():
        raise ModerationRefused(
            _("This item has already been appealed once; the moderators' answer stands."), code="appealed"
        )
    made = Appeal.objects.create(case=case, by=by, text=text)
    case.needs_review = True
    case.waiting_since = case.waiting_since or timezone.now()
    case.save()
    _log(case=case, actor=by, event=Event.APPEALED, reason=text)
    return made


@transaction.atomic
def suspend(*, user: User, by, reason: str) -> User:
    """Stop `user` posting anything; what they wrote stays unless it is hidden item by item."""
    if not can_suspend(by):
        raise PermissionDenied(_("Only site moderators can suspend accounts."))
    reason = _clean(reason, limit=MAX_REASON_LENGTH, what="reason", required=True)
    if user.pk == by.pk:
        raise ModerationRefused(_("You cannot suspend your own account."), code="self")
    if user.can_moderate:
        raise ModerationRefused(_("Moderators and staff cannot be suspended here; use the admin."), code="moderator")
    if not User.objects.filter(pk=user.pk, suspended_at__isnull=True).update(
        suspended_at=timezone.now(), suspension_reason=reason
    ):
        raise ModerationRefused(_("This account is already suspended."), code="already_suspended")
    _log(subject_user=user, actor=by, event=Event.SUSPENDED, reason=reason)
    user.refresh_from_db()
    return user


@transaction.atomic
def unsuspend(*, user: User, by, reason: str = "") -> User:
    if not can_suspend(by):
        raise PermissionDenied(_("Only site moderators can lift a suspension."))
    reason = _clean(reason, limit=MAX_REASON_LENGTH, what="reason")
    if not User.objects.filter(pk=user.pk, suspended_at__isnull=False).update(suspended_at=None, suspension_reason=""):
        raise ModerationRefused(_("This account is not suspended."), code="not_suspended")
    _log(subject_user=user, actor=by, event=Event.UNSUSPENDED, reason=reason)
    user.refresh_from_db()
    return user


# Mail, through `core.mail`: each claims before sending, so a retried task mails nobody twice.


def _moderator_emails(case):
    moderators = Q(is_moderator=True) | Q(is_staff=True)
    if case.funder_id:
        moderators |= Q(funder_memberships__funder_id=case.funder_id)
    return sorted(
        set(User.objects.filter(moderators, is_active=True, deleted_at__isnull=True).values_list("email", flat=True))
    )


def notify_moderators_of_auto_hide(*, case_id: int) -> int:
    """One mail to each moderator when an item is hidden automatically. Returns how many this call sent.

    Each moderator's copy is claimed on its own (`core.mail.send_once_to_each`, about this auto-hide), so
    when a send fails the retry mails only those not mailed yet. `moderators_notified_at` is set once
    every copy has gone; a new auto-hide of the case sets it back to None and is a new mail.
    """
    case = Case.objects.filter(pk=case_id, auto_hidden_at__isnull=False, moderators_notified_at__isnull=True).first()
    if case is None:
        return 0
    sent = send_once_to_each(
        about=f"moderation.auto_hidden:{case.pk}:{case.auto_hidden_at.isoformat()}",
        recipients=_moderator_emails(case),
        compose=partial(_auto_hidden, case),
    )
    Case.objects.filter(pk=case_id, auto_hidden_at=case.auto_hidden_at, moderators_notified_at__isnull=True).update(
        moderators_notified_at=timezone.now()
    )
    return sent


def _auto_hidden(case, email) -> Mail:
    with speaking_to(email):
        context = {"case": case, "url": settings.SITE_URL + case.get_absolute_url(), "threshold": auto_hide_threshold()}
        subject = ngettext(
            "Hidden after %(count)d report: %(title)s", "Hidden after %(count)d reports: %(title)s", case.open_reports
        ) % {"count": case.open_reports, "title": case.title}
        return Mail(subject=subject, body=render_to_string("emails/moderation_auto_hidden.txt", context), to=[email])


def notify_reporters(*, case_id: int) -> int:
    """Tell each reporter the outcome of their report, once (`core.mail.send_once` on each report)."""
    reports = Report.objects.filter(
        case_id=case_id, resolved_at__isnull=False, outcome_notified_at__isnull=True, reporter__isnull=False
    ).select_related("case", "reporter")
    return sum(
        send_once(
            Report.objects.filter(pk=made.pk), field="outcome_notified_at", compose=partial(_report_outcome, made)
        )
        for made in reports
    )


def _report_outcome(made: Report) -> Mail | None:
    if not made.reporter.is_active:
        return None
    with speaking_to(made.reporter):
        return Mail(
            subject=_("About your report: %(title)s") % {"title": made.case.title},
            body=render_to_string("emails/moderation_report_outcome.txt", {"report": made, "site": settings.SITE_URL}),
            to=[made.reporter.email],
        )


def notify_owner(*, log_entry_id: int) -> int:
    """Tell the people who run the item's group what the moderators decided and why, once per decision.

    One mail to all of them together, claimed on the log entry (`core.mail.send_once`). Returns how many
    people it went to.
    """
    entries = LogEntry.objects.filter(pk=log_entry_id)
    return send_once(entries, field="owner_notified_at", compose=lambda: _decision(log_entry_id))


def _decision(log_entry_id: int) -> Mail | None:
    entry = LogEntry.objects.select_related("case__owner_group").get(pk=log_entry_id)
    case = entry.case
    if case is None or case.owner_group is None:
        return None
    recipients = list(
        Membership.objects.filter(group=case.owner_group, role__in=MANAGING_ROLES, user__is_active=True).values_list(
            "user__email", flat=True
        )
    )
    return in_languages_of(recipients, partial(_decision_in_language, case, entry))


def _decision_in_language(case, entry, recipients) -> Mail:
    context = {"case": case, "entry": entry, "url": settings.SITE_URL + case_item_url(case)}
    return Mail(
        # Translators: a mail's subject: what the moderators did ("Hidden"), then the item's title.
        subject=_("%(event)s: %(title)s") % {"event": entry.get_event_display(), "title": case.title},
        body=render_to_string("emails/moderation_owner.txt", context),
        to=recipients,
    )


def case_item_url(case) -> str:
    """Where the item's owners read what happened to it and may appeal."""
    return reverse("moderation:item", kwargs={"kind": case.kind, "pk": case.target_id or 0})
