"""Challenge areas are kept in each process (groups.area_table): a group's own query reads the ids of its
areas, and the list's cards, the group page and the challenge filter name them without a query of their own.

What is kept must never show a wrong area for long: a change in this process shows at once, another
process's change within a second (its counter in the cache), an area this process has not seen yet at once.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from groups import area_table
from groups.models import ChallengeArea, Group
from groups.selectors import group_cards

from ..factories import ChallengeAreaFactory, GroupFactory

pytestmark = pytest.mark.django_db


def _reads(queries, table):
    return sum(f'FROM "{table}"' in query["sql"] for query in queries.captured_queries)


@pytest.fixture
def areas():
    return {
        "climate": ChallengeAreaFactory(name="Climate", slug="climate", name_cy="Hinsawdd"),
        "food": ChallengeAreaFactory(name="Food", slug="food"),
        "health": ChallengeAreaFactory(name="Health", slug="health"),
    }


@pytest.fixture
def clock(monkeypatch):
    """The table's clock, moved by hand: `clock.now += 1.5`."""

    class Clock:
        now = 1000.0

    monkeypatch.setattr(area_table, "_clock", lambda: Clock.now)
    return Clock


def get(client, url, **query):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query)
    assert response.status_code == 200
    return response.content.decode(), queries


def test_cards_and_group_page_name_the_areas_by_name_without_reading_them(client, areas):
    group = GroupFactory(name="Warm homes", areas=[areas["health"], areas["climate"]])
    GroupFactory(name="Walkers", areas=[])
    get(client, "/groups/")  # the first page of this process reads the areas once
    html, queries = get(client, "/groups/", challenge=["climate"])
    assert '<ul class="tags" aria-label="Challenges"><li>Climate</li><li>Health</li></ul>' in html
    assert "Walkers" not in html
    # The areas' ids come with the groups: the page's one query is its rows (the count was kept by the first).
    assert _reads(queries, "groups_challengearea") == 0
    assert len(queries.captured_queries) == 1, [query["sql"] for query in queries.captured_queries]
    assert "area_ids" in queries.captured_queries[0]["sql"]
    page, queries = get(client, group.get_absolute_url())
    assert "<dt>Challenges</dt><dd>Climate, Health</dd>" in page
    assert _reads(queries, "groups_challengearea") == 0


def test_a_group_without_areas_shows_none(client, areas):
    group = GroupFactory(name="Walkers", areas=[])
    html, _ = get(client, "/groups/")
    assert 'aria-label="Challenges"' not in html
    assert "<dt>Challenges</dt><dd>—</dd>" in get(client, group.get_absolute_url())[0]


def test_welsh_pages_name_the_areas_in_welsh(client, areas):
    group = GroupFactory(name="Cartrefi cynnes", areas=[areas["climate"], areas["food"]])
    welsh_page = "/cy" + group.get_absolute_url()
    html, _ = get(client, "/cy/groups/")
    assert "<li>Hinsawdd</li>" in html
    # An area without a Welsh name keeps its English one.
    assert "<li>Food</li>" in html
    assert "<dd>Hinsawdd, Food</dd>" in get(client, welsh_page)[0]


def test_the_filter_draws_and_checks_its_boxes_from_the_kept_areas(client, areas):
    get(client, "/groups/")
    html, queries = get(client, "/groups/", challenge=["food"])
    assert 'value="food" id="id_challenge_1" checked' in html
    assert _reads(queries, "groups_challengearea") == 0
    response = client.get("/groups/", {"challenge": ["atlantis"]})
    assert response.status_code == 400
    assert "atlantis is not one of the available choices" in response.content.decode()


def test_an_area_renamed_here_shows_at_once(client, areas, clock):
    group = GroupFactory(name="Warm homes", areas=[areas["climate"]])
    get(client, "/groups/")
    areas["climate"].name = "Climate and energy"
    areas["climate"].save()
    assert "<li>Climate and energy</li>" in get(client, "/groups/")[0]
    assert "<dd>Climate and energy</dd>" in get(client, group.get_absolute_url())[0]


def test_an_area_added_here_is_a_filter_at_once(client, areas, clock):
    get(client, "/groups/")
    ChallengeAreaFactory(name="Housing", slug="housing")
    html, _ = get(client, "/groups/", challenge=["housing"])
    assert 'value="housing"' in html


def test_an_area_deleted_here_is_gone_at_once(client, areas, clock):
    get(client, "/groups/")
    areas["food"].delete()
    html, _ = get(client, "/groups/")
    assert 'value="food"' not in html
    assert client.get("/groups/", {"challenge": ["food"]}).status_code == 400


