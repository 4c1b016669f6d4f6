"""What a client of the API can rely on over HTTP: caching validators, CORS, rate limits, errors."""

import pytest
from django.utils.http import http_date

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_answers_carry_cache_headers_and_an_etag(client, world):
    response = client.get(f"/api/v1/groups/{world.group.slug}/")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
    assert response["ETag"]
    assert response["Last-Modified"] == http_date(world.group.updated_at.timestamp())


def test_an_unchanged_answer_is_a_304_without_a_body(client, world):
    url = f"/api/v1/solutions/{world.solution.pk}/"
    etag = client.get(url)["ETag"]
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""


def test_a_changed_object_gets_a_new_etag(client, world):
    url = f"/api/v1/groups/{world.group.slug}/"
    etag = client.get(url)["ETag"]
    world.group.summary = "Now also a tool library."
    world.group.save()
    response = client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200 and response["ETag"] != etag


def test_a_list_is_last_modified_when_its_newest_item_was(client, world):
    response = client.get("/api/v1/actions/")
    newest = max(a.updated_at for a in type(world.action).objects.visible().filter(group__hidden_at__isnull=True))
    assert response["Last-Modified"] == http_date(newest.timestamp())


def test_any_site_may_read_it_from_a_browser_without_cookies(client, world):
    response = client.get("/api/v1/groups/", headers={"origin": "https://research.example"})
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


def test_a_preflight_allows_get_only(client, world):
    response = client.options(
        "/api/v1/groups/",
        headers={"origin": "https://research.example", "access-control-request-method": "GET"},
    )
    assert response.status_code == 200
    assert set(response["Access-Control-Allow-Methods"].replace(" ", "").split(",")) == {"GET", "HEAD", "OPTIONS"}


def test_site_pages_get_no_cors_headers(client, world):
    response = client.get("/groups/", headers={"origin": "https://research.example"})
    assert "Access-Control-Allow-Origin" not in response


def test_too_many_requests_get_a_429_saying_how_long_to_wait(client, world, settings):
    settings.API_RATE_LIMIT = "3/minute"
    statuses = [client.get("/api/v1/challenge-areas/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/groups/", headers={"origin": "https://research.example"})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "wait" in response.json()["detail"]
    # A script in another site's page can read the refusal too.
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_limit_is_per_client(client, world, settings):
    settings.API_RATE_LIMIT = "2/minute"
    for _ in range(2):
        client.get("/api/v1/", REMOTE_ADDR="192.0.2.1")
    assert client.get("/api/v1/", REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.get("/api/v1/", REMOTE_ADDR="192.0.2.2").status_code == 200


def test_a_signed_in_browser_sees_no_more_than_anyone(client, world):
    owner = world.group.memberships.get().user
    client.force_login(owner)
    assert client.get(f"/api/v1/solutions/{world.draft_solution.pk}/").status_code == 404
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert client.get(f"/api/v1/groups/{world.hidden_group.slug}/").status_code == 404


def test_an_unknown_api_address_is_json(client, world):
    response = client.get("/api/v2/groups/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
