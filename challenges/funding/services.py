"""Writes for funder challenges, entries and reviews; moving a challenge's stage is in `stages`.

Views check who may act (`permissions`) and call one of these. Each validates with `full_clean()`,
writes in one transaction, and refuses with a `ValidationError` whose message is for people. Refusals
because of the challenge's state (a late entry, a stage out of order) are `StateRefusal`s: the view
answers them with 409 Conflict rather than 400.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, FloatField, IntegerField, Max, Min, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.caching import forget_public_pages
from core.posting import check_post
from core.refusals import Refused, StaleEdit
from groups.models import ChallengeArea

from ..models import (
    MAX_AWARD,
    Answer,
    Award,
    Challenge,
    ChallengeStage,
    Criterion,
    Entry,
    EntryStatus,
    Funder,
    Question,
    Score,
    Solution,
    Status,
)

# Path segments under /challenges/ that a challenge slug may not take.
RESERVED_SLUGS = {"new", "solutions", "feeds", "funders"}
MIN_SCORE, MAX_SCORE = 1, 5
# Entry decisions, forward only; "not selected" can end any undecided entry.
NEXT_STATUSES = {
    EntryStatus.ENTERED: {EntryStatus.SHORTLISTED, EntryStatus.NOT_SELECTED},
    EntryStatus.SHORTLISTED: {EntryStatus.FINALIST, EntryStatus.NOT_SELECTED},
    EntryStatus.FINALIST: {EntryStatus.WINNER, EntryStatus.NOT_SELECTED},
    EntryStatus.WINNER: set(),
    EntryStatus.NOT_SELECTED: set(),
}
DECISION_STAGES = {ChallengeStage.SHORTLISTING, ChallengeStage.FINALISTS, ChallengeStage.WINNERS}
# Awards are recorded once finalists are announced, for finalists and winners only.
AWARD_STAGES = {ChallengeStage.FINALISTS, ChallengeStage.WINNERS, ChallengeStage.CLOSED}
AWARDED_STATUSES = {EntryStatus.FINALIST, EntryStatus.WINNER}
# How far ahead an award may be dated: a grant agreed now and paid next year, not a typing slip of a decade.
AWARD_DATE_AHEAD = dt.timedelta(days=365)
SCORING_STAGES = {ChallengeStage.OPEN, *DECISION_STAGES}


class StateRefusal(Refused):
    """Refused because of where the challenge or entry is in its life, not because of what was typed: 409."""

    status = 409


@dataclass(frozen=True)
class CriterionInput:
    name: str
    weight: int
    description: str = ""


@dataclass(frozen=True)
class QuestionInput:
    text: str
    help_text: str = ""


@dataclass(frozen=True)
class ScoreInput:
    value: int
    note: str = ""


def field_error(field: str, message, code: str) -> ValidationError:
    """A refusal about one field, keeping its code (a dict of plain messages would lose it)."""
    if isinstance(message, list):
        return ValidationError({field: [ValidationError(text, code=code) for text in message]})
    return ValidationError({field: ValidationError(message, code=code)})


# --- Challenges ----------------------------------------------------------------------------------------


def create_challenge(
    *,
    funder: Funder,
    created_by,
    title: str,
    summary: str,
    description: str,
    challenge_areas: Sequence[ChallengeArea],
    offer: str,
    criteria: Sequence[CriterionInput],
    questions: Sequence[QuestionInput] = (),
    eligible_regions: Sequence[str] = (),
    eligible_area_kinds: Sequence[str] = (),
    offer_total: Decimal | None = None,
    entry_deadline: dt.datetime | None = None,
    shortlist_on: dt.date | None = None,
    finalists_on: dt.date | None = None,
    winners_on: dt.date | None = None,
    publish_entries: str = "shortlisted",
    dashboard_public: bool = False,
    language: str = settings.LANGUAGE_CODE,
) -> Challenge:
    """Create a draft challenge with a free slug, its criteria (at least one) and its questions."""
    _check_criteria(criteria)
    with transaction.atomic():
        challenge = Challenge(
            funder=funder,
            created_by=created_by,
            title=title,
            slug=_unique_slug(title),
            summary=summary,
            description=description,
            offer=offer,
            offer_total=offer_total,
            eligible_regions=sorted(set(eligible_regions)),
            eligible_area_kinds=sorted(set(eligible_area_kinds)),
            entry_deadline=entry_deadline,
            shortlist_on=shortlist_on,
            finalists_on=finalists_on,
            winners_on=winners_on,
            publish_entries=publish_entries,
            dashboard_public=dashboard_public,
            language=language,
        )
        challenge.full_clean()
        challenge.save()
        challenge.challenge_areas.set(challenge_areas)
        _replace_criteria_and_questions(challenge, criteria, questions)
    return challenge


def edit_challenge(
    *,
    challenge: Challenge,
    title: str,
    summary: str,
    description: str,
    challenge_areas: Sequence[ChallengeArea],
    offer: str,
    criteria: Sequence[CriterionInput],
    questions: Sequence[QuestionInput] = (),
    eligible_regions: Sequence[str] = (),
    eligible_area_kinds: Sequence[str] = (),
    offer_total: Decimal | None = None,
    entry_deadline: dt.datetime | None = None,
    shortlist_on: dt.date | None = None,
    finalists_on: dt.date | None = None,
    winners_on: dt.date | None = None,
    publish_entries: str = "shortlisted",
    dashboard_public: bool = False,
    language: str = settings.LANGUAGE_CODE,
) -> Challenge:
    """Change a challenge. Criteria and questions are fixed once it opens, so every entry answers the
    same questions and is scored on the same criteria; trying to change them then is refused."""
    _check_criteria(criteria)
    with transaction.atomic():
        challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
        if challenge.stage != ChallengeStage.DRAFT and (
            _criteria_of(challenge) != list(criteria) or _questions_of(challenge) != list(questions)
        ):
            raise StateRefusal(
                _(
                    "Criteria and questions cannot change once the challenge is open: entries were made and "
                    "scored against them. Your other changes are not saved either; undo the changes to "
                    "criteria and questions and save again."
                ),
                code="criteria_fixed",
            )
        for name, value in dict(
            title=title,
            summary=summary,
            description=description,
            offer=offer,
            offer_total=offer_total,
            eligible_regions=sorted(set(eligible_regions)),
            eligible_area_kinds=sorted(set(eligible_area_kinds)),
            entry_deadline=entry_deadline,
            shortlist_on=shortlist_on,
            finalists_on=finalists_on,
            winners_on=winners_on,
            publish_entries=publish_entries,
            dashboard_public=dashboard_public,
            language=language,
        ).items():
            setattr(challenge, name, value)
        challenge.full_clean()
        challenge.save()
        challenge.challenge_areas.set(challenge_areas)
        if challenge.stage == ChallengeStage.DRAFT:
            _replace_criteria_and_questions(challenge, criteria, questions)
    return challenge


def _check_criteria(criteria: Sequence[CriterionInput]) -> None:
    if not criteria:
        raise field_error("criteria", _("Give at least one criterion to score entries on."), "no_criteria")
    names = [criterion.name.casefold() for criterion in criteria]
    if len(set(names)) != len(names):
        raise field_error("criteria", _("Each criterion needs a different name."), "duplicate_criterion")
    for criterion in criteria:
        if not 1 <= criterion.weight <= 100:
            raise field_error(
                "criteria",
                _("The weight of “%(criterion)s” must be a whole number from 1 to 100.")
                % {"criterion": criterion.name},
                "bad_weight",
            )


def _criteria_of(challenge: Challenge) -> list[CriterionInput]:
    return [CriterionInput(c.name, c.weight, c.description) for c in challenge.criteria.order_by("position", "pk")]


def _questions_of(challenge: Challenge) -> list[QuestionInput]:
    return [QuestionInput(q.text, q.help_text) for q in challenge.questions.order_by("position", "pk")]


def _replace_criteria_and_questions(challenge, criteria, questions) -> None:
    # Only ever called while the challenge is a draft: no entries, answers or scores point at these rows.
    challenge.criteria.all().delete()
    challenge.questions.all().delete()
    rows = [
        Criterion(challenge=challenge, name=c.name, description=c.description, weight=c.weight, position=index)
        for index, c in enumerate(criteria)
    ]
    for row in rows:
        row.full_clean(exclude=["challenge"])
    Criterion.objects.bulk_create(rows)
    question_rows = [
        Question(challenge=challenge, text=q.text, help_text=q.help_text, position=index)
        for index, q in enumerate(questions)
    ]
    for row in question_rows:
        row.full_clean(exclude=["challenge"])
    Question.objects.bulk_create(question_rows)


def _unique_slug(title: str) -> str:
    base = slugify(title)[:120] or "challenge"
    if base in RESERVED_SLUGS:
        base = f"{base}-challenge"
    taken = set(Challenge.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


# --- Entries -------------------------------------------------------------------------------------------


def entries_are_open(challenge: Challenge, *, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return challenge.stage == ChallengeStage.OPEN and (
        challenge.entry_deadline is None or now < challenge.entry_deadline
    )


def entries_closed_reason(challenge: Challenge, *, editing: bool) -> str | None:
    """Why entries cannot be made (or changed) now, in words; None while they can."""
    if entries_are_open(challenge):
        return None
    if challenge.stage == ChallengeStage.OPEN:
        # Translators: %(deadline)s is a date and time, e.g. "3 March 2026, 17:00".
        deadline = {"deadline": format_date(timezone.localtime(challenge.entry_deadline), "j F Y, H:i")}
        if editing:
            return _("Entries can no longer be changed: the entry deadline was %(deadline)s.") % deadline
        return _("This challenge is not taking entries: the entry deadline was %(deadline)s.") % deadline
    # Translators: %(stage)s is the challenge's stage, e.g. "Shortlisting".
    stage = {"stage": challenge.get_stage_display()}
    if editing:
        return _("Entries can no longer be changed: it is at the stage “%(stage)s”.") % stage
    return _("This challenge is not taking entries: it is at the stage “%(stage)s”.") % stage


def _require_open(challenge: Challenge, *, editing: bool) -> None:
    reason = entries_closed_reason(challenge, editing=editing)
    if reason:
        raise StateRefusal(reason, code="late")


def ineligibility(challenge: Challenge, group) -> str | None:
    """Why the group may not enter, in words; None if it may."""
    if challenge.eligible_regions and group.region not in challenge.eligible_regions:
        # Translators: %(regions)s lists the regions that may enter, separated by commas; %(region)s is the
        # group's region.
        return _("This challenge is open to groups in %(regions)s only; %(group)s is in %(region)s.") % {
            "regions": ", ".join(str(label) for label in challenge.eligible_region_labels),
            "group": group.name,
            "region": group.get_region_display(),
        }
    if challenge.eligible_area_kinds and group.area_kind not in challenge.eligible_area_kinds:
        # Translators: %(kinds)s lists the kinds of area that may enter (e.g. "rural, coastal"), in lower case;
        # %(kind)s is the kind of the group's area, in lower case.
        return _("This challenge is open to %(kinds)s areas only; %(group)s describes its area as %(kind)s.") % {
            "kinds": ", ".join(str(label) for label in challenge.eligible_area_kind_labels).lower(),
            "group": group.name,
            "kind": str(group.get_area_kind_display()).lower(),
        }
    return None


def _clean_answers(challenge: Challenge, answers: Mapping[int, str]) -> dict[int, str]:
    questions = list(challenge.questions.all())
    cleaned, missing = {}, []
    for question in questions:
        text = (answers.get(question.pk) or "").strip()
        if not text:
            missing.append(question.text)
        cleaned[question.pk] = text
    if missing:
        raise field_error(
            "answers",
            [_("Answer the question “%(question)s”.") % {"question": text} for text in missing],
            "missing_answer",
        )
    return cleaned


def enter_challenge(*, challenge: Challenge, solution: Solution, user, answers: Mapping[int, str]) -> Entry:
    """Enter a group's published solution, with an answer to every question.

    Refused when entries are closed (stage or deadline), when the group is not eligible, when the
    solution is not published, or when it was already entered (one entry per solution per challenge).
    """
    _require_open(challenge, editing=False)
    if solution.status != Status.PUBLISHED:
        raise field_error(
            "solution", _("Only a published solution can be entered: publish it first."), "draft_solution"
        )
    reason = ineligibility(challenge, solution.group)
    if reason:
        raise field_error("solution", reason, "ineligible")
    cleaned = _clean_answers(challenge, answers)
    # Suspended accounts cannot post; a new account's answers carry few links.
    check_post(user=user, kind="entry", content={str(pk): text for pk, text in cleaned.items()})
    try:
        with transaction.atomic():
            # Checked again under the challenge's lock: a stage moved meanwhile (closed, or taken back to a
            # draft, which `stages.move_stage_back` allows only while no entry exists) refuses the entry.
            _require_open(Challenge.objects.select_for_update().get(pk=challenge.pk), editing=False)
            entry = Entry(challenge=challenge, solution=solution, entered_by=user)
            entry.full_clean(validate_unique=False, validate_constraints=False)
            entry.save()
            Answer.objects.bulk_create([Answer(entry=entry, question_id=pk, text=text) for pk, text in cleaned.items()])
    except IntegrityError as error:
        raise field_error(
            "solution",
            _("“%(title)s” is already entered in this challenge: edit that entry instead.") % {"title": solution.title},
            "already_entered",
        ) from error
    return entry


def edit_entry(*, entry: Entry, answers: Mapping[int, str], by=None) -> Entry:
    """Change the answers while entries are open; after the deadline entries are locked.

    `by` is the person editing (the posting rules apply to them); None for a change no person makes.
    """
    _require_open(entry.challenge, editing=True)
    cleaned = _clean_answers(entry.challenge, answers)
    if by is not None:
        check_post(user=by, kind="entry", content={str(pk): text for pk, text in cleaned.items()})
    with transaction.atomic():
        for pk, text in cleaned.items():
            Answer.objects.update_or_create(entry=entry, question_id=pk, defaults={"text": text})
        entry.save(update_fields=["updated_at"])
    return entry


# --- Reviewing -----------------------------------------------------------------------------------------


def score_entry(*, entry: Entry, reviewer, scores: Mapping[int, ScoreInput]) -> list[Score]:
    """Record the reviewer's 1–5 scores (with private notes) per criterion id; scoring again updates them."""
    challenge = entry.challenge
    if challenge.stage not in SCORING_STAGES:
        raise StateRefusal(
            _("Entries cannot be scored while the challenge is at “%(stage)s”.")
            % {"stage": challenge.get_stage_display()},
            code="locked",
        )
    criteria = {criterion.pk: criterion for criterion in challenge.criteria.all()}
    errors = []
    for criterion_id, score in scores.items():
        if criterion_id not in criteria:
            errors.append(_("A score was given for a criterion this challenge does not have."))
        elif not isinstance(score.value, int) or not MIN_SCORE <= score.value <= MAX_SCORE:
            errors.append(
                # Translators: %(min)s and %(max)s are the lowest and highest score (1 and 5).
                _("The score for “%(criterion)s” must be a whole number from %(min)s to %(max)s.")
                % {"criterion": criteria[criterion_id].name, "min": MIN_SCORE, "max": MAX_SCORE}
            )
    if not scores:
        errors.append(_("Give a score for at least one criterion."))
    if errors:
        raise ValidationError(errors, code="bad_score")
    saved = []
    with transaction.atomic():
        # Locked first: two reviewers saving at once take turns, so the second recomputes the stored
        # figures from both reviewers' scores rather than overwriting them with a stale total.
        Entry.objects.select_for_update().filter(pk=entry.pk).values_list("pk").get()
        for criterion_id, score in scores.items():
            row, _created = Score.objects.update_or_create(
                entry=entry,
                criterion_id=criterion_id,
                reviewer=reviewer,
                defaults={"value": score.value, "note": score.note.strip()},
            )
            saved.append(row)
        refresh_score_figures(entries=Entry.objects.filter(pk=entry.pk))
        figures = Entry.objects.filter(pk=entry.pk).values(*SCORE_FIGURES).get()
    for name, value in figures.items():
        setattr(entry, name, value)
    return saved


