"""The open data page: a reference generated from the OpenAPI document, readable without JavaScript."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_reference_lists_every_operation_and_every_field(client):
    schema = client.get("/api/v1/schema/").json()
    page = client.get("/open-data/")
    assert page.status_code == 200
    html = page.content.decode()
    for path, methods in schema["paths"].items():
        for method in methods:
            assert f"<code>{method.upper()} {path}</code>" in html, path
    for name, component in schema["components"]["schemas"].items():
        assert f'id="schema-{name}"' in html
        for field in component.get("properties", {}):
            assert f"<code>{field}</code>" in html, (name, field)
    # Every link to a resource's description lands on one.
    for target in set(re.findall(r'href="#(schema-[\w]+)"', html)):
        assert f'id="{target}"' in html, target


def test_reference_says_how_to_page_and_the_rate_limit(client, settings):
    settings.API_RATE_LIMIT = "10/second"
    html = client.get("/open-data/").content.decode()
    assert "600 requests a minute" in html
    assert "<code>next</code>" in html and 'href="/api/v1/schema/"' in html


def test_welsh_page_keeps_the_english_reference_marked_as_english(client):
    html = client.get("/cy/open-data/").content.decode()
    assert '<html lang="cy"' in html
    assert '<div lang="en">' in html
    assert "Data agored" in html


def test_footer_links_to_open_data(client):
    assert 'href="/open-data/"' in client.get("/").content.decode()
