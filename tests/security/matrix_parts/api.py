"""The open data API: read-only and the same for everyone. Whoever asks, signed in or not, gets what the
site shows anyone; a draft or a hidden group is not found even by its owner or staff, who see it on the site.
"""

from django.utils import timezone

from ...factories import GroupFactory, MembershipFactory
from ...residents.factories import ActionFactory
from ..test_permission_matrix import HIDDEN, OK, Case
from . import funders

ROLES = ("anonymous", "stranger", "member", "organiser", "owner", "staff")
EVERYONE = dict.fromkeys(ROLES, OK)
NO_ONE = dict.fromkeys(ROLES, HIDDEN)

PUBLIC = {"api_reference"}


def extend_world(world):
    world.extend(funders)  # its open challenge and its draft, which only the funder sees on the site
    world.hidden_group = GroupFactory(hidden_at=timezone.now())
    MembershipFactory(group=world.hidden_group, user=world.users["owner"], role="owner")
    world.api_action = ActionFactory(group=world.group)
    world.hidden_action = ActionFactory(group=world.group, hidden_at=timezone.now())


def group(w):
    return {"slug": w.group.slug}


def hidden_group(w):
    return {"slug": w.hidden_group.slug}


def none(w):
    return {}


MATRIX = {
    "api:root": [Case("GET", none, EVERYONE)],
    "api:schema": [Case("GET", none, EVERYONE)],
    "api:groups": [Case("GET", none, EVERYONE)],
    "api:group": [Case("GET", group, EVERYONE), Case("GET", hidden_group, NO_ONE)],
    "api:group_peers": [Case("GET", group, EVERYONE), Case("GET", hidden_group, NO_ONE)],
    "api:solutions": [Case("GET", none, EVERYONE)],
    "api:solution": [
        Case("GET", lambda w: {"pk": w.solution.pk}, EVERYONE),
        Case("GET", lambda w: {"pk": w.draft_solution.pk}, NO_ONE),
    ],
    "api:updates": [Case("GET", none, EVERYONE)],
    "api:update": [
        Case("GET", lambda w: {"pk": w.update.pk}, EVERYONE),
        Case("GET", lambda w: {"pk": w.draft_update.pk}, NO_ONE),
    ],
    "api:actions": [Case("GET", none, EVERYONE)],
    "api:action": [
        Case("GET", lambda w: {"pk": w.api_action.pk}, EVERYONE),
        Case("GET", lambda w: {"pk": w.hidden_action.pk}, NO_ONE),
    ],
    "api:challenges": [Case("GET", none, EVERYONE)],
    "api:challenge": [
        Case("GET", lambda w: {"slug": w.challenge.slug}, EVERYONE),
        Case("GET", lambda w: {"slug": w.draft_challenge.slug}, {**NO_ONE, "funder": HIDDEN}),
    ],
    "api:challenge_areas": [Case("GET", none, EVERYONE)],
    "api:awards": [Case("GET", none, EVERYONE)],
    # Any other address under /api/: a JSON 404 for everyone.
    "api:not_found": [
        Case("GET", lambda w: {"path": "v1/nothing/"}, NO_ONE),
        Case("POST", lambda w: {"path": "v1/nothing/"}, NO_ONE),
    ],
}