# The figures `Entry` stores about its scores. The same definitions are copied into migration 0004, which
# filled them for entries scored before they were stored.
SCORE_FIGURES = ("weighted_score", "score_count", "disagreement")
_ENTRY_SCORES = Score.objects.filter(entry=OuterRef("pk")).order_by().values("entry")


def _score_figure_expressions() -> dict:
    weighted = _ENTRY_SCORES.annotate(
        weighted=Cast(Sum(F("value") * F("criterion__weight"), output_field=IntegerField()), FloatField())
        / Cast(Sum("criterion__weight"), FloatField())
    ).values("weighted")
    count = _ENTRY_SCORES.annotate(n=Count("pk")).values("n")
    # Per criterion, the highest minus the lowest reviewer's score; the entry's figure is the largest gap.
    gap = (
        Score.objects.filter(entry=OuterRef("pk"))
        .values("criterion")
        .annotate(gap=Max("value") - Min("value"))
        .order_by("-gap")
        .values("gap")[:1]
    )
    return {
        "weighted_score": Subquery(weighted, output_field=FloatField()),
        "score_count": Coalesce(Subquery(count, output_field=IntegerField()), Value(0)),
        "disagreement": Subquery(gap, output_field=IntegerField()),
    }


def refresh_score_figures(*, entries) -> int:
    """Recompute the stored weighted score, number of scores and disagreement of `entries` (a queryset)
    from their scores, in one UPDATE; returns how many entries it updated.

    Weighted score = Σ(weight × score) / Σ weight over all the entry's scores (empty when unscored).
    Call it in the transaction that changes the scores, after locking the entries.
    """
    return entries.update(**_score_figure_expressions())


