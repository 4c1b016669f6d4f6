"""A real Celery worker, over the real Redis broker, against the real PostgreSQL test database."""

import time

import pytest

from accounts.models import User
from accounts.tasks import send_welcome_email
from localism.celery import app

from .conftest import WORKER_TEST
from .factories import UserFactory

pytestmark = WORKER_TEST


def test_task_enqueued_over_redis_is_done_by_the_worker(worker):
    assert app.conf.task_always_eager is False
    user = UserFactory()
    send_welcome_email.delay(user.pk)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if User.objects.filter(pk=user.pk, welcome_sent_at__isnull=False).exists():
            break
        time.sleep(0.2)
    else:
        pytest.fail("the worker did not mark the welcome mail as sent within 30 s")
