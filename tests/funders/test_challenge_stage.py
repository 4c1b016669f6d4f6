"""Moving a challenge's stage through the HTTP client: the first POST asks once more and says what the move
does, only the confirmed one acts; the latest move on can be taken back while nothing since makes that unsafe;
bad and stale forms are refused with a message; only the funder's members may do any of it."""

import datetime as dt
import html as html_lib

import pytest
from django.urls import reverse
from django.utils import timezone

from challenges.funding import services, stages
from challenges.models import Challenge, ChallengeStage, EntryStatus, StageChange

from ..factories import GroupFactory, MembershipFactory, SolutionFactory, UserFactory
from .factories import ChallengeFactory, EntryFactory, FunderMembershipFactory

CONFIRMED = {"confirm": "yes"}


def stage_url(challenge, *, back=False):
    name = "challenges:challenge_stage_back" if back else "challenges:challenge_stage"
    return reverse(name, kwargs={"slug": challenge.slug})


def move(client, challenge, to_stage, *, back=False, confirm=True, from_stage=None, **kwargs):
    """Post the stage form as the challenge page (or the confirmation page) would."""
    data = {"to_stage": to_stage, "from_stage": from_stage or Challenge.objects.get(pk=challenge.pk).stage}
    if confirm:
        data.update(CONFIRMED)
    return client.post(stage_url(challenge, back=back), data, **kwargs)


def stage_of(challenge):
    return Challenge.objects.get(pk=challenge.pk).stage


def text(response):
    """The page with its entities decoded, as a reader sees it."""
    return html_lib.unescape(response.content.decode())


def page(client, challenge):
    return text(client.get(challenge.get_absolute_url()))


# --- Asking once more ------------------------------------------------------------------------------------


def test_the_first_post_changes_nothing_and_asks_what_the_move_does(client, funder_user, challenge):
    EntryFactory(challenge=challenge)
    client.force_login(funder_user)
    response = move(client, challenge, "shortlisting", confirm=False)
    assert response.status_code == 200
    html = text(response)
    assert f"Move “{challenge.title}” to “Shortlisting”?" in html
    assert "from “Open for entries” to “Shortlisting”" in html
    assert "Entries close now: groups can no longer enter, or change the answers of the 1 entry made so far" in html
    assert "No one is emailed" in html
    assert "Yes, move to “Shortlisting”" in html
    # The confirmed form carries the same data, to the same address; the way back is the challenge page.
    assert f'action="{stage_url(challenge)}"' in html
    for name, value in (("confirm", "yes"), ("to_stage", "shortlisting"), ("from_stage", "open")):
        assert f'name="{name}" value="{value}"' in html
    assert f'href="{challenge.get_absolute_url()}"' in html and "No, go back" in html
    assert stage_of(challenge) == "open" and not StageChange.objects.exists()


def test_opening_a_draft_says_who_will_see_it_and_what_is_fixed(client, funder, funder_user):
    deadline = timezone.make_aware(dt.datetime(2099, 3, 1, 17, 0))
    draft = ChallengeFactory(funder=funder, stage="draft", entry_deadline=deadline)
    client.force_login(funder_user)
    html = text(move(client, draft, "open", confirm=False))
    assert f"Until now only {funder.name}'s members could see it" in html
    assert "Groups can enter until 1 March 2099, 17:00" in html
    assert "criteria and questions are fixed" in html
    assert "back to “Draft” from the challenge page until a group enters" in html
    assert stage_of(draft) == "draft"


def test_the_confirmed_post_moves_the_stage_and_logs_who_did_it(client, funder_user, challenge):
    client.force_login(funder_user)
    response = move(client, challenge, "shortlisting", follow=True)
    assert response.redirect_chain == [(challenge.get_absolute_url(), 302)]
    assert "The challenge is now at “Shortlisting”." in text(response)
    assert stage_of(challenge) == "shortlisting"
    change = StageChange.objects.get()
    assert (change.from_stage, change.to_stage, change.changed_by) == ("open", "shortlisting", funder_user)


def test_a_confirm_other_than_yes_still_only_asks(client, funder_user, challenge):
    client.force_login(funder_user)
    response = client.post(stage_url(challenge), {"to_stage": "shortlisting", "from_stage": "open", "confirm": "no"})
    assert response.status_code == 200 and stage_of(challenge) == "open"


def test_moving_to_winners_says_how_many_entries_are_marked_winner(client, funder_user, challenge):
    Challenge.objects.filter(pk=challenge.pk).update(stage="finalists")
    client.force_login(funder_user)
    html = text(move(client, challenge, "winners", confirm=False))
    assert "No entry is marked “Winner” yet." in html