def set_entry_status(*, entry: Entry, status: str) -> Entry:
    """Move an entry on (entered → shortlisted → finalist → winner, or not selected).

    Decisions are made once entries have closed and before the challenge closes, and only forward.
    """
    labels = dict(EntryStatus.choices)
    if status not in labels:
        raise ValidationError(_("“%(status)s” is not an entry status.") % {"status": status}, code="bad_status")
    with transaction.atomic():
        locked = Entry.objects.select_for_update().select_related("challenge").get(pk=entry.pk)
        challenge = locked.challenge
        if challenge.stage not in DECISION_STAGES:
            raise StateRefusal(
                _(
                    "Entries are shortlisted and chosen after entries close and before the challenge closes; "
                    "the challenge is at “%(stage)s”."
                )
                % {"stage": challenge.get_stage_display()},
                code="out_of_order",
            )
        if status not in NEXT_STATUSES[locked.status]:
            raise StateRefusal(
                # Translators: %(status)s is the entry's status now, %(new_status)s the one asked for.
                _("This entry is “%(status)s”; it cannot become “%(new_status)s”.")
                % {"status": labels[locked.status], "new_status": labels[status]},
                code="out_of_order",
            )
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
    entry.status = status
    return entry


# --- Funders -------------------------------------------------------------------------------------------


