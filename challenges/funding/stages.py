"""Moving a funder's challenge through its stages: on to the next one, and back to the one it came from.

A move sets the stage, records a `StageChange` (who, when, from, to) and retires the shared copies of
public pages, so everyone sees the new stage at once. It mails and notifies no one. What a move does is
written here too (`StageMove.consequences`), beside the rules that make it so, for the page on which the
funder confirms it.

Taking a move back: only the latest move on, once, and only while nothing that happened since makes the
earlier stage untrue (see `_back_refusal`). Refusals because of the challenge's state are `StateRefusal`s
(409 in the views); a value that is not a stage is a plain `ValidationError` (400).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.caching import forget_public_pages

from ..models import Challenge, ChallengeStage, Entry, EntryStatus, StageChange
from .services import StateRefusal, entries_are_open

STAGE_ORDER = list(ChallengeStage.values)
LABELS = dict(ChallengeStage.choices)
NOT_EMAILED = gettext_lazy(
    "No one is emailed or notified: entrants and everyone else see the new stage on the challenge page."
)


@dataclass(frozen=True)
class StageMove:
    """A move the funder is asked to confirm: from where, to where, and what it does, in words."""

    from_stage: str
    to_stage: str
    consequences: list[str]

    @property
    def to_label(self) -> str:
        return LABELS[self.to_stage]


@dataclass(frozen=True)
class WayBack:
    """The move back the challenge page offers: to the stage the latest move came from. `refusal` says why
    that is no longer possible, or is None while it is."""

    to_stage: str
    refusal: str | None

    @property
    def to_label(self) -> str:
        return LABELS[self.to_stage]


def next_stage(stage: str) -> str | None:
    index = STAGE_ORDER.index(stage)
    return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None


# --- Reads for the pages ---------------------------------------------------------------------------------


def way_back(challenge: Challenge) -> WayBack | None:
    """The move back the challenge page may offer, or None when there is no move to take back.

    Reads the stage changes prefetched on the challenge, as the challenge page prefetches them."""
    latest = _latest_change(challenge)
    if not _can_be_taken_back(challenge, latest):
        return None
    return WayBack(to_stage=latest.from_stage, refusal=_back_refusal(challenge, latest.from_stage))


def plan_stage_move(*, challenge: Challenge, to_stage: str, from_stage: str, back: bool = False) -> StageMove:
    """The move as it would be made now, with what it does; refused as `advance_stage` or `move_stage_back`
    would refuse it. Changes nothing."""
    if back:
        latest = _check_move_back(challenge, to_stage=to_stage, from_stage=from_stage)
        consequences = _consequences_back(challenge, to_stage, since=latest.changed_at)
    else:
        _check_advance(challenge, to_stage=to_stage, from_stage=from_stage)
        consequences = _consequences_on(challenge, to_stage)
    return StageMove(from_stage=challenge.stage, to_stage=to_stage, consequences=consequences)


# --- Writes ----------------------------------------------------------------------------------------------


def advance_stage(*, challenge: Challenge, to_stage: str, user, from_stage: str | None = None) -> StageChange:
    """Move the challenge to the next stage, and only that one; log who did it and when.

    `from_stage` is the stage the person saw: if someone else moved the challenge since, nothing changes.
    The row is locked first, so two people pressing the button at once cannot both move it.
    """
    with transaction.atomic():
        locked = Challenge.objects.select_for_update().get(pk=challenge.pk)
        _check_advance(locked, to_stage=to_stage, from_stage=from_stage)
        change = _record(locked, to_stage=to_stage, user=user)
    challenge.stage = to_stage
    return change


def move_stage_back(*, challenge: Challenge, to_stage: str, user, from_stage: str | None = None) -> StageChange:
    """Take back the challenge's latest move on: back to the stage it came from, logged like any move.

    Refused when the latest change is not a move on (nothing to take back, or it was already taken back),
    when `to_stage` is not where that move came from, when `from_stage` (the stage the person saw) is out
    of date, and when something since makes going back unsafe (see `_back_refusal`). Entries are locked out
    by the same row lock: `enter_challenge` and `set_entry_status` lock the challenge before writing.
    """
    with transaction.atomic():
        locked = Challenge.objects.select_for_update().get(pk=challenge.pk)
        _check_move_back(locked, to_stage=to_stage, from_stage=from_stage)
        change = _record(locked, to_stage=to_stage, user=user)
    challenge.stage = to_stage
    return change


def _record(locked: Challenge, *, to_stage: str, user) -> StageChange:
    change = StageChange.objects.create(challenge=locked, from_stage=locked.stage, to_stage=to_stage, changed_by=user)
    locked.stage = to_stage
    locked.save(update_fields=["stage", "updated_at"])
    # A draft must leave public pages at once, and every other stage should show at once too.
    transaction.on_commit(forget_public_pages)
    return change


# --- Rules -----------------------------------------------------------------------------------------------


def _check_stage(value: str) -> None:
    if value not in LABELS:
        raise ValidationError(_("“%(value)s” is not a stage.") % {"value": value}, code="bad_stage")


def _check_not_stale(challenge: Challenge, from_stage: str | None) -> None:
    if from_stage is None or from_stage == challenge.stage:
        return
    _check_stage(from_stage)
    latest = StageChange.objects.filter(challenge=challenge).select_related("changed_by").order_by("-changed_at", "-pk")
    latest = latest.first()
    # Translators (all three): %(seen)s is the stage the page showed, %(stage)s the stage the challenge is at now.
    names = {"seen": LABELS[from_stage], "stage": LABELS[challenge.stage]}
    if latest is None or latest.to_stage != challenge.stage:
        message = _(
            "Nothing changed: the challenge is no longer at “%(seen)s” as on the page you came from; "
            "it is at “%(stage)s”. Look at its stage now and choose again."
        )
    elif latest.changed_by and latest.changed_by.display_name:
        names.update(person=latest.changed_by.display_name, when=_when(latest.changed_at))
        # Translators: %(person)s is who moved the challenge, %(when)s a date and time.
        message = _(
            "Nothing changed: the challenge is no longer at “%(seen)s” as on the page you came from; "
            "%(person)s moved it to “%(stage)s” on %(when)s. Look at its stage now and choose again."
        )
    else:
        names.update(when=_when(latest.changed_at))
        # Translators: %(when)s is a date and time.
        message = _(
            "Nothing changed: the challenge is no longer at “%(seen)s” as on the page you came from; "
            "Someone moved it to “%(stage)s” on %(when)s. Look at its stage now and choose again."
        )
    raise StateRefusal(message % names, code="stale")


def _check_advance(challenge: Challenge, *, to_stage: str, from_stage: str | None) -> None:
    _check_stage(to_stage)
    _check_not_stale(challenge, from_stage)
    expected = next_stage(challenge.stage)
    if to_stage != expected:
        if expected is None:
            message = _("The challenge is closed: it has no further stage.")
        else:
            # Translators: three stages: where the challenge is, the one it may move to, the one asked for.
            message = _(
                "The challenge is at “%(stage)s”; it can only move on to “%(expected)s”, not to “%(asked)s”."
            ) % {"stage": LABELS[challenge.stage], "expected": LABELS[expected], "asked": LABELS[to_stage]}
        raise StateRefusal(message, code="out_of_order")
    if to_stage == ChallengeStage.OPEN:
        if not challenge.criteria.exists():
            raise StateRefusal(_("Add at least one criterion before opening the challenge."), code="no_criteria")
        if challenge.entry_deadline is not None and challenge.entry_deadline <= timezone.now():
            raise StateRefusal(
                _("The entry deadline has already passed: set a later deadline before opening."),
                code="deadline_passed",
            )


def _latest_change(challenge: Challenge) -> StageChange | None:
    changes = list(challenge.stage_changes.all())  # a handful; prefetched on the challenge page
    return changes[-1] if changes else None


def _can_be_taken_back(challenge: Challenge, latest: StageChange | None) -> bool:
    """Only the move that brought the challenge to its stage, and only a move on: a move back is not
    itself taken back (moving on again is the stage button)."""
    return latest is not None and latest.to_stage == challenge.stage and not latest.is_move_back


def _back_refusal(challenge: Challenge, to_stage: str) -> str | None:
    """Why going back to `to_stage` would be unsafe now, or None.

    Back to a draft: not once a group has entered. A draft's criteria and questions may be replaced, and
    entries answer those questions and are scored on those criteria; the groups would also lose sight of
    the challenge they entered. Back to open: not once an entry is shortlisted or decided. Decisions are
    made after entries close and cannot be taken back, and reopened entries would let a group change
    answers that were already judged. Going back among the later stages changes no entry and is allowed:
    scoring and decisions are possible at every one of them.
    """
    if to_stage == ChallengeStage.DRAFT:
        made = Entry.objects.filter(challenge=challenge).count()
        if made:
            return ngettext(
                "It cannot go back to “%(stage)s”: %(count)s entry has been made since it opened. "
                "Entries answer its questions and are scored on its criteria, which a draft may change, and the "
                "groups that entered would lose sight of the challenge.",
                "It cannot go back to “%(stage)s”: %(count)s entries have been made since it opened. "
                "Entries answer its questions and are scored on its criteria, which a draft may change, and the "
                "groups that entered would lose sight of the challenge.",
                made,
            ) % {"stage": LABELS[ChallengeStage.DRAFT], "count": made}
    if to_stage == ChallengeStage.OPEN:
        decided = Entry.objects.filter(challenge=challenge).exclude(status=EntryStatus.ENTERED).count()
        if decided:
            return ngettext(
                "It cannot go back to “%(stage)s”: %(count)s entry has been shortlisted or decided since entries "
                "closed. Decisions cannot be taken back, and reopening entries would let groups change answers that "
                "were already judged.",
                "It cannot go back to “%(stage)s”: %(count)s entries have been shortlisted or decided since entries "
                "closed. Decisions cannot be taken back, and reopening entries would let groups change answers that "
                "were already judged.",
                decided,
            ) % {"stage": LABELS[ChallengeStage.OPEN], "count": decided}
    return None


def _check_move_back(challenge: Challenge, *, to_stage: str, from_stage: str | None) -> StageChange:
    _check_stage(to_stage)
    _check_not_stale(challenge, from_stage)
    latest = _latest_change(challenge)
    if not _can_be_taken_back(challenge, latest):
        if latest is not None and latest.to_stage == challenge.stage:
            message = _(
                "There is no move to take back: its latest change already took it back to “%(stage)s”. "
                "Only the latest move on can be taken back, once."
            ) % {"stage": LABELS[challenge.stage]}
        else:
            message = _(
                "There is no move to take back: it has not been moved on from this page. "
                "Only the latest move on can be taken back, once."
            )
        raise StateRefusal(message, code="nothing_to_take_back")
    if to_stage != latest.from_stage:
        raise StateRefusal(
            # Translators: %(stage)s is the stage the challenge came from, %(asked)s the stage asked for.
            _("The challenge can only go back to “%(stage)s”, the stage it came from; not to “%(asked)s”.")
            % {"stage": LABELS[latest.from_stage], "asked": LABELS[to_stage]},
            code="out_of_order",
        )
    refusal = _back_refusal(challenge, to_stage)
    if refusal:
        raise StateRefusal(refusal, code="unsafe")
    return latest


# --- What a move does, in words --------------------------------------------------------------------------


def _consequences_on(challenge: Challenge, to_stage: str) -> list[str]:
    here, there = LABELS[challenge.stage], LABELS[to_stage]
    counts = _entry_counts(challenge)
    statuses = dict(EntryStatus.choices)
    # Translators: %(challenge)s is the challenge's title; %(here)s and %(there)s are stages.
    lines = [
        _("“%(challenge)s” moves from “%(here)s” to “%(there)s”.")
        % {"challenge": challenge.title, "here": here, "there": there}
    ]
    if to_stage == ChallengeStage.OPEN:
        lines.append(
            # Translators: %(funder)s is the funder's name.
            _(
                "Everyone will be able to find and read it: it is listed on the challenges page. "
                "Until now only %(funder)s's members could see it."
            )
            % {"funder": challenge.funder.name}
        )
        if challenge.entry_deadline:
            lines.append(
                # Translators: %(deadline)s is a date and time, e.g. "3 March 2026, 17:00".
                _("Groups can enter until %(deadline)s, the entry deadline.")
                % {"deadline": _when(challenge.entry_deadline)}
            )
        else:
            lines.append(
                _("Groups can enter until you move it on to “%(stage)s”: no entry deadline is set.")
                % {"stage": LABELS[ChallengeStage.SHORTLISTING]}
            )
        lines.append(
            _(
                "Its criteria and questions are fixed from then on, so every entry answers the same questions and is "
                "scored on the same criteria; the rest can still be edited. Reviewers can score entries as they come "
                "in."
            )
        )
        # Translators: %(here)s is the stage the challenge moves on from.
        undo = _("If it is a mistake, you can move it back to “%(here)s” from the challenge page until a group enters.")
    else:
        lines.append(_("Everyone who opens the challenge page will see the stage “%(there)s”.") % {"there": there})
        # Translators: %(here)s is the stage the challenge moves on from.
        undo = _(
            "If it is a mistake, you can move it back to “%(here)s” from the challenge page until it moves on again."
        )
    if to_stage == ChallengeStage.SHORTLISTING:
        made = counts["total"]
        if entries_are_open(challenge):
            if challenge.entry_deadline:
                # Translators: %(deadline)s is a date and time, e.g. "3 March 2026, 17:00".
                entries_close = ngettext(
                    "Entries close now: groups can no longer enter, or change the answers of the %(count)s entry made "
                    "so far, although the entry deadline (%(deadline)s) has not passed.",
                    "Entries close now: groups can no longer enter, or change the answers of the %(count)s entries "
                    "made so far, although the entry deadline (%(deadline)s) has not passed.",
                    made,
                )
            else:
                entries_close = ngettext(
                    "Entries close now: groups can no longer enter, or change the answers of the %(count)s entry made "
                    "so far.",
                    "Entries close now: groups can no longer enter, or change the answers of the %(count)s entries "
                    "made so far.",
                    made,
                )
        else:
            # Translators: %(deadline)s is a date and time, e.g. "3 March 2026, 17:00".
            entries_close = ngettext(
                "Entries already closed at the deadline, %(deadline)s: %(count)s entry made so far.",
                "Entries already closed at the deadline, %(deadline)s: %(count)s entries made so far.",
                made,
            )
        deadline = _when(challenge.entry_deadline) if challenge.entry_deadline else ""
        lines.append(entries_close % {"count": made, "deadline": deadline})
        lines.append(
            _("You can then shortlist entries, and later choose finalists and winners; reviewers keep scoring.")
        )
        # Translators: %(here)s is the stage the challenge moves on from.
        undo = _(
            "If it is a mistake, you can move it back to “%(here)s” from the challenge page until you shortlist or "
            "decide on an entry."
        )
    elif to_stage == ChallengeStage.FINALISTS:
        lines.append(
            # Translators: %(shortlisted)s and %(finalists)s are numbers of entries; %(status)s is the status
            # “Finalist”.
            _(
                "Entries keep their statuses (so far %(shortlisted)s shortlisted, %(finalists)s marked “%(status)s”); "
                "entries can still be shortlisted or chosen."
            )
            % {
                "shortlisted": counts[EntryStatus.SHORTLISTED],
                "finalists": counts[EntryStatus.FINALIST],
                "status": statuses[EntryStatus.FINALIST],
            }
        )
    elif to_stage == ChallengeStage.WINNERS:
        winners = counts[EntryStatus.WINNER]
        status = {"count": winners, "status": statuses[EntryStatus.WINNER]}
        if not winners:
            # Translators: %(status)s is the status “Winner”.
            lines.append(_("No entry is marked “%(status)s” yet.") % status)
        else:
            lines.append(
                # Translators: %(status)s is the status “Winner”.
                ngettext(
                    "%(count)s entry marked “%(status)s” so far.",
                    "%(count)s entries marked “%(status)s” so far.",
                    winners,
                )
                % status
            )
        lines.append(_("Entries can still be scored and decided until the challenge is closed."))
    elif to_stage == ChallengeStage.CLOSED:
        lines.append(
            # Translators: %(stage)s is the stage “Closed”.
            _(
                "Scoring and decisions end: reviewers can no longer score entries, and no entry can be shortlisted "
                "or chosen. “%(stage)s” is the last stage."
            )
            % {"stage": there}
        )
        # No stage follows, so nothing can make the move back unsafe.
        # Translators: %(here)s is the stage the challenge moves on from.
        undo = _("If it is a mistake, you can move it back to “%(here)s” from the challenge page.")
    lines.append(str(NOT_EMAILED))
    lines.append(undo % {"here": here})
    return lines


def _consequences_back(challenge: Challenge, to_stage: str, *, since) -> list[str]:
    here, there = LABELS[challenge.stage], LABELS[to_stage]
    counts = _entry_counts(challenge)
    statuses = dict(EntryStatus.choices)
    lines = [
        # Translators: %(challenge)s is the challenge's title; %(here)s and %(there)s are stages.
        _("“%(challenge)s” moves back from “%(here)s” to “%(there)s”, the stage it came from.")
        % {"challenge": challenge.title, "here": here, "there": there}
    ]
    if to_stage == ChallengeStage.DRAFT:
        lines.append(
            # Translators: %(funder)s is the funder's name; %(since)s a date and time.
            _(
                "Only %(funder)s's members will see it again: it leaves the challenges page, and anyone else "
                "following its link finds nothing. It has been public since %(since)s, so people may have seen or "
                "shared it meanwhile."
            )
            % {"funder": challenge.funder.name, "since": _when(since)}
        )
        lines.append(
            _(
                "No group has entered, and none can while it is a draft. Its criteria and questions can be changed "
                "again; scoring stops until it opens."
            )
        )
    else:
        lines.append(
            # Translators: %(there)s and %(here)s are stages; %(since)s is a date and time.
            _(
                "Everyone who opens the challenge page will see the stage “%(there)s” again; it has said “%(here)s” "
                "since %(since)s, and anyone may have seen that."
            )
            % {"there": there, "here": here, "since": _when(since)}
        )
    shortlisting = {"stage": LABELS[ChallengeStage.SHORTLISTING]}
    if to_stage == ChallengeStage.OPEN:
        if challenge.entry_deadline is None:
            lines.append(
                _(
                    "Entries open again: groups can enter, and change their answers, until you move it on to “%(stage)s”."
                )
                % shortlisting
            )
        elif challenge.entry_deadline > timezone.now():
            lines.append(
                # Translators: %(deadline)s is a date and time, e.g. "3 March 2026, 17:00".
                _("Entries open again: groups can enter, and change their answers, until %(deadline)s.")
                % {"deadline": _when(challenge.entry_deadline)}
            )
        else:
            lines.append(
                # Translators: %(deadline)s is a date and time; “Edit the challenge” is the link on the challenge page.
                _(
                    "Entries stay closed: the entry deadline passed on %(deadline)s. To take more entries, set a later "
                    "deadline with “Edit the challenge”."
                )
                % {"deadline": _when(challenge.entry_deadline)}
            )
        lines.append(
            _(
                "No entry has been decided; shortlisting waits until you move it on to “%(stage)s” again. "
                "Scores are kept."
            )
            % shortlisting
        )
    elif to_stage == ChallengeStage.SHORTLISTING:
        finalists = counts[EntryStatus.FINALIST]
        if not finalists:
            lines.append(_("Entries keep their statuses: decisions only go forward."))
        else:
            lines.append(
                # Translators: %(status)s is the status “Finalist”.
                ngettext(
                    "Entries keep their statuses: decisions only go forward, so %(count)s entry marked “%(status)s” "
                    "stays a finalist.",
                    "Entries keep their statuses: decisions only go forward, so %(count)s entries marked “%(status)s” "
                    "stay finalists.",
                    finalists,
                )
                % {"count": finalists, "status": statuses[EntryStatus.FINALIST]}
            )
    elif to_stage == ChallengeStage.FINALISTS:
        winners = counts[EntryStatus.WINNER]
        if not winners:
            lines.append(_("Entries keep their statuses: decisions only go forward."))
        else:
            lines.append(
                # Translators: %(status)s is the status “Winner”.
                ngettext(
                    "Entries keep their statuses: decisions only go forward, so %(count)s entry marked “%(status)s” "
                    "stays a winner.",
                    "Entries keep their statuses: decisions only go forward, so %(count)s entries marked “%(status)s” "
                    "stay winners.",
                    winners,
                )
                % {"count": winners, "status": statuses[EntryStatus.WINNER]}
            )
    elif to_stage == ChallengeStage.WINNERS:
        lines.append(_("Reviewers can score entries again, and entries can be shortlisted or chosen again."))
    lines.append(
        _("No one is emailed or notified about going back, as no one was about the move to “%(here)s”.")
        % {"here": here}
    )
    lines.append(_("Both moves stay in the challenge's stage history, with who made them."))
    return lines


def _entry_counts(challenge: Challenge) -> dict:
    """The challenge's entries, in all and per status (hidden ones too: they are entries all the same)."""
    per_status = {status: Count("pk", filter=Q(status=status)) for status in EntryStatus.values}
    return Entry.objects.filter(challenge=challenge).aggregate(total=Count("pk"), **per_status)


def _when(moment) -> str:
    """A moment in words, in the site's time zone, with the month named in the active language."""
    return format_date(timezone.localtime(moment), "j F Y, H:i")
