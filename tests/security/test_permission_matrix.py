"""Who may do what: every URL of the site × every role, in one table.

Adding a URL without adding it here (or to PUBLIC / COVERED_ELSEWHERE) fails
`test_every_url_is_in_the_matrix`. For a URL that changes something we only check the
permission answer, not the form: "allowed" means neither 403, 404 nor a redirect to log in
(a POST with no data is then a 400 with the form's messages).
"""

import importlib
import pkgutil
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ..factories import (
    GroupFactory,
    MembershipFactory,
    SolutionFactory,
    SolutionMetricFactory,
    UpdateFactory,
    UserFactory,
)
from ..groups.factories import InvitationFactory

ROLES = ["anonymous", "stranger", "member", "organiser", "owner", "staff"]

OK, LOGIN, DENIED, HIDDEN = "allowed", "login", "denied", "hidden"

# Pages anyone may read; their content rules (drafts etc.) are tested with the page.
PUBLIC = {
    "home",
    "healthz",
    "about",
    "sitemap",
    "robots",
    "groups:list",
    "groups:map",
    "groups:detail",
    "challenges:index",
    "challenges:solution_list",
    "challenges:solution",
    "challenges:update",
    "challenges:feed_updates",
    "challenges:feed_group",
    "learning:index",
    "learning:group",
}
# allauth's account pages and the admin have their own tests (tests/accounts, Django's admin).
COVERED_ELSEWHERE_PREFIXES = ("account_", "admin:")
COVERED_ELSEWHERE = {
    "accounts:profile",  # login required; tested in tests/accounts/test_profile.py
    "media",  # uploaded images, public like the pages that show them; tests/groups/test_media.py
    # The map's clusters, public like the map; needs a view's bounds and zoom: tests/groups/test_map_data.py
    # (the same public data for anyone: hidden groups left out, bad bounds a 400).
    "groups:map_data",
}


@dataclass
class Case:
    method: str
    kwargs: callable
    expect: dict
    data: dict = field(default_factory=dict)


def managers_only(**overrides):
    expect = {"anonymous": LOGIN, "stranger": DENIED, "member": DENIED, "organiser": OK, "owner": OK, "staff": DENIED}
    expect.update(overrides)
    return expect


def owners_only(**overrides):
    expect = {
        "anonymous": LOGIN,
        "stranger": DENIED,
        "member": DENIED,
        "organiser": DENIED,
        "owner": OK,
        "staff": DENIED,
    }
    expect.update(overrides)
    return expect


SIGNED_IN = {"anonymous": LOGIN, "stranger": OK, "member": OK, "organiser": OK, "owner": OK, "staff": OK}


def group(w):
    return {"slug": w.group.slug}


def target(w):
    return {"slug": w.group.slug, "membership_id": w.target.pk}


MATRIX = {
    # url name: [Case, ...]
    "groups:create": [Case("GET", lambda w: {}, SIGNED_IN), Case("POST", lambda w: {}, SIGNED_IN)],
    "groups:edit": [Case("GET", group, managers_only()), Case("POST", group, managers_only())],
    "groups:members": [Case("GET", group, managers_only())],
    "groups:invite": [Case("POST", group, owners_only(), {"email": "someone@example.org"})],
    "groups:change_role": [Case("POST", target, owners_only(), {"role": "organiser"})],
    "groups:remove_member": [Case("POST", target, owners_only())],
    # Both take a confirmation step (the first POST shows it); the matrix posts the confirmed form.
    "groups:transfer_ownership": [Case("POST", target, owners_only(), {"confirm": "yes"})],
    # Any member may leave; the sole owner is refused with a 409 and a reason (not a permission answer).
    "groups:leave": [Case("POST", group, owners_only(member=OK, organiser=OK), {"confirm": "yes"})],
    # Only the person whose verified address was invited may accept (here: the stranger). Anyone holding
    # the mailed token may read who invited whom to which group, with ways to sign up or log in: the
    # token is the secret, and a newcomer has no account yet. Accepting (POST) still needs the log-in.
    "groups:accept_invitation": [
        Case(
            "GET",
            lambda w: {"token": w.invitation.token},
            owners_only(anonymous=OK, stranger=OK, owner=DENIED, **{"*": DENIED}),
        ),
        Case("POST", lambda w: {"token": w.invitation.token}, owners_only(stranger=OK, owner=DENIED, **{"*": DENIED})),
    ],
    "challenges:solution_create": [
        Case("GET", lambda w: {"group_slug": w.group.slug}, managers_only()),
        Case("POST", lambda w: {"group_slug": w.group.slug}, managers_only()),
    ],
    "challenges:solution_edit": [
        Case("GET", lambda w: {"group_slug": w.group.slug, "slug": w.solution.slug}, managers_only()),
        Case("POST", lambda w: {"group_slug": w.group.slug, "slug": w.solution.slug}, managers_only()),
    ],
    "challenges:update_create": [
        Case("GET", lambda w: {"group_slug": w.group.slug, "slug": w.solution.slug}, managers_only()),
        Case("POST", lambda w: {"group_slug": w.group.slug, "slug": w.solution.slug}, managers_only()),
    ],
    "challenges:update_edit": [
        Case(
            "GET", lambda w: {"group_slug": w.group.slug, "slug": w.solution.slug, "pk": w.update.pk}, managers_only()
        ),
        Case(
            "POST", lambda w: {"group_slug": w.group.slug, "slug": w.solution.slug, "pk": w.update.pk}, managers_only()
        ),
    ],
}

