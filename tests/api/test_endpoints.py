"""The API answers what the site shows, through the HTTP client as a script would use it."""

import pytest

from challenges.models import Stage
from groups.models import Group
from tests.factories import UpdateFactory

pytestmark = pytest.mark.django_db


def get(client, url, **params):
    response = client.get(url, params)
    # JSON; the OpenAPI document with its own JSON type.
    assert response["Content-Type"] in ("application/json", "application/vnd.oai.openapi+json"), response.content[:200]
    return response


def test_index_links_every_list_and_the_schema(client, world):
    links = get(client, "/api/v1/").json()
    for name in ("groups", "solutions", "updates", "actions", "challenges", "awards", "challenge_areas", "schema"):
        assert get(client, links[name]).status_code == 200, name
    assert links["reference"].endswith("/open-data/")


def test_group_list_gives_local_context_and_links(client, world):
    body = get(client, "/api/v1/groups/").json()
    mine = next(g for g in body["results"] if g["slug"] == world.group.slug)
    assert mine["area_kind"] == world.group.area_kind
    assert mine["deprivation_decile"] == world.group.deprivation_decile
    assert mine["challenge_areas"] == [a.slug for a in world.group.challenge_areas.all()]
    assert mine["web_url"] == f"http://testserver/groups/{world.group.slug}/"
    assert get(client, mine["url"]).json()["description"] == world.group.description
    assert body["next"] is None and body["previous"] is None


def test_group_list_takes_the_site_filters(client, world):
    twin, far = world.peers
    body = get(client, "/api/v1/groups/", area_kind=far.area_kind, region=far.region).json()
    assert [g["slug"] for g in body["results"]] == [far.slug]


def test_a_bad_filter_value_is_a_400_that_names_the_parameter(client, world):
    response = get(client, "/api/v1/groups/", region="atlantis")
    assert response.status_code == 400
    body = response.json()
    assert "region" in body["errors"] and body["detail"]


def test_contradictory_ranges_are_refused_with_the_reason(client, world):
    response = get(client, "/api/v1/groups/", deprivation_min=8, deprivation_max=2)
    assert response.status_code == 400
    assert "deprivation_max" in response.json()["errors"]


def test_cursor_pages_walk_every_group_once_in_id_order(client, world):
    seen, url = [], "/api/v1/groups/?page_size=2"
    while url:
        body = get(client, url).json()
        assert len(body["results"]) <= 2
        seen += [g["id"] for g in body["results"]]
        url = body["next"]
    visible = list(Group.objects.visible().order_by("pk").values_list("pk", flat=True))
    assert seen == visible and world.hidden_group.pk not in seen


def test_a_forged_cursor_is_a_404_in_json(client, world):
    response = get(client, "/api/v1/groups/", cursor="not-a-cursor")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_solution_carries_metrics_targets_and_visible_readings(client, world):
    body = get(client, f"/api/v1/solutions/{world.solution.pk}/").json()
    assert body["group"]["slug"] == world.group.slug
    (metric,) = body["metrics"]
    assert metric["target"] == 50
    # The reading recorded by a hidden update is left out, as on the solution's page.
    assert [r["value"] for r in metric["readings"]] == [12]
    assert body["web_url"].endswith(world.solution.get_absolute_url())


def test_solution_list_filters_by_group_and_stage(client, world):
    body = get(client, "/api/v1/solutions/", group=world.group.slug).json()
    assert [s["id"] for s in body["results"]] == [world.solution.pk]
    other_stage = next(s for s in Stage.values if s != world.solution.stage)
    assert get(client, "/api/v1/solutions/", group=world.group.slug, stage=other_stage).json()["results"] == []


def test_updates_carry_lessons_and_filter_by_solution(client, world):
    with_lessons = get(client, "/api/v1/updates/", solution=world.solution.pk, lessons="true").json()["results"]
    assert world.update.pk in [u["id"] for u in with_lessons]
    assert all(u["has_lessons"] and u["solution"].endswith(f"/solutions/{world.solution.pk}/") for u in with_lessons)
    assert next(u for u in with_lessons if u["id"] == world.update.pk)["what_worked"] == "Door-knocking."
    UpdateFactory(solution=world.solution, what_worked="")
    without = get(client, "/api/v1/updates/", solution=world.solution.pk, lessons="false").json()["results"]
    assert len(without) == 1 and not without[0]["has_lessons"]


