"""The language links of a page come from the URL the request resolved to (core.languages.page_address_in):
the same addresses as translating the page's path from scratch (address_in), for every kind of page."""

import pytest
from django.test import RequestFactory
from django.urls import Resolver404, resolve
from django.utils import translation

from core.languages import _path_language, address_in, page_address_in

PATHS = [
    "/",
    "/groups/",
    "/groups/?region=wales&sort=name&page=2",
    "/groups/some-group/",
    "/cy/groups/some-group/",
    "/cy/groups/?q=caf%C3%A9&region=wales",
    "/groups/some-group/actions/12/",
    "/learning/groups/some-group/?lean=place",
    "/cy/learning/groups/some-group/",
    "/challenges/solutions/some-group/some-solution/",
    "/cy/challenges/",
    "/open-data/",
    "/api/v1/groups/",
    "/admin/",
    "/accounts/login/?next=/groups/",
    "/groups/caf%C3%A9/",
    "/no/such/page/",
]


@pytest.mark.parametrize("full_path", PATHS)
@pytest.mark.parametrize("code", ["en-gb", "cy"])
def test_same_address_as_translating_the_path(full_path, code):
    request = RequestFactory().get(full_path)
    path = full_path.split("?")[0]
    with translation.override(_path_language(path)):
        try:
            request.resolver_match = resolve(request.path_info)
        except Resolver404:
            request.resolver_match = None
        assert page_address_in(request, code) == address_in(request.get_full_path(), code)


def test_a_group_page_in_welsh_and_english():
    request = RequestFactory().get("/groups/some-group/?x=1")
    request.resolver_match = resolve("/groups/some-group/")
    assert page_address_in(request, "cy") == "/cy/groups/some-group/?x=1"
    assert page_address_in(request, "en-gb") == "/groups/some-group/?x=1"