def add_funder_member(*, funder: Funder, user) -> None:
    """Make the user a member of the funder (idempotent)."""
    funder.memberships.get_or_create(user=user)


# --- Awards ----------------------------------------------------------------------------------------------


def award_refusal(entry: Entry) -> str | None:
    """Why no award can be recorded for the entry now, in words; None if one can. The challenge must have
    announced its finalists (stage "Finalists", "Winners announced" or "Closed") and the entry be a
    finalist or a winner."""
    challenge = entry.challenge
    if challenge.stage not in AWARD_STAGES:
        # Translators: %(stage)s is the challenge's stage, e.g. "Shortlisting".
        return _(
            "Awards are recorded once the challenge announces its finalists; it is at “%(stage)s”."
        ) % {"stage": challenge.get_stage_display()}
    if entry.status not in AWARDED_STATUSES:
        # Translators: %(status)s is the entry's status, e.g. "Shortlisted".
        return _("Awards are recorded for finalists and winners; this entry is “%(status)s”.") % {
            "status": entry.get_status_display()
        }
    return None


def _check_award_values(*, amount: Decimal, awarded_on: dt.date) -> None:
    errors = {}
    if amount is None or amount <= 0:
        errors["amount"] = ValidationError(_("Enter an amount above 0."), code="amount_not_positive")
    elif amount > MAX_AWARD:
        errors["amount"] = ValidationError(
            # Translators: %(max)s is the largest amount, e.g. "10,000,000".
            _("An award can be at most %(max)s. Check the amount for a typing slip.") % {"max": f"{MAX_AWARD:,.0f}"},
            code="amount_too_large",
        )
    latest = timezone.localdate() + AWARD_DATE_AHEAD
    if awarded_on is None or awarded_on > latest:
        errors["awarded_on"] = ValidationError(
            # Translators: %(date)s is a date, e.g. "3 March 2027".
            _("The date awarded can be at most a year from today, %(date)s.") % {"date": format_date(latest, "j F Y")},
            code="date_too_late",
        )
    if errors:
        raise ValidationError(errors)


