"""Moderation in the permission matrix: every moderation URL × every role, plus "moderator" (a site-wide
moderator). Staff moderate too. The funder (a member of the funders part's challenge's funder) moderates
only the case about an entry to its own challenge.

The world has: an update of the main group reported by an outside reporter (`case`), the funders part's
entry reported by the funder (`entry_case`), and a second update hidden by a moderator (`hidden_update`),
whose owners may see why and appeal.
"""

from moderation import services

from ...factories import UpdateFactory, UserFactory
from ..test_permission_matrix import DENIED, LOGIN, OK, SIGNED_IN, Case, empty_form
from . import funders

EXTRA_ROLES = {"moderator": lambda world: UserFactory(is_moderator=True)}


def extend_world(world):
    world.extend(funders)  # the entry and its funder, for the case only that funder moderates
    world.reporter = UserFactory()
    report = services.report(reporter=world.reporter, kind="update", pk=world.update.pk, reason="spam")
    world.case = report.case
    world.entry_case = services.report(
        reporter=world.users["funder"], kind="entry", pk=world.entry.pk, reason="abuse"
    ).case
    world.hidden_update = UpdateFactory(solution=world.solution)
    hidden = services.report(reporter=world.reporter, kind="update", pk=world.hidden_update.pk, reason="abuse").case
    services.hide(case=hidden, by=world.users["moderator"], reason="Abusive language.")


def moderators(**overrides):
    expect = {
        "anonymous": LOGIN,
        "stranger": DENIED,
        "member": DENIED,
        "organiser": DENIED,
        "owner": DENIED,
        "staff": OK,
        "funder": DENIED,
        "moderator": OK,
    }
    expect.update(overrides)
    return expect


def update_item(w):
    return {"kind": "update", "pk": w.update.pk}


def hidden_item(w):
    return {"kind": "update", "pk": w.hidden_update.pk}


EVERYONE_SIGNED_IN = {**SIGNED_IN, "funder": OK, "moderator": OK}

MATRIX = {
    # Anyone signed in may report (the owners would be refused by rule with a 409 once the form is complete).
    "moderation:report": [
        Case("GET", update_item, EVERYONE_SIGNED_IN),
        Case("POST", update_item, empty_form(EVERYONE_SIGNED_IN)),
    ],
    "moderation:my_reports": [Case("GET", lambda w: {}, EVERYONE_SIGNED_IN)],
    # A funder's queue holds the entries to its own challenges.
    "moderation:queue": [Case("GET", lambda w: {}, moderators(funder=OK))],
    "moderation:case": [
        Case("GET", lambda w: {"pk": w.case.pk}, moderators()),
        Case("GET", lambda w: {"pk": w.entry_case.pk}, moderators(funder=OK)),
    ],
    "moderation:decide": [
        Case("POST", lambda w: {"pk": w.case.pk}, empty_form(moderators())),
        Case("POST", lambda w: {"pk": w.entry_case.pk}, empty_form(moderators(funder=OK))),
    ],
    # The hidden item's owners and organisers see why and appeal; moderators read it but cannot appeal.
    "moderation:item": [
        Case("GET", hidden_item, moderators(owner=OK, organiser=OK)),
        Case("POST", hidden_item, empty_form(moderators(owner=OK, organiser=OK, staff=DENIED, moderator=DENIED))),
    ],
    "moderation:suspend": [Case("POST", lambda w: {"pk": w.reporter.pk}, empty_form(moderators()))],
    "moderation:log": [Case("GET", lambda w: {}, moderators())],
}
