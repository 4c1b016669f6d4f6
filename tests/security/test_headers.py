"""Security headers, and pages that keep the Content-Security-Policy possible: no inline script, no
`style=` attributes, on every public page and every page of the permission matrix (as a role that
may see it)."""

import pytest
from django.urls import reverse

from .test_hostile_input import _allowed_role, live_markup
from .test_permission_matrix import MATRIX, PUBLIC, World


@pytest.fixture
def world(db):
    return World()


def public_kwargs(world, name):
    return {
        "groups:detail": {"slug": world.group.slug},
        "challenges:solution": {"group_slug": world.group.slug, "slug": world.solution.slug},
        "challenges:update": {"group_slug": world.group.slug, "slug": world.solution.slug, "pk": world.update.pk},
        "challenges:feed_group": {"group_slug": world.group.slug},
        "learning:group": {"slug": world.group.slug},
    }.get(name, {})


# Pages that take a query, with one, so their result lists are drawn too.
WITH_QUERY = {"groups:nearby": "?place=Totnes", "groups:list": "?q=group", "learning:index": "?q=tea"}

GET_CASES = [
    (name, index)
    for name, cases in MATRIX.items()
    for index, case in enumerate(cases)
    if case.method == "GET" and _allowed_role(case)
]


def csp_directives(response):
    header = response.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_secure_headers(response):
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    csp = csp_directives(response)
    assert csp, "no Content-Security-Policy header"
    for directive in ("script-src", "style-src"):
        sources = csp.get(directive) or csp["default-src"]
        assert "'unsafe-inline'" not in sources, (directive, sources)
        assert "'unsafe-eval'" not in sources, (directive, sources)
        assert "*" not in sources, (directive, sources)
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]


def assert_no_inline_script_or_style(response, where):
    if "text/html" not in response.get("Content-Type", ""):
        return
    found = live_markup(response.content.decode())
    inline_scripts = [problem for problem in found.problems if "script" in problem]
    assert not inline_scripts, f"{where}: {inline_scripts}"
    assert not found.inline_styles, f"{where}: style= on {found.inline_styles}"


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_public_pages_send_security_headers_and_no_inline_script_or_style(client, world, name):
    url = reverse(name, kwargs=public_kwargs(world, name)) + WITH_QUERY.get(name, "")
    response = client.get(url)
    assert response.status_code == 200, url
    assert_secure_headers(response)
    assert_no_inline_script_or_style(response, url)


@pytest.mark.parametrize(("name", "index"), GET_CASES)
def test_signed_in_pages_have_no_inline_script_or_style(client, world, name, index):
    case = MATRIX[name][index]
    role = _allowed_role(case)
    if role != "anonymous":
        client.force_login(world.users[role])
    url = reverse(name, kwargs=case.kwargs(world))
    response = client.get(url)
    assert response.status_code == 200, f"{url} as {role}: {response.status_code}"
    assert_secure_headers(response)
    assert_no_inline_script_or_style(response, f"{url} as {role}")


@pytest.mark.parametrize("address", ["/no-such-page/", "/groups/no-such-group/"])
def test_error_pages_send_the_same_headers(client, db, address):
    response = client.get(address)
    assert response.status_code == 404
    assert_secure_headers(response)
    assert_no_inline_script_or_style(response, address)


def test_a_refused_form_keeps_the_headers_and_no_inline_markup(client, world):
    client.force_login(world.users["owner"])
    response = client.post(reverse("groups:action_create", kwargs={"slug": world.group.slug}), {})
    assert response.status_code == 400
    assert_secure_headers(response)
    assert_no_inline_script_or_style(response, "refused action form")
