"""Reporting content, as a resident does it through the site."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.posting import PostingRateLimited, posts_per_hour
from moderation import services
from moderation.models import Case, Event, Report

from ..factories import UpdateFactory, UserFactory
from ..mail_backends import RefusesSome

pytestmark = pytest.mark.django_db


def report_url(kind, pk):
    return reverse("moderation:report", kwargs={"kind": kind, "pk": pk})


def test_resident_reports_an_update_and_gets_a_confirmation(client, world):
    client.force_login(world.resident)
    url = report_url("update", world.update.pk)
    page = client.get(url)
    assert page.status_code == 200
    assert "Our first month" in page.content.decode()

    response = client.post(url, {"reason": "abuse", "details": "Name-calling in the second paragraph."}, follow=True)

    assert response.redirect_chain[-1][0] == world.update.get_absolute_url()
    assert "your report has reached the moderators" in response.content.decode()
    made = Report.objects.get()
    assert (made.reporter, made.reason, made.details) == (
        world.resident,
        "abuse",
        "Name-calling in the second paragraph.",
    )
    assert made.snapshot["title"] == "Our first month"
    assert "We insulated 12 lofts." in made.snapshot["text"]
    case = made.case
    assert (case.kind, case.update, case.open_reports, case.needs_review) == ("update", world.update, 1, True)
    assert list(case.log.values_list("event", flat=True)) == [Event.REPORTED]


def test_report_without_a_reason_comes_back_with_the_text_kept(client, world):
    client.force_login(world.resident)
    response = client.post(report_url("update", world.update.pk), {"details": "Look at the photo"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Look at the photo" in body
    assert "This field is required" in body
    assert not Report.objects.exists()


def test_something_else_needs_a_description(client, world):
    client.force_login(world.resident)
    response = client.post(report_url("update", world.update.pk), {"reason": "other", "details": "  "})
    assert response.status_code == 400
    assert "say what is wrong" in response.content.decode()


def test_a_second_report_by_the_same_person_is_refused(client, world):
    client.force_login(world.resident)
    url = report_url("update", world.update.pk)
    client.post(url, {"reason": "spam"})
    response = client.post(url, {"reason": "abuse", "details": "again"})
    assert response.status_code == 409
    assert "already reported this" in response.content.decode()
    assert Report.objects.count() == 1
    # The page now says so instead of offering the form again.
    assert "You reported this on" in client.get(url).content.decode()


def test_owners_cannot_report_their_own_content(client, world):
    client.force_login(world.owner)
    response = client.post(report_url("update", world.update.pk), {"reason": "spam"})
    assert response.status_code == 409
    assert "your own group" in response.content.decode()


@pytest.mark.parametrize(
    "kind_and_pk", [("update", 999_999), ("no-such-kind", 1), ("group", 999_999), ("message", 999_999)]
)
def test_reports_of_items_that_do_not_exist_are_404(client, world, kind_and_pk):
    client.force_login(world.resident)
    kind, pk = kind_and_pk
    assert client.post(report_url(kind, pk), {"reason": "spam"}).status_code == 404


def test_a_draft_cannot_be_reported_by_someone_who_cannot_see_it(client, world):
    draft = UpdateFactory(solution=world.solution, status="draft", published_at=None)
    client.force_login(world.resident)
    assert client.get(report_url("update", draft.pk)).status_code == 404


def test_anonymous_people_are_asked_to_log_in(client, world):
    response = client.post(report_url("update", world.update.pk), {"reason": "spam"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Report.objects.exists()


def test_reporting_is_rate_limited_for_new_accounts(client, world):
    limit = posts_per_hour("report")
    updates = UpdateFactory.create_batch(limit + 1, solution=world.solution)
    newcomer = UserFactory(new_account=True)
    client.force_login(newcomer)
    for update in updates[:-1]:
        assert client.post(report_url("update", update.pk), {"reason": "spam"}).status_code == 302
    response = client.post(report_url("update", updates[-1].pk), {"reason": "spam", "details": "more spam"})
    assert response.status_code == 429
    assert f"you can post {limit} reports an hour" in response.content.decode()
    assert "more spam" in response.content.decode()
    assert Report.objects.filter(reporter=newcomer).count() == limit


def test_everyone_is_limited_to_a_number_of_reports_an_hour(world):
    reporter = UserFactory()
    updates = UpdateFactory.create_batch(services.REPORTS_PER_HOUR + 1, solution=world.solution)
    for update in updates[:-1]:
        services.report(reporter=reporter, kind="update", pk=update.pk, reason="spam")
    with pytest.raises(PostingRateLimited, match="reports an hour"):
        services.report(reporter=reporter, kind="update", pk=updates[-1].pk, reason="spam")
    # An hour later they may report again.
    Report.objects.filter(reporter=reporter).update(created_at=timezone.now() - timedelta(minutes=61))
    services.report(reporter=reporter, kind="update", pk=updates[-1].pk, reason="spam")


def test_an_already_hidden_item_cannot_be_reported(client, world, moderator):
    case = services.report(reporter=UserFactory(), kind="update", pk=world.update.pk, reason="abuse").case
    services.hide(case=case, by=moderator, reason="Abusive.")
    client.force_login(world.resident)
    response = client.post(report_url("update", world.update.pk), {"reason": "spam"})
    assert response.status_code == 409
    assert "already hidden" in response.content.decode()


def test_three_reports_from_three_people_hide_the_item_and_mail_each_moderator_once(
    client, world, moderator, django_capture_on_commit_callbacks
):
    second_moderator = UserFactory(is_moderator=True)
    reporters = UserFactory.create_batch(3)
    mail.outbox.clear()
    for index, reporter in enumerate(reporters):
        client.force_login(reporter)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(report_url("update", world.update.pk), {"reason": "spam"})
        world.update.refresh_from_db()
        assert world.update.is_hidden == (index == 2)

    case = Case.objects.get()
    assert case.auto_hidden_at is not None and case.is_hidden and case.needs_review
    assert "automatically" in world.update.hidden_reason
    moderator_mail = [message for message in mail.outbox if "Hidden after 3 reports" in message.subject]
    assert sorted(address for message in moderator_mail for address in message.to) == sorted(
        [moderator.email, second_moderator.email]
    )
    assert all(len(message.to) == 1 for message in moderator_mail)
    assert case.get_absolute_url() in moderator_mail[0].body
    # Running the task again (a retry) sends nothing more.
    assert services.notify_moderators_of_auto_hide(case_id=case.pk) == 0
    assert list(case.log.values_list("event", flat=True)) == ["reported"] * 3 + ["auto_hidden"]


def test_a_failed_moderator_mail_is_retried_without_mailing_again_those_already_told(world, settings, monkeypatch):
    moderators = sorted(UserFactory.create_batch(3, is_moderator=True), key=lambda user: user.email)
    for reporter in UserFactory.create_batch(3):
        services.report(reporter=reporter, kind="update", pk=world.update.pk, reason="spam")
    case = Case.objects.get()
    assert case.auto_hidden_at is not None
    settings.EMAIL_BACKEND = "tests.mail_backends.RefusesSome"
    monkeypatch.setattr(RefusesSome, "refused", frozenset({moderators[1].email}))
    mail.outbox.clear()

    with pytest.raises(OSError):
        services.notify_moderators_of_auto_hide(case_id=case.pk)
    assert [message.to for message in mail.outbox] == [[moderators[0].email]]
    case.refresh_from_db()
    assert case.moderators_notified_at is None

    monkeypatch.setattr(RefusesSome, "refused", frozenset())
    assert services.notify_moderators_of_auto_hide(case_id=case.pk) == 2
    assert sorted(address for message in mail.outbox for address in message.to) == [m.email for m in moderators]
    case.refresh_from_db()
    assert case.moderators_notified_at is not None
    assert services.notify_moderators_of_auto_hide(case_id=case.pk) == 0
    assert len(mail.outbox) == 3


def test_the_threshold_is_a_setting(client, world, moderator, settings):
    settings.MODERATION_AUTO_HIDE_REPORTS = 1
    client.force_login(world.resident)
    client.post(report_url("update", world.update.pk), {"reason": "spam"})
    world.update.refresh_from_db()
    assert world.update.is_hidden


def test_my_reports_shows_the_outcome_and_the_reporter_is_mailed(
    client, world, moderator, django_capture_on_commit_callbacks
):
    client.force_login(world.resident)
    client.post(report_url("update", world.update.pk), {"reason": "abuse"})
    assert "Waiting for a moderator" in client.get(reverse("moderation:my_reports")).content.decode()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.hide(case=Case.objects.get(), by=moderator, reason="Abusive language.")

    page = client.get(reverse("moderation:my_reports")).content.decode()
    assert "The item was hidden" in page
    outcome_mail = [message for message in mail.outbox if message.to == [world.resident.email]]
    assert len(outcome_mail) == 1
    assert "the item was hidden" in outcome_mail[0].body
    assert services.notify_reporters(case_id=Case.objects.get().pk) == 0


def test_reports_on_every_kind_of_content(world, moderator):
    from learning import connections

    from ..factories import GroupFactory, MembershipFactory
    from ..funders.factories import ChallengeFactory, EntryFactory
    from ..residents.factories import ActionFactory

    other = GroupFactory()
    other_owner = MembershipFactory(group=other, role="owner").user
    connection = connections.request_connection(from_group=world.group, to_group=other, by=world.owner, message="Hi")
    entry = EntryFactory(challenge=ChallengeFactory(publish_entries="all"), solution=world.solution)
    items = {
        "group": world.group,
        "solution": world.solution,
        "update": world.update,
        "action": ActionFactory(group=world.group),
        "entry": entry,
        "message": connection.messages.get(),
    }
    for kind, item in items.items():
        reporter = other_owner if kind == "message" else world.resident
        made = services.report(reporter=reporter, kind=kind, pk=item.pk, reason="spam")
        assert made.case.kind == kind
        assert made.case.owner_group == world.group
        assert made.snapshot["title"]
    # Only the two sides of a conversation can see (and so report) its messages.
    with pytest.raises(services.ItemNotFound):
        services.report(reporter=UserFactory(), kind="message", pk=items["message"].pk, reason="spam")


def test_the_report_page_of_something_under_a_hidden_group_does_not_show_it(client, world, moderator):
    group_case = services.report(reporter=UserFactory(), kind="group", pk=world.group.pk, reason="spam").case
    services.hide(case=group_case, by=moderator, reason="Spam group.")
    client.force_login(world.resident)
    for method in (client.get, client.post):
        response = method(report_url("update", world.update.pk), {"reason": "spam"} if method == client.post else {})
        assert response.status_code == 409
        assert "already hidden" in response.content.decode()
        assert "Our first month" not in response.content.decode()
