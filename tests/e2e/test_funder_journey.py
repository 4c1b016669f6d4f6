"""A funder starts a challenge, opens it (confirming the move), reviews the entry a group makes, scores and
shortlists it, downloads the CSV and looks at the collective impact. Elements are found by role and label; the
group's side (entering its published solution) is done through the services. The journey runs in English and
in Welsh (under /cy/), with every word of the site the test looks for taken from the catalogue of that language."""

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import expect

from challenges.funding import services
from challenges.models import Challenge, Entry, Metric
from groups.models import ChallengeArea

from ..factories import (
    GroupFactory,
    MembershipFactory,
    MetricReadingFactory,
    SolutionFactory,
    SolutionMetricFactory,
    UserFactory,
)
from ..funders.factories import FunderMembershipFactory
from .helpers import address, assert_no_violations, log_in, tr, tr_plural


def without_tags(html):
    """A translated message with markup (<strong>...) as the text the page shows."""
    return re.sub(r"<[^>]+>", "", html)


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


@pytest.mark.parametrize("language", ["en-gb", "cy"])
def test_funder_runs_a_challenge_from_draft_to_shortlist_export_and_dashboard(
    page, browser_context, live_server, reference_data, language
):
    def _(message, context=None, **values):
        return tr(language, message, context, **values)

    draft = _("Draft", "challenge stage")
    open_for_entries = _("Open for entries", "challenge stage")
    shortlisting = _("Shortlisting", "challenge stage")
    shortlisted = _("Shortlisted", "entry status")
    with translation.override(language):
        fuel_poverty = str(ChallengeArea.objects.get(slug="fuel-poverty"))
    funder_user = FunderMembershipFactory(
        funder__name="Mid Wales Warmth Trust", user=UserFactory(display_name="Fiona Funder")
    ).user
    log_in(browser_context, live_server, funder_user)

    # Start a draft challenge with two weighted criteria and a question.
    page.goto(address(language, "/challenges/"))
    page.get_by_role("link", name=_("Start a challenge")).first.click()
    page.get_by_label(_("Title")).fill("Warm Homes Challenge")
    page.get_by_label(_("Summary"), exact=True).fill("Cut fuel poverty where you live.")
    page.get_by_label(_("Description")).fill("Groups that **cut** their neighbours' bills.")
    page.get_by_label(fuel_poverty).check()
    page.get_by_label(_("What is offered")).fill("£5,000 for each finalist.")
    row_label = "%(label)s, row %(number)s"
    page.get_by_label(_(row_label, label=_("Criterion"), number=1)).fill("Impact")
    page.get_by_label(_(row_label, label=_("Weight"), number=1)).fill("3")
    page.get_by_label(_(row_label, label=_("Criterion"), number=2)).fill("Local ownership")
    page.get_by_label(_(row_label, label=_("Weight"), number=2)).fill("1")
    page.get_by_label(_(row_label, label=_("Question"), number=1)).fill("Who is involved?")
    page.get_by_role("button", name=_("Save challenge")).click()
    page.get_by_role("heading", level=1, name="Warm Homes Challenge").wait_for()
    only_members = _(
        "Stage: <strong>%(stage)s</strong> — only %(funder)s's members can see this draft",
        stage=draft,
        funder="Mid Wales Warmth Trust",
    )
    assert page.get_by_text(without_tags(only_members)).count() == 1

    # Moving the stage asks once more, saying what the move does.
    page.get_by_role("button", name=_("Move to “%(stage)s”", stage=open_for_entries)).click()
    page.get_by_role(
        "heading",
        level=1,
        name=_("Move “%(challenge)s” to “%(stage)s”?", challenge="Warm Homes Challenge", stage=open_for_entries),
    ).wait_for()
    until_now = _(
        "Everyone will be able to find and read it: it is listed on the challenges page. "
        "Until now only %(funder)s's members could see it.",
        funder="Mid Wales Warmth Trust",
    )
    assert page.get_by_text(until_now).count() == 1
    assert_no_violations(page, "stage move confirmation")
    page.get_by_role("button", name=_("Yes, move to “%(stage)s”", stage=open_for_entries)).click()
    stage_is = "Stage: <strong>%(stage)s</strong>"
    page.get_by_text(re.compile(re.escape(without_tags(_(stage_is, stage=open_for_entries))))).wait_for()

    entry = enter_as_the_group(Challenge.objects.get(title="Warm Homes Challenge"))

    # The review list, filtered to rural groups.
    one_entry = tr_plural(language, "%(counter)s entry", "%(counter)s entries", 1, counter=1)
    page.get_by_role("link", name=_("Review entries")).click()
    page.get_by_role("heading", level=1, name=_("Review entries")).wait_for()
    page.get_by_label(_("Rural")).check()
    page.get_by_role("button", name=_("Show entries")).click()
    page.get_by_role("heading", name=one_entry).wait_for()
    assert page.get_by_role("cell", name=_("Not scored")).count() == 1
    assert_no_violations(page, "review list, filtered")

    # Score each criterion.
    score_label = "%(criterion)s (%(min)s–%(max)s)"
    page.get_by_role("link", name="Llanfyllin Warm Homes").click()
    page.get_by_label(_(score_label, criterion="Impact", min=1, max=5)).fill("4")
    page.get_by_label(_("Private note on %(criterion)s", criterion="Impact")).fill(
        "Measured households, good baseline."
    )
    page.get_by_label(_(score_label, criterion="Local ownership", min=1, max=5)).fill("2")
    page.get_by_role("button", name=_("Save scores")).click()
    page.get_by_text(_("Your scores are saved.")).wait_for()
    entry.refresh_from_db()
    assert (entry.weighted_score, entry.score_count) == (3.5, 2)

    # Entries close; shortlist it.
    page.get_by_role("link", name="Warm Homes Challenge").first.click()
    page.get_by_role("button", name=_("Move to “%(stage)s”", stage=shortlisting)).click()
    page.get_by_role("button", name=_("Yes, move to “%(stage)s”", stage=shortlisting)).click()
    page.get_by_text(re.compile(re.escape(without_tags(_(stage_is, stage=shortlisting))))).wait_for()
    # The move can be taken back; asked, the funder changes their mind and nothing moves.
    page.get_by_role("button", name=_("Undo: move back to “%(stage)s”", stage=open_for_entries)).click()
    page.get_by_role(
        "heading",
        level=1,
        name=_("Move “%(challenge)s” back to “%(stage)s”?", challenge="Warm Homes Challenge", stage=open_for_entries),
    ).wait_for()
    page.get_by_role("link", name=_("No, go back")).click()
    page.get_by_text(re.compile(re.escape(without_tags(_(stage_is, stage=shortlisting))))).wait_for()
    page.get_by_role("link", name=_("Review entries")).click()
    page.get_by_role("link", name="Llanfyllin Warm Homes").click()
    page.get_by_role("button", name=_("Mark as %(decision)s", decision=shortlisted.lower())).click()
    page.get_by_text(_("The entry is now “%(status)s”.", status=shortlisted)).wait_for()
    assert Entry.objects.get(pk=entry.pk).status == "shortlisted"

    # Back on the review list, filtered to shortlisted entries, sorted by score; download the CSV.
    page.get_by_role("link", name="Warm Homes Challenge").first.click()
    page.get_by_role("link", name=_("Review entries")).click()
    page.get_by_role("combobox", name=_("Shortlisted", "filter")).select_option(label=_("Shortlisted or further"))
    page.get_by_label(_("Sort by")).select_option(label=_("Highest weighted score first"))
    page.get_by_role("button", name=_("Show entries")).click()
    page.get_by_role("heading", name=one_entry).wait_for()
    assert page.get_by_role("cell", name=re.compile(r"3\.50")).count() == 1
    assert_no_violations(page, "review list, shortlisted by score")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=_("Download these entries as CSV")).click()
    download = download_info.value
    assert download.suggested_filename == "warm-homes-challenge-entries.csv"
    header, *rows = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))

    def column(name):
        return _(name, "review CSV column")

    assert header[:3] == [column("entry id"), column("group"), column("solution")]
    # The shared metric's name and unit are data, not words of the site: the same in both languages.
    assert "Households reached (households)" in header and header[-1] == column("link")
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row[column("entry id")] == str(entry.pk) and row[column("group")] == "Llanfyllin Warm Homes"
    assert row[column("status")] == shortlisted and row[column("weighted score")] == "3.50"
    assert row[column("number of scores")] == "2"
    assert row["Households reached (households)"] == "120.00"
    assert row[column("link")].endswith(f"/challenges/warm-homes-challenge/entries/{entry.pk}/")

    # The collective impact dashboard.
    page.get_by_role("link", name="Warm Homes Challenge").first.click()
    page.get_by_role("link", name=_("Collective impact dashboard")).click()
    page.get_by_role("heading", level=1, name=_("Collective impact")).wait_for()
    assert page.get_by_role("heading", name=_("Shared results")).count() == 1
    assert_no_violations(page, "collective impact dashboard")
    if language == "cy":
        expect(page.locator("html")).to_have_attribute("lang", "cy")
