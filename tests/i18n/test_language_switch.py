"""Choosing a language: the switch on every page, the address scheme (/cy/) and remembering the choice."""

import re

import pytest
from django.conf import settings

from tests.factories import GroupFactory, UserFactory

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


def html_lang(response):
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def alternates(response):
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', response.content.decode()))


@pytest.mark.parametrize(
    ("path", "lang"), [("/", "en-GB"), ("/cy/", "cy"), ("/groups/", "en-GB"), ("/cy/groups/", "cy")]
)
def test_the_page_says_which_language_it_is_in(client, path, lang):
    response = client.get(path)
    assert response.status_code == 200
    assert html_lang(response) == lang
    assert response["Content-Language"] == {"en-GB": "en-gb", "cy": "cy"}[lang]


def test_each_page_names_its_other_language_for_search_engines(client):
    group = GroupFactory()
    response = client.get(f"/cy/groups/{group.slug}/?tab=x")
    assert alternates(response) == {
        "en-GB": f"http://testserver/groups/{group.slug}/?tab=x",
        "cy": f"http://testserver/cy/groups/{group.slug}/?tab=x",
        "x-default": f"http://testserver/groups/{group.slug}/?tab=x",
    }


def test_the_switch_is_a_form_on_every_page_that_works_without_javascript(client):
    page = client.get("/groups/?area_kind=rural&page=2").content.decode()
    form = re.search(r'<form method="post" action="/language/"[^>]*>(.*?)</form>', page, re.S).group(1)
    assert '<input type="hidden" name="next" value="/groups/?area_kind=rural&amp;page=2">' in form
    assert 'name="language" value="cy" lang="cy">Cymraeg</button>' in form
    assert 'lang="en-GB" aria-current="true">English</span>' in form
    assert "csrfmiddlewaretoken" not in form  # pages cached for anonymous visitors set no cookie


@pytest.mark.parametrize(
    ("language", "next_url", "landing"),
    [
        ("cy", "/groups/?area_kind=rural&page=2", "/cy/groups/?area_kind=rural&page=2"),
        ("en-gb", "/cy/groups/?area_kind=rural&page=2", "/groups/?area_kind=rural&page=2"),
        ("cy", "/", "/cy/"),
        ("cy", "/cy/challenges/", "/cy/challenges/"),
    ],
)
def test_switching_opens_the_same_page_and_query_in_the_chosen_language(client, language, next_url, landing):
    response = client.post("/language/", {"language": language, "next": next_url})
    assert response.status_code == 303
    assert response["Location"] == landing
    assert response.cookies[COOKIE].value == language
    assert client.get(landing).status_code == 200


def test_a_signed_in_persons_choice_is_stored_on_their_account_and_followed_anywhere(client):
    person = UserFactory()
    client.force_login(person)
    client.post("/language/", {"language": "cy", "next": "/groups/"})
    person.refresh_from_db()
    assert person.language == "cy"
    # On another device (no language cookie) an English address opens in Welsh.
    other = type(client)()
    other.force_login(person)
    response = other.get("/challenges/?stage=open")
    assert response.status_code == 302
    assert response["Location"] == "/cy/challenges/?stage=open"


def test_an_anonymous_choice_is_remembered_by_cookie_and_english_is_one_click_back(client):
    client.post("/language/", {"language": "cy", "next": "/"})
    response = client.get("/learning/")
    assert (response.status_code, response["Location"]) == (302, "/cy/learning/")
    assert "Cookie" in response["Vary"]
    client.post("/language/", {"language": "en-gb", "next": "/cy/learning/"})
    assert client.get("/learning/").status_code == 200


def test_an_address_with_its_language_is_shown_in_it_whatever_was_chosen(client):
    client.post("/language/", {"language": "en-gb", "next": "/"})
    assert html_lang(client.get("/cy/groups/")) == "cy"


def test_a_remembered_choice_does_not_redirect_posts_or_addresses_without_a_language(client):
    client.cookies[COOKIE] = "cy"
    assert client.get("/healthz").status_code in (200, 503)
    assert client.get("/robots.txt").status_code == 200
    assert client.get("/sitemap.xml").status_code == 200
    assert client.get("/no-such-page/").status_code == 404


@pytest.mark.parametrize("language", ["", "fr", "cy<script>", "en"])
def test_an_unknown_language_is_refused_with_a_page_that_says_so(client, language):
    response = client.post("/language/", {"language": language, "next": "/groups/"})
    assert response.status_code == 400
    assert "No such language" in response.content.decode()
    assert COOKIE not in response.cookies


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "/\\evil.example"]
)
def test_the_way_back_never_leaves_the_site(client, next_url):
    response = client.post("/language/", {"language": "cy", "next": next_url})
    assert response.status_code == 303
    assert response["Location"] == "/cy/"


def test_a_switch_posted_from_another_site_is_refused(client):
    response = client.post("/language/", {"language": "cy", "next": "/"}, headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert COOKIE not in response.cookies


def test_the_switch_only_takes_posts(client):
    assert client.get("/language/?language=cy").status_code == 405


def test_the_sitemap_lists_every_page_in_both_languages_with_alternates(client):
    group = GroupFactory()
    xml = client.get("/sitemap.xml").content.decode()
    assert re.search(rf"<loc>https?://[^/]+/groups/{group.slug}/</loc>", xml)
    assert re.search(rf"<loc>https?://[^/]+/cy/groups/{group.slug}/</loc>", xml)
    assert re.search(rf'hreflang="cy" href="https?://[^/]+/cy/groups/{group.slug}/"', xml)
    assert re.search(rf'hreflang="en-gb" href="https?://[^/]+/groups/{group.slug}/"', xml)
    assert re.search(rf'hreflang="x-default" href="https?://[^/]+/groups/{group.slug}/"', xml)


def test_logging_out_from_a_welsh_page_lands_on_the_welsh_home_page(client):
    client.force_login(UserFactory())
    response = client.post("/cy/accounts/logout/")
    assert (response.status_code, response["Location"]) == (302, "/cy/")
    response = client.post("/accounts/logout/")
    assert response["Location"] == "/"
