"""A real Celery worker, over the real Redis broker, against the real PostgreSQL test database."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from localism.accounts.models import User
from localism.accounts.tasks import send_welcome_email
from localism.celery import app

from .factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL: a real broker for a real worker"),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs DATABASE_URL on PostgreSQL: the worker must share the test database",
    ),
]


@pytest.fixture
def worker(transactional_db):
    db = settings.DATABASES["default"]
    test_db_url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": test_db_url,
        "DATABASE_CONN_MAX_AGE": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    hostname = f"test-worker-{os.getpid()}@localhost"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "localism",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            hostname,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    app.control.purge()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if app.control.ping(destination=[hostname], timeout=1.0):
            break
        assert process.poll() is None, process.stdout.read()
    else:
        process.kill()
        pytest.fail("the Celery worker did not answer a ping within 60 s")
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


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
