import pytest
from django.urls import reverse

from ..factories import GroupFactory, MembershipFactory, SolutionFactory, UpdateFactory

pytestmark = pytest.mark.django_db
URL = reverse("learning:index")


def lesson(group, title, **fields):
    return UpdateFactory(solution=SolutionFactory(group=group, title=title), what_worked=f"{title} worked", **fields)


@pytest.fixture
def library():
    rural_poor = GroupFactory(area_kind="rural", deprivation_decile=2, region="wales", population=4000)
    rural_near = GroupFactory(area_kind="rural", deprivation_decile=3, region="wales", population=6500)
    city_rich = GroupFactory(area_kind="urban", deprivation_decile=9, region="london", population=90000)
    island = GroupFactory(area_kind="island", deprivation_decile=4, region="scotland", population=120)
    return {
        "reader": rural_poor,
        "near": lesson(rural_near, "Draught-busting visits"),
        "city": lesson(city_rich, "Rooftop solar club"),
        "island": lesson(island, "Island hydro"),
        "draft": lesson(rural_near, "Unpublished", status="draft"),
        "no_lesson": UpdateFactory(solution=SolutionFactory(group=rural_near), what_worked=""),
    }


def titles(response):
    return [u.solution.title for u in response.context["page"].object_list]


def test_only_published_updates_with_lessons(client, library):
    listed = titles(client.get(URL))
    assert set(listed) == {"Draught-busting visits", "Rooftop solar club", "Island hydro"}


def test_closest_context_first_for_a_members_group(client, library):
    user = MembershipFactory(group=library["reader"], role="organiser").user
    client.force_login(user)
    response = client.get(URL)
    assert titles(response)[0] == "Draught-busting visits"
    assert titles(response)[-1] == "Rooftop solar club"
    assert library["reader"].name in response.content.decode()


def test_for_parameter_orders_by_that_groups_context(client, library):
    city_reader = GroupFactory(area_kind="urban", deprivation_decile=8, region="london", population=50000)
    assert titles(client.get(URL, {"for": city_reader.slug}))[0] == "Rooftop solar club"


def test_filters_by_context_and_stage(client, library):
    assert titles(client.get(URL, {"area_kind": ["island"]})) == ["Island hydro"]
    assert titles(client.get(URL, {"q": "hydro"})) == ["Island hydro"]
    response = client.get(URL, {"stage": ["not-a-stage"]})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_lessons_queries_do_not_grow(client, library, django_assert_max_num_queries):
    for n in range(20):  # more than one page: the first page also counts them (up to a cap)
        lesson(GroupFactory(), f"First {n}")
    with django_assert_max_num_queries(10) as small:
        client.get(URL, {"for": library["reader"].slug})
    for n in range(20):
        lesson(GroupFactory(), f"Extra {n}")
    with django_assert_max_num_queries(10) as large:
        client.get(URL, {"for": library["reader"].slug})
    assert len(small.captured_queries) == len(large.captured_queries)