def _award_saved():
    # The challenge page and its 360Giving files show awards: shared copies are retired once it is saved.
    transaction.on_commit(forget_public_pages)


def record_award(
    *,
    entry: Entry,
    amount: Decimal,
    awarded_on: dt.date,
    title: str,
    description: str = "",
    currency: str = "GBP",
    by=None,
) -> Award:
    """Record money the challenge's funder awarded to the entry. Several awards per entry are allowed (a prize
    and a support grant, say).

    Refused with a `StateRefusal` (409) unless `award_refusal` allows it, checked again under a lock on the
    entry so a decision or a stage move made meanwhile counts; with a field error (400) for an amount that is
    not above 0 or over MAX_AWARD, or a date more than a year ahead. `by`, the funder's member recording it,
    passes the posting rules (suspension, links) and is kept as `created_by`.
    """
    title, description = title.strip(), description.strip()
    _check_award_values(amount=amount, awarded_on=awarded_on)
    if by is not None:
        check_post(user=by, kind="award", content={"title": title, "description": description})
    with transaction.atomic():
        locked = Entry.objects.select_for_update().select_related("challenge").get(pk=entry.pk)
        refusal = award_refusal(locked)
        if refusal:
            raise StateRefusal(refusal, code="no_award_now")
        award = Award(
            entry=locked,
            amount=amount,
            currency=currency,
            awarded_on=awarded_on,
            title=title,
            description=description,
            created_by=by,
        )
        # Who recorded it may be no one (demo data) or, later, an erased account.
        award.full_clean(exclude=["created_by"])
        award.save()
        _award_saved()
    return award


