"""The rules of challenges, entries and reviews, called on the services directly."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from challenges.funding import selectors, services, stages
from challenges.funding.services import CriterionInput, QuestionInput, ScoreInput, StateRefusal
from challenges.models import ChallengeStage, Entry, EntryStatus, Score, StageChange

from ..factories import ChallengeAreaFactory, GroupFactory, SolutionFactory, UserFactory
from .factories import ChallengeFactory, EntryFactory, FunderMembershipFactory


def codes(error: ValidationError) -> set[str]:
    return {item.code for items in error.error_dict.values() for item in items}


def make_challenge(funder, user, **overrides):
    fields = dict(
        funder=funder,
        created_by=user,
        title="The Big Green Challenge",
        summary="Community-led responses to climate change.",
        description="Cut **carbon**.",
        challenge_areas=[ChallengeAreaFactory(slug="climate", name="Climate")],
        offer="£1m in prizes.",
        criteria=[CriterionInput("CO2 cut", 3), CriterionInput("Community engagement", 1)],
        questions=[QuestionInput("Who is involved?")],
    )
    fields.update(overrides)
    return services.create_challenge(**fields)


def test_new_challenge_is_a_draft_with_criteria_and_questions(funder, funder_user):
    challenge = make_challenge(funder, funder_user)
    assert challenge.stage == ChallengeStage.DRAFT
    assert challenge.slug == "the-big-green-challenge"
    assert [(c.name, c.weight) for c in challenge.criteria.all()] == [("CO2 cut", 3), ("Community engagement", 1)]
    assert [q.text for q in challenge.questions.all()] == ["Who is involved?"]
    assert selectors.normalised_weights(challenge.criteria.all())[0][1] == 75.0


def test_reserved_and_taken_slugs_are_avoided(funder, funder_user):
    assert make_challenge(funder, funder_user, title="New").slug == "new-challenge"
    assert make_challenge(funder, funder_user, title="The Big Green Challenge").slug == "the-big-green-challenge"
    assert make_challenge(funder, funder_user, title="The Big Green Challenge").slug == "the-big-green-challenge-2"


@pytest.mark.parametrize(
    ("criteria", "code"),
    [
        ([], "no_criteria"),
        ([CriterionInput("Impact", 0)], "bad_weight"),
        ([CriterionInput("Impact", 1), CriterionInput("impact", 2)], "duplicate_criterion"),
    ],
)
def test_bad_criteria_are_refused(funder, funder_user, criteria, code):
    with pytest.raises(ValidationError) as caught:
        make_challenge(funder, funder_user, criteria=criteria)
    assert codes(caught.value) == {code}


def test_stages_move_forward_one_at_a_time_and_are_logged(funder, funder_user):
    challenge = make_challenge(funder, funder_user)
    for stage in ChallengeStage.values[1:]:
        stages.advance_stage(challenge=challenge, to_stage=stage, user=funder_user)
    challenge.refresh_from_db()
    assert challenge.stage == ChallengeStage.CLOSED
    log = list(StageChange.objects.filter(challenge=challenge).values_list("from_stage", "to_stage", "changed_by"))
    assert log[0] == ("draft", "open", funder_user.pk)
    assert len(log) == 5


def test_skipping_or_going_back_a_stage_is_refused(funder, funder_user):
    challenge = make_challenge(funder, funder_user)
    with pytest.raises(StateRefusal, match="can only move on to “Open for entries”"):
        stages.advance_stage(challenge=challenge, to_stage=ChallengeStage.FINALISTS, user=funder_user)
    stages.advance_stage(challenge=challenge, to_stage=ChallengeStage.OPEN, user=funder_user)
    with pytest.raises(StateRefusal):
        stages.advance_stage(challenge=challenge, to_stage=ChallengeStage.DRAFT, user=funder_user)
    assert StageChange.objects.count() == 1


def test_only_the_latest_move_on_is_taken_back_once_and_logged(funder, funder_user):
    challenge = make_challenge(funder, funder_user)
    for stage in ("open", "shortlisting", "finalists"):
        stages.advance_stage(challenge=challenge, to_stage=stage, user=funder_user)
    with pytest.raises(StateRefusal, match="can only go back to “Shortlisting”"):
        stages.move_stage_back(challenge=challenge, to_stage=ChallengeStage.OPEN, user=funder_user)
    stages.move_stage_back(challenge=challenge, to_stage=ChallengeStage.SHORTLISTING, user=funder_user)
    challenge.refresh_from_db()
    assert challenge.stage == ChallengeStage.SHORTLISTING
    assert StageChange.objects.filter(challenge=challenge).last().is_move_back
    with pytest.raises(StateRefusal, match="already took it back") as caught:
        stages.move_stage_back(challenge=challenge, to_stage=ChallengeStage.OPEN, user=funder_user)
    assert caught.value.code == "nothing_to_take_back"
    assert StageChange.objects.filter(challenge=challenge).count() == 4


@pytest.mark.parametrize(
    ("back_to", "entry_status", "refused"),
    [
        ("draft", None, False),
        ("draft", EntryStatus.ENTERED, True),
        ("open", EntryStatus.ENTERED, False),
        ("open", EntryStatus.SHORTLISTED, True),
        ("open", EntryStatus.NOT_SELECTED, True),
        ("shortlisting", EntryStatus.FINALIST, False),
        ("finalists", EntryStatus.WINNER, False),
        ("winners", EntryStatus.WINNER, False),
    ],
)
def test_going_back_is_refused_once_something_since_makes_it_unsafe(
    funder_user, funder, back_to, entry_status, refused
):
    challenge = ChallengeFactory(funder=funder, stage=back_to)
    stages.advance_stage(challenge=challenge, to_stage=stages.next_stage(back_to), user=funder_user)
    if entry_status:
        EntryFactory(challenge=challenge, status=entry_status)
    if refused:
        with pytest.raises(StateRefusal, match="It cannot go back") as caught:
            stages.move_stage_back(challenge=challenge, to_stage=back_to, user=funder_user)
        assert caught.value.code == "unsafe"
        assert stages.way_back(challenge).refusal == caught.value.message
    else:
        assert stages.way_back(challenge).refusal is None
        stages.move_stage_back(challenge=challenge, to_stage=back_to, user=funder_user)
    challenge.refresh_from_db()
    assert (challenge.stage == back_to) is not refused


def test_a_stale_stage_refuses_the_move_and_changes_nothing(challenge, funder_user):
    stages.advance_stage(challenge=challenge, to_stage=ChallengeStage.SHORTLISTING, user=funder_user)
    with pytest.raises(StateRefusal, match="no longer at “Open for entries”") as caught:
        stages.advance_stage(
            challenge=challenge, to_stage=ChallengeStage.SHORTLISTING, from_stage=ChallengeStage.OPEN, user=funder_user
        )
    assert caught.value.code == "stale"
    assert StageChange.objects.count() == 1


def test_an_entry_made_on_a_page_from_before_the_stage_moved_is_refused(challenge, funder_user, solution):
    page_copy = type(challenge).objects.get(pk=challenge.pk)  # loaded while the challenge was open
    stages.advance_stage(challenge=challenge, to_stage=ChallengeStage.SHORTLISTING, user=funder_user)
    owner = UserFactory()
    answers = {question.pk: "Us" for question in challenge.questions.all()}
    with pytest.raises(StateRefusal, match="not taking entries"):
        services.enter_challenge(challenge=page_copy, solution=solution, user=owner, answers=answers)
    assert not Entry.objects.exists()


def test_opening_with_a_past_deadline_is_refused(funder, funder_user):
    challenge = make_challenge(funder, funder_user, entry_deadline=timezone.now() - dt.timedelta(days=1))
    with pytest.raises(StateRefusal, match="deadline has already passed"):
        stages.advance_stage(challenge=challenge, to_stage=ChallengeStage.OPEN, user=funder_user)


def test_criteria_are_fixed_once_open(funder, funder_user):
    challenge = make_challenge(funder, funder_user)
    stages.advance_stage(challenge=challenge, to_stage=ChallengeStage.OPEN, user=funder_user)
    fields = dict(
        challenge=challenge,
        title="Renamed",
        summary="s",
        description="d",
        challenge_areas=list(challenge.challenge_areas.all()),
        offer="o",
        questions=[QuestionInput("Who is involved?")],
    )
    with pytest.raises(StateRefusal):
        services.edit_challenge(criteria=[CriterionInput("CO2 cut", 5)], **fields)
    edited = services.edit_challenge(
        criteria=[CriterionInput("CO2 cut", 3), CriterionInput("Community engagement", 1)], **fields
    )
    assert edited.title == "Renamed"


def test_entering_needs_an_open_challenge_before_its_deadline(challenge, solution, entrant):
    question = challenge.questions.get()
    entry = services.enter_challenge(challenge=challenge, solution=solution, user=entrant, answers={question.pk: "Us"})
    assert entry.answers.get().text == "Us"

    challenge.entry_deadline = timezone.now() - dt.timedelta(minutes=1)
    challenge.save()
    with pytest.raises(StateRefusal, match="entry deadline was"):
        services.enter_challenge(
            challenge=challenge,
            solution=SolutionFactory(group=solution.group),
            user=entrant,
            answers={question.pk: "x"},
        )
    with pytest.raises(StateRefusal, match="can no longer be changed"):
        services.edit_entry(entry=entry, answers={question.pk: "Changed"})
    assert entry.answers.get().text == "Us"


def test_one_entry_per_solution(challenge, solution, entrant):
    answers = {challenge.questions.get().pk: "Us"}
    services.enter_challenge(challenge=challenge, solution=solution, user=entrant, answers=answers)
    with pytest.raises(ValidationError) as caught:
        services.enter_challenge(challenge=challenge, solution=solution, user=entrant, answers=answers)
    assert codes(caught.value) == {"already_entered"}
    assert Entry.objects.count() == 1


def test_ineligible_groups_and_draft_solutions_and_missing_answers_are_refused(challenge, entrant):
    challenge.eligible_regions = ["wales"]
    challenge.save()
    english = SolutionFactory(group=GroupFactory(region="south_west"))
    with pytest.raises(ValidationError, match="open to groups in Wales only"):
        services.enter_challenge(challenge=challenge, solution=english, user=entrant, answers={})
    welsh = GroupFactory(region="wales")
    with pytest.raises(ValidationError, match="Only a published solution"):
        services.enter_challenge(
            challenge=challenge, solution=SolutionFactory(group=welsh, status="draft"), user=entrant, answers={}
        )
    with pytest.raises(ValidationError, match="Answer the question"):
        services.enter_challenge(challenge=challenge, solution=SolutionFactory(group=welsh), user=entrant, answers={})


def test_scores_are_one_per_reviewer_per_criterion_and_rescoring_updates(challenge, funder_user, other_reviewer):
    entry = EntryFactory(challenge=challenge)
    impact, ownership = challenge.criteria.all()
    services.score_entry(
        entry=entry, reviewer=funder_user, scores={impact.pk: ScoreInput(2, "thin"), ownership.pk: ScoreInput(4)}
    )
    services.score_entry(entry=entry, reviewer=funder_user, scores={impact.pk: ScoreInput(5, "better")})
    services.score_entry(
        entry=entry, reviewer=other_reviewer, scores={impact.pk: ScoreInput(3), ownership.pk: ScoreInput(3)}
    )
    assert Score.objects.filter(entry=entry).count() == 4
    assert Score.objects.get(entry=entry, reviewer=funder_user, criterion=impact).note == "better"

    summary = selectors.score_summary(entry=entry, criteria=[impact, ownership], viewer=funder_user)
    # Reviewer 1: (3×5 + 1×4) / 4 = 4.75; reviewer 2: 3.0. Pooled = (15+4+9+3)/8 = 3.875, their mean.
    assert summary.weighted_score == pytest.approx(3.875)
    assert summary.spread == pytest.approx(1.75)
    stored = selectors.entries_for_review(challenge=challenge).get(pk=entry.pk)
    assert stored.weighted_score == pytest.approx(3.875)
    # Impact: 5 against 3; local ownership: 4 against 3.
    assert (stored.score_count, stored.disagreement) == (4, 2)


def test_scoring_stores_the_entry_figures_in_the_same_call(challenge, funder_user):
    entry = EntryFactory(challenge=challenge)
    assert (entry.weighted_score, entry.score_count, entry.disagreement) == (None, 0, None)
    impact, ownership = challenge.criteria.all()  # weights 3 and 1
    services.score_entry(entry=entry, reviewer=funder_user, scores={impact.pk: ScoreInput(4)})
    entry.refresh_from_db()
    assert (entry.weighted_score, entry.score_count, entry.disagreement) == (4.0, 1, 0)
    services.score_entry(entry=entry, reviewer=funder_user, scores={ownership.pk: ScoreInput(2)})
    # (3×4 + 1×2) / (3 + 1) = 3.5, and the object passed in is updated too.
    assert (entry.weighted_score, entry.score_count) == (3.5, 2)
    entry.refresh_from_db()
    assert (entry.weighted_score, entry.score_count, entry.disagreement) == (3.5, 2, 0)


def test_rescoring_replaces_the_stored_figures(challenge, funder_user, other_reviewer):
    entry = EntryFactory(challenge=challenge)
    impact, ownership = challenge.criteria.all()
    services.score_entry(
        entry=entry, reviewer=funder_user, scores={impact.pk: ScoreInput(1), ownership.pk: ScoreInput(1)}
    )
    services.score_entry(entry=entry, reviewer=other_reviewer, scores={impact.pk: ScoreInput(5)})
    entry.refresh_from_db()
    assert (entry.weighted_score, entry.score_count, entry.disagreement) == (pytest.approx(2.7142857), 3, 4)
    services.score_entry(
        entry=entry, reviewer=funder_user, scores={impact.pk: ScoreInput(5), ownership.pk: ScoreInput(5)}
    )
    entry.refresh_from_db()
    assert (entry.weighted_score, entry.score_count, entry.disagreement) == (5.0, 3, 0)


def test_a_refused_score_leaves_the_stored_figures_alone(challenge, funder_user):
    entry = EntryFactory(challenge=challenge)
    impact = challenge.criteria.first()
    services.score_entry(entry=entry, reviewer=funder_user, scores={impact.pk: ScoreInput(4)})
    with pytest.raises(ValidationError):
        services.score_entry(entry=entry, reviewer=funder_user, scores={impact.pk: ScoreInput(9)})
    entry.refresh_from_db()
    assert (entry.weighted_score, entry.score_count) == (4.0, 1)


def test_migration_fills_the_figures_of_entries_scored_before(challenge, funder_user, other_reviewer):
    import importlib

    from django.apps import apps

    fill = importlib.import_module("challenges.migrations.0004_entry_stored_scores").fill_score_figures
    scored, unscored = EntryFactory(challenge=challenge), EntryFactory(challenge=challenge)
    impact, ownership = challenge.criteria.all()
    Score.objects.bulk_create(
        [
            Score(entry=scored, criterion=impact, reviewer=funder_user, value=2),
            Score(entry=scored, criterion=ownership, reviewer=funder_user, value=5),
            Score(entry=scored, criterion=impact, reviewer=other_reviewer, value=5),
        ]
    )
    fill(apps, None)
    scored.refresh_from_db()
    unscored.refresh_from_db()
    # (3×2 + 1×5 + 3×5) / (3 + 1 + 3) = 26 / 7, the same figure `score_entry` stores.
    assert (scored.weighted_score, scored.score_count, scored.disagreement) == (pytest.approx(26 / 7), 3, 3)
    assert (unscored.weighted_score, unscored.score_count, unscored.disagreement) == (None, 0, None)
    services.refresh_score_figures(entries=Entry.objects.filter(pk=scored.pk))
    scored.refresh_from_db()
    assert scored.weighted_score == pytest.approx(26 / 7)


@pytest.mark.parametrize("value", [0, 6, -1])
def test_scores_out_of_range_are_refused(challenge, funder_user, value):
    entry = EntryFactory(challenge=challenge)
    with pytest.raises(ValidationError, match="from 1 to 5"):
        services.score_entry(
            entry=entry, reviewer=funder_user, scores={challenge.criteria.first().pk: ScoreInput(value)}
        )
    assert not Score.objects.exists()


def test_scoring_a_criterion_of_another_challenge_is_refused(challenge, funder_user):
    entry = EntryFactory(challenge=challenge)
    other = ChallengeFactory().criteria.first()
    with pytest.raises(ValidationError, match="does not have"):
        services.score_entry(entry=entry, reviewer=funder_user, scores={other.pk: ScoreInput(3)})


def test_entry_decisions_wait_for_entries_to_close_and_only_go_forward(challenge, funder_user):
    entry = EntryFactory(challenge=challenge)
    with pytest.raises(StateRefusal, match="after entries close"):
        services.set_entry_status(entry=entry, status=EntryStatus.SHORTLISTED)
    stages.advance_stage(challenge=challenge, to_stage=ChallengeStage.SHORTLISTING, user=funder_user)
    services.set_entry_status(entry=entry, status=EntryStatus.SHORTLISTED)
    with pytest.raises(StateRefusal, match="cannot become “Winner”"):
        services.set_entry_status(entry=entry, status=EntryStatus.WINNER)
    services.set_entry_status(entry=entry, status=EntryStatus.FINALIST)
    services.set_entry_status(entry=entry, status=EntryStatus.WINNER)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.WINNER


def test_a_user_may_belong_to_several_funders(funder_user):
    other = FunderMembershipFactory(user=funder_user).funder
    from challenges.funding.permissions import funder_ids

    assert other.pk in funder_ids(UserFactory._meta.model.objects.get(pk=funder_user.pk))
    assert len(funder_ids(funder_user)) == 2
