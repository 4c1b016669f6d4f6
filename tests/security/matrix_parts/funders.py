"""Funder challenges in the permission matrix: every funder URL × every role, plus "funder", a member of
the challenge's funder. For the group URLs a funder is a stranger (the default for an extra role).

The world has an open challenge with the group's solution entered (not yet published), a draft challenge of
the same funder, which everyone else must not even find (404), and a challenge that has announced its winners,
where the group's solution is a finalist with an award.
"""

from ...funders.factories import AwardFactory, ChallengeFactory, EntryFactory, FunderFactory, FunderMembershipFactory
from ..test_permission_matrix import DENIED, HIDDEN, INVALID, LOGIN, OK, REFUSED, Case, empty_form


def _funder(world):
    world.funder = FunderFactory()
    return FunderMembershipFactory(funder=world.funder).user


EXTRA_ROLES = {"funder": _funder}


def extend_world(world):
    world.challenge = ChallengeFactory(funder=world.funder)
    world.draft_challenge = ChallengeFactory(funder=world.funder, stage="draft")
    world.entry = EntryFactory(challenge=world.challenge, solution=world.solution)
    world.awarding_challenge = ChallengeFactory(funder=world.funder, stage="winners")
    world.finalist = EntryFactory(challenge=world.awarding_challenge, solution=world.solution, status="finalist")
    world.award = AwardFactory(entry=world.finalist)


def _expect(**roles):
    expect = {"anonymous": LOGIN, "stranger": DENIED, "member": DENIED, "organiser": DENIED, "owner": DENIED}
    expect.update({"staff": DENIED, "funder": DENIED})
    expect.update(roles)
    return expect


FUNDER_ONLY = _expect(funder=OK)
# A draft is hidden from everyone outside the funder, even those who may not act on it.
FUNDER_ONLY_DRAFT = _expect(stranger=HIDDEN, member=HIDDEN, organiser=HIDDEN, owner=HIDDEN, staff=HIDDEN, funder=OK)
EVERYONE = dict.fromkeys(("anonymous", "stranger", "member", "organiser", "owner", "staff", "funder"), OK)
DRAFT_PAGE = {**dict.fromkeys(EVERYONE, HIDDEN), "funder": OK}
FUNDER_MOVES = {**FUNDER_ONLY, "funder": REFUSED}
FUNDER_MOVES_DRAFT = {**FUNDER_ONLY_DRAFT, "funder": REFUSED}
AWARD = {"title": "Finalist grant", "amount": "20000", "awarded_on": "2026-01-05"}


def slug(w):
    return {"slug": w.challenge.slug}


def draft(w):
    return {"slug": w.draft_challenge.slug}


def entry(w):
    return {"slug": w.challenge.slug, "pk": w.entry.pk}


def finalist(w):
    return {"slug": w.awarding_challenge.slug, "pk": w.finalist.pk}


def award(w):
    return {"slug": w.awarding_challenge.slug, "pk": w.award.pk}


def awarding(w):
    return {"slug": w.awarding_challenge.slug}