def edit_award(
    *,
    award: Award,
    based_on_version: int,
    amount: Decimal,
    awarded_on: dt.date,
    title: str,
    description: str = "",
    by=None,
) -> Award:
    """Change an award, or raise `StaleEdit` (409) with the award as saved now if someone changed it since
    `based_on_version`; the version is claimed with a conditional UPDATE, so of two edits based on the same
    version exactly one is saved. The amount and date follow `record_award`'s rules; the entry's status and
    the stage are not checked again (a finalist's grant stays a grant if the entry is later not selected).
    """
    title, description = title.strip(), description.strip()
    _check_award_values(amount=amount, awarded_on=awarded_on)
    if by is not None:
        check_post(user=by, kind="award", content={"title": title, "description": description})
    with transaction.atomic():
        claimed = Award.objects.filter(pk=award.pk, version=based_on_version).update(
            version=F("version") + 1, updated_at=timezone.now()
        )
        if not claimed:
            current = Award.objects.filter(pk=award.pk).first()
            if current is None:
                raise Refused(_("This award has been removed meanwhile."), code="gone", status=410)
            raise StaleEdit(
                _(
                    "Someone else changed this award while you were editing. Your changes are not saved — "
                    "what you typed is kept below; compare and save again."
                ),
                current=current,
            )
        edited = Award.objects.get(pk=award.pk)
        edited.amount, edited.awarded_on = amount, awarded_on
        edited.title, edited.description = title, description
        # A ValidationError here rolls the version claim back with everything else.
        edited.full_clean(exclude=["created_by"])
        edited.save()
        _award_saved()
    return edited


def remove_award(*, award: Award) -> None:
    """Delete a recorded award (a mistake, or money withdrawn); it leaves the 360Giving files at once."""
    with transaction.atomic():
        Award.objects.filter(pk=award.pk).delete()
        _award_saved()
