"""A public list's filter form is rendered once per language and query and shared (FRAGMENT_CACHE_SECONDS)."""

import pytest

from groups.filters import ChallengeAreaChoiceField
from tests.factories import ChallengeAreaFactory, GroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(settings):
    settings.FRAGMENT_CACHE_SECONDS = 60


def form_html(page):
    start = page.index('<form method="get"')
    return page[start : page.index("</form>", start)]


@pytest.fixture
def drawn(monkeypatch):
    """The forms that listed their challenge boxes: each rendering of a filter form is a new form that does."""
    calls = []
    listed = ChallengeAreaChoiceField.listed

    def counting(field):
        calls.append(field)
        return listed(field)

    monkeypatch.setattr(ChallengeAreaChoiceField, "listed", counting)

    class Drawn:
        def __len__(self):
            return len({id(field) for field in calls})  # `calls` keeps every field alive: ids stay distinct

    return Drawn()


def test_the_same_filters_in_any_order_share_one_rendering(client, shared, drawn):
    ChallengeAreaFactory(name="Climate", slug="climate")
    GroupFactory()
    first = client.get("/groups/", {"area_kind": "rural", "q": "warm"}).content.decode()
    assert len(drawn) == 1  # rendering the form lists the challenges
    again = client.get("/groups/", {"q": "warm", "area_kind": "rural", "page": "2"}).content.decode()
    assert len(drawn) == 1  # shared: not rendered again
    assert 'value="climate"' in form_html(again)
    assert form_html(again) == form_html(first)
    assert 'value="warm"' in form_html(first)
    assert 'value="rural"' in form_html(first) and " checked" in form_html(first)


def test_other_filters_and_the_other_language_get_their_own(client, shared):
    GroupFactory()
    rural = form_html(client.get("/groups/", {"area_kind": "rural"}).content.decode())
    urban = form_html(client.get("/groups/", {"area_kind": "urban"}).content.decode())
    welsh = form_html(client.get("/cy/groups/", {"area_kind": "rural"}).content.decode())
    assert len({rural, urban, welsh}) == 3


def test_a_form_with_an_error_is_never_shared(client, shared, drawn):
    GroupFactory()
    for times in (1, 2):
        bad = client.get("/groups/", {"deprivation_min": "7", "deprivation_max": "2"})
        assert bad.status_code == 400
        assert "must not be below the lowest" in form_html(bad.content.decode())
        assert len(drawn) == times


def test_a_funders_review_list_is_not_shared(client, shared, drawn):
    """Only the lists whose views ask for it share their form (the review list's is the funder's own)."""
    from django.template import Context, Template
    from django.test import RequestFactory

    from groups.filters import GroupFilter
    from groups.models import Group

    template = Template("{% load filtering %}{% filter_form_fields form %}")
    request = RequestFactory().get("/challenges/x/review/")
    for _ in range(2):  # two requests, a form each: each form is drawn
        form = GroupFilter({}, queryset=Group.objects.all()).form
        template.render(Context({"form": form, "request": request}))
    assert len(drawn) == 2
