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

from core.caching import forget_public_pages

from ..models import Challenge, ChallengeStage, Entry, EntryStatus, StageChange
from .services import StateRefusal, entries_are_open

STAGE_ORDER = list(ChallengeStage.values)
LABELS = dict(ChallengeStage.choices)
NOT_EMAILED = "No one is emailed or notified: entrants and everyone else see the new stage on the challenge page."


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
        raise ValidationError(f"“{value}” is not a stage.", code="bad_stage")


def _check_not_stale(challenge: Challenge, from_stage: str | None) -> None:
    if from_stage is None or from_stage == challenge.stage:
        return
    _check_stage(from_stage)
    latest = StageChange.objects.filter(challenge=challenge).select_related("changed_by").order_by("-changed_at", "-pk")
    latest = latest.first()
    if latest is None or latest.to_stage != challenge.stage:
        since = f"it is at “{LABELS[challenge.stage]}”"
    else:
        who = latest.changed_by.display_name if latest.changed_by and latest.changed_by.display_name else "Someone"
        since = f"{who} moved it to “{LABELS[challenge.stage]}” on {_when(latest.changed_at)}"
    raise StateRefusal(
        f"Nothing changed: the challenge is no longer at “{LABELS[from_stage]}” as on the page you came from; "
        f"{since}. Look at its stage now and choose again.",
        code="stale",
    )


