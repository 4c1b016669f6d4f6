"""Ten reports at the same moment: the item is hidden once and no report is recorded after it is
hidden (the attack saw it hidden once and 4 more reports recorded). Real transactions, PostgreSQL."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from moderation import services
from moderation.models import Event, LogEntry, Report

from ..factories import GroupFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks: run with DATABASE_URL=postgres://…"),
]


def test_simultaneous_reports_stop_at_the_one_that_hides_the_item():
    group = GroupFactory()
    reporters = [UserFactory() for _ in range(10)]
    threshold = settings.MODERATION_AUTO_HIDE_REPORTS
    start = threading.Barrier(len(reporters))
    outcomes = []

    def send(reporter):
        from django.db import connection as thread_connection

        start.wait()
        try:
            services.report(reporter=reporter, kind="group", pk=group.pk, reason="spam")
            outcomes.append("recorded")
        except services.ModerationRefused as refusal:
            outcomes.append(refusal.code)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=send, args=(reporter,)) for reporter in reporters]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == sorted(["recorded"] * threshold + ["already_hidden"] * (len(reporters) - threshold))
    assert Report.objects.filter(case__group=group).count() == threshold
    assert LogEntry.objects.filter(event=Event.AUTO_HIDDEN).count() == 1
    group.refresh_from_db()
    assert group.hidden_at is not None
