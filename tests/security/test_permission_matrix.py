"""Who may do what: every URL of the site × every role, in one table.

Each row of MATRIX names a URL and lists its cases: a method, the address's arguments, and what each role
gets (the outcomes below; `outcome` says how a response is read). Feature areas add their rows, roles and
objects in matrix_parts/ (see its docstring).

Two checks keep the table whole:
- `test_every_url_is_in_the_matrix`: a URL that is neither here, nor in PUBLIC, nor covered elsewhere fails;
- `test_every_method_a_view_takes_is_in_the_matrix`: asks each view which methods it takes (GET, POST) and
  fails for one the table does not list, and for a listed one the view refuses (405).

The world (people in every role, a group, solutions, challenges...) is built once for this module, in a
transaction rolled back when the module ends; every test runs in a savepoint rolled back after it, so a
POST that changes something (a member removed, a request declined) changes it for that test only.
"""

import importlib
import pkgutil
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.messages import get_messages
from django.db import transaction
from django.shortcuts import resolve_url
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

# The outcomes, as `outcome` reads them from a response.
OK = "allowed"  # the page, or a POST that did what it asked
INVALID = "allowed, input refused"  # past the permission check; the data posted was incomplete (400)
REFUSED = "refused by rule"  # past the permission check; the state of things says no (409, 429)
LOGIN = "login"  # sent to log in
DENIED = "denied"  # 403
HIDDEN = "hidden"  # 404: as if it did not exist
# The outcomes of someone the permission check lets through.
PAST_THE_CHECK = {OK, INVALID, REFUSED}

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
# The addresses of the public pages that take arguments.
PUBLIC_KWARGS = {
    "groups:detail": lambda w: {"slug": w.group.slug},
    "challenges:solution": lambda w: {"group_slug": w.group.slug, "slug": w.solution.slug},
    "challenges:update": lambda w: {"group_slug": w.group.slug, "slug": w.solution.slug, "pk": w.update.pk},
    "challenges:feed_group": lambda w: {"group_slug": w.group.slug},
    "learning:group": lambda w: {"slug": w.group.slug},
}
# allauth's account pages and the admin have their own tests (tests/accounts, Django's admin).
COVERED_ELSEWHERE_PREFIXES = ("account_", "admin:")
COVERED_ELSEWHERE = {
    "accounts:profile",  # login required; tested in tests/accounts/test_profile.py
    "media",  # uploaded images, public like the pages that show them; tests/groups/test_media.py
    # The map's clusters, public like the map; needs a view's bounds and zoom: tests/groups/test_map_data.py
    # (the same public data for anyone: hidden groups left out, bad bounds a 400).
    "groups:map_data",
    # The JavaScript's strings in the page's language: the same public catalogue for anyone.
    "javascript_catalog",
}

# Pages whose views take any method (nothing like require_safe restricts them), so a POST gets the page as
# a GET would. The matrix posts to them too, expecting what the GET's case expects: a POST must not slip
# past a page's permission check. None now: every page that only shows is require_safe in its urls.py, and
# the method check fails if a view takes a method the matrix does not list.
POST_AS_GET: set[str] = set()


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


def empty_form(expect):
    """The same roles posting an empty or incomplete form: those let through get it back with its messages."""
    return {role: INVALID if answer == OK else answer for role, answer in expect.items()}


def group(w):
    return {"slug": w.group.slug}


def target(w):
    return {"slug": w.group.slug, "membership_id": w.target.pk}


def solution(w):
    return {"group_slug": w.group.slug, "slug": w.solution.slug}


def update(w):
    return {"group_slug": w.group.slug, "slug": w.solution.slug, "pk": w.update.pk}


MATRIX = {
    # The language switch: anyone may choose a language (tests/i18n/test_language_switch.py).
    "choose_language": [
        Case("POST", lambda w: {}, dict.fromkeys(["anonymous", "stranger", "*"], OK), {"language": "cy", "next": "/"})
    ],
    # url name: [Case, ...]
    "groups:create": [Case("GET", lambda w: {}, SIGNED_IN), Case("POST", lambda w: {}, empty_form(SIGNED_IN))],
    "groups:edit": [Case("GET", group, managers_only()), Case("POST", group, empty_form(managers_only()))],
    "groups:members": [Case("GET", group, managers_only())],
    "groups:invite": [Case("POST", group, owners_only(), {"email": "someone@example.org"})],
    "groups:change_role": [Case("POST", target, owners_only(), {"role": "organiser"})],
    "groups:remove_member": [Case("POST", target, owners_only())],
    # Both take a confirmation step (the first POST shows it); the matrix posts the confirmed form.
    "groups:transfer_ownership": [Case("POST", target, owners_only(), {"confirm": "yes"})],
    # Any member may leave; the sole owner is refused by rule (409, with the reason).
    "groups:leave": [Case("POST", group, owners_only(member=OK, organiser=OK, owner=REFUSED), {"confirm": "yes"})],
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
        Case("POST", lambda w: {"group_slug": w.group.slug}, empty_form(managers_only())),
    ],
    "challenges:solution_edit": [
        Case("GET", solution, managers_only()),
        Case("POST", solution, empty_form(managers_only())),
    ],
    "challenges:update_create": [
        Case("GET", solution, managers_only()),
        Case("POST", solution, empty_form(managers_only())),
    ],
    "challenges:update_edit": [Case("GET", update, managers_only()), Case("POST", update, empty_form(managers_only()))],
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