def _check_advance(challenge: Challenge, *, to_stage: str, from_stage: str | None) -> None:
    _check_stage(to_stage)
    _check_not_stale(challenge, from_stage)
    expected = next_stage(challenge.stage)
    if to_stage != expected:
        if expected is None:
            message = "The challenge is closed: it has no further stage."
        else:
            message = (
                f"The challenge is at “{LABELS[challenge.stage]}”; it can only move on to "
                f"“{LABELS[expected]}”, not to “{LABELS[to_stage]}”."
            )
        raise StateRefusal(message, code="out_of_order")
    if to_stage == ChallengeStage.OPEN:
        if not challenge.criteria.exists():
            raise StateRefusal("Add at least one criterion before opening the challenge.", code="no_criteria")
        if challenge.entry_deadline is not None and challenge.entry_deadline <= timezone.now():
            raise StateRefusal(
                "The entry deadline has already passed: set a later deadline before opening.",
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
            return (
                f"It cannot go back to “Draft”: {_entries(made)} {_has(made)} been made since it opened. "
                "Entries answer its questions and are scored on its criteria, which a draft may change, and the "
                "groups that entered would lose sight of the challenge."
            )
    if to_stage == ChallengeStage.OPEN:
        decided = Entry.objects.filter(challenge=challenge).exclude(status=EntryStatus.ENTERED).count()
        if decided:
            return (
                f"It cannot go back to “Open for entries”: {_entries(decided)} {_has(decided)} been shortlisted "
                "or decided since entries closed. Decisions cannot be taken back, and reopening entries would let "
                "groups change answers that were already judged."
            )
    return None


def _check_move_back(challenge: Challenge, *, to_stage: str, from_stage: str | None) -> StageChange:
    _check_stage(to_stage)
    _check_not_stale(challenge, from_stage)
    latest = _latest_change(challenge)
    if not _can_be_taken_back(challenge, latest):
        if latest is not None and latest.to_stage == challenge.stage:
            detail = f"its latest change already took it back to “{LABELS[challenge.stage]}”"
        else:
            detail = "it has not been moved on from this page"
        raise StateRefusal(
            f"There is no move to take back: {detail}. Only the latest move on can be taken back, once.",
            code="nothing_to_take_back",
        )
    if to_stage != latest.from_stage:
        raise StateRefusal(
            f"The challenge can only go back to “{LABELS[latest.from_stage]}”, the stage it came from; "
            f"not to “{LABELS[to_stage]}”.",
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
    lines = [f"“{challenge.title}” moves from “{here}” to “{there}”."]
    if to_stage == ChallengeStage.OPEN:
        lines.append(
            "Everyone will be able to find and read it: it is listed on the challenges page. "
            f"Until now only {challenge.funder.name}'s members could see it."
        )
        if challenge.entry_deadline:
            lines.append(f"Groups can enter until {_when(challenge.entry_deadline)}, the entry deadline.")
        else:
            lines.append("Groups can enter until you move it on to “Shortlisting”: no entry deadline is set.")
        lines.append(
            "Its criteria and questions are fixed from then on, so every entry answers the same questions and is "
            "scored on the same criteria; the rest can still be edited. Reviewers can score entries as they come in."
        )
        undo = "until a group enters"
    else:
        lines.append(f"Everyone who opens the challenge page will see the stage “{there}”.")
        undo = "until it moves on again"
    if to_stage == ChallengeStage.SHORTLISTING:
        made = f"{_entries(counts['total'])} made so far"
        if entries_are_open(challenge):
            deadline = ""
            if challenge.entry_deadline:
                deadline = f", although the entry deadline ({_when(challenge.entry_deadline)}) has not passed"
            lines.append(
                f"Entries close now: groups can no longer enter, or change the answers of the {made}{deadline}."
            )
        else:
            lines.append(f"Entries already closed at the deadline, {_when(challenge.entry_deadline)}: {made}.")
        lines.append("You can then shortlist entries, and later choose finalists and winners; reviewers keep scoring.")
        undo = "until you shortlist or decide on an entry"
    elif to_stage == ChallengeStage.FINALISTS:
        lines.append(
            f"Entries keep their statuses (so far {counts[EntryStatus.SHORTLISTED]} shortlisted, "
            f"{counts[EntryStatus.FINALIST]} marked “Finalist”); entries can still be shortlisted or chosen."
        )
    elif to_stage == ChallengeStage.WINNERS:
        winners = counts[EntryStatus.WINNER]
        lines.append(
            "No entry is marked “Winner” yet." if not winners else f"{_entries(winners)} marked “Winner” so far."
        )
        lines.append("Entries can still be scored and decided until the challenge is closed.")
    elif to_stage == ChallengeStage.CLOSED:
        lines.append(
            "Scoring and decisions end: reviewers can no longer score entries, and no entry can be shortlisted "
            "or chosen. “Closed” is the last stage."
        )
        undo = ""  # no stage follows, so nothing can make the move back unsafe
    lines.append(NOT_EMAILED)
    lines.append(f"If it is a mistake, you can move it back to “{here}” from the challenge page {undo}".rstrip() + ".")
    return lines


def _consequences_back(challenge: Challenge, to_stage: str, *, since) -> list[str]:
    here, there = LABELS[challenge.stage], LABELS[to_stage]
    counts = _entry_counts(challenge)
    lines = [f"“{challenge.title}” moves back from “{here}” to “{there}”, the stage it came from."]
    if to_stage == ChallengeStage.DRAFT:
        lines.append(
            f"Only {challenge.funder.name}'s members will see it again: it leaves the challenges page, and anyone "
            f"else following its link finds nothing. It has been public since {_when(since)}, so people may have "
            "seen or shared it meanwhile."
        )
        lines.append(
            "No group has entered, and none can while it is a draft. Its criteria and questions can be changed "
            "again; scoring stops until it opens."
        )
    else:
        lines.append(
            f"Everyone who opens the challenge page will see the stage “{there}” again; it has said “{here}” "
            f"since {_when(since)}, and anyone may have seen that."
        )
    if to_stage == ChallengeStage.OPEN:
        if challenge.entry_deadline is None or challenge.entry_deadline > timezone.now():
            until = _when(challenge.entry_deadline) if challenge.entry_deadline else "you move it on to “Shortlisting”"
            lines.append(f"Entries open again: groups can enter, and change their answers, until {until}.")
        else:
            lines.append(
                f"Entries stay closed: the entry deadline passed on {_when(challenge.entry_deadline)}. To take more "
                "entries, set a later deadline with “Edit the challenge”."
            )
        lines.append(
            "No entry has been decided; shortlisting waits until you move it on to “Shortlisting” again. Scores are kept."
        )
    elif to_stage == ChallengeStage.SHORTLISTING:
        finalists = counts[EntryStatus.FINALIST]
        lines.append(_statuses_kept(finalists, "Finalist", one="a finalist", many="finalists"))
    elif to_stage == ChallengeStage.FINALISTS:
        winners = counts[EntryStatus.WINNER]
        lines.append(_statuses_kept(winners, "Winner", one="a winner", many="winners"))
    elif to_stage == ChallengeStage.WINNERS:
        lines.append("Reviewers can score entries again, and entries can be shortlisted or chosen again.")
    lines.append(f"No one is emailed or notified about going back, as no one was about the move to “{here}”.")
    lines.append("Both moves stay in the challenge's stage history, with who made them.")
    return lines


def _entry_counts(challenge: Challenge) -> dict:
    """The challenge's entries, in all and per status (hidden ones too: they are entries all the same)."""
    per_status = {status: Count("pk", filter=Q(status=status)) for status in EntryStatus.values}
    return Entry.objects.filter(challenge=challenge).aggregate(total=Count("pk"), **per_status)


def _entries(number: int) -> str:
    return f"{number} entr{'y' if number == 1 else 'ies'}"


def _has(number: int) -> str:
    return "has" if number == 1 else "have"


def _statuses_kept(number: int, status: str, *, one: str, many: str) -> str:
    kept = "Entries keep their statuses: decisions only go forward"
    if not number:
        return f"{kept}."
    stay = f"stays {one}" if number == 1 else f"stay {many}"
    return f"{kept}, so {_entries(number)} marked “{status}” {stay}."


def _when(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y, %H:%M}"