# Draft content must be invisible to everyone but the group's managers.
DRAFTS = {
    "challenges:solution": lambda w: {"group_slug": w.group.slug, "slug": w.draft_solution.slug},
    "challenges:update": lambda w: {"group_slug": w.group.slug, "slug": w.solution.slug, "pk": w.draft_update.pk},
}
DRAFT_EXPECT = {
    "anonymous": HIDDEN,
    "stranger": HIDDEN,
    "member": HIDDEN,
    "organiser": OK,
    "owner": OK,
    "staff": HIDDEN,
}


def _load_parts():
    from . import matrix_parts

    return [
        importlib.import_module(f"{matrix_parts.__name__}.{module.name}")
        for module in pkgutil.iter_modules(matrix_parts.__path__)
    ]


PARTS = _load_parts()
EXTRA_ROLES = {}
for _part in PARTS:
    MATRIX.update(getattr(_part, "MATRIX", {}))
    PUBLIC |= getattr(_part, "PUBLIC", set())
    EXTRA_ROLES.update(getattr(_part, "EXTRA_ROLES", {}))
ROLES = ROLES + list(EXTRA_ROLES)


def expected(expect, role):
    """A role a case does not name (one a feature area added) answers as "*" says, else as a stranger."""
    return expect.get(role, expect.get("*", expect["stranger"]))


def all_url_names():
    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                full = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
                yield from walk(pattern.url_patterns, full)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver().url_patterns))


def test_every_url_is_in_the_matrix():
    missing = {
        name
        for name in all_url_names()
        if name not in MATRIX
        and name not in PUBLIC
        and name not in COVERED_ELSEWHERE
        and not name.startswith(COVERED_ELSEWHERE_PREFIXES)
    }
    assert not missing, f"Add these URLs to the permission matrix: {sorted(missing)}"


class World:
    def __init__(self):
        self.group = GroupFactory()
        self.users = {
            "stranger": UserFactory(),
            "member": MembershipFactory(group=self.group, role="member").user,
            "organiser": MembershipFactory(group=self.group, role="organiser").user,
            "owner": MembershipFactory(group=self.group, role="owner").user,
            "staff": UserFactory(is_staff=True),
        }
        self.solution = SolutionFactory(group=self.group)
        SolutionMetricFactory(solution=self.solution)
        self.update = UpdateFactory(solution=self.solution)
        self.draft_solution = SolutionFactory(group=self.group, status="draft")
        self.draft_update = UpdateFactory(solution=self.solution, status="draft", published_at=None)
        self.target = MembershipFactory(group=self.group, role="member")
        self.invitation = InvitationFactory(group=self.group, email=self.users["stranger"].email)
        for role, make_user in EXTRA_ROLES.items():
            self.users[role] = make_user(self)
        for part in PARTS:
            if hasattr(part, "extend_world"):
                part.extend_world(self)


@pytest.fixture
def world(db):
    return World()


def outcome(response):
    if response.status_code in (301, 302) and "/accounts/login/" in response.get("Location", ""):
        return LOGIN
    if response.status_code == 403:
        return DENIED
    if response.status_code == 404:
        return HIDDEN
    assert response.status_code < 500, response.status_code
    return OK


def request_as(client, world, role, method, url, data):
    if role != "anonymous":
        client.force_login(world.users[role])
    return client.get(url) if method == "GET" else client.post(url, data)


CASES = [(name, index, role) for name, cases in MATRIX.items() for index in range(len(cases)) for role in ROLES]


@pytest.mark.parametrize(("name", "index", "role"), CASES)
def test_permission(client, world, name, index, role):
    case = MATRIX[name][index]
    url = reverse(name, kwargs=case.kwargs(world))
    response = request_as(client, world, role, case.method, url, case.data)
    assert outcome(response) == expected(case.expect, role), f"{case.method} {url} as {role}: {response.status_code}"


@pytest.mark.parametrize(("name", "role"), [(name, role) for name in DRAFTS for role in ROLES])
def test_drafts_only_for_managers(client, world, name, role):
    url = reverse(name, kwargs=DRAFTS[name](world))
    assert outcome(request_as(client, world, role, "GET", url, {})) == expected(DRAFT_EXPECT, role)


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_pages_answer_anonymous(client, world, name):
    kwargs = {
        "groups:detail": {"slug": world.group.slug},
        "challenges:solution": {"group_slug": world.group.slug, "slug": world.solution.slug},
        "challenges:update": {"group_slug": world.group.slug, "slug": world.solution.slug, "pk": world.update.pk},
        "challenges:feed_group": {"group_slug": world.group.slug},
        "learning:group": {"slug": world.group.slug},
    }.get(name, {})
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 200