def permitted(expect, role):
    """Whether `role` gets past the permission check (whatever the form or the rules then say)."""
    return expected(expect, role) in PAST_THE_CHECK


def cases_of(name):
    """The cases the table lists for `name`; for a page in POST_AS_GET, its GET cases posted too."""
    cases = MATRIX.get(name, [])
    if name in POST_AS_GET:
        cases = cases + [replace(case, method="POST") for case in cases if case.method == "GET"]
    return cases


def listed_methods(name):
    """The methods the matrix checks for `name`: its cases' (GET for a public page), and POST if in POST_AS_GET."""
    if name in MATRIX:
        return {case.method for case in cases_of(name)}
    return {"GET", "POST"} if name in POST_AS_GET else {"GET"}


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
    assert not POST_AS_GET - PUBLIC - set(MATRIX), "POST_AS_GET names a URL that is neither public nor in the table"


# --- The world -------------------------------------------------------------------------------------------


class World:
    """A group with a member, an organiser and an owner, a stranger and staff, a published and a draft solution
    and update, a member to change, an invitation; then what the parts add (`extend`).

    `parts` are the matrix parts to build (by default all of them), in any order."""

    def __init__(self, parts=None):
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
        self._extended = set()
        for part in PARTS if parts is None else parts:
            self.extend(part)

    def extend(self, part):
        """Add a part's roles and objects, once: a part that needs another's calls this for it first, so the
        order in which parts are built does not matter."""
        if part.__name__ in self._extended:
            return
        self._extended.add(part.__name__)
        for role, make_user in getattr(part, "EXTRA_ROLES", {}).items():
            self.users[role] = make_user(self)
        if hasattr(part, "extend_world"):
            part.extend_world(self)


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """The world, built once for the module in a transaction that is rolled back when the module ends."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield World()
        transaction.set_rollback(True)


@pytest.fixture
def world(module_world, db):
    """The module's world; `db` runs the test in a savepoint rolled back after it, so nothing it changes leaks."""
    return module_world


# --- Reading a response ----------------------------------------------------------------------------------


def outcome(response, method):
    """What a response says about permission, as one of the outcomes above.

    - 2xx: allowed.
    - A redirect to the log-in page: login.
    - A redirect with an error message: refused by rule (the site's way of sending someone back with a
      reason, e.g. a membership change the rules do not allow). The messages read are all the client
      holds, so each test's client starts with none.
    - Any other redirect after a POST: the POST's success redirect, to what it made or changed or to a list:
      allowed. After a GET it is no answer the matrix knows, and the test fails.
    - 400: allowed, input refused: past the permission check, the form the matrix posts (often empty) is not
      complete. Not a refusal of the person.
    - 403: denied. 404: hidden (the site answers 404 where even saying "not for you" would tell too much,
      such as a draft).
    - 409 (the state refuses: the sole owner leaving, a move out of order) and 429 (a rate limit): refused by
      rule. Also past the permission check.
    - 405 is a mistake in the table, never an answer: the view does not take the method. Anything else (5xx,
      401, 410...) fails the test.
    """
    status = response.status_code
    assert status != 405, f"{method} is not a method this view takes (Allow: {response.get('Allow')}): fix the table"
    if 200 <= status < 300:
        return OK
    if 300 <= status < 400:
        location = response.get("Location", "")
        if urlsplit(location).path == resolve_url(settings.LOGIN_URL):
            return LOGIN
        if any(message.level >= messages.WARNING for message in get_messages(response.wsgi_request)):
            return REFUSED
        assert method == "POST", f"a GET redirected to {location}: not a permission answer the matrix knows"
        return OK
    answers = {400: INVALID, 403: DENIED, 404: HIDDEN, 409: REFUSED, 429: REFUSED}
    assert status in answers, f"{status} is no permission answer"
    return answers[status]


