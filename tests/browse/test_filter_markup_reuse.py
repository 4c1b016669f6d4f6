"""The lists' filter forms reuse each field's markup per process (core.forms, `reuse_field_markup`): what
people see must be exactly what drawing the field afresh gives, for every value, language and list."""

import random

import pytest
from django.utils import translation

from challenges.filters import SolutionFilter
from challenges.models import Solution
from core import forms as core_forms
from groups.filters import GroupFilter
from groups.models import Group
from learning.filters import LessonFilter
from tests.factories import ChallengeAreaFactory

pytestmark = pytest.mark.django_db

FILTERSETS = [(GroupFilter, Group), (SolutionFilter, Solution), (LessonFilter, None)]


@pytest.fixture(autouse=True)
def empty_markup():
    core_forms._REUSED_MARKUP.clear()
    yield
    core_forms._REUSED_MARKUP.clear()


@pytest.fixture
def areas():
    return [
        ChallengeAreaFactory(name="Climate", slug="climate"),
        ChallengeAreaFactory(name="Health & care", slug="health"),
    ]


def random_query(rng):
    query = {}
    if rng.random() < 0.5:
        query["challenge"] = rng.sample(["climate", "health"], rng.randint(1, 2))
    if rng.random() < 0.5:
        query["area_kind"] = rng.sample(["rural", "urban", "suburban"], rng.randint(1, 2))
    for name, values in (
        ("region", ["wales", "london", "scotland"]),
        ("deprivation_min", ["1", "3"]),
        ("deprivation_max", ["5", "10"]),
        ("population_min", ["0", "1000"]),
        ("sort", ["newest", "name"]),
        ("q", ["draught", '<b>"x"</b>']),
    ):
        if rng.random() < 0.4:
            query[name] = rng.choice(values)
    return query


def draw(filterset_class, model, query, *, fresh):
    if fresh:
        core_forms._REUSED_MARKUP.clear()
    queryset = model.objects.all() if model else None
    if queryset is None:
        from challenges.models import Update

        queryset = Update.objects.all()
    form = filterset_class(query, queryset=queryset).form
    form.is_valid()
    return form.render()


@pytest.mark.parametrize("language", ["en", "cy"])
def test_reused_markup_is_the_markup_drawn_afresh(areas, language):
    rng = random.Random(7)
    queries = [random_query(rng) for _ in range(60)]
    with translation.override(language):
        for filterset_class, model in FILTERSETS:
            fresh = [draw(filterset_class, model, query, fresh=True) for query in queries]
            core_forms._REUSED_MARKUP.clear()
            reused = [draw(filterset_class, model, query, fresh=False) for query in queries]
            assert reused == fresh
    assert core_forms._REUSED_MARKUP, "nothing was reused: the test would prove nothing"


def test_a_renamed_or_new_challenge_area_shows_at_once(areas):
    before = draw(GroupFilter, Group, {"region": "wales"}, fresh=False)
    areas[0].name = "Climate action"
    areas[0].save()
    ChallengeAreaFactory(name="Loneliness", slug="loneliness")
    after = draw(GroupFilter, Group, {"region": "wales"}, fresh=False)
    assert "Climate action" not in before
    assert "Climate action" in after and "Loneliness" in after


def test_the_language_of_the_page_is_kept_apart(areas):
    with translation.override("en"):
        english = draw(GroupFilter, Group, {}, fresh=False)
    with translation.override("cy"):
        welsh = draw(GroupFilter, Group, {}, fresh=False)
        welsh_fresh = draw(GroupFilter, Group, {}, fresh=True)
    assert welsh == welsh_fresh != english


def test_a_field_with_an_error_is_drawn_with_it_every_time(areas):
    draw(GroupFilter, Group, {"deprivation_min": "3", "deprivation_max": "5"}, fresh=False)
    contradicting = draw(GroupFilter, Group, {"deprivation_min": "7", "deprivation_max": "5"}, fresh=False)
    assert "must not be below the lowest (7)" in contradicting
    again = draw(GroupFilter, Group, {"deprivation_min": "3", "deprivation_max": "5"}, fresh=False)
    assert "must not be below" not in again


def test_the_kept_markup_stays_bounded(areas, monkeypatch):
    monkeypatch.setattr(core_forms, "REUSED_MARKUP_LIMIT", 10)
    for region in ("wales", "london", "scotland", "east", "north_east"):
        for decile in ("1", "2", "3", "4"):
            draw(GroupFilter, Group, {"region": region, "deprivation_min": decile}, fresh=False)
            assert 0 < len(core_forms._REUSED_MARKUP) <= 10


def test_typed_values_are_not_kept(areas):
    """Search words and numbers are whatever anyone types: drawn every time, so they cannot crowd out the rest."""
    draw(GroupFilter, Group, {"q": "first"}, fresh=False)
    kept = len(core_forms._REUSED_MARKUP)
    for number in range(20):
        draw(GroupFilter, Group, {"q": f"search {number}", "population_min": str(number)}, fresh=False)
    assert len(core_forms._REUSED_MARKUP) == kept


def test_other_forms_are_drawn_every_time():
    """Only forms that set `reuse_field_markup` keep markup: a form of fixed choices without it is drawn afresh."""
    from groups.forms import RoleForm

    RoleForm().render()
    assert not core_forms._REUSED_MARKUP
