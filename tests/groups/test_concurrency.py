"""Two requests at once must not leave a group without an owner (real transactions, PostgreSQL)."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from groups import services
from groups.models import Membership, Role

from ..factories import GroupFactory, MembershipFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks: run with DATABASE_URL=postgres://…"),
]


def test_two_owners_leaving_at_the_same_time_leave_one_owner(monkeypatch):
    group = GroupFactory()
    owners = [MembershipFactory(group=group, role=Role.OWNER).user for _ in range(2)]
    locked = services._locked_memberships

    def slow_locked_memberships(group):
        # Hold the locks a moment, so the other request is certainly waiting on them.
        memberships = locked(group)
        time.sleep(0.3)
        return memberships

    monkeypatch.setattr(services, "_locked_memberships", slow_locked_memberships)
    start = threading.Barrier(2)
    outcomes = []

    def leave(user):
        from django.db import connection as thread_connection

        start.wait()
        try:
            services.leave_group(group=group, user=user)
            outcomes.append("left")
        except ValidationError as error:
            outcomes.append(error.code)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=leave, args=(owner,)) for owner in owners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["last_owner", "left"]
    assert Membership.objects.filter(group=group, role=Role.OWNER).count() == 1
