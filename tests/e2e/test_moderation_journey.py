"""Moderation as people do it in a browser: a resident reports an abusive update; a moderator sees it in the
queue with the snapshot and hides it; it leaves the group page, the feed and the lessons search; the owner
sees why and appeals; the moderator restores it; the log shows every step."""

import re

from django.core import mail

from ..factories import GroupFactory, MembershipFactory, SolutionFactory, UpdateFactory, UserFactory
from .helpers import assert_no_violations, log_in

ABUSE = "The parish clerk is a useless idiot who should be run out of the village."


def test_report_hide_appeal_restore(page, browser, live_server, transactional_db, browser_log):
    group = GroupFactory(name="Thornbury Repair Café")
    owner = MembershipFactory(group=group, role="owner", user=UserFactory(display_name="Owen Owner")).user
    solution = SolutionFactory(group=group, title="Monthly repair café")
    update = UpdateFactory(
        solution=solution,
        title="March: 40 repairs",
        body=f"We fixed 40 things this month. {ABUSE}",
        what_worked="Booking slots online cut the queue.",
    )
    resident = UserFactory(display_name="Rosa Resident")
    moderator = UserFactory(display_name="Mo Moderator", is_moderator=True)
    update_path = update.get_absolute_url()

    # The resident reports the update.
    log_in(page.context, live_server, resident)
    page.goto(update_path)
    page.get_by_role("link", name=re.compile("^Report")).click()
    page.get_by_role("heading", level=1, name="Report this progress update").wait_for()
    assert_no_violations(page, "report page")
    page.get_by_label("Abuse or harassment").check()
    page.get_by_label(re.compile("Tell the moderators more")).fill("Personal abuse of the parish clerk.")
    page.get_by_role("button", name="Send report").click()
    page.get_by_text("your report has reached the moderators").wait_for()

    # The owner edits the text afterwards; the moderator still sees what was reported.
    from challenges.services import edit_update

    edit_update(update=update, title=update.title, body="We fixed 40 things this month.", status="published")

    mod = browser.new_context(base_url=live_server.url)
    log_in(mod, live_server, moderator)
    mod_page = mod.new_page()
    browser_log.watch(mod_page)
    mod_page.goto("/")
    mod_page.get_by_role("link", name="Moderation").click()
    mod_page.get_by_role("heading", level=1, name="Moderation queue").wait_for()
    assert_no_violations(mod_page, "moderation queue")
    mod_page.get_by_role("link", name="March: 40 repairs").click()
    reports = mod_page.get_by_role("region", name=re.compile("^Reports"))
    assert ABUSE in reports.inner_text()
    assert "(changed since)" in reports.inner_text()
    assert_no_violations(mod_page, "case page")
    mod_page.get_by_label("Reason (the owner sees this)").fill("Personal abuse of a named person is not allowed.")
    mod_page.get_by_role("button", name="Hide it").click()
    mod_page.get_by_text("Hidden “March: 40 repairs”.").wait_for()

    # Gone for everyone else: the update page, the group page, the feed, the lessons search.
    anonymous = browser.new_context(base_url=live_server.url)
    public = anonymous.new_page()
    browser_log.watch(public)
    browser_log.allow(404, update_path)
    assert public.goto(update_path).status == 404
    public.goto(group.get_absolute_url())
    assert "March: 40 repairs" not in public.content()
    feed = public.request.get("/challenges/feeds/updates/")
    assert feed.ok and "March: 40 repairs" not in feed.text()
    public.goto("/learning/?q=booking")
    assert "Booking slots online" not in public.content()

    # The owner sees why, and appeals.
    owner_context = browser.new_context(base_url=live_server.url)
    log_in(owner_context, live_server, owner)
    owner_page = owner_context.new_page()
    browser_log.watch(owner_page)
    owner_page.goto(update_path)
    owner_page.get_by_text("Personal abuse of a named person is not allowed.").first.wait_for()
    owner_page.get_by_role("link", name="See why and appeal").click()
    assert_no_violations(owner_page, "owner's moderation page")
    assert "Rosa Resident" not in owner_page.content()
    owner_page.get_by_label("Why should it be shown again?").fill("We removed the insult; the rest is our report.")
    owner_page.get_by_role("button", name="Send appeal").click()
    owner_page.get_by_text("Your appeal has reached the moderators").wait_for()
    assert owner_page.get_by_role("button", name="Send appeal").count() == 0  # one appeal only

    # The moderator reads the appeal and restores the update.
    mod_page.reload()
    assert "We removed the insult" in mod_page.content()
    mod_page.get_by_label("Reason (the owner sees this)").fill("Thank you for editing it.")
    mod_page.get_by_role("button", name="Restore it").click()
    mod_page.get_by_text("Restored “March: 40 repairs”: it is visible again and the appeal is upheld.").wait_for()
    public.goto(update_path)
    public.get_by_role("heading", level=1, name="March: 40 repairs").wait_for()

    # The log shows every step, with who and why.
    mod_page.goto("/moderation/log/")
    log_text = mod_page.get_by_role("table").inner_text()
    for step in ("Reported", "Hidden", "Appealed", "Restored"):
        assert step in log_text
    assert "Mo Moderator" in log_text and "Owen Owner" in log_text
    assert_no_violations(mod_page, "moderation log")
    assert any(owner.email in message.to for message in mail.outbox)
    assert any(resident.email in message.to for message in mail.outbox)
    for context in (mod, anonymous, owner_context):
        context.close()


def test_three_reports_hide_automatically_and_the_moderators_get_one_mail(page, live_server, transactional_db):
    group = GroupFactory()
    update = UpdateFactory(solution=SolutionFactory(group=group), title="Cheap watches here")
    moderators = UserFactory.create_batch(2, is_moderator=True)
    for _ in range(3):
        page.context.clear_cookies()
        log_in(page.context, live_server, UserFactory())
        page.goto(f"/moderation/report/update/{update.pk}/")
        page.get_by_label("Spam or advertising").check()
        page.get_by_role("button", name="Send report").click()
        page.get_by_text("your report has reached the moderators").wait_for()
    update.refresh_from_db()
    assert update.is_hidden
    alerts = [message for message in mail.outbox if "Hidden after 3 reports" in message.subject]
    assert sorted(message.to[0] for message in alerts) == sorted(moderator.email for moderator in moderators)
