"""The API never shows more than the site shows anyone: every endpoint of its own OpenAPI document is
walked as an anonymous client, page by page, for every object that exists (hidden, draft and private
ones too), and no answer may carry anything the public must not see."""

import json
import re

import pytest

from challenges.models import Challenge, Solution, Update
from groups.models import Action, Group

from .conftest import SECRET

pytestmark = pytest.mark.django_db

# Anything a person wrote privately, or about a person: never in an answer.
FORBIDDEN_KEYS = {
    "email",
    "author",
    "display_name",
    "note",
    "notes",
    "score_count",
    "weighted_score",
    "disagreement",
    "hidden_at",
    "hidden_reason",
    "status_draft",
    "signups",
    "attendees",
    "members",
    "answers",
}
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")

# Every value each path parameter can take: all objects, public or not.
PATH_VALUES = {
    "/api/v1/groups/{slug}/": lambda: Group.objects.values_list("slug", flat=True),
    "/api/v1/groups/{slug}/peers/": lambda: Group.objects.values_list("slug", flat=True),
    "/api/v1/solutions/{id}/": lambda: Solution.objects.values_list("pk", flat=True),
    "/api/v1/updates/{id}/": lambda: Update.objects.values_list("pk", flat=True),
    "/api/v1/actions/{id}/": lambda: Action.objects.values_list("pk", flat=True),
    "/api/v1/challenges/{slug}/": lambda: Challenge.objects.values_list("slug", flat=True),
}


def _keys(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item)


def _addresses(schema):
    for path in schema["paths"]:
        if "{" not in path:
            yield path
            continue
        assert path in PATH_VALUES, f"{path} is new: say here which objects to walk it with"
        for value in PATH_VALUES[path]():
            yield re.sub(r"\{\w+\}", str(value), path)


def test_no_endpoint_shows_what_the_site_hides(client, world):
    schema = client.get("/api/v1/schema/").json()
    assert len(schema["paths"]) >= 12
    answered = 0
    for address in _addresses(schema):
        url = address
        while url:
            response = client.get(url)
            assert response.status_code in (200, 404), (url, response.status_code)
            text = response.content.decode()
            assert SECRET not in text, url
            assert not EMAIL.search(text.replace("@example.org", "")), url  # no one's address
            if response.status_code == 404 or url.endswith("/schema/"):
                break
            body = json.loads(text)
            assert not FORBIDDEN_KEYS & set(_keys(body)), (url, FORBIDDEN_KEYS & set(_keys(body)))
            answered += 1
            url = body.get("next") if isinstance(body, dict) else None
    assert answered > 15


def test_the_walk_would_see_a_secret_if_one_leaked(client, world):
    """The check above can fail: a group's public summary carrying the marker is found."""
    world.group.summary = f"Now public {SECRET}"
    world.group.save()
    assert SECRET in client.get(f"/api/v1/groups/{world.group.slug}/").content.decode()