MATRIX = {
    "challenges:challenge_create": [
        Case("GET", lambda w: {}, FUNDER_ONLY),
        Case("POST", lambda w: {}, empty_form(FUNDER_ONLY)),
    ],
    "challenges:funder": [Case("GET", lambda w: {"slug": w.funder.slug}, EVERYONE)],
    "challenges:challenge": [Case("GET", slug, EVERYONE), Case("GET", draft, DRAFT_PAGE)],
    "challenges:challenge_edit": [
        Case("GET", slug, FUNDER_ONLY),
        Case("POST", slug, empty_form(FUNDER_ONLY)),
        Case("GET", draft, FUNDER_ONLY_DRAFT),
    ],
    # Both ask once more first (the first POST shows what the move does); the matrix posts the confirmed form.
    # The moves asked for are refused by rule for the funder too (409: out of order, nothing to take back):
    # past the permission check, with nothing moved; tests/funders/test_challenge_stage.py makes the moves.
    "challenges:challenge_stage": [
        Case("POST", slug, FUNDER_MOVES, {"to_stage": "finalists", "from_stage": "open", "confirm": "yes"}),
        Case("POST", draft, FUNDER_MOVES_DRAFT, {"to_stage": "closed", "from_stage": "draft", "confirm": "yes"}),
    ],
    "challenges:challenge_stage_back": [
        Case("POST", slug, FUNDER_MOVES, {"to_stage": "draft", "from_stage": "open", "confirm": "yes"}),
        Case("POST", draft, FUNDER_MOVES_DRAFT, {"to_stage": "draft", "from_stage": "draft", "confirm": "yes"}),
    ],
    # The group's owners and organisers enter; a draft challenge takes no entries and is not found.
    "challenges:entry_create": [
        Case("GET", lambda w: {"slug": w.challenge.slug, "group_slug": w.group.slug}, _expect(organiser=OK, owner=OK)),
        Case(
            "POST",
            lambda w: {"slug": w.challenge.slug, "group_slug": w.group.slug},
            empty_form(_expect(organiser=OK, owner=OK)),
        ),
        Case(
            "GET",
            lambda w: {"slug": w.draft_challenge.slug, "group_slug": w.group.slug},
            _expect(stranger=HIDDEN, member=HIDDEN, organiser=HIDDEN, owner=HIDDEN, staff=HIDDEN, funder=DENIED),
        ),
    ],
    # Before publication an entry is the group's and the funder's only.
    "challenges:entry": [
        Case(
            "GET",
            entry,
            {**dict.fromkeys(EVERYONE, HIDDEN), "member": OK, "organiser": OK, "owner": OK, "funder": OK},
        )
    ],
    "challenges:entry_edit": [
        Case("GET", entry, _expect(stranger=HIDDEN, staff=HIDDEN, organiser=OK, owner=OK)),
        Case("POST", entry, empty_form(_expect(stranger=HIDDEN, staff=HIDDEN, organiser=OK, owner=OK))),
    ],
    # Scores for no criterion of the challenge (400), and a decision the open challenge does not take yet (409).
    "challenges:entry_score": [Case("POST", entry, _expect(funder=INVALID), {"score_1": "9"})],
    "challenges:entry_status": [Case("POST", entry, _expect(funder=REFUSED), {"status": "winner"})],
    "challenges:review": [Case("GET", slug, FUNDER_ONLY), Case("GET", draft, FUNDER_ONLY_DRAFT)],
    "challenges:review_export": [Case("GET", slug, FUNDER_ONLY)],
    # Awards: the funder's members record them for finalists and winners (one for an entry of the open challenge
    # is refused by rule, 409), change them (the empty form: 400) and remove them (the confirmed POST).
    "challenges:award_create": [
        Case("GET", finalist, FUNDER_ONLY),
        Case("POST", finalist, empty_form(FUNDER_ONLY)),
        Case("POST", entry, _expect(funder=REFUSED), AWARD),
    ],
    "challenges:award_edit": [Case("GET", award, FUNDER_ONLY), Case("POST", award, empty_form(FUNDER_ONLY))],
    "challenges:award_remove": [Case("POST", award, FUNDER_ONLY, {"confirm": "yes"})],
    # The 360Giving data is as public as the challenge page; a draft has none to publish (404 for everyone).
    "challenges:awards_360giving_json": [
        Case("GET", awarding, EVERYONE),
        Case("GET", draft, dict.fromkeys(EVERYONE, HIDDEN)),
    ],
    "challenges:awards_360giving_csv": [
        Case("GET", awarding, EVERYONE),
        Case("GET", draft, dict.fromkeys(EVERYONE, HIDDEN)),
    ],
    # Private until the funder makes it public (tested with the dashboard).
    "challenges:dashboard": [Case("GET", slug, DRAFT_PAGE), Case("GET", draft, DRAFT_PAGE)],
}
