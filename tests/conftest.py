import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import translation

from groups import area_table
from localism.celery import app as celery_app

from .factories import GroupFactory, MembershipFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent

# The marks of a test that needs a real Celery worker (the `worker` fixture); skipped on the embedded defaults.
WORKER_TEST = [
    pytest.mark.worker,
    pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL: a real broker for a real worker"),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs DATABASE_URL on PostgreSQL: the worker must share the test database",
    ),
]


@pytest.fixture(autouse=True)
def _fresh_cache_and_fast_hashing(settings):
    # Rate-limit counters live in the cache: every test starts from zero.
    cache.clear()
    # So do the challenge areas each process keeps (their ids start again on SQLite after a rollback).
    area_table.forget_here()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english_unless_a_test_chooses():
    """Every test starts in the site's default language. (A request to a Welsh page activates Welsh in
    the test's thread and Django leaves it active after the response, as it does between requests in
    a server thread, where the next request activates its own.)"""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _tasks_inline_unless_worker_test(request):
    """Run Celery tasks in-process, except in tests marked `worker`, which use the real broker."""
    if request.node.get_closest_marker("worker"):
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def group(db):
    return GroupFactory()


@pytest.fixture
def owner(group):
    return MembershipFactory(group=group, role="owner").user


@pytest.fixture
def organiser(group):
    return MembershipFactory(group=group, role="organiser").user


@pytest.fixture
def member(group):
    return MembershipFactory(group=group, role="member").user


@pytest.fixture
def worker(transactional_db, tmp_path_factory):
    """A real Celery worker process, over the real Redis broker, on this test's PostgreSQL database.

    The mails it sends are written as files to `worker.mail_dir` (Django's file backend)."""
    mail_dir = tmp_path_factory.mktemp("worker-mail")
    db = settings.DATABASES["default"]
    test_db_url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": test_db_url,
        "DATABASE_CONN_MAX_AGE": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
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
    celery_app.control.purge()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if celery_app.control.ping(destination=[hostname], timeout=1.0):
            break
        assert process.poll() is None, process.stdout.read()
    else:
        process.kill()
        pytest.fail("the Celery worker did not answer a ping within 60 s")
    process.mail_dir = mail_dir
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
