"""A funder starts a challenge, opens it (confirming the move), reviews the entry a group makes, scores and
shortlists it, downloads the CSV and looks at the collective impact. Elements are found by role and label; the
group's side (entering its published solution) is done through the services."""

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest

from challenges.funding import services
from challenges.models import Challenge, Entry, Metric

from ..factories import (
    GroupFactory,
    MembershipFactory,
    MetricReadingFactory,
    SolutionFactory,
    SolutionMetricFactory,
    UserFactory,
)
from ..funders.factories import FunderMembershipFactory
from .helpers import assert_no_violations, log_in


@pytest.fixture
def reference_data(transactional_db):
    from demo.seed import ensure_reference_data

    ensure_reference_data()


def enter_as_the_group(challenge):
    """A rural Welsh group enters its published solution, with a shared-metric reading, as its owner would."""
    group = GroupFactory(name="Llanfyllin Warm Homes", slug="llanfyllin", area_kind="rural", region="wales")
    owner = MembershipFactory(group=group, role="owner").user
    solution = SolutionFactory(group=group, title="Draught-busting visits")
    households = Metric.objects.get(name="Households reached", group=None)
    MetricReadingFactory(
        solution_metric=SolutionMetricFactory(solution=solution, metric=households),
        value=120,
        measured_on=dt.date(2026, 3, 31),
    )
    answers = {question.pk: "Twelve volunteers from the chapel." for question in challenge.questions.all()}
    return services.enter_challenge(challenge=challenge, solution=solution, user=owner, answers=answers)


def test_funder_runs_a_challenge_from_draft_to_shortlist_export_and_dashboard(
    page, browser_context, live_server, reference_data
):
    funder_user = FunderMembershipFactory(
        funder__name="Mid Wales Warmth Trust", user=UserFactory(display_name="Fiona Funder")
    ).user
    log_in(browser_context, live_server, funder_user)

    # Start a draft challenge with two weighted criteria and a question.
    page.goto("/challenges/")
    page.get_by_role("link", name="Start a challenge").first.click()
    page.get_by_label("Title").fill("Warm Homes Challenge")
    page.get_by_label("Summary", exact=True).fill("Cut fuel poverty where you live.")
    page.get_by_label("Description").fill("Groups that **cut** their neighbours' bills.")
    page.get_by_label("Fuel poverty").check()
    page.get_by_label("What is offered").fill("£5,000 for each finalist.")
    page.get_by_label("Criterion, row 1").fill("Impact")
    page.get_by_label("Weight, row 1").fill("3")
    page.get_by_label("Criterion, row 2").fill("Local ownership")
    page.get_by_label("Weight, row 2").fill("1")
    page.get_by_label("Question, row 1").fill("Who is involved?")
    page.get_by_role("button", name="Save challenge").click()
    page.get_by_role("heading", level=1, name="Warm Homes Challenge").wait_for()
    assert page.get_by_text("only Mid Wales Warmth Trust's members can see this draft").count() == 1

    # Moving the stage asks once more, saying what the move does.
    page.get_by_role("button", name="Move to “Open for entries”").click()
    page.get_by_role("heading", level=1, name="Move “Warm Homes Challenge” to “Open for entries”?").wait_for()
    assert page.get_by_text("Until now only Mid Wales Warmth Trust's members could see it").count() == 1
    assert_no_violations(page, "stage move confirmation")
    page.get_by_role("button", name="Yes, move to “Open for entries”").click()
    page.get_by_text(re.compile("Stage: Open for entries")).wait_for()

    entry = enter_as_the_group(Challenge.objects.get(title="Warm Homes Challenge"))

    # The review list, filtered to rural groups.
    page.get_by_role("link", name="Review entries").click()
    page.get_by_role("heading", level=1, name="Review entries").wait_for()
    page.get_by_label("Rural").check()
    page.get_by_role("button", name="Show entries").click()
    page.get_by_role("heading", name="1 entry").wait_for()
    assert page.get_by_role("cell", name="Not scored").count() == 1
    assert_no_violations(page, "review list, filtered")

    # Score each criterion.
    page.get_by_role("link", name="Llanfyllin Warm Homes").click()
    page.get_by_label("Impact (1–5)").fill("4")
    page.get_by_label("Private note on impact").fill("Measured households, good baseline.")
    page.get_by_label("Local ownership (1–5)").fill("2")
    page.get_by_role("button", name="Save scores").click()
    page.get_by_text("Your scores are saved.").wait_for()
    entry.refresh_from_db()
    assert (entry.weighted_score, entry.score_count) == (3.5, 2)

    # Entries close; shortlist it.
    page.get_by_role("link", name="Warm Homes Challenge").first.click()
    page.get_by_role("button", name="Move to “Shortlisting”").click()
    page.get_by_role("button", name="Yes, move to “Shortlisting”").click()
    page.get_by_text(re.compile("Stage: Shortlisting")).wait_for()
    # The move can be taken back; asked, the funder changes their mind and nothing moves.
    page.get_by_role("button", name="Undo: move back to “Open for entries”").click()
    page.get_by_role("heading", level=1, name="Move “Warm Homes Challenge” back to “Open for entries”?").wait_for()
    page.get_by_role("link", name="No, go back").click()
    page.get_by_text(re.compile("Stage: Shortlisting")).wait_for()
    page.get_by_role("link", name="Review entries").click()
    page.get_by_role("link", name="Llanfyllin Warm Homes").click()
    page.get_by_role("button", name="Mark as shortlisted").click()
    page.get_by_text("The entry is now “Shortlisted”.").wait_for()
    assert Entry.objects.get(pk=entry.pk).status == "shortlisted"

    # Back on the review list, filtered to shortlisted entries, sorted by score; download the CSV.
    page.get_by_role("link", name="Warm Homes Challenge").first.click()
    page.get_by_role("link", name="Review entries").click()
    page.get_by_role("combobox", name="Shortlisted").select_option(label="Shortlisted or further")
    page.get_by_label("Sort by").select_option(label="Highest weighted score first")
    page.get_by_role("button", name="Show entries").click()
    page.get_by_role("heading", name="1 entry").wait_for()
    assert page.get_by_role("cell", name=re.compile(r"3\.50")).count() == 1
    assert_no_violations(page, "review list, shortlisted by score")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download these entries as CSV").click()
    download = download_info.value
    assert download.suggested_filename == "warm-homes-challenge-entries.csv"
    header, *rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert header[:3] == ["entry id", "group", "solution"]
    assert "Households reached (households)" in header and header[-1] == "link"
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["entry id"] == str(entry.pk) and row["group"] == "Llanfyllin Warm Homes"
    assert row["status"] == "Shortlisted" and row["weighted score"] == "3.50" and row["number of scores"] == "2"
    assert row["Households reached (households)"] == "120.00"
    assert row["link"].endswith(f"/challenges/warm-homes-challenge/entries/{entry.pk}/")

    # The collective impact dashboard.
    page.get_by_role("link", name="Warm Homes Challenge").first.click()
    page.get_by_role("link", name="Collective impact dashboard").click()
    page.get_by_role("heading", level=1, name="Collective impact").wait_for()
    assert page.get_by_role("heading", name="Shared results").count() == 1
    assert_no_violations(page, "collective impact dashboard")