# --- Taking a move back ----------------------------------------------------------------------------------


def test_the_latest_move_can_be_taken_back_after_confirming(client, funder_user, challenge):
    client.force_login(funder_user)
    move(client, challenge, "shortlisting")
    html = page(client, challenge)
    assert "Undo: move back to “Open for entries”" in html and f'action="{stage_url(challenge, back=True)}"' in html

    response = move(client, challenge, "open", back=True, confirm=False)
    assert response.status_code == 200
    html = text(response)
    assert f"Move “{challenge.title}” back to “Open for entries”?" in html
    assert "Entries open again: groups can enter, and change their answers, until" in html
    assert "Yes, move back to “Open for entries”" in html
    assert stage_of(challenge) == "shortlisting"

    response = move(client, challenge, "open", back=True, follow=True)
    assert response.redirect_chain == [(challenge.get_absolute_url(), 302)]
    html = text(response)
    assert "The challenge is back at “Open for entries”." in html
    assert stage_of(challenge) == "open"
    assert list(StageChange.objects.values_list("from_stage", "to_stage", "changed_by")) == [
        ("open", "shortlisting", funder_user.pk),
        ("shortlisting", "open", funder_user.pk),
    ]
    assert "moved back from Shortlisting" in html
    # A move back is not itself taken back: moving on again is the stage button.
    assert "Undo:" not in html and "Move to “Shortlisting”" in html


def test_taking_back_a_move_is_refused_once_an_entry_is_decided(client, funder_user, challenge):
    entry = EntryFactory(challenge=challenge)
    client.force_login(funder_user)
    move(client, challenge, "shortlisting")
    services.set_entry_status(entry=entry, status=EntryStatus.SHORTLISTED)
    reason = "It cannot go back to “Open for entries”: 1 entry has been shortlisted or decided since entries closed"
    assert reason in page(client, challenge) and "Undo:" not in page(client, challenge)
    for confirm in (False, True):
        response = move(client, challenge, "open", back=True, confirm=confirm)
        assert response.status_code == 409
        assert reason in text(response) and "The stage did not change" in text(response)
    assert stage_of(challenge) == "shortlisting" and StageChange.objects.count() == 1


def test_a_draft_opened_by_mistake_goes_back_until_a_group_enters(client, funder, funder_user, stranger, solution):
    draft = ChallengeFactory(funder=funder, stage="draft")
    client.force_login(funder_user)
    move(client, draft, "open")
    html = text(move(client, draft, "draft", back=True, confirm=False))
    assert f"Only {funder.name}'s members will see it again" in html and "may have seen or shared it" in html
    assert move(client, draft, "draft", back=True).status_code == 302
    assert stage_of(draft) == "draft"
    client.force_login(stranger)
    assert client.get(draft.get_absolute_url()).status_code == 404

    client.force_login(funder_user)
    move(client, draft, "open")
    EntryFactory(challenge=draft, solution=solution)
    response = move(client, draft, "draft", back=True)
    assert response.status_code == 409
    assert "It cannot go back to “Draft”: 1 entry has been made since it opened" in text(response)
    assert stage_of(draft) == "open"


def test_taking_back_winners_says_the_winners_stay_winners(client, funder_user, challenge):
    Challenge.objects.filter(pk=challenge.pk).update(stage="finalists")
    EntryFactory(challenge=challenge, status=EntryStatus.WINNER)
    client.force_login(funder_user)
    move(client, challenge, "winners")
    html = text(move(client, challenge, "finalists", back=True, confirm=False))
    assert "it has said “Winners announced” since" in html
    assert "1 entry marked “Winner” stays a winner" in html
    assert move(client, challenge, "finalists", back=True).status_code == 302
    assert stage_of(challenge) == "finalists"


def test_nothing_to_take_back_is_a_409_with_a_message(client, funder_user, challenge):
    client.force_login(funder_user)
    response = move(client, challenge, "draft", back=True)
    assert response.status_code == 409
    assert "There is no move to take back" in text(response)
    assert "Undo:" not in page(client, challenge)


def test_only_the_stage_it_came_from_can_be_gone_back_to(client, funder_user, challenge):
    Challenge.objects.filter(pk=challenge.pk).update(stage="shortlisting")
    client.force_login(funder_user)
    move(client, challenge, "finalists")
    response = move(client, challenge, "open", back=True)
    assert response.status_code == 409
    assert "can only go back to “Shortlisting”, the stage it came from" in text(response)
    assert stage_of(challenge) == "finalists"


