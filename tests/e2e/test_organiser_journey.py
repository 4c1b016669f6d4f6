"""An organiser describes their group, a solution with metrics and an update with a reading and a lesson;
a visitor then finds the group by filter, search and map. Elements are found by role and label."""

import re

import pytest
from django.core.management import call_command

from ..factories import UserFactory
from .helpers import PHONE, assert_no_violations, log_in


@pytest.fixture
def reference_data(transactional_db):
    from demo.seed import ensure_reference_data
    from groups.gazetteer import resolve_place

    ensure_reference_data()
    # The place index loads once per process (about 2 s); load it before the clock of a click starts.
    assert resolve_place("Llanidloes") is not None


def test_organiser_builds_a_group_solution_and_update_and_sees_the_chart(
    page, browser_context, live_server, reference_data
):
    organiser = UserFactory(display_name="Gwen Organiser")
    log_in(browser_context, live_server, organiser)

    page.goto("/groups/")
    page.get_by_role("link", name="Register your group").first.click()
    page.get_by_label("Group name").fill("Llanidloes Warm Homes")
    page.get_by_label("Summary", exact=True).fill("Neighbours draught-proofing older homes in a mid-Wales market town.")
    page.get_by_label("Place", exact=True).fill("Llanidloes")
    page.get_by_label("Kind of area").select_option(label="Small town")
    page.get_by_label("Population served").fill("2900")
    page.get_by_label("Deprivation decile").fill("4")
    page.get_by_label("Region").select_option(label="Wales")
    page.get_by_label("Fuel poverty").check()
    page.get_by_role("button", name="Create the group").click()
    page.get_by_role("heading", level=1, name="Llanidloes Warm Homes").wait_for()

    page.get_by_role("link", name="Describe a solution").click()
    page.get_by_label("Title").fill("Draught-busting visits")
    page.get_by_label("Challenge area").select_option(label="Fuel poverty")
    page.get_by_label("The problem in your local context").fill(
        "Old stone terraces and **older residents** on oil heating."
    )
    page.get_by_label("Your approach").fill("Pairs of volunteers fit draught-proofing and stay for a cup of tea.")
    page.get_by_label("Why it fits this place").fill("A small town where neighbours trust neighbours.")
    page.get_by_label("Stage").select_option(label="Pilot")
    page.get_by_label("Status").select_option(label="Published")
    page.get_by_label("Approach tags").fill("Draught-proofing, Energy advice")
    page.get_by_label("Households reached", exact=True).check()
    page.get_by_label("Target for Households reached (households)").fill("150")
    page.get_by_role("button", name="Save solution").click()
    page.get_by_role("heading", level=1, name="Draught-busting visits").wait_for()

    page.get_by_role("link", name="Post a progress update").click()
    page.get_by_label("Title").fill("First forty homes done")
    page.get_by_label("What happened").fill("We visited **forty** homes in March.")
    page.get_by_label("Households reached (households)").fill("40")
    page.get_by_label("Date measured for Households reached").fill("2026-03-31")
    page.get_by_label("What worked").fill("The cup of tea mattered as much as the draught strip.")
    page.get_by_role("button", name="Save update").click()

    page.get_by_role("heading", level=1, name="First forty homes done").wait_for()
    page.get_by_role("link", name="Draught-busting visits").first.click()
    chart = page.get_by_role("img", name=re.compile("Households reached"))
    chart.wait_for()
    assert page.get_by_role("table").filter(has_text="31 Mar 2026").count() == 1
    assert page.get_by_text("The cup of tea mattered").count() >= 1
    assert_no_violations(page, "solution page after the first update")


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_visitor_finds_a_group_by_filter_search_and_map(page, viewport, transactional_db):
    call_command("seed_demo")
    page.goto("/groups/")
    page.get_by_label("Island").check()
    page.get_by_role("button", name="Show groups").click()
    page.get_by_role("heading", name=re.compile(r"^2 groups")).wait_for()
    assert page.get_by_role("link", name="Isle of Eigg Heritage Trust").count() == 1

    page.get_by_role("link", name="Clear filters").click()
    page.get_by_label("Search").fill("hydro")
    page.get_by_role("button", name="Show groups").click()
    page.get_by_role("link", name="The Green Valleys").wait_for()

    page.get_by_role("link", name="Show these groups on a map").click()
    page.get_by_role("region", name="Map of every group that matches these filters").wait_for()
    assert page.locator(".leaflet-marker-icon").count() >= 1
    page.get_by_role("link", name="The Green Valleys").click()
    page.get_by_role("heading", level=1, name="The Green Valleys").wait_for()
