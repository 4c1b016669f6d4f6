"""Joining and following groups, and the mails followers get about what is new.

Other apps tell followers about something new by calling `record_group_activity` (challenges does
it when a progress update is published). Each activity is mailed at once to followers who asked
for that, and gathered into a weekly digest for the others. A mail is sent at most once even if a
task is retried: a row per (follower, activity) or per (user, week) is claimed before sending
(`core.mail.send_once`).
Every follower mail carries a signed one-click unsubscribe link (RFC 8058) that needs no login.
Nothing the moderators have hidden is mailed: not a hidden group's news, nor a hidden update or action
(one already mailed stays mailed; its page is then refused to the public). An activity points at what it
announces (`GroupActivity.subject`), whose model says whether it is hidden.
"""

import datetime as dt
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import IntegerField, Value
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from core.languages import path_in_active_language
from core.mail import Mail, send_once, speaking_to

from .models import (
    ActivityMail,
    DigestMail,
    Follow,
    FollowMail,
    Group,
    GroupActivity,
    Membership,
    Role,
)

UNSUBSCRIBE_SALT = "groups.unsubscribe"
DIGEST = "digest"


# --- Joining and following ------------------------------------------------------------------------


def join_group(*, group: Group, user) -> Membership:
    """Make `user` a member of `group`. They also follow it (mail for each post) unless they already do.

    Refused (ValidationError, code "already_member") if they are in the group already.
    """
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(group=group, user=user, defaults={"role": Role.MEMBER})
        if not created:
            if membership.role == Role.OWNER:
                message = _("You are already an owner of %(group)s.")
            elif membership.role == Role.ORGANISER:
                message = _("You are already an organiser of %(group)s.")
            else:
                message = _("You are already a member of %(group)s.")
            raise ValidationError(message % {"group": group.name}, code="already_member")
        Follow.objects.get_or_create(group=group, user=user, defaults={"mail": FollowMail.IMMEDIATE})
    return membership


def follow_group(*, group: Group, user, mail: str = FollowMail.IMMEDIATE) -> Follow:
    """Follow `group` (or change how its news is mailed, if already following)."""
    if mail not in FollowMail.values:
        raise ValidationError({"mail": _("Choose how you want to hear from the group.")}, code="bad_mail")
    follow, _created = Follow.objects.update_or_create(group=group, user=user, defaults={"mail": mail})
    return follow


def unfollow_group(*, group: Group, user) -> None:
    """Stop following `group`. Refused (ValidationError, code "not_following") if they did not follow it."""
    deleted, _by_model = Follow.objects.filter(group=group, user=user).delete()
    if not deleted:
        raise ValidationError(_("You do not follow %(group)s.") % {"group": group.name}, code="not_following")


# --- Unsubscribing --------------------------------------------------------------------------------


