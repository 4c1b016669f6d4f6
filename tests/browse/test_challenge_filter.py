"""The lists' challenge filter takes the challenge areas each process keeps (groups.area_table), for drawing
its boxes and for checking what was sent: read once, then no query for any form."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from groups.filters import GroupFilter
from groups.models import Group
from tests.factories import ChallengeAreaFactory, GroupFactory

pytestmark = pytest.mark.django_db


def _area_queries(queries):
    return sum('FROM "groups_challengearea"' in query["sql"] for query in queries.captured_queries)


@pytest.fixture
def areas():
    return [ChallengeAreaFactory(name="Climate", slug="climate"), ChallengeAreaFactory(name="Health", slug="health")]


def test_checking_and_drawing_read_the_areas_once(areas):
    with CaptureQueriesContext(connection) as queries:
        filterset = GroupFilter({"challenge": ["health"]}, queryset=Group.objects.all())
        assert filterset.form.is_valid()
        html = filterset.form.render()
        again = GroupFilter({"challenge": ["climate"]}, queryset=Group.objects.all())
        assert again.form.is_valid()
        again.form.render()
    assert _area_queries(queries) == 1
    assert 'value="health" id="id_challenge_1" checked' in html
    assert 'value="climate"' in html
    assert filterset.form.cleaned_data["challenge"] == [areas[1]]


def test_an_unknown_area_is_refused_with_djangos_message(areas):
    form = GroupFilter({"challenge": ["health", "atlantis"]}, queryset=Group.objects.all()).form
    assert not form.is_valid()
    assert form.errors["challenge"] == ["Select a valid choice. atlantis is not one of the available choices."]


def test_a_null_character_is_refused(areas):
    form = GroupFilter({"challenge": ["he\x00alth"]}, queryset=Group.objects.all()).form
    assert not form.is_valid()
    assert "challenge" in form.errors


def test_the_list_filters_by_the_chosen_areas(client, areas):
    GroupFactory(name="Warm homes").challenge_areas.set([areas[0]])
    GroupFactory(name="Walking group").challenge_areas.set([areas[1]])
    response = client.get("/groups/", {"challenge": ["climate"]})
    assert response.status_code == 200
    assert "Warm homes" in response.content.decode()
    assert "Walking group" not in response.content.decode()