def test_another_processs_rename_shows_within_a_second(client, areas, clock):
    """Another process saves through its own signal, which moves the counter in the shared cache; here
    that looks like a changed row and a moved counter."""
    GroupFactory(name="Warm homes", areas=[areas["climate"]])
    get(client, "/groups/")
    ChallengeArea.objects.filter(pk=areas["climate"].pk).update(name="Climate and energy")
    area_table.announce_change()
    clock.now += 0.5
    assert "<li>Climate</li>" in get(client, "/groups/")[0]  # checked less than a second ago
    clock.now += 0.6
    assert "<li>Climate and energy</li>" in get(client, "/groups/")[0]


def test_the_counter_is_read_once_a_second_and_the_areas_only_when_it_moved(client, areas, clock):
    get(client, "/groups/")
    clock.now += 5
    html, queries = get(client, "/groups/")
    assert _reads(queries, "groups_challengearea") == 0
    area_table.announce_change()
    clock.now += 5
    html, queries = get(client, "/groups/")
    assert _reads(queries, "groups_challengearea") == 1


def test_everything_is_reread_after_some_minutes_whatever_the_counter(client, areas, clock):
    get(client, "/groups/")
    ChallengeArea.objects.filter(pk=areas["food"].pk).update(name="Food and farming")
    clock.now += area_table.MOST_SECONDS + 1
    assert "Food and farming" in get(client, "/groups/")[0]


def test_an_area_this_process_has_not_seen_is_read_at_once(client, areas, clock):
    get(client, "/groups/")
    # Made by another process: no signal here, the counter not read again yet.
    (housing,) = ChallengeArea.objects.bulk_create([ChallengeArea(name="Housing", slug="housing")])
    if housing.pk is None:
        housing = ChallengeArea.objects.get(slug="housing")
    group = GroupFactory(name="Warm homes", areas=[])
    Group.challenge_areas.through.objects.bulk_create(
        [Group.challenge_areas.through(group_id=group.pk, challengearea_id=housing.pk)]
    )
    assert "<li>Housing</li>" in get(client, "/groups/")[0]
    assert "<dd>Housing</dd>" in get(client, group.get_absolute_url())[0]


def test_without_the_cache_the_areas_are_read_at_each_check(client, areas, clock, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    get(client, "/groups/")
    ChallengeArea.objects.filter(pk=areas["food"].pk).update(name="Food and farming")
    clock.now += 1.5
    assert "Food and farming" in get(client, "/groups/")[0]


def test_a_group_read_any_other_way_still_has_its_areas(areas):
    group = GroupFactory(areas=[areas["food"], areas["climate"]])
    plain = Group.objects.get(pk=group.pk)
    assert [area.name for area in plain.area_list] == ["Climate", "Food"]
    card = group_cards().get(pk=group.pk)
    assert [area.name for area in card.area_list] == ["Climate", "Food"]


def test_a_prefetch_into_area_list_still_fills_it(django_assert_num_queries, areas):
    from django.db.models import Prefetch

    for name in ("One", "Two", "Three"):
        GroupFactory(name=name, areas=[areas["food"], areas["climate"]])
    with django_assert_num_queries(2):
        groups = list(Group.objects.prefetch_related(Prefetch("challenge_areas", to_attr="area_list")))
        assert [[area.name for area in group.area_list] for group in groups] == [["Climate", "Food"]] * 3


def test_the_token_changes_once_the_change_commits(django_capture_on_commit_callbacks, monkeypatch):
    with django_capture_on_commit_callbacks(execute=True):
        food = ChallengeAreaFactory(name="Food", slug="food")
    first = cache.get(area_table.GENERATION_KEY)
    assert first is not None
    announced = []
    announce = area_table.announce_change
    monkeypatch.setattr(area_table, "announce_change", lambda: announced.append(announce()))
    with django_capture_on_commit_callbacks(execute=True):
        food.name = "Food and farming"
        food.save()
        ChallengeAreaFactory(name="Health", slug="health")
        assert cache.get(area_table.GENERATION_KEY) == first
    assert len(announced) == 1  # once per transaction, however many areas it changed
    assert cache.get(area_table.GENERATION_KEY) not in (None, first)


def test_counting_beside_the_ids_groups_by_the_row_not_by_the_subquery(areas):
    from django.db.models import Count

    from groups.selectors import with_area_ids

    GroupFactory(areas=[areas["food"]])
    queryset = with_area_ids(Group.objects.annotate(people=Count("memberships")))
    sql = str(queryset.query)
    # Django names a grouped expression by its place in the select list ("26"); the row's columns by name.
    grouped_by = sql[sql.index("GROUP BY") + len("GROUP BY") :].split(",")
    assert all(column.strip().startswith('"') for column in grouped_by), grouped_by[-3:]
    assert [area.name for area in queryset.get().area_list] == ["Food"]
