"""Describing and editing a solution through the forms, as an organiser would."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from challenges.models import Metric, Solution
from tests.factories import GroupFactory, MetricFactory, MetricReadingFactory, SolutionMetricFactory

from .conftest import solution_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def create_url(group):
    return reverse("challenges:solution_create", kwargs={"group_slug": group.slug})


def edit_url(solution):
    return reverse("challenges:solution_edit", kwargs={"group_slug": solution.group.slug, "slug": solution.slug})


def test_organiser_describes_a_solution_with_tags_and_metrics(
    client, group, organiser, area, shared_metric, create_url
):
    client.force_login(organiser)
    page = client.get(create_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Homes insulated" in html and 'name="metrics-use_' in html and 'name="metrics-new_name_3"' in html

    data = solution_post(
        area,
        tags="Community energy, street visits",
        **{
            f"metrics-use_{shared_metric.pk}": "on",
            f"metrics-target_{shared_metric.pk}": "120",
            "metrics-new_name_1": "Volunteers",
            "metrics-new_unit_1": "people",
            "metrics-new_target_1": "",
        },
    )
    response = client.post(create_url, data)
    solution = Solution.objects.get(group=group)
    assert response.status_code == 302 and response["Location"] == solution.get_absolute_url()
    assert solution.slug == "street-by-street-draught-proofing"
    assert [tag.name for tag in solution.approach_tags.all()] == ["Community energy", "street visits"]
    assert {sm.metric.name: sm.target for sm in solution.solution_metrics.all()} == {
        "Homes insulated": 120,
        "Volunteers": None,
    }
    page = client.get(response["Location"]).content.decode()
    assert "Street-by-street draught-proofing" in page and "is saved" in page


@pytest.mark.parametrize(
    ("overrides", "message", "kept"),
    [
        ({"title": ""}, "This field is required.", "Volunteers fit draught strips."),
        ({"tags": "ok, " + "x" * 61}, "at most 60 characters", "x" * 61),
        ({"tags": ",".join(f"tag{n}" for n in range(11))}, "at most 10 tags", "tag10"),
        ({"metrics-new_name_1": "Trees", "metrics-new_unit_1": ""}, "Give the unit", "Trees"),
        (
            {"metrics-new_name_1": "Trees", "metrics-new_unit_1": "trees", "metrics-new_target_1": "lots"},
            "Enter a number, for example 1200 or 12.5.",
            "lots",
        ),
    ],
)
def test_bad_input_is_shown_again_with_the_message_and_typed_text(
    client, group, owner, area, create_url, overrides, message, kept
):
    client.force_login(owner)
    response = client.post(create_url, solution_post(area, **overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert kept in html
    assert "There is a problem" in html
    assert not Solution.objects.exists()


def test_a_metric_from_another_group_cannot_be_smuggled_in(client, group, owner, area, create_url):
    other_groups = MetricFactory(group=GroupFactory())
    client.force_login(owner)
    response = client.post(create_url, solution_post(area, **{f"metrics-use_{other_groups.pk}": "on"}))
    # The form only knows the shared list and the group's own metrics: the unknown field is ignored.
    assert response.status_code == 302
    assert not Solution.objects.get().metrics.filter(pk=other_groups.pk).exists()


def test_edit_form_shows_current_values_and_saves(client, owner, solution, shared_metric):
    SolutionMetricFactory(solution=solution, metric=shared_metric, target=50)
    solution.approach_tags.create(name="Retrofit", slug="retrofit")
    client.force_login(owner)
    html = client.get(edit_url(solution)).content.decode()
    assert 'value="Warm homes"' in html and 'value="Retrofit"' in html
    assert f'name="metrics-target_{shared_metric.pk}" value="50' in html
    assert 'name="version" value="1"' in html

    data = solution_post(solution.challenge_area, title="Warmer homes", version="1", tags="Retrofit")
    data[f"metrics-use_{shared_metric.pk}"] = "on"
    data[f"metrics-target_{shared_metric.pk}"] = "75"
    response = client.post(edit_url(solution), data)
    assert response.status_code == 302
    solution.refresh_from_db()
    assert solution.title == "Warmer homes" and solution.version == 2
    assert solution.solution_metrics.get().target == 75


def test_stale_edit_is_refused_and_text_kept(client, organiser, owner, solution):
    """Two people open the form on version 1; the second save is refused, with their text kept."""
    client.force_login(owner)
    assert 'name="version" value="1"' in client.get(edit_url(solution)).content.decode()
    other = Client()
    other.force_login(organiser)
    assert 'name="version" value="1"' in other.get(edit_url(solution)).content.decode()

    first = client.post(edit_url(solution), solution_post(solution.challenge_area, title="Owner's title", version="1"))
    assert first.status_code == 302
    second = other.post(
        edit_url(solution),
        solution_post(solution.challenge_area, title="Organiser's title", approach="My careful rewrite.", version="1"),
    )
    assert second.status_code == 409
    html = second.content.decode()
    assert "Someone else saved this solution while you were editing" in html
    assert 'value="Organiser&#x27;s title"' in html and "My careful rewrite." in html
    assert "Owner&#x27;s title" in html  # the saved version, to compare
    assert 'name="version" value="2"' in html  # saving again is now a deliberate choice
    solution.refresh_from_db()
    assert solution.title == "Owner's title"

    again = other.post(
        edit_url(solution), solution_post(solution.challenge_area, title="Organiser's title", version="2")
    )
    assert again.status_code == 302
    solution.refresh_from_db()
    assert solution.title == "Organiser's title" and solution.version == 3


def saved_note(html, field):
    """The "saved now" note at a field of the conflict page, or None if the field is not marked."""
    found = re.search(rf'<div class="saved-now" id="id_{field}_saved">(.*?)</div>\s*<p', html, flags=re.S)
    return found.group(1) if found else None


def test_conflict_page_shows_the_saved_and_typed_value_of_each_differing_field_only(
    client, organiser, owner, solution, shared_metric
):
    client.force_login(owner)
    other = Client()
    other.force_login(organiser)
    data = solution_post(
        solution.challenge_area, title="Owner's title", version="1", **{f"metrics-use_{shared_metric.pk}": "on"}
    )
    assert client.post(edit_url(solution), data).status_code == 302

    typed = solution_post(
        solution.challenge_area, title="Organiser's title", approach="My careful rewrite.", version="1"
    )
    response = other.post(edit_url(solution), typed)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Owner&#x27;s title" in saved_note(html, "title")
    assert 'name="title" value="Organiser&#x27;s title"' in html
    assert "Volunteers fit draught strips." in saved_note(html, "approach")
    assert re.search(r'<textarea name="approach"[^>]*>\s*My careful rewrite.</textarea>', html)
    # The metric the owner ticked: saved ticked, not ticked in this person's form.
    assert "Ticked" in saved_note(html, f"metrics-use_{shared_metric.pk}")
    assert "checked" not in re.search(
        rf'<input type="checkbox" name="metrics-use_{shared_metric.pk}"[^>]*>', html
    ).group(0)
    for same in ("problem", "why_here", "who_involved", "challenge_area", "stage", "status", "tags"):
        assert saved_note(html, same) is None, same
    assert html.count('class="saved-now"') == 3
    assert re.findall(r'<a href="#(id_[\w-]+_saved)">([^<]+)</a>', html) == [
        ("id_title_saved", "Title"),
        ("id_approach_saved", "Your approach"),
        (f"id_metrics-use_{shared_metric.pk}_saved", "Homes insulated"),
    ]

    # Saving again is a deliberate choice of this person's version, and it is saved.
    again = other.post(edit_url(solution), {**typed, "version": "2"})
    assert again.status_code == 302
    solution.refresh_from_db()
    assert (solution.title, solution.approach, solution.version) == ("Organiser's title", "My careful rewrite.", 3)
    assert not solution.solution_metrics.exists()


def test_removing_a_metric_with_readings_is_refused_with_a_message(client, owner, solution):
    measured = SolutionMetricFactory(solution=solution, metric__name="Homes insulated")
    MetricReadingFactory(solution_metric=measured)
    client.force_login(owner)
    response = client.post(edit_url(solution), solution_post(solution.challenge_area, title="Typed title", version="1"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "“Homes insulated” already has readings, so it cannot be removed" in html
    assert 'value="Typed title"' in html
    solution.refresh_from_db()
    assert solution.version == 1 and solution.title == "Warm homes"  # nothing saved, not even the version
    assert solution.solution_metrics.count() == 1


def test_new_own_metric_is_offered_on_the_next_edit(client, group, owner, area, create_url):
    client.force_login(owner)
    client.post(create_url, solution_post(area, **{"metrics-new_name_1": "Trees", "metrics-new_unit_1": "trees"}))
    solution = Solution.objects.get()
    metric = Metric.objects.get(name="Trees")
    assert metric.group == group
    html = client.get(edit_url(solution)).content.decode()
    assert "Your group's own measures" in html
    assert f'name="metrics-use_{metric.pk}" id="id_metrics-use_{metric.pk}" checked' in html


def test_a_target_is_shown_in_the_edit_form_as_it_would_be_typed(client, owner, solution):
    sm = SolutionMetricFactory(solution=solution, metric__name="Homes insulated", metric__unit="homes", target=40)
    client.force_login(owner)
    html = client.get(edit_url(solution)).content.decode()
    assert f'name="metrics-target_{sm.metric_id}" value="40"' in html or (
        f'value="40" name="metrics-target_{sm.metric_id}"' in html
    )
    assert 'value="40.00"' not in html
