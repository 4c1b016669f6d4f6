"""An organiser describes their group, a solution with metrics and an update with a reading and a lesson;
a visitor then finds the group by filter, search and map. Elements are found by role and label.

Both journeys run in English (plain addresses) and in Welsh (under /cy/): every word the test looks for
is the site's own message in that language (`tr`), so an untranslated string on a Welsh page fails."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.utils import formats, translation
from django.utils.text import capfirst
from playwright.sync_api import expect

from ..factories import UserFactory
from .helpers import PHONE, address, assert_no_violations, log_in, tr, tr_plural

LANGUAGES = ["en-gb", "cy"]


def challenge_area_name(language, slug):
    """A challenge area's name as pages in `language` show it (the Welsh name is data, not a message)."""
    from groups.models import ChallengeArea

    with translation.override(language):
        return ChallengeArea.objects.get(slug=slug).shown_name


@pytest.fixture
def reference_data(transactional_db):
    from demo.seed import ensure_reference_data
    from groups.gazetteer import resolve_place

    ensure_reference_data()
    # The place index loads once per process (about 2 s); load it before the clock of a click starts.
    assert resolve_place("Llanidloes") is not None


@pytest.mark.parametrize("language", LANGUAGES)
def test_organiser_builds_a_group_solution_and_update_and_sees_the_chart(
    page, browser_context, live_server, reference_data, language
):
    organiser = UserFactory(display_name="Gwen Organiser")
    log_in(browser_context, live_server, organiser)
    fuel_poverty = challenge_area_name(language, "fuel-poverty")
    metric = {"name": "Households reached", "unit": "households"}  # a shared metric: its name is data

    page.goto(address(language, "/groups/"))
    page.get_by_role("link", name=tr(language, "Register your group")).first.click()
    page.get_by_label(tr(language, "Group name")).fill("Llanidloes Warm Homes")
    page.get_by_label(tr(language, "Summary"), exact=True).fill(
        "Neighbours draught-proofing older homes in a mid-Wales market town."
    )
    page.get_by_label(tr(language, "Place"), exact=True).fill("Llanidloes")
    page.get_by_label(tr(language, "Kind of area")).select_option(label=tr(language, "Small town"))
    page.get_by_label(tr(language, "Population served")).fill("2900")
    page.get_by_label(tr(language, "Deprivation decile")).fill("4")
    page.get_by_label(tr(language, "Region")).select_option(label=tr(language, "Wales"))
    page.get_by_label(fuel_poverty).check()
    page.get_by_role("button", name=tr(language, "Create the group")).click()
    page.get_by_role("heading", level=1, name="Llanidloes Warm Homes").wait_for()

    page.get_by_role("link", name=tr(language, "Describe a solution")).click()
    page.get_by_label(tr(language, "Title")).fill("Draught-busting visits")
    page.get_by_label(tr(language, "Challenge area")).select_option(label=fuel_poverty)
    page.get_by_label(capfirst(tr(language, "the problem in your local context"))).fill(
        "Old stone terraces and **older residents** on oil heating."
    )
    page.get_by_label(capfirst(tr(language, "your approach"))).fill(
        "Pairs of volunteers fit draught-proofing and stay for a cup of tea."
    )
    page.get_by_label(capfirst(tr(language, "why it fits this place"))).fill(
        "A small town where neighbours trust neighbours."
    )
    page.get_by_label(tr(language, "Stage")).select_option(label=tr(language, "Pilot", context="solution stage"))
    page.get_by_label(tr(language, "Status")).select_option(
        label=tr(language, "Published", context="publication status")
    )
    page.get_by_label(tr(language, "Approach tags")).fill("Draught-proofing, Energy advice")
    page.get_by_label(metric["name"], exact=True).check()
    page.get_by_label(tr(language, "Target for %(name)s (%(unit)s)", **metric)).fill("150")
    page.get_by_role("button", name=tr(language, "Save solution")).click()
    page.get_by_role("heading", level=1, name="Draught-busting visits").wait_for()

    page.get_by_role("link", name=tr(language, "Post a progress update")).click()
    page.get_by_label(tr(language, "Title")).fill("First forty homes done")
    page.get_by_label(tr(language, "What happened")).fill("We visited **forty** homes in March.")
    page.get_by_label(tr(language, "%(name)s (%(unit)s)", **metric)).fill("40")
    page.get_by_label(tr(language, "Date measured for %(name)s", name=metric["name"])).fill("2026-03-31")
    page.get_by_label(tr(language, "What worked")).fill("The cup of tea mattered as much as the draught strip.")
    page.get_by_role("button", name=tr(language, "Save update")).click()

    page.get_by_role("heading", level=1, name="First forty homes done").wait_for()
    page.get_by_role("link", name="Draught-busting visits").first.click()
    chart = page.get_by_role("img", name=re.compile(re.escape(tr(language, "%(name)s (%(unit)s) over time", **metric))))
    chart.wait_for()
    with translation.override(language):
        measured_on = formats.date_format(datetime.date(2026, 3, 31), "j M Y")  # "31 Mar 2026"
    assert page.get_by_role("table").filter(has_text=measured_on).count() == 1
    assert page.get_by_text("The cup of tea mattered").count() >= 1
    assert_no_violations(page, "solution page after the first update")
    if language == "cy":
        expect(page.locator("html")).to_have_attribute("lang", "cy")
        assert "/cy/" in page.url


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_visitor_finds_a_group_by_filter_search_and_map(page, viewport, transactional_db, language):
    call_command("seed_demo")
    page.goto(address(language, "/groups/"))
    page.get_by_label(tr(language, "Island")).check()
    page.get_by_role("button", name=tr(language, "Show groups")).click()
    page.get_by_role(
        "heading",
        name=re.compile("^" + re.escape(tr_plural(language, "%(count)s group", "%(count)s groups", 2, count="2"))),
    ).wait_for()
    assert page.get_by_role("link", name="Isle of Eigg Heritage Trust").count() == 1

    page.get_by_role("link", name=tr(language, "Clear filters")).click()
    page.get_by_label(tr(language, "Search")).fill("hydro")
    page.get_by_role("button", name=tr(language, "Show groups")).click()
    page.get_by_role("link", name="The Green Valleys").wait_for()

    page.get_by_role("link", name=tr(language, "Show these groups on a map")).click()
    page.get_by_role("region", name=tr(language, "Map of every group that matches these filters")).wait_for()
    assert page.locator(".leaflet-marker-icon").count() >= 1
    page.get_by_role("link", name="The Green Valleys").click()
    page.get_by_role("heading", level=1, name="The Green Valleys").wait_for()
    if language == "cy":
        expect(page.locator("html")).to_have_attribute("lang", "cy")
        assert "/cy/" in page.url
