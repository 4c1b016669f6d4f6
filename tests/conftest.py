import pytest
from django.core.cache import cache

from localism.celery import app as celery_app

from .factories import GroupFactory, MembershipFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache_and_fast_hashing(settings):
    # Rate-limit counters live in the cache: every test starts from zero.
    cache.clear()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield
    cache.clear()


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
