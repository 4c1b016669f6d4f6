"""The moderators' side: the queue, the case page with snapshots, hide / dismiss / restore, appeals,
suspensions and the audit log."""

import pytest
from django.core import mail
from django.urls import reverse

from challenges import services as challenge_services
from core.posting import PostingRefused
from moderation import services
from moderation.models import Appeal, Case, Event, Report

from ..factories import GroupFactory, MembershipFactory, SolutionFactory, UpdateFactory, UserFactory

pytestmark = pytest.mark.django_db


def reported(item, kind="update", reporters=1, reason="abuse"):
    case = None
    for _ in range(reporters):
        case = services.report(reporter=UserFactory(), kind=kind, pk=item.pk, reason=reason).case
    return Case.objects.get(pk=case.pk)


def decide(client, case, decision, reason=""):
    return client.post(reverse("moderation:decide", kwargs={"pk": case.pk}), {"decision": decision, "reason": reason})


def item_url(kind, pk):
    return reverse("moderation:item", kwargs={"kind": kind, "pk": pk})


def test_the_whole_story_report_hide_appeal_restore_with_the_log(
    client, world, moderator, django_capture_on_commit_callbacks
):
    # A resident reports the update.
    client.force_login(world.resident)
    client.post(reverse("moderation:report", kwargs={"kind": "update", "pk": world.update.pk}), {"reason": "abuse"})
    case = Case.objects.get()

    # The owner edits the update afterwards: the moderator still sees what was reported.
    challenge_services.edit_update(
        update=world.update, title="Our first month", body="Nothing to see here.", status="published"
    )

    client.force_login(moderator)
    queue = client.get(reverse("moderation:queue")).content.decode()
    assert "Our first month" in queue and "Abuse or harassment (1)" in queue
    page = client.get(reverse("moderation:case", kwargs={"pk": case.pk})).content.decode()
    assert "We insulated 12 lofts." in page  # the snapshot
    assert "Nothing to see here." in page  # what it says now
    assert "(changed since)" in page

    # Hiding needs a reason the owner will read.
    refused = decide(client, case, "hide")
    assert refused.status_code == 400 and "Please write the reason" in refused.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert decide(client, case, "hide", "Name-calling is not allowed here.").status_code == 302
    world.update.refresh_from_db()
    assert world.update.is_hidden and world.update.hidden_reason == "Name-calling is not allowed here."
    owner_mail = [message for message in mail.outbox if world.owner.email in message.to]
    assert len(owner_mail) == 1 and "Name-calling is not allowed here." in owner_mail[0].body
    assert not Case.objects.get().needs_review  # decided: out of the queue

    # The owner sees why and appeals, once.
    client.force_login(world.owner)
    page = client.get(item_url("update", world.update.pk)).content.decode()
    assert "Name-calling is not allowed here." in page and "Send appeal" in page
    assert "Rita Resident" not in page  # reporters stay anonymous to the owner
    assert client.post(item_url("update", world.update.pk), {"text": "We removed the names."}).status_code == 302
    again = client.post(item_url("update", world.update.pk), {"text": "Please look again"})
    assert again.status_code == 409
    assert "already been appealed once" in again.content.decode()
    assert "Please look again" in again.content.decode() or "You appealed on" in again.content.decode()
    assert Appeal.objects.count() == 1
    assert Case.objects.get().needs_review  # back in the queue

    # The moderator restores it.
    client.force_login(moderator)
    assert "We removed the names." in client.get(reverse("moderation:case", kwargs={"pk": case.pk})).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert decide(client, case, "restore", "Thanks for fixing it.").status_code == 302
    world.update.refresh_from_db()
    assert not world.update.is_hidden
    appeal = Appeal.objects.get()
    assert appeal.upheld is True and appeal.decided_at

    # Every step is in the log, with who and why, and the owner can read it.
    events = list(Case.objects.get().log.values_list("event", "actor__display_name", "reason"))
    assert events == [
        (Event.REPORTED, "Rita Resident", "Abuse or harassment"),
        (Event.HIDDEN, "Mo Moderator", "Name-calling is not allowed here."),
        (Event.APPEALED, world.owner.display_name, "We removed the names."),
        (Event.RESTORED, "Mo Moderator", "Thanks for fixing it."),
    ]
    client.force_login(world.owner)
    owner_view = client.get(item_url("update", world.update.pk)).content.decode()
    for words in ("Hidden", "Appealed", "Restored", "Thanks for fixing it.", "Mo Moderator"):
        assert words in owner_view
    client.force_login(moderator)
    log = client.get(reverse("moderation:log")).content.decode()
    assert log.count("Our first month") == 4


def test_dismissing_reports_shows_an_automatically_hidden_item_again(client, world, moderator):
    case = reported(world.update, reporters=3)
    world.update.refresh_from_db()
    assert world.update.is_hidden
    client.force_login(moderator)
    assert decide(client, case, "dismiss", "Not abusive.").status_code == 302
    world.update.refresh_from_db()
    case.refresh_from_db()
    assert not world.update.is_hidden
    assert (case.open_reports, case.needs_review, case.is_hidden) == (0, False, False)
    assert set(Report.objects.values_list("outcome", flat=True)) == {"dismissed"}
    # Nothing left to dismiss: refused with a reason.
    again = decide(client, case, "dismiss")
    assert again.status_code == 409 and "no open reports" in again.content.decode()