def request_as(client, world, role, method, url, data):
    if role != "anonymous":
        client.force_login(world.users[role])
    return client.get(url) if method == "GET" else client.post(url, data)


# --- The table, role by role -----------------------------------------------------------------------------

CASES = [
    pytest.param(name, case, role, id=f"{name}-{index}-{case.method}-{role}")
    for name in MATRIX
    for index, case in enumerate(cases_of(name))
    for role in ROLES
]


@pytest.mark.parametrize(("name", "case", "role"), CASES)
def test_permission(client, world, name, case, role):
    url = reverse(name, kwargs=case.kwargs(world))
    response = request_as(client, world, role, case.method, url, case.data)
    answer = outcome(response, case.method)
    assert answer == expected(case.expect, role), f"{case.method} {url} as {role}: {response.status_code}"


DRAFT_CASES = [(name, method, role) for name in DRAFTS for method in sorted(listed_methods(name)) for role in ROLES]


@pytest.mark.parametrize(("name", "method", "role"), DRAFT_CASES)
def test_drafts_only_for_managers(client, world, name, method, role):
    url = reverse(name, kwargs=DRAFTS[name](world))
    response = request_as(client, world, role, method, url, {})
    assert outcome(response, method) == expected(DRAFT_EXPECT, role), f"{method} {url} as {role}"


def public_url(world, name):
    return reverse(name, kwargs=PUBLIC_KWARGS[name](world) if name in PUBLIC_KWARGS else {})


PUBLIC_CASES = [(name, method) for name in sorted(PUBLIC) for method in sorted(listed_methods(name))]


@pytest.mark.parametrize(("name", "method"), PUBLIC_CASES)
def test_public_pages_answer_anonymous(client, world, name, method):
    response = request_as(client, world, "anonymous", method, public_url(world, name), {})
    assert response.status_code == 200, f"{method} {name}: {response.status_code}"


# --- Methods ---------------------------------------------------------------------------------------------

CHECKED_METHODS = {"GET", "POST"}


def methods_taken(client, url):
    """The methods (of GET and POST) the view at `url` takes, asked of the view itself with OPTIONS.

    A view that restricts its methods (require_POST, require_safe, a class-based view) says which it takes
    in an Allow header (with a 405, or a class-based view's 200). One that answers without that header runs
    its own code for any method: it takes GET and POST alike."""
    response = client.options(url)
    assert not (300 <= response.status_code < 400), f"OPTIONS {url} redirected: ask as someone signed in"
    allow = response.get("Allow")
    if allow is None:
        assert response.status_code != 405, f"OPTIONS {url}: a 405 without an Allow header"
        return set(CHECKED_METHODS)
    return {method.strip() for method in allow.split(",")} & CHECKED_METHODS


def _asking_role(name):
    """Someone the permission check lets through for `name`'s first case; the view is asked as them."""
    expect = MATRIX[name][0].expect
    return next((role for role in ROLES[1:] if permitted(expect, role)), "anonymous")


def test_every_method_a_view_takes_is_in_the_matrix(client, world):
    problems = []
    for name in sorted(PUBLIC | set(MATRIX)):
        client.logout()
        if name in MATRIX:
            role = _asking_role(name)
            if role != "anonymous":
                client.force_login(world.users[role])
            url = reverse(name, kwargs=MATRIX[name][0].kwargs(world))
        else:
            url = public_url(world, name)
        taken, listed = methods_taken(client, url), listed_methods(name)
        for method in sorted(taken - listed):
            problems.append(
                f"{name}: the view takes {method}, which the matrix does not check: add a case (or, for a page "
                "that answers a POST as its GET, put it in POST_AS_GET)"
            )
        for method in sorted(listed - taken):
            problems.append(f"{name}: the view refuses {method} (405): take it out of the matrix")
    assert not problems, "\n".join(problems)


# --- The parts -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "parts",
    [list(reversed(PARTS))] + [[part] for part in PARTS],
    ids=["all-reversed"] + [part.__name__.rsplit(".", 1)[-1] + "-alone" for part in PARTS],
)
def test_a_part_builds_what_it_needs_in_any_order(db, parts):
    world = World(parts=parts)
    for part in parts:
        for role in getattr(part, "EXTRA_ROLES", {}):
            assert role in world.users, f"{part.__name__} did not build its role {role}"
        for name, cases in getattr(part, "MATRIX", {}).items():
            for case in cases:
                reverse(name, kwargs=case.kwargs(world))