def test_actions_list_and_filter_by_group(client, world):
    body = get(client, "/api/v1/actions/", group=world.group.slug).json()
    assert [a["id"] for a in body["results"]] == [world.action.pk]
    assert body["results"][0]["status"] == "scheduled"


def test_challenge_shows_only_the_entries_its_page_shows(client, world):
    body = get(client, f"/api/v1/challenges/{world.challenge.slug}/").json()
    assert [(e["id"], e["status"]) for e in body["entries"]] == [(world.entry.pk, "finalist")]
    assert body["funder"]["slug"] == world.challenge.funder.slug


def test_challenge_lists_its_public_awards_with_the_360giving_files(client, world):
    body = get(client, f"/api/v1/challenges/{world.challenge.slug}/").json()
    (award,) = body["awards"]
    assert award["id"] == world.award.pk and award["amount"] == 20000 and award["currency"] == "GBP"
    assert award["threesixtygiving_id"] == f"360G-localism-award-{world.award.pk}"
    assert award["entry"] == world.entry.pk and award["group"]["slug"] == world.group.slug
    assert body["threesixtygiving_json"].endswith(f"/challenges/{world.challenge.slug}/awards/360giving.json")
    assert client.get(body["threesixtygiving_json"]).json()["grants"][0]["id"] == award["threesixtygiving_id"]


def test_a_challenge_without_awards_links_no_360giving_file(client, world):
    from tests.funders.factories import ChallengeFactory

    body = get(client, f"/api/v1/challenges/{ChallengeFactory().slug}/").json()
    assert body["awards"] == [] and body["threesixtygiving_json"] is None


def test_awards_list_filters_by_group_and_leaves_out_hidden_entries(client, world):
    body = get(client, "/api/v1/awards/").json()
    assert [a["id"] for a in body["results"]] == [world.award.pk]
    assert get(client, "/api/v1/awards/", group=world.peers[1].slug).json()["results"] == []
    assert get(client, "/api/v1/awards/", challenge=world.challenge.slug).json()["results"][0]["title"] == (
        "Development grant"
    )


def test_peers_come_with_reasons(client, world):
    twin, far = world.peers
    body = get(client, f"/api/v1/groups/{world.group.slug}/peers/").json()
    assert body[0]["group"]["slug"] == twin.slug
    assert body[0]["rank"] == 1 and body[0]["reasons"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/groups/{w.hidden_group.slug}/",
        "/api/v1/groups/{w.hidden_group.slug}/peers/",
        "/api/v1/solutions/{w.hidden_solution.pk}/",
        "/api/v1/solutions/{w.draft_solution.pk}/",
        "/api/v1/updates/{w.hidden_update.pk}/",
        "/api/v1/updates/{w.draft_update.pk}/",
        "/api/v1/actions/{w.hidden_action.pk}/",
        "/api/v1/challenges/{w.draft_challenge.slug}/",
        "/api/v1/nothing-here/",
    ],
)
def test_what_the_site_hides_is_not_found(client, world, url):
    response = get(client, url.format(w=world))
    assert response.status_code == 404
    assert response.json()["detail"]


def test_writing_is_refused_in_json(client, world):
    response = client.post("/api/v1/groups/", {"name": "x"})
    assert response.status_code == 405
    assert response.json()["detail"]


def test_a_researcher_pages_through_everything_with_only_the_document(client, world):
    """From the index and the OpenAPI document alone: every visible group, and every published solution
    with each of its visible readings, reached by following `next` links."""
    from challenges.models import MetricReading
    from challenges.selectors import published_solutions, reading_visible

    index = get(client, "/api/v1/").json()
    schema = get(client, index["schema"]).json()
    assert "/api/v1/groups/" in schema["paths"] and "/api/v1/solutions/" in schema["paths"]

    def every(url):
        while url:
            body = get(client, url).json()
            yield from body["results"]
            url = body["next"]

    groups = list(every(index["groups"] + "?page_size=1"))
    solutions = list(every(index["solutions"] + "?page_size=1"))
    assert sorted(g["id"] for g in groups) == sorted(Group.objects.visible().values_list("pk", flat=True))
    assert sorted(s["id"] for s in solutions) == sorted(published_solutions().values_list("pk", flat=True))
    readings = sorted(float(r["value"]) for s in solutions for m in s["metrics"] for r in m["readings"])
    expected = MetricReading.objects.filter(
        reading_visible(), solution_metric__solution__in=published_solutions()
    ).values_list("value", flat=True)
    assert readings == sorted(float(v) for v in expected) and 999_999 not in readings