def test_restore_of_a_visible_item_and_hide_of_a_hidden_one_are_refused(client, world, moderator):
    case = reported(world.update)
    client.force_login(moderator)
    assert decide(client, case, "restore").status_code == 409
    decide(client, case, "hide", "Spam.")
    again = decide(client, case, "hide", "Spam again.")
    assert again.status_code == 409 and "already hidden" in again.content.decode()


def test_an_appeal_for_a_visible_item_is_refused(client, world):
    reported(world.update)
    client.force_login(world.owner)
    response = client.post(item_url("update", world.update.pk), {"text": "Why?"})
    assert response.status_code == 409
    assert "Only a hidden item can be appealed" in response.content.decode()


@pytest.mark.parametrize("role", ["resident", "owner", "other_organiser", "funder"])
def test_only_moderators_decide(client, world, role):
    from ..funders.factories import FunderMembershipFactory

    case = reported(world.update)
    people = {
        "resident": world.resident,
        "owner": world.owner,
        "other_organiser": MembershipFactory(group=GroupFactory(), role="organiser").user,
        "funder": FunderMembershipFactory().user,
    }
    client.force_login(people[role])
    assert decide(client, case, "hide", "No.").status_code == 403
    world.update.refresh_from_db()
    assert not world.update.is_hidden


def test_a_funder_moderates_entries_to_its_own_challenges_only(client, world):
    from ..funders.factories import ChallengeFactory, EntryFactory, FunderMembershipFactory

    own = EntryFactory(challenge=ChallengeFactory(publish_entries="all"), solution=world.solution)
    funder_person = FunderMembershipFactory(funder=own.challenge.funder).user
    other_entry = EntryFactory(challenge=ChallengeFactory(publish_entries="all"), solution=world.solution)
    own_case = reported(own, kind="entry")
    other_case = reported(other_entry, kind="entry")
    update_case = reported(world.update)

    client.force_login(funder_person)
    queue = client.get(reverse("moderation:queue")).content.decode()
    assert own_case.title in queue
    assert other_case.title not in queue and update_case.title not in queue
    assert decide(client, other_case, "hide", "No.").status_code == 403
    assert decide(client, own_case, "hide", "Not what we asked for.").status_code == 302
    own.refresh_from_db()
    assert own.is_hidden


def test_the_queue_puts_the_most_reported_first_then_the_oldest_and_filters(client, world, moderator):
    once = reported(UpdateFactory(solution=world.solution, title="Reported once"), reason="spam")
    twice_old = reported(UpdateFactory(solution=world.solution, title="Twice, older"), reporters=2)
    twice_new = reported(UpdateFactory(solution=world.solution, title="Twice, newer"), reporters=2)
    group_case = reported(GroupFactory(name="A reported group"), kind="group", reason="spam")
    client.force_login(moderator)
    page = client.get(reverse("moderation:queue")).content.decode()
    positions = [page.index(case.title) for case in (twice_old, twice_new, once, group_case)]
    assert positions == sorted(positions)

    by_kind = client.get(reverse("moderation:queue"), {"kind": "group"}).content.decode()
    assert group_case.title in by_kind and once.title not in by_kind
    by_reason = client.get(reverse("moderation:queue"), {"reason": "spam"}).content.decode()
    assert once.title in by_reason and group_case.title in by_reason and twice_old.title not in by_reason
    assert client.get(reverse("moderation:queue"), {"kind": "nonsense"}).status_code == 400


def test_the_queue_runs_the_same_number_of_queries_for_more_cases(
    client, world, moderator, django_assert_max_num_queries
):
    def queue_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("moderation:queue")).status_code == 200
        return len(captured)

    client.force_login(moderator)
    for index in range(2):
        reported(UpdateFactory(solution=world.solution, title=f"Small {index}"))
    few = queue_queries()
    for index in range(15):
        reported(UpdateFactory(solution=world.solution, title=f"Big {index}"), reporters=2)
    with django_assert_max_num_queries(few):
        client.get(reverse("moderation:queue"))


def test_a_deleted_item_keeps_its_case_and_evidence(client, world, moderator):
    case = reported(world.update)
    world.update.delete()
    client.force_login(moderator)
    page = client.get(reverse("moderation:case", kwargs={"pk": case.pk}))
    assert page.status_code == 200
    assert "has been deleted" in page.content.decode() and "We insulated 12 lofts." in page.content.decode()


