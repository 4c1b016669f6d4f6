import pytest
from django.core import mail

from accounts import services
from accounts.tasks import send_welcome_email

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def test_welcome_mail_is_sent_once_even_if_the_task_runs_twice():
    user = UserFactory()
    assert send_welcome_email.delay(user.pk).get() is True
    assert send_welcome_email.delay(user.pk).get() is False
    assert len(mail.outbox) == 1
    user.refresh_from_db()
    assert user.welcome_sent_at is not None


def test_failed_send_releases_the_claim_so_a_retry_can_send(settings):
    user = UserFactory()
    working_backend = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = "tests.mail_backends.MailServerDown"
    with pytest.raises(OSError):
        services.send_welcome_email(user_id=user.pk)
    user.refresh_from_db()
    assert user.welcome_sent_at is None

    settings.EMAIL_BACKEND = working_backend
    assert services.send_welcome_email(user_id=user.pk) is True
    assert len(mail.outbox) == 1


def test_welcome_is_queued_only_after_commit(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.welcome_verified_user(user=user)
    assert len(callbacks) == 1
    assert mail.outbox == []
    callbacks[0]()
    assert len(mail.outbox) == 1