def unsubscribe_token(*, user_id: int, group_id: int | None) -> str:
    """A signed token that stops mails from one group (or, with group_id None, the weekly digest)."""
    return signing.dumps({"u": user_id, "g": group_id if group_id is not None else DIGEST}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(*, user_id: int, group_id: int | None) -> str:
    token = unsubscribe_token(user_id=user_id, group_id=group_id)
    return settings.SITE_URL + reverse("groups:unsubscribe", kwargs={"token": token})


def read_unsubscribe_token(token: str) -> dict:
    """The token's {"user_id", "group_id"} (group_id None for the digest). Raises signing.BadSignature."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise signing.BadSignature("unexpected token contents")
    group_id = None if data.get("g") == DIGEST else data.get("g")
    if group_id is not None and not isinstance(group_id, int):
        raise signing.BadSignature("unexpected token contents")
    return {"user_id": data["u"], "group_id": group_id}


def unsubscribe(*, token: str) -> int:
    """Stop the mails the token is for: that group's (the follow stays, with no mail) or every weekly digest.

    Returns how many follows changed; safe to repeat. Raises signing.BadSignature for a bad token.
    """
    target = read_unsubscribe_token(token)
    follows = Follow.objects.filter(user_id=target["user_id"])
    if target["group_id"] is None:
        follows = follows.filter(mail=FollowMail.WEEKLY)
    else:
        follows = follows.filter(group_id=target["group_id"])
    return follows.exclude(mail=FollowMail.NONE).update(mail=FollowMail.NONE)


# --- Activity and its mails -----------------------------------------------------------------------


def record_group_activity(*, group_id: int, kind: str, title: str, subject: models.Model) -> GroupActivity:
    """Note something new at a group: `subject` (an update, an action) is what the activity points at,
    and its address is kept for news and mails. Followers who want each post are mailed by a task after
    the current transaction commits. `subject`'s model must answer `hidden_among(ids)` (see GroupActivity).
    """
    activity = GroupActivity(
        group_id=group_id, kind=kind, title=title[:200], url=subject.get_absolute_url(), subject=subject
    )
    activity.full_clean(exclude=["group"])
    activity.save()
    from .tasks import send_activity_mails

    transaction.on_commit(lambda: send_activity_mails.delay(activity.pk))
    return activity


def without_hidden_activities(activities) -> list[GroupActivity]:
    """`activities` (groups loaded) less those of hidden groups and those whose subject the moderators
    have hidden (an update is hidden with its solution too).

    At most one query, whatever the number of activities and kinds: each subject's model gives the hidden
    ones among the ids asked (`hidden_among`, see GroupActivity) and the answers are joined in a union.
    """
    activities = [activity for activity in activities if activity.group.hidden_at is None]
    ids_by_type: dict[int, set[int]] = {}
    for activity in activities:
        if activity.subject_type_id is not None and activity.subject_id is not None:
            ids_by_type.setdefault(activity.subject_type_id, set()).add(activity.subject_id)
    queries = []
    for type_id, ids in ids_by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()  # cached after its first use
        if model is None:
            continue  # a model no longer installed: nothing of it can be hidden
        queries.append(
            model.hidden_among(sorted(ids))
            .annotate(announced_type=Value(type_id, output_field=IntegerField()))
            .values_list("pk", "announced_type")
            .order_by()
        )
    hidden = set(queries[0].union(*queries[1:], all=True)) if queries else set()
    return [activity for activity in activities if (activity.subject_id, activity.subject_type_id) not in hidden]


def _follower_mail(*, to: str, subject: str, body: str, unsubscribe: str) -> Mail:
    return Mail(
        subject=subject,
        body=body,
        to=[to],
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


def send_activity_mails(*, activity_id: int) -> int:
    """Mail an activity to each follower who wants every post; returns how many mails this call sent.

    A row per (activity, follower) is inserted (ignoring ones that exist) and claimed before each mail
    (`core.mail.send_once`, on its `sent_at`), so a retried or duplicated task never mails anyone twice.
    If a mail fails, its claim is released and the error propagates: the retry sends only what is still unsent.
    """
    activity = GroupActivity.objects.select_related("group").filter(pk=activity_id).first()
    if activity is None or not without_hidden_activities([activity]):
        return 0  # gone, or hidden by the moderators before the mail went
    followers = list(
        Follow.objects.filter(group_id=activity.group_id, mail=FollowMail.IMMEDIATE, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    )
    ActivityMail.objects.bulk_create(
        [ActivityMail(activity=activity, user_id=follow.user_id) for follow in followers], ignore_conflicts=True
    )
    return sum(
        send_once(
            ActivityMail.objects.filter(activity=activity, user_id=follow.user_id),
            field="sent_at",
            compose=partial(_activity_mail, activity, follow),
        )
        for follow in followers
    )


def _activity_mail(activity: GroupActivity, follow: Follow) -> Mail:
    with speaking_to(follow.user):
        return _activity_mail_in_language(activity, follow)


def _activity_mail_in_language(activity: GroupActivity, follow: Follow) -> Mail:
    unsubscribe = unsubscribe_url(user_id=follow.user_id, group_id=activity.group_id)
    context = {
        "activity": activity,
        "group": activity.group,
        "user": follow.user,
        "activity_url": settings.SITE_URL + path_in_active_language(activity.url),
        "unsubscribe_url": unsubscribe,
        "site_url": settings.SITE_URL,
    }
    return _follower_mail(
        to=follow.user.email,
        subject=f"{activity.group.name}: {activity.title}",
        body=render_to_string("emails/follow_activity.txt", context),
        unsubscribe=unsubscribe,
    )


def digest_week(today: dt.date | None = None) -> dt.date:
    """The Monday that names this week's digest; it covers the seven days before that Monday."""
    today = today or timezone.localdate()
    return today - dt.timedelta(days=today.weekday())


def _week_bounds(week: dt.date) -> tuple[dt.datetime, dt.datetime]:
    end = timezone.make_aware(dt.datetime.combine(week, dt.time.min))
    start = timezone.make_aware(dt.datetime.combine(week - dt.timedelta(days=7), dt.time.min))
    return start, end


def users_due_a_digest() -> list[int]:
    return list(
        Follow.objects.filter(mail=FollowMail.WEEKLY, user__is_active=True)
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )


def queue_weekly_digests(*, today: dt.date | None = None) -> int:
    """Queue one digest task per user who follows a group weekly (Celery beat calls this on Mondays)."""
    from .tasks import send_digest

    week = digest_week(today)
    users = users_due_a_digest()
    for user_id in users:
        send_digest.delay(user_id, week.isoformat())
    return len(users)


def send_digest(*, user_id: int, week: dt.date) -> bool:
    """Send `user_id` the digest of what is new in the groups they follow weekly, once per week.

    Nothing is sent for a week with nothing new. The (user, week) row is inserted if missing and
    claimed before sending (`core.mail.send_once`, on its `sent_at`); a failed send releases it for the retry.
    """
    start, end = _week_bounds(week)
    follows = Follow.objects.filter(user_id=user_id, mail=FollowMail.WEEKLY, user__is_active=True)
    activities = list(
        GroupActivity.objects.filter(group_id__in=follows.values("group_id"), created_at__gte=start, created_at__lt=end)
        .select_related("group")
        .order_by("group__name", "group_id", "-created_at", "-pk")
    )
    activities = without_hidden_activities(activities)
    if not activities:
        return False
    DigestMail.objects.bulk_create([DigestMail(user_id=user_id, week=week)], ignore_conflicts=True)
    digests = DigestMail.objects.filter(user_id=user_id, week=week)
    return send_once(digests, field="sent_at", compose=lambda: _digest(user_id, activities, start, end)) > 0


def _digest(user_id: int, activities: list[GroupActivity], start: dt.datetime, end: dt.datetime) -> Mail:
    user = get_user_model().objects.get(pk=user_id)
    with speaking_to(user):
        return _digest_in_language(user, activities, start, end)


def _digest_in_language(user, activities: list[GroupActivity], start: dt.datetime, end: dt.datetime) -> Mail:
    user_id = user.pk
    unsubscribe = unsubscribe_url(user_id=user_id, group_id=None)
    by_group: dict[int, dict] = {}
    for activity in activities:
        entry = by_group.setdefault(activity.group_id, {"group": activity.group, "items": []})
        entry["items"].append({"activity": activity, "url": settings.SITE_URL + path_in_active_language(activity.url)})
    context = {
        "user": user,
        "week_start": start.date(),
        "week_end": (end - dt.timedelta(days=1)).date(),
        "groups": list(by_group.values()),
        "unsubscribe_url": unsubscribe,
        "site_url": settings.SITE_URL,
    }
    return _follower_mail(
        to=user.email,
        # Translators: a weekly mail's subject; the date is the first day of the week, like "4 May".
        subject=_("What's new in your groups, week of %(date)s") % {"date": dateformat.format(start, "j F")},
        body=render_to_string("emails/digest_weekly.txt", context),
        unsubscribe=unsubscribe,
    )
