"""Writes for actions and sign-ups: organisers publish actions, residents sign up and cancel.

Every sign-up change locks the action's row first (`select_for_update`), so two residents acting at
once are served one after the other: places are never given twice, and the waiting list moves in
order. Mails go from tasks after the transaction commits, each at most once per change.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.mail import Mail, send_once, speaking_to
from core.posting import check_post
from core.refusals import Refused

from . import gazetteer, notifications
from .feeds import action_calendar
from .models import Action, ActionSignup, ActionStatus, ActivityKind, Group, SignupStatus
from .services import ensure_known_district

ACTION_FIELDS = (
    "title",
    "description",
    "starts_at",
    "ends_at",
    "place_name",
    "postcode_district",
    "capacity",
    "accessible",
    "accessibility_notes",
)
ACTIVE = (SignupStatus.CONFIRMED, SignupStatus.WAITING)
# What people write in an action: checked by `core.posting` (suspension, links).
ACTION_TEXT_FIELDS = ("title", "description", "place_name", "accessibility_notes")


class SignupRefused(Refused):
    """A sign-up or cancellation the rules do not allow (409 unless raised with another status)."""

    status = 409


# --- Actions --------------------------------------------------------------------------------------


def _locate(*, group: Group, place_name: str, postcode_district: str) -> tuple[float | None, float | None]:
    """Coordinates for an action's place: its postcode district, its name (or a comma-separated part of
    it, so "Town Hall, Kendal" finds Kendal), else the group's own place when no place is given.

    Raises ValidationError on `place_name` if a place was given that we cannot find.
    """
    if not place_name and not postcode_district:
        return group.latitude, group.longitude
    ensure_known_district(postcode_district)
    parts = [part.strip() for part in place_name.split(",") if part.strip()]
    for query in (postcode_district, place_name, *reversed(parts)):
        place = gazetteer.resolve_place(query) if query else None
        if place is not None:
            return place.latitude, place.longitude
    raise ValidationError(
        {
            "place_name": _(
                "We could not find “%(place)s”. Add the town or the postcode district "
                "(e.g. “Town Hall, Kendal” or LA9), or leave the place empty if the action is where the group is."
            )
            % {"place": place_name or postcode_district}
        },
        code="unknown_place",
    )


def _check_future_start(starts_at: dt.datetime) -> None:
    if starts_at is not None and starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("The start must be in the future.")}, code="start_in_past")


def create_action(*, group: Group, created_by, **fields) -> Action:
    """Publish an action of `group` and tell its followers (a GroupActivity, mailed after commit).

    Raises ValidationError (end not after start, capacity below 1, start in the past, unknown place),
    or PostingRefused if `created_by` is suspended or the text has too many links.
    """
    fields = _cleaned(fields)
    if created_by is not None:
        check_post(user=created_by, kind="action", content={name: fields.get(name, "") for name in ACTION_TEXT_FIELDS})
    _check_future_start(fields.get("starts_at"))
    latitude, longitude = _locate(
        group=group, place_name=fields.get("place_name", ""), postcode_district=fields.get("postcode_district", "")
    )
    action = Action(group=group, created_by=created_by, latitude=latitude, longitude=longitude, **fields)
    action.full_clean()
    with transaction.atomic():
        action.save()
        notifications.record_group_activity(
            group_id=group.pk,
            kind=ActivityKind.ACTION,
            # Kept as written: the month is named in the language of the person publishing, as the title is.
            title=f"{action.title} ({dateformat.format(timezone.localtime(action.starts_at), 'j F Y')})",
            subject=action,
        )
    return action


def update_action(*, action: Action, status: str | None = None, by=None, **fields) -> Action:
    """Change an action. A new start must be in the future; capacity cannot drop below the people
    already confirmed; more capacity promotes people from the waiting list; cancelling the action
    tells everyone signed up. Raises ValidationError, or PostingRefused if `by` (the person editing;
    None only for writes no person makes through the site) is suspended or the text has too many links.
    """
    fields = _cleaned(fields)
    if by is not None:
        check_post(
            user=by,
            kind="action",
            content={name: fields.get(name, getattr(action, name)) for name in ACTION_TEXT_FIELDS},
        )
    with transaction.atomic():
        locked = Action.objects.select_for_update().select_related("group").get(pk=action.pk)
        if "starts_at" in fields and fields["starts_at"] != locked.starts_at:
            _check_future_start(fields["starts_at"])
        place_changed = any(
            name in fields and fields[name] != getattr(locked, name) for name in ("place_name", "postcode_district")
        )
        for name, value in fields.items():
            setattr(locked, name, value)
        if place_changed:
            locked.latitude, locked.longitude = _locate(
                group=locked.group, place_name=locked.place_name, postcode_district=locked.postcode_district
            )
        was_cancelled = locked.status == ActionStatus.CANCELLED
        if status is not None:
            locked.status = status
        locked.full_clean()
        confirmed = locked.signups.filter(status=SignupStatus.CONFIRMED).count()
        if locked.capacity is not None and locked.capacity < confirmed:
            raise ValidationError(
                {
                    "capacity": ngettext(
                        "%(count)s person already has a place, so the capacity cannot be below %(count)s. "
                        "Ask people to cancel first, or cancel the action.",
                        "%(count)s people already have a place, so the capacity cannot be below %(count)s. "
                        "Ask people to cancel first, or cancel the action.",
                        confirmed,
                    )
                    % {"count": confirmed}
                },
                code="capacity_below_confirmed",
            )
        locked.save()
        if locked.status == ActionStatus.CANCELLED and not was_cancelled:
            # Everyone still signed up hears that it is off: their notice is due again.
            to_tell = list(locked.signups.filter(status__in=ACTIVE).values_list("pk", flat=True))
            ActionSignup.objects.filter(pk__in=to_tell).update(notice_sent_at=None)
            _notify_after_commit(to_tell)
        elif locked.status == ActionStatus.SCHEDULED:
            _fill_free_places(locked)
    return locked


def _cleaned(fields: dict) -> dict:
    unknown = set(fields) - set(ACTION_FIELDS)
    if unknown:
        raise TypeError(f"unexpected action fields: {', '.join(sorted(unknown))}")
    cleaned = {name: value.strip() if isinstance(value, str) else value for name, value in fields.items()}
    if "postcode_district" in cleaned:
        value = cleaned["postcode_district"]
        cleaned["postcode_district"] = gazetteer.postcode_district(value) or value
    return cleaned


# --- Sign-ups -------------------------------------------------------------------------------------


def _open_action(action_id: int) -> Action:
    """The action, locked for this transaction; refused if it is cancelled or has started."""
    action = Action.objects.select_for_update().get(pk=action_id)
    if action.status == ActionStatus.CANCELLED:
        raise SignupRefused(_("This action has been cancelled, so sign-ups are closed."), code="cancelled")
    if action.starts_at <= timezone.now():
        raise SignupRefused(_("This action has already started or is over, so sign-ups are closed."), code="past")
    return action


def sign_up(*, action_id: int, user) -> ActionSignup:
    """Give `user` a place at the action, or a place on its waiting list when it is full.

    Refused (SignupRefused) if the action is cancelled, has started, or they are already signed up.
    The confirmation mail is sent by a task after commit.
    """
    now = timezone.now()
    with transaction.atomic():
        action = _open_action(action_id)
        signup = ActionSignup.objects.filter(action=action, user=user).first()
        if signup is not None and signup.status == SignupStatus.CONFIRMED:
            raise SignupRefused(_("You are already signed up for this action."), code="already_signed_up")
        if signup is not None and signup.status == SignupStatus.WAITING:
            raise SignupRefused(_("You are already on the waiting list for this action."), code="already_waiting")
        confirmed = ActionSignup.objects.filter(action=action, status=SignupStatus.CONFIRMED).count()
        status = SignupStatus.CONFIRMED if confirmed < action.capacity else SignupStatus.WAITING
        if signup is None:
            signup = ActionSignup(action=action, user=user)
        # Signing up again after cancelling: the back of the queue, and a fresh notice.
        signup.status, signup.queued_at, signup.promoted_at, signup.notice_sent_at = status, now, None, None
        signup.full_clean(exclude=["action", "user"])
        signup.save()
        _notify_after_commit([signup.pk])
    return signup


def cancel_signup(*, action_id: int, user) -> ActionSignup:
    """Give up `user`'s place (or waiting-list place); the first people waiting get free places.

    Refused (SignupRefused) if they are not signed up or the action has started.
    """
    with transaction.atomic():
        action = Action.objects.select_for_update().get(pk=action_id)
        signup = ActionSignup.objects.filter(action=action, user=user, status__in=ACTIVE).first()
        if signup is None:
            raise SignupRefused(
                _("You are not signed up for this action, so there is nothing to cancel."), code="not_signed_up"
            )
        if action.starts_at <= timezone.now():
            raise SignupRefused(
                _("This action has already started, so it can no longer be cancelled here."), code="past"
            )
        signup.status = SignupStatus.CANCELLED
        signup.save(update_fields=["status"])
        if action.status == ActionStatus.SCHEDULED:
            _fill_free_places(action)
    return signup


def _fill_free_places(action: Action) -> list[int]:
    """Promote the first people waiting into free places (the action row must be locked). Returns their ids."""
    confirmed = ActionSignup.objects.filter(action=action, status=SignupStatus.CONFIRMED).count()
    free = action.capacity - confirmed
    if free <= 0:
        return []
    promoted = list(
        ActionSignup.objects.filter(action=action, status=SignupStatus.WAITING)
        .order_by("queued_at", "pk")
        .values_list("pk", flat=True)[:free]
    )
    if promoted:
        ActionSignup.objects.filter(pk__in=promoted).update(
            status=SignupStatus.CONFIRMED, promoted_at=timezone.now(), notice_sent_at=None
        )
        _notify_after_commit(promoted)
    return promoted


def _notify_after_commit(signup_ids: list[int]) -> None:
    from .tasks import send_signup_notice

    for signup_id in signup_ids:
        transaction.on_commit(lambda signup_id=signup_id: send_signup_notice.delay(signup_id))


def waiting_position(signup: ActionSignup) -> int | None:
    """1 for the first person waiting; None if `signup` is not waiting."""
    if signup.status != SignupStatus.WAITING:
        return None
    ahead = ActionSignup.objects.filter(
        Q(queued_at__lt=signup.queued_at) | Q(queued_at=signup.queued_at, pk__lt=signup.pk),
        action_id=signup.action_id,
        status=SignupStatus.WAITING,
    ).count()
    return ahead + 1


def places_taken(action: Action) -> dict:
    """Confirmed and waiting counts of one action."""
    return action.signups.aggregate(
        confirmed=Count("pk", filter=Q(status=SignupStatus.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=SignupStatus.WAITING)),
    )


# --- Mail -----------------------------------------------------------------------------------------


def _notice_kind(signup: ActionSignup) -> str:
    if signup.action.status == ActionStatus.CANCELLED:
        return "cancelled"
    if signup.status == SignupStatus.WAITING:
        return "waiting"
    return "promoted" if signup.promoted_at else "confirmed"


def _notice_subject(kind: str, title: str) -> str:
    """The subject of a sign-up notice of `kind` about the action `title`, in the active language."""
    subjects = {
        "confirmed": _("You are signed up: %(title)s"),
        "waiting": _("You are on the waiting list: %(title)s"),
        "promoted": _("A place came free — you are going: %(title)s"),
        # Translators: mail subject; the action's title follows.
        "cancelled": _("Cancelled: %(title)s"),
    }
    return subjects[kind] % {"title": title}


def send_signup_notice(*, signup_id: int) -> bool:
    """Tell a resident what their sign-up now is (confirmed, waiting, promoted, or the action cancelled).

    Sent at most once per change: the row is claimed first (`core.mail.send_once`, on `notice_sent_at`,
    which each change sets back to None); if sending fails the claim is released and the error
    propagates, so the task is retried. A confirmed place comes with the action as an .ics calendar file.
    """
    signups = ActionSignup.objects.filter(pk=signup_id)
    sent = send_once(signups, field="notice_sent_at", only_if=Q(status__in=ACTIVE), compose=lambda: _notice(signup_id))
    return sent > 0


def _notice(signup_id: int) -> Mail:
    signup = ActionSignup.objects.select_related("action__group", "user").get(pk=signup_id)
    with speaking_to(signup.user):
        return _notice_in_language(signup)


def _notice_in_language(signup: ActionSignup) -> Mail:
    action = signup.action
    kind = _notice_kind(signup)
    context = {
        "signup": signup,
        "action": action,
        "group": action.group,
        "kind": kind,
        "position": waiting_position(signup),
        "action_url": settings.SITE_URL + action.get_absolute_url(),
        "ics_url": settings.SITE_URL
        + reverse("groups:action_ics", kwargs={"slug": action.group.slug, "pk": action.pk}),
    }
    calendar = [("action.ics", action_calendar([action]), "text/calendar; method=PUBLISH")]
    return Mail(
        subject=_notice_subject(kind, action.title),
        body=render_to_string("emails/action_signup.txt", context),
        to=[signup.user.email],
        attachments=calendar if kind in ("confirmed", "promoted") else (),
    )
