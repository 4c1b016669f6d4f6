import pytest
from django.urls import reverse

from ..factories import ChallengeAreaFactory, GroupFactory, SolutionFactory

pytestmark = pytest.mark.django_db
URL = reverse("challenges:solution_list")


def titles(response):
    return [s.title for s in response.context["page"].object_list]


@pytest.fixture
def solutions():
    climate = ChallengeAreaFactory(name="Climate", slug="climate")
    youth = ChallengeAreaFactory(name="Youth", slug="youth")
    island = GroupFactory(area_kind="island", region="scotland", deprivation_decile=4, population=95)
    city = GroupFactory(area_kind="urban", region="london", deprivation_decile=2, population=2000)
    return [
        SolutionFactory(
            group=island,
            title="Island hydro grid",
            challenge_area=climate,
            stage="growing",
            approach="Community-owned hydro and wind.",
        ),
        SolutionFactory(
            group=city,
            title="Rooftop gardens",
            challenge_area=youth,
            stage="pilot",
            approach="Young people grow food on office roofs.",
        ),
        SolutionFactory(group=city, title="Secret plan", challenge_area=climate, stage="idea", status="draft"),
    ]


def test_only_published_solutions_are_listed(client, solutions):
    assert set(titles(client.get(URL))) == {"Island hydro grid", "Rooftop gardens"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"stage": ["growing"]}, ["Island hydro grid"]),
        ({"challenge": ["youth"]}, ["Rooftop gardens"]),
        ({"area_kind": ["island"]}, ["Island hydro grid"]),
        ({"region": "london"}, ["Rooftop gardens"]),
        ({"deprivation_max": "3"}, ["Rooftop gardens"]),
        ({"population_min": "100"}, ["Rooftop gardens"]),
        ({"q": "hydro"}, ["Island hydro grid"]),
        ({"q": "roofs"}, ["Rooftop gardens"]),
    ],
)
def test_filters(client, solutions, query, expected):
    response = client.get(URL, query)
    assert response.status_code == 200
    assert titles(response) == expected


def test_sort_by_stage_puts_furthest_along_first(client, solutions):
    assert titles(client.get(URL, {"sort": "stage"})) == ["Island hydro grid", "Rooftop gardens"]
    assert titles(client.get(URL, {"sort": "title"})) == ["Island hydro grid", "Rooftop gardens"]


def test_bad_stage_gets_400_and_message(client, solutions):
    response = client.get(URL, {"stage": ["finished-ish"]})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_solution_list_queries_do_not_grow(client, django_assert_max_num_queries):
    for _ in range(23):  # more than one page: the first page also counts them (up to a cap)
        SolutionFactory()
    with django_assert_max_num_queries(12) as small:
        client.get(URL)
    for _ in range(25):
        SolutionFactory()
    with django_assert_max_num_queries(12) as large:
        client.get(URL)
    assert len(small.captured_queries) == len(large.captured_queries)


def test_each_card_lists_its_approach_tags(client):
    """The cards show each solution's tags, by name (read with the solutions: test_tag_names)."""
    from challenges.models import ApproachTag

    tagged = SolutionFactory(title="Tagged")
    tagged.approach_tags.set(
        [
            ApproachTag.objects.create(name="Street patrols", slug="patrols"),
            ApproachTag.objects.create(name="Co-op", slug="co-op"),
        ]
    )
    SolutionFactory(title="Untagged")
    html = client.get(URL).content.decode()
    card = html[html.index(">Tagged<") :]
    assert (
        '<ul class="tags" aria-label="Approach"><li>Co-op</li><li>Street patrols</li></ul>'
        in card[: card.index("</article>")]
    )
    card = html[html.index(">Untagged<") :]
    assert '<ul class="tags"' not in card[: card.index("</article>")]