def test_suspending_and_lifting_a_suspension_is_logged(client, world, moderator):
    case = reported(world.update)
    client.force_login(moderator)
    url = reverse("moderation:suspend", kwargs={"pk": world.owner.pk})
    missing = client.post(url, {"action": "suspend", "reason": ""})
    assert missing.status_code == 400 and "Please write the reason" in missing.content.decode()
    response = client.post(url, {"action": "suspend", "reason": "Repeated abuse.", "case": case.pk})
    assert response.status_code == 302 and response["Location"] == reverse("moderation:case", kwargs={"pk": case.pk})
    world.owner.refresh_from_db()
    assert world.owner.is_suspended and world.owner.suspension_reason == "Repeated abuse."
    assert client.post(url, {"action": "suspend", "reason": "Again."}).status_code == 409
    assert client.post(url, {"action": "unsuspend"}).status_code == 302
    world.owner.refresh_from_db()
    assert not world.owner.is_suspended
    events = list(world.owner.moderation_log.values_list("event", "actor", "reason"))
    assert events == [(Event.SUSPENDED, moderator.pk, "Repeated abuse."), (Event.UNSUSPENDED, moderator.pk, "")]


def test_moderators_cannot_be_suspended_from_the_site(client, moderator):
    other = UserFactory(is_moderator=True)
    client.force_login(moderator)
    response = client.post(reverse("moderation:suspend", kwargs={"pk": other.pk}), {"action": "suspend", "reason": "x"})
    assert response.status_code == 409
    assert "cannot be suspended" in response.content.decode()


def test_a_suspended_organiser_cannot_publish_an_update(client, world, moderator):
    services.suspend(user=world.owner, by=moderator, reason="Spam.")
    client.force_login(world.owner)
    url = reverse("challenges:update_create", kwargs={"group_slug": world.group.slug, "slug": world.solution.slug})
    before = world.solution.updates.count()
    response = client.post(url, {"title": "Buy cheap watches", "body": "Visit my shop", "status": "published"})
    assert 400 <= response.status_code < 500
    assert "suspended" in response.content.decode()
    assert "Buy cheap watches" in response.content.decode()
    assert world.solution.updates.count() == before


def test_the_solution_factory_still_makes_visible_items():
    solution = SolutionFactory()
    assert solution.hidden_at is None and not solution.is_hidden


def test_a_suspended_person_is_told_on_every_page(client, world, moderator):
    services.suspend(user=world.owner, by=moderator, reason="Posting adverts.")
    client.force_login(world.owner)
    page = client.get(reverse("home")).content.decode()
    assert "Your account is suspended: Posting adverts." in page
    client.force_login(world.resident)
    assert "Your account is suspended" not in client.get(reverse("home")).content.decode()


def test_a_suspended_organiser_cannot_enter_a_challenge_or_change_an_entry(world, moderator):
    from challenges.funding import services as funding

    from ..funders.factories import ChallengeFactory

    challenge = ChallengeFactory()
    question = challenge.questions.get()
    entry = funding.enter_challenge(
        challenge=challenge, solution=world.solution, user=world.owner, answers={question.pk: "Us"}
    )
    services.suspend(user=world.owner, by=moderator, reason="Spam.")
    with pytest.raises(PostingRefused, match="suspended"):
        funding.edit_entry(entry=entry, answers={question.pk: "Buy watches"}, by=world.owner)
    other = ChallengeFactory()
    with pytest.raises(PostingRefused, match="suspended"):
        funding.enter_challenge(
            challenge=other, solution=world.solution, user=world.owner, answers={other.questions.get().pk: "x"}
        )
    assert entry.answers.get().text == "Us"


def test_hiding_and_restoring_a_group_takes_it_out_of_peer_lists_and_back(
    world, moderator, django_capture_on_commit_callbacks
):
    from learning.models import Peer
    from learning.services import rebuild_all_peers

    from ..factories import similar_and_different_groups

    mine, peer, _ = similar_and_different_groups()
    rebuild_all_peers()
    assert Peer.objects.filter(group=mine, peer=peer).exists()
    case = reported(peer, kind="group")
    with django_capture_on_commit_callbacks(execute=True):
        services.hide(case=case, by=moderator, reason="Spam group.")
    assert not Peer.objects.filter(peer=peer).exists()
    assert not Peer.objects.filter(group=peer).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.restore(case=Case.objects.get(pk=case.pk), by=moderator)
    assert Peer.objects.filter(group=mine, peer=peer).exists()


def test_a_hidden_solution_cannot_be_entered_and_a_hidden_message_is_not_mailed(world, moderator):
    from challenges.funding.forms import EntryForm
    from learning import connections

    from ..funders.factories import ChallengeFactory

    other = SolutionFactory(group=world.group, title="Visible one")
    services.hide(case=reported(world.solution, kind="solution"), by=moderator, reason="Spam.")
    form = EntryForm(challenge=ChallengeFactory(), group=world.group)
    assert list(form.fields["solution"].queryset) == [other]

    peer = GroupFactory()
    peer_owner = MembershipFactory(group=peer, role="owner").user
    connection = connections.request_connection(from_group=world.group, to_group=peer, by=world.owner, message="Hi")
    message = connection.messages.get()
    # Hidden before its mail went (the task had not run yet).
    message.__class__.objects.filter(pk=message.pk).update(notified_at=None)
    case = services.report(reporter=peer_owner, kind="message", pk=message.pk, reason="abuse").case
    services.hide(case=case, by=moderator, reason="Abuse.")
    mail.outbox.clear()
    assert connections.send_connection_notice(message_id=message.pk) == 0
    assert mail.outbox == []