# --- Bad and stale forms ---------------------------------------------------------------------------------


@pytest.mark.parametrize("back", [False, True])
@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"to_stage": "nonsense", "from_stage": "open"}, "“nonsense” is not a stage."),
        ({"to_stage": "shortlisting", "from_stage": "nonsense"}, "“nonsense” is not a stage."),
        ({"to_stage": "shortlisting"}, "The form did not say which stage the challenge is at"),
        ({}, "Choose the stage to move to."),
    ],
)
def test_bad_input_is_a_400_with_a_message(client, funder_user, challenge, data, message, back):
    client.force_login(funder_user)
    for confirm in ({}, CONFIRMED):
        response = client.post(stage_url(challenge, back=back), {**data, **confirm})
        assert response.status_code == 400
        assert message in text(response) and "The stage did not change" in text(response)
    assert stage_of(challenge) == "open" and not StageChange.objects.exists()


def test_a_stage_that_is_not_next_is_a_409_with_a_message(client, funder_user, challenge):
    client.force_login(funder_user)
    for confirm in (False, True):
        response = move(client, challenge, "winners", confirm=confirm)
        assert response.status_code == 409
        assert "it can only move on to “Shortlisting”, not to “Winners announced”" in text(response)
    assert client.get(stage_url(challenge)).status_code == 405
    assert client.get(stage_url(challenge, back=True)).status_code == 405
    assert stage_of(challenge) == "open"


def test_a_form_made_stale_by_someone_else_changes_nothing(client, funder, funder_user, other_reviewer, challenge):
    other_reviewer.display_name = "Olu Other"
    other_reviewer.save()
    client.force_login(funder_user)
    assert move(client, challenge, "shortlisting", confirm=False).status_code == 200  # the confirmation page
    stages.advance_stage(challenge=challenge, to_stage="shortlisting", user=other_reviewer)

    response = move(client, challenge, "shortlisting", from_stage="open")
    assert response.status_code == 409
    html = text(response)
    assert "Nothing changed: the challenge is no longer at “Open for entries”" in html
    assert "Olu Other moved it to “Shortlisting”" in html
    assert stage_of(challenge) == "shortlisting" and StageChange.objects.count() == 1

    # The same for a move back taken on a page from before someone else's move.
    response = move(client, challenge, "open", back=True, from_stage="finalists")
    assert response.status_code == 409 and "no longer at “Finalists”" in text(response)
    assert stage_of(challenge) == "shortlisting"


# --- Who may ---------------------------------------------------------------------------------------------


def _other_funder(challenge, group):
    return FunderMembershipFactory().user


def _organiser(challenge, group):
    return MembershipFactory(group=group, role="organiser").user


def _entrant(challenge, group):
    owner = MembershipFactory(group=group, role="owner").user
    EntryFactory(challenge=challenge, solution=SolutionFactory(group=group))
    return owner


def _resident(challenge, group):
    return UserFactory()


@pytest.mark.parametrize("back", [False, True])
@pytest.mark.parametrize("confirm", [False, True])
@pytest.mark.parametrize("make_user", [_resident, _organiser, _entrant, _other_funder])
def test_only_the_funders_members_may_move_the_stage(client, funder, funder_user, make_user, confirm, back):
    challenge = ChallengeFactory(funder=funder)
    draft = ChallengeFactory(funder=funder, stage="draft")
    stages.advance_stage(challenge=challenge, to_stage="shortlisting", user=funder_user)
    to_stage = "open" if back else "finalists"
    client.force_login(make_user(challenge, GroupFactory()))
    assert move(client, challenge, to_stage, back=back, confirm=confirm).status_code == 403
    # A draft is not even found by those outside its funder.
    assert move(client, draft, "open", confirm=confirm).status_code == 404
    assert stage_of(challenge) == "shortlisting" and stage_of(draft) == "draft"
    assert StageChange.objects.count() == 1


@pytest.mark.parametrize("back", [False, True])
def test_anonymous_visitors_are_sent_to_log_in(client, challenge, back):
    response = move(client, challenge, "shortlisting", back=back)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert stage_of(challenge) == "open"


def test_another_member_of_the_funder_may_take_back_a_colleagues_move(client, funder_user, other_reviewer, challenge):
    stages.advance_stage(challenge=challenge, to_stage=ChallengeStage.SHORTLISTING, user=funder_user)
    client.force_login(other_reviewer)
    assert move(client, challenge, "open", back=True).status_code == 302
    assert StageChange.objects.last().changed_by == other_reviewer
