import json

import pytest
from django.urls import reverse

from .factories import GroupFactory, SolutionFactory, UpdateFactory

pytestmark = pytest.mark.django_db


def test_home_explains_the_idea_and_links_to_each_part(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "many local solutions" in html
    for name in ("groups:list", "challenges:index", "learning:index"):
        assert f'href="{reverse(name)}"' in html
    # Landmarks and skip link for keyboard and screen-reader users.
    assert 'href="#main"' in html and '<main id="main"' in html
    assert "<header" in html and "<footer" in html and 'aria-label="Main"' in html


def test_home_shows_recent_published_updates_only(client):
    published = UpdateFactory(title="We insulated 40 lofts")
    UpdateFactory(title="Secret draft", status="draft", solution=published.solution)
    html = client.get(reverse("home")).content.decode()
    assert "We insulated 40 lofts" in html
    assert "Secret draft" not in html


def test_404_is_our_own_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "Localism" in html


def test_500_is_our_own_page_without_a_stack_trace(client, settings):
    settings.ROOT_URLCONF = "tests.error_urls"
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert "Traceback" not in html and "RuntimeError" not in html


def test_healthz_reports_database(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert ("redis" in body["checks"]) == bool(settings.REDIS_URL)


def test_security_headers_on_every_page(client):
    response = client.get(reverse("home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp


def test_group_list_and_detail(client):
    group = GroupFactory(name="Reepham Green Team", description="We run an **electric** minibus.")
    response = client.get(reverse("groups:list"))
    assert "Reepham Green Team" in response.content.decode()
    html = client.get(group.get_absolute_url()).content.decode()
    assert "<strong>electric</strong>" in html


def test_draft_solution_hidden_from_public(client):
    solution = SolutionFactory(status="draft", title="Unannounced plan")
    assert client.get(solution.get_absolute_url()).status_code == 404
    assert "Unannounced plan" not in client.get(solution.group.get_absolute_url()).content.decode()


def test_sitemap_lists_groups_and_published_solutions(client):
    group = GroupFactory()
    published = SolutionFactory(group=group)
    draft = SolutionFactory(group=group, status="draft")
    xml = client.get("/sitemap.xml").content.decode()
    assert group.get_absolute_url() in xml
    assert published.get_absolute_url() in xml
    assert draft.get_absolute_url() not in xml


def test_list_pages_run_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    def load_all():
        for name in ("home", "groups:list", "challenges:index", "learning:index"):
            assert client.get(reverse(name)).status_code == 200

    for _ in range(23):  # over a page: a first page then counts its list (up to a cap)
        UpdateFactory()
    with django_assert_max_num_queries(40) as small:
        load_all()
    for _ in range(25):
        UpdateFactory()
    with django_assert_max_num_queries(40) as large:
        load_all()
    assert len(large.captured_queries) == len(small.captured_queries)


def test_robots_txt_points_to_the_sitemap_and_keeps_private_pages_out(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /accounts/" in text and "Disallow: /moderation/" in text
    assert client.get("/sitemap.xml").status_code == 200
