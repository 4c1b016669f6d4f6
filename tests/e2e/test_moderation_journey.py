"""Moderation as people do it in a browser: a resident reports an abusive update; a moderator sees it in the
queue with the snapshot and hides it; it leaves the group page, the feed and the lessons search; the owner
sees why and appeals; the moderator restores it; the log shows every step.

Both journeys run in English (plain addresses) and in Welsh (under /cy/): every word the test looks for
is the site's own message in that language (`tr`). In Welsh the people involved chose Welsh on their
accounts, so the mails they get are Welsh too."""

import re

import pytest
from django.core import mail
from django.utils import translation
from playwright.sync_api import expect

from ..factories import GroupFactory, MembershipFactory, SolutionFactory, UpdateFactory, UserFactory
from .helpers import address, assert_no_violations, log_in, tr, tr_plural

ABUSE = "The parish clerk is a useless idiot who should be run out of the village."
LANGUAGES = ["en-gb", "cy"]


def speaker(language):
    """UserFactory's arguments for someone who reads the site in `language`: in English, as before, none."""
    return {"language": language} if language != "en-gb" else {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_report_hide_appeal_restore(page, browser, live_server, transactional_db, browser_log, language):
    group = GroupFactory(name="Thornbury Repair Café")
    owner = MembershipFactory(
        group=group, role="owner", user=UserFactory(display_name="Owen Owner", **speaker(language))
    ).user
    solution = SolutionFactory(group=group, title="Monthly repair café")
    update = UpdateFactory(
        solution=solution,
        title="March: 40 repairs",
        body=f"We fixed 40 things this month. {ABUSE}",
        what_worked="Booking slots online cut the queue.",
    )
    resident = UserFactory(display_name="Rosa Resident", **speaker(language))
    moderator = UserFactory(display_name="Mo Moderator", is_moderator=True, **speaker(language))
    with translation.override(language):
        update_path = update.get_absolute_url()
        group_path = group.get_absolute_url()
    progress_update = tr(language, "Progress update").lower()

    # The resident reports the update.
    log_in(page.context, live_server, resident)
    page.goto(update_path)
    report_link = tr(language, 'Report<span class="visually-hidden"> this update</span>')
    page.get_by_role("link", name=re.compile("^" + re.escape(report_link.split("<")[0]))).click()
    page.get_by_role("heading", level=1, name=tr(language, "Report this %(kind)s", kind=progress_update)).wait_for()
    assert_no_violations(page, "report page")
    page.get_by_label(tr(language, "Abuse or harassment")).check()
    page.get_by_label(
        re.compile(re.escape(tr(language, "Tell the moderators more (optional unless you chose “something else”)")))
    ).fill("Personal abuse of the parish clerk.")
    page.get_by_role("button", name=tr(language, "Send report")).click()
    page.get_by_text(
        tr(language, "Thank you: your report has reached the moderators. We will email you what they decide.")
    ).wait_for()

    # The owner edits the text afterwards; the moderator still sees what was reported.
    from challenges.services import edit_update

    edit_update(update=update, title=update.title, body="We fixed 40 things this month.", status="published")

    mod = browser.new_context(base_url=live_server.url)
    log_in(mod, live_server, moderator)
    mod_page = mod.new_page()
    browser_log.watch(mod_page)
    mod_page.goto(address(language, "/"))
    mod_page.get_by_role("link", name=tr(language, "Moderation")).click()
    mod_page.get_by_role("heading", level=1, name=tr(language, "Moderation queue")).wait_for()
    assert_no_violations(mod_page, "moderation queue")
    mod_page.get_by_role("link", name="March: 40 repairs").click()
    reports = mod_page.get_by_role(
        "region", name=re.compile("^" + re.escape(tr(language, "Reports, with the item as each reporter saw it")))
    )
    assert ABUSE in reports.inner_text()
    changed_since = tr(language, "The %(kind)s when reported (changed since)", kind=progress_update)
    assert changed_since in reports.inner_text()
    assert_no_violations(mod_page, "case page")
    mod_page.get_by_label(tr(language, "Reason (the owner sees this)")).fill(
        "Personal abuse of a named person is not allowed."
    )
    mod_page.get_by_role("button", name=tr(language, "Hide it")).click()
    mod_page.get_by_text(tr(language, "Hidden “%(title)s”.", title="March: 40 repairs")).wait_for()

    # Gone for everyone else: the update page, the group page, the feed, the lessons search.
    anonymous = browser.new_context(base_url=live_server.url)
    public = anonymous.new_page()
    browser_log.watch(public)
    browser_log.allow(404, update_path)
    assert public.goto(update_path).status == 404
    public.goto(group_path)
    assert "March: 40 repairs" not in public.content()
    feed = public.request.get(address(language, "/challenges/feeds/updates/"))
    assert feed.ok and "March: 40 repairs" not in feed.text()
    public.goto(address(language, "/learning/?q=booking"))
    assert "Booking slots online" not in public.content()

    # The owner sees why, and appeals.
    owner_context = browser.new_context(base_url=live_server.url)
    log_in(owner_context, live_server, owner)
    owner_page = owner_context.new_page()
    browser_log.watch(owner_page)
    owner_page.goto(update_path)
    owner_page.get_by_text("Personal abuse of a named person is not allowed.").first.wait_for()
    owner_page.get_by_role("link", name=tr(language, "See why and appeal")).click()
    assert_no_violations(owner_page, "owner's moderation page")
    assert "Rosa Resident" not in owner_page.content()
    owner_page.get_by_label(tr(language, "Why should it be shown again?")).fill(
        "We removed the insult; the rest is our report."
    )
    owner_page.get_by_role("button", name=tr(language, "Send appeal")).click()
    owner_page.get_by_text(
        tr(language, "Your appeal has reached the moderators. We will email you their answer.")
    ).wait_for()
    assert owner_page.get_by_role("button", name=tr(language, "Send appeal")).count() == 0  # one appeal only

    # The moderator reads the appeal and restores the update.
    mod_page.reload()
    assert "We removed the insult" in mod_page.content()
    mod_page.get_by_label(tr(language, "Reason (the owner sees this)")).fill("Thank you for editing it.")
    mod_page.get_by_role("button", name=tr(language, "Restore it")).click()
    mod_page.get_by_text(
        tr(language, "Restored “%(title)s”: it is visible again and the appeal is upheld.", title="March: 40 repairs")
    ).wait_for()
    public.goto(update_path)
    public.get_by_role("heading", level=1, name="March: 40 repairs").wait_for()

    # The log shows every step, with who and why.
    mod_page.goto(address(language, "/moderation/log/"))
    log_text = mod_page.get_by_role("table").inner_text()
    for step in ("Reported", "Hidden", "Appealed", "Restored"):
        assert tr(language, step, context="moderation event") in log_text
    assert "Mo Moderator" in log_text and "Owen Owner" in log_text
    assert_no_violations(mod_page, "moderation log")
    assert any(owner.email in message.to for message in mail.outbox)
    assert any(resident.email in message.to for message in mail.outbox)
    if language == "cy":
        for where in (mod_page, owner_page, public):
            expect(where.locator("html")).to_have_attribute("lang", "cy")
        # They chose Welsh on their accounts, so the mails they get are Welsh.
        to_owner = [message.subject for message in mail.outbox if owner.email in message.to]
        for event in ("Hidden", "Restored"):
            subject = tr(
                language,
                "%(event)s: %(title)s",
                event=tr(language, event, context="moderation event"),
                title="March: 40 repairs",
            )
            assert any(s.endswith(subject) for s in to_owner), (subject, to_owner)
        to_resident = [message.subject for message in mail.outbox if resident.email in message.to]
        about_report = tr(language, "About your report: %(title)s", title="March: 40 repairs")
        assert any(s.endswith(about_report) for s in to_resident), (about_report, to_resident)
    for context in (mod, anonymous, owner_context):
        context.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_three_reports_hide_automatically_and_the_moderators_get_one_mail(
    page, live_server, transactional_db, language
):
    group = GroupFactory()
    update = UpdateFactory(solution=SolutionFactory(group=group), title="Cheap watches here")
    moderators = UserFactory.create_batch(2, is_moderator=True, **speaker(language))
    for _ in range(3):
        page.context.clear_cookies()
        log_in(page.context, live_server, UserFactory(**speaker(language)))
        page.goto(address(language, f"/moderation/report/update/{update.pk}/"))
        page.get_by_label(tr(language, "Spam or advertising")).check()
        page.get_by_role("button", name=tr(language, "Send report")).click()
        page.get_by_text(
            tr(language, "Thank you: your report has reached the moderators. We will email you what they decide.")
        ).wait_for()
    update.refresh_from_db()
    assert update.is_hidden
    # In English the subject starts "Hidden after 3 reports"; for Welsh-speaking moderators it is Welsh.
    hidden_after = tr_plural(
        language,
        "Hidden after %(count)d report: %(title)s",
        "Hidden after %(count)d reports: %(title)s",
        3,
        count=3,
        title="Cheap watches here",
    )
    alerts = [message for message in mail.outbox if hidden_after in message.subject]
    assert sorted(message.to[0] for message in alerts) == sorted(moderator.email for moderator in moderators)
    if language == "cy":
        expect(page.locator("html")).to_have_attribute("lang", "cy")
