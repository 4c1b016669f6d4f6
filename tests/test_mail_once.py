"""Each mail goes at most once: a row claim for one mail per row, a claim per recipient for one mail to many."""

import threading
import time

import pytest
from django.core import mail
from django.db import connection
from django.db.models import Q

from accounts.models import User
from core.mail import Mail, send_once, send_once_to_each
from core.models import MailClaim

from .factories import UserFactory
from .mail_backends import RefusesSome

pytestmark = pytest.mark.django_db

FLAKY = "tests.mail_backends.RefusesSome"


def note(subject):
    return lambda recipient: Mail(subject=subject, body="Something happened.", to=[recipient])


def welcome(user):
    """A mail for one row: the user's welcome, claimed on `welcome_sent_at`."""
    return send_once(
        User.objects.filter(pk=user.pk),
        field="welcome_sent_at",
        compose=lambda: Mail(subject="Welcome", body="Hello.", to=[user.email]),
    )


def test_a_failed_send_re_sends_to_nobody_who_already_got_the_mail(settings, monkeypatch):
    settings.EMAIL_BACKEND = FLAKY
    monkeypatch.setattr(RefusesSome, "refused", frozenset({"b@example.org"}))
    recipients = ["a@example.org", "b@example.org", "c@example.org"]

    with pytest.raises(OSError):
        send_once_to_each(about="case:1", recipients=recipients, compose=note("Hidden"))
    assert [message.to for message in mail.outbox] == [["a@example.org"]]

    monkeypatch.setattr(RefusesSome, "refused", frozenset())
    assert send_once_to_each(about="case:1", recipients=recipients, compose=note("Hidden")) == 2
    assert sorted(address for message in mail.outbox for address in message.to) == recipients
    assert send_once_to_each(about="case:1", recipients=recipients, compose=note("Hidden")) == 0
    assert len(mail.outbox) == 3


def test_each_recipient_is_claimed_once_per_subject_of_the_mail():
    assert send_once_to_each(about="case:1", recipients=["a@example.org", "a@example.org"], compose=note("x")) == 1
    assert send_once_to_each(about="case:2", recipients=["a@example.org"], compose=note("y")) == 1
    assert [message.subject for message in mail.outbox] == ["[Localism] x", "[Localism] y"]
    assert MailClaim.objects.filter(sent_at__isnull=False).count() == 2


def test_a_failed_row_mail_releases_the_claim_then_goes_once(settings):
    user = UserFactory()
    settings.EMAIL_BACKEND = "tests.mail_backends.MailServerDown"
    with pytest.raises(OSError):
        welcome(user)
    user.refresh_from_db()
    assert user.welcome_sent_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert welcome(user) == 1
    assert welcome(user) == 0
    assert len(mail.outbox) == 1
    user.refresh_from_db()
    assert user.welcome_sent_at is not None


def test_two_runs_one_after_the_other_send_once():
    user = UserFactory()
    assert [welcome(user), welcome(user)] == [1, 0]
    assert [message.to for message in mail.outbox] == [[user.email]]


def test_a_row_that_does_not_qualify_is_not_claimed_nor_composed():
    user = UserFactory(is_active=False)

    def compose():
        raise AssertionError("composed a mail for a row that was not claimed")

    users = User.objects.filter(pk=user.pk)
    assert send_once(users, field="welcome_sent_at", only_if=Q(is_active=True), compose=compose) == 0
    user.refresh_from_db()
    assert user.welcome_sent_at is None


def test_nobody_to_tell_settles_the_mail_without_sending():
    user = UserFactory()
    users = User.objects.filter(pk=user.pk)
    assert send_once(users, field="welcome_sent_at", compose=lambda: None) == 0
    assert send_once(users, field="welcome_sent_at", compose=lambda: Mail(subject="x", body="", to=[])) == 0
    user.refresh_from_db()
    assert user.welcome_sent_at is not None and mail.outbox == []


def test_the_release_leaves_a_claim_that_is_no_longer_ours(settings):
    """If the field was reset and claimed again while our send failed, the newer claim stands."""
    user = UserFactory()
    settings.EMAIL_BACKEND = "tests.mail_backends.MailServerDown"
    users = User.objects.filter(pk=user.pk)

    def compose():
        users.update(welcome_sent_at="2030-01-01T00:00:00Z")
        return Mail(subject="x", body="", to=[user.email])

    with pytest.raises(OSError):
        send_once(users, field="welcome_sent_at", compose=compose)
    user.refresh_from_db()
    assert user.welcome_sent_at is not None


def test_a_mail_carries_the_site_prefix_sender_headers_and_attachments(settings):
    sent = send_once_to_each(
        about="x",
        recipients=["a@example.org"],
        compose=lambda recipient: Mail(
            subject="Hi",
            body="Body",
            to=[recipient],
            headers={"List-Unsubscribe": "<https://example.org/u>"},
            attachments=[("a.ics", "BEGIN:VCALENDAR", "text/calendar")],
        ),
    )
    assert sent == 1
    (message,) = mail.outbox
    assert message.subject == "[Localism] Hi" and message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.extra_headers["List-Unsubscribe"] == "<https://example.org/u>"
    assert message.attachments[0][0] == "a.ics"


def test_erasing_an_account_forgets_the_mails_sent_to_its_addresses():
    from accounts.services import delete_account

    user = UserFactory(email="Gone@Example.org")
    send_once_to_each(about="x", recipients=[user.email, "stays@example.org"], compose=note("x"))
    delete_account(user=user)
    assert list(MailClaim.objects.values_list("recipient", flat=True)) == ["stays@example.org"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent transactions: run with DATABASE_URL=postgres://…"
)
def test_two_runs_at_the_same_moment_mail_each_recipient_once(monkeypatch):
    recipients = [f"mod{index}@example.org" for index in range(6)]
    start = threading.Barrier(2)
    outcomes = []

    def slow(recipient):
        time.sleep(0.05)  # keep both runs sending, so they overlap
        return Mail(subject="Hidden", body="", to=[recipient])

    def run():
        from django.db import connection as thread_connection

        start.wait()
        try:
            outcomes.append(send_once_to_each(about="case:9", recipients=recipients, compose=slow))
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sum(outcomes) == len(recipients)
    assert sorted(address for message in mail.outbox for address in message.to) == recipients
