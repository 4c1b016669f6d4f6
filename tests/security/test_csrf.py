"""CSRF: every POST of the site is refused without the token, even for someone allowed to make it.

The deliberate exceptions (CSRF_EXEMPT) are the one-click unsubscribe POST (RFC 8058): mail programs send
it without our cookie, so the signed token in the address is the proof instead; and the language switch,
whose worst forgery changes someone's language.
"""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from .test_hostile_input import _allowed_role
from .test_permission_matrix import MATRIX, World


@pytest.fixture
def world(db):
    return World()


# url name: why it may be posted without a CSRF token.
CSRF_EXEMPT = {
    "groups:unsubscribe": "RFC 8058 one-click unsubscribe from a mail program; the signed token is the proof",
    "choose_language": "the language switch on pages cached for anonymous visitors, which carry no token; "
    "a forged post can only change a language (localism/language.py), and one from another Origin is refused",
    # Django REST framework marks its views exempt; the API reads no session and refuses every method but
    # GET, HEAD and OPTIONS (405, tests/api/test_endpoints.py), so there is nothing to forge.
    **dict.fromkeys(
        (
            f"api:{name}"
            for name in (
                "root",
                "schema",
                "groups",
                "group",
                "group_peers",
                "solutions",
                "solution",
                "updates",
                "update",
                "actions",
                "action",
                "challenges",
                "challenge",
                "challenge_areas",
                "awards",
            )
        ),
        "the read-only API: no session, no method that changes anything",
    ),
}

POST_CASES = [
    (name, index)
    for name, cases in MATRIX.items()
    for index, case in enumerate(cases)
    if case.method == "POST" and _allowed_role(case)
]


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize(("name", "index"), POST_CASES)
def test_post_without_csrf_token_is_refused(csrf_client, world, name, index):
    case = MATRIX[name][index]
    role = _allowed_role(case)
    if role != "anonymous":
        csrf_client.force_login(world.users[role])
    url = reverse(name, kwargs=case.kwargs(world))
    response = csrf_client.post(url, case.data)
    if name in CSRF_EXEMPT:
        assert response.status_code != 403, f"{url}: the exempt POST should work without a token"
    else:
        assert response.status_code == 403, f"POST {url} as {role} without a token: {response.status_code}"
        assert b"This form has expired" in response.content  # our CSRF failure page


@pytest.mark.parametrize(("name", "index"), POST_CASES)
def test_post_with_a_wrong_csrf_token_is_refused(csrf_client, world, name, index):
    if name in CSRF_EXEMPT:
        pytest.skip(CSRF_EXEMPT[name])
    case = MATRIX[name][index]
    role = _allowed_role(case)
    if role != "anonymous":
        csrf_client.force_login(world.users[role])
    csrf_client.cookies["csrftoken"] = "a" * 32
    url = reverse(name, kwargs=case.kwargs(world))
    response = csrf_client.post(url, {**case.data, "csrfmiddlewaretoken": "b" * 32})
    assert response.status_code == 403, f"POST {url} as {role} with a wrong token: {response.status_code}"


@pytest.mark.parametrize("name", ["account_login", "account_signup", "account_reset_password", "account_logout"])
def test_account_forms_refuse_a_post_without_token(csrf_client, db, name):
    assert csrf_client.post(reverse(name), {"login": "x@example.org", "password": "x"}).status_code == 403


def _views_marked_csrf_exempt():
    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace
                full = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
                yield from walk(pattern.url_patterns, full)
            elif isinstance(pattern, URLPattern) and getattr(pattern.callback, "csrf_exempt", False):
                name = pattern.name or pattern.lookup_str
                yield f"{namespace}:{name}" if namespace else name

    return set(walk(get_resolver().url_patterns))


def test_the_only_csrf_exempt_views_are_the_listed_ones():
    assert _views_marked_csrf_exempt() == set(CSRF_EXEMPT)


def test_one_click_unsubscribe_still_needs_a_valid_signed_token(csrf_client, world):
    url = reverse("groups:unsubscribe", kwargs={"token": world.unsubscribe_token + "x"})
    response = csrf_client.post(url)
    assert response.status_code == 400


def test_a_refused_form_gets_our_page_with_a_way_forward(csrf_client, world):
    csrf_client.force_login(world.users["owner"])
    response = csrf_client.post(reverse("groups:edit", kwargs={"slug": world.group.slug}), {"name": "Renamed"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "This form has expired" in html and "reload the page and send it again" in html
    assert "<main" in html and "CSRF verification failed" not in html
