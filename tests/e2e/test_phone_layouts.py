"""On a phone the results come first and the filters are one tap away, with or without JavaScript.

At 390×844 (a common phone) the first result of each list page, the home page's search box and its
"near you" link are on the first screen; a solution's chart labels are at least 12 px and label
dates between the first and the last. On a desktop the filters stay in a sidebar beside the results.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from challenges.models import SolutionMetric

from .conftest import DEFAULT_TIMEOUT_MS
from .helpers import DESKTOP, PHONE, assert_no_violations

SCREEN_HEIGHT = PHONE["height"]

# (page, its address, where its first result is)
LIST_PAGES = [
    pytest.param(lambda: reverse("groups:list"), ".results article", id="groups"),
    pytest.param(lambda: reverse("groups:map"), "#group-map", id="map"),
    pytest.param(lambda: reverse("challenges:solution_list"), ".results article", id="solutions"),
    pytest.param(lambda: reverse("groups:nearby") + "?place=Kendal&radius=50", ".results li", id="near-you"),
]


@pytest.fixture
def viewport():
    return PHONE


def top_of(locator):
    box = locator.bounding_box()
    assert box is not None, "the element is not displayed"
    return box["y"]


@pytest.fixture
def no_script_page(browser, live_server, browser_log):
    """A phone-sized page with JavaScript turned off, as some readers browse."""
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, java_script_enabled=False, locale="en-GB")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.on("page", browser_log.watch)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize(("path", "first_result"), LIST_PAGES)
def test_the_first_result_is_on_the_first_screen_of_a_phone(demo, page, path, first_result):
    page.goto(path())
    assert top_of(page.locator(first_result).first) < SCREEN_HEIGHT
    # The filters are one tap away: a link at the top of the results says how many are on.
    jump = page.get_by_role("link", name="(0 active)")
    assert top_of(jump) < SCREEN_HEIGHT
    jump.click()
    expect(page.locator("#filters")).to_be_in_viewport()


@pytest.mark.parametrize(
    ("path", "choose", "submit", "first_result"),
    [
        pytest.param(lambda: reverse("groups:list"), "Rural", "Show groups", ".results article", id="groups"),
        pytest.param(
            lambda: reverse("challenges:solution_list"), "Rural", "Show solutions", ".results article", id="solutions"
        ),
        pytest.param(
            lambda: reverse("groups:nearby") + "?place=Kendal&radius=50",
            "Small town",  # Kendal and Ulverston, in the demo
            "Show what is near",
            ".results li",
            id="near-you",
        ),
    ],
)
def test_after_filtering_on_a_phone_the_results_come_first(demo, page, path, choose, submit, first_result):
    page.goto(path())
    page.get_by_role("link", name="(0 active)").click()
    page.locator("#filters").get_by_label(choose, exact=True).check()
    page.get_by_role("button", name=submit).click()
    page.wait_for_url("**area_kind=**")
    assert page.evaluate("window.scrollY") == 0
    assert top_of(page.locator(first_result).first) < SCREEN_HEIGHT
    expect(page.get_by_role("link", name="(1 active)")).to_be_in_viewport()
    assert top_of(page.locator(".results")) < top_of(page.locator("#filters"))


def test_without_javascript_the_filters_are_reached_and_used_from_the_results(demo, no_script_page):
    page = no_script_page
    page.goto(reverse("groups:list"))
    assert top_of(page.locator(".results article").first) < SCREEN_HEIGHT
    page.get_by_role("link", name="Filter results (0 active)").click()
    expect(page.get_by_role("heading", name="Filter groups")).to_be_in_viewport()
    page.get_by_role("searchbox", name="Search").fill("wind")
    page.get_by_label("Rural", exact=True).check()
    page.get_by_role("button", name="Show groups").click()
    expect(page.get_by_role("heading", name="matching “wind”")).to_be_in_viewport()
    expect(page.get_by_role("link", name="Filter results (2 active)")).to_be_in_viewport()
    assert top_of(page.locator(".results article").first) < SCREEN_HEIGHT
    expect(page.locator(".results article").first).to_contain_text("Rural")

    # Without JavaScript the map is not drawn: its list of groups is the first result.
    page.goto(reverse("groups:map"))
    assert top_of(page.locator(".map-list li").first) < SCREEN_HEIGHT

    page.goto(reverse("groups:nearby"))
    page.get_by_label("Postcode or place").fill("Kendal")
    page.get_by_role("button", name="Show what is near").click()
    expect(page.get_by_role("status").filter(has_text="of Kendal")).to_be_in_viewport()
    assert top_of(page.locator(".results li").first) < SCREEN_HEIGHT


def test_the_near_you_form_has_one_submit_and_no_two_controls_share_a_name(demo, page):
    page.goto(reverse("groups:nearby"))
    form = page.locator("#nearby-form")
    submits = form.locator("button[type=submit], input[type=submit]")
    expect(submits).to_have_count(1)
    expect(submits).to_have_accessible_name("Show what is near")
    expect(page.get_by_role("button", name="Search")).to_have_count(0)
    names = form.locator("input:not([type=hidden]), select, button").evaluate_all(
        "controls => controls.filter(c => c.type !== 'checkbox').map(c => c.labels && c.labels.length ? "
        "c.labels[0].textContent.trim() : c.textContent.trim())"
    )
    assert len(names) == len(set(names)), names
    assert "Search" not in names


def test_the_home_page_first_screen_of_a_phone_has_a_group_search_and_near_you(demo, page):
    page.goto(reverse("home"))
    search = page.get_by_role("searchbox", name="Search local groups")
    near = page.get_by_role("main").get_by_role("link", name="Find local action near you").first
    for control in (search, near):
        box = control.bounding_box()
        assert box is not None and box["y"] + box["height"] <= SCREEN_HEIGHT
    search.fill("energy")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**/groups/?q=energy")
    expect(page.get_by_role("heading", name="matching “energy”")).to_be_visible()
    assert_no_violations(page, "groups found from the home page on a phone")


CHART_LABELS = """svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return [...svg.querySelectorAll("text")].map(text => ({
        text: text.textContent,
        px: parseFloat(getComputedStyle(text).fontSize) * scale,
        box: text.getBoundingClientRect().toJSON(),
        date: text.classList.contains("chart-date"),
    }));
}"""


@pytest.mark.parametrize("viewport", [PHONE, {"width": 320, "height": 640}, DESKTOP], ids=["phone", "small", "desktop"])
def test_chart_labels_are_readable_and_label_dates_between_the_first_and_last(demo, page, viewport):
    metric = SolutionMetric.objects.filter(readings__isnull=False, target__isnull=False).first()
    page.goto(metric.solution.get_absolute_url())
    chart = page.locator("svg.chart:visible").first
    chart.scroll_into_view_if_needed()
    labels = chart.evaluate(CHART_LABELS)
    small = [(label["text"], round(label["px"], 1)) for label in labels if label["px"] < 12]
    assert not small, f"labels under 12 px at {viewport['width']} px wide: {small}"
    dates = sorted((label for label in labels if label["date"]), key=lambda label: label["box"]["x"])
    assert len(dates) >= 3, [label["text"] for label in dates]
    svg_box = chart.bounding_box()
    for left, right in zip(dates, dates[1:], strict=False):
        assert left["box"]["right"] <= right["box"]["x"], f"{left['text']} overlaps {right['text']}"
    for label in labels:
        assert (
            svg_box["x"] - 0.5 <= label["box"]["x"] and label["box"]["right"] <= svg_box["x"] + svg_box["width"] + 0.5
        )


@pytest.mark.parametrize("viewport", [DESKTOP], ids=["desktop"])
@pytest.mark.parametrize(("path", "first_result"), LIST_PAGES)
def test_on_a_desktop_the_filters_stay_in_a_sidebar_beside_the_results(demo, page, viewport, path, first_result):
    page.goto(path())
    filters, results = page.locator("#filters").bounding_box(), page.locator(".results").bounding_box()
    assert filters["x"] + filters["width"] <= results["x"]
    assert abs(filters["y"] - results["y"]) < 60
