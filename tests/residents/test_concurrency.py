"""Residents acting at the same moment: the action row lock serves them one by one (real transactions, PostgreSQL)."""

import threading

import pytest
from django.db import connection

from groups import actions
from groups.models import ActionSignup, SignupStatus

from ..factories import UserFactory
from .factories import ActionFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs row locks (SELECT … FOR UPDATE): run with DATABASE_URL=postgres://…",
    ),
]


def run_together(calls):
    """Run the calls in threads released at the same instant; return what each returned or raised."""
    start = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        from django.db import connection as thread_connection

        start.wait()
        try:
            outcomes[index] = call()
        except Exception as error:  # the test inspects what each thread met
            outcomes[index] = error
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_many_sign_ups_at_once_for_the_last_place_give_it_to_exactly_one(mailoutbox):
    action = ActionFactory(capacity=1)
    people = [UserFactory() for _ in range(6)]
    outcomes = run_together(
        [lambda person=person: actions.sign_up(action_id=action.pk, user=person) for person in people]
    )
    assert all(isinstance(outcome, ActionSignup) for outcome in outcomes), outcomes
    statuses = sorted(ActionSignup.objects.filter(action=action).values_list("status", flat=True))
    assert statuses == [SignupStatus.CONFIRMED] + [SignupStatus.WAITING] * 5
    assert ActionSignup.objects.filter(action=action).values("user").distinct().count() == 6
    # Each got one mail, from the task run after their own commit.
    assert sorted(m.to[0] for m in mailoutbox) == sorted(p.email for p in people)


def test_the_same_person_signing_up_twice_at_once_gets_one_place():
    action = ActionFactory(capacity=5)
    person = UserFactory()
    outcomes = run_together([lambda: actions.sign_up(action_id=action.pk, user=person)] * 2)
    refused = [o for o in outcomes if isinstance(o, actions.SignupRefused)]
    assert len(refused) == 1 and refused[0].code == "already_signed_up"
    assert ActionSignup.objects.filter(action=action, user=person).count() == 1


def test_cancel_and_new_sign_up_at_once_never_overfill():
    action = ActionFactory(capacity=1)
    holder, waiting, newcomer = UserFactory(), UserFactory(), UserFactory()
    actions.sign_up(action_id=action.pk, user=holder)
    actions.sign_up(action_id=action.pk, user=waiting)
    run_together(
        [
            lambda: actions.cancel_signup(action_id=action.pk, user=holder),
            lambda: actions.sign_up(action_id=action.pk, user=newcomer),
        ]
    )
    confirmed = list(
        ActionSignup.objects.filter(action=action, status=SignupStatus.CONFIRMED).values_list("user", flat=True)
    )
    # The waiting person was first in the queue: whatever the order, they get the freed place.
    assert confirmed == [waiting.pk]
    assert ActionSignup.objects.get(action=action, user=newcomer).status == SignupStatus.WAITING
