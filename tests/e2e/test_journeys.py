"""Journeys through the site in a real browser, finding things by role and label as assistive technology does."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User

from .helpers import PHONE, assert_no_violations

NAME = "Sam from Hook Norton"
EMAIL = "sam@example.org"
PASSWORD = "green-valleys-hydro-2026"


def account_nav(page):
    return page.get_by_role("navigation", name="Your account")


def confirmation_path(message):
    match = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", message.body)
    assert match, f"no confirmation link in:\n{message.body}"
    return match.group(1)


def test_sign_up_verify_log_in_and_out(page, browser_context, mailoutbox):
    page.goto("/")
    account_nav(page).get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up")

    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Your name").fill(NAME)
    page.get_by_label("Home area (optional)").fill("OX15")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("verify your email", re.I))
    assert User.objects.get(email=EMAIL).display_name == NAME
    (verification,) = mailoutbox
    assert verification.to == [EMAIL]

    # People often open the mail on another device: a browser without the sign-up session.
    browser_context.clear_cookies()
    page.goto(confirmation_path(verification))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("confirm email address", re.I))
    expect(page.get_by_role("main")).to_contain_text(EMAIL)
    page.get_by_role("button", name="Confirm").click()

    # Confirmed from a browser that is not logged in: allauth asks for the password.
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    expect(page.get_by_role("status")).to_contain_text("confirmed")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()

    expect(account_nav(page).get_by_role("link", name=NAME)).to_be_visible()
    expect(account_nav(page).get_by_role("link", name="Sign up")).to_have_count(0)

    account_nav(page).get_by_role("button", name="Log out").click()
    expect(account_nav(page).get_by_role("link", name="Log in")).to_be_visible()
    expect(account_nav(page).get_by_role("link", name=NAME)).to_have_count(0)


def test_bad_sign_up_keeps_what_was_typed_and_leads_to_the_field(page):
    page.goto("/accounts/signup/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Your name").fill(NAME)
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Password (again)").fill("short")
    page.get_by_role("button", name="Sign up").click()

    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expect(page.get_by_label("Email")).to_have_value(EMAIL)
    expect(page.get_by_label("Your name")).to_have_value(NAME)

    password = page.get_by_label("Password", exact=True)
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(password).to_have_accessible_description(re.compile("too short"))
    summary.get_by_role("link", name=re.compile("^Password")).first.click()
    expect(password).to_be_focused()
    assert User.objects.filter(email=EMAIL).count() == 0
    # The error state is where accessibility usually breaks: check it at both sizes.
    assert_no_violations(page, "sign-up with a weak password, desktop")
    page.set_viewport_size(PHONE)
    assert_no_violations(page, "sign-up with a weak password, phone")


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_visitor_browses_from_home_to_an_update(demo, page, viewport):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Big challenges, met by many local solutions")
    expect(page.get_by_role("region", name="Recent progress").get_by_role("link")).not_to_have_count(0)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Groups").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Local groups")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Groups")).to_have_attribute(
        "aria-current", "page"
    )
    group_link = page.get_by_role("main").get_by_role("heading", level=3).first.get_by_role("link")
    group_name = group_link.inner_text()
    group_link.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(group_name)
    expect(page.get_by_role("heading", name="About the group")).to_be_visible()
    solution_link = page.get_by_role("region", name="Solutions").get_by_role("listitem").first.get_by_role("link")
    solution_title = solution_link.inner_text()
    solution_link.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(solution_title)
    for heading in ("The problem here", "Our approach", "Why it fits this place", "What we measure"):
        expect(page.get_by_role("heading", level=2, name=heading)).to_be_visible()
    expect(page.get_by_role("region", name="What we measure").get_by_role("table")).to_be_visible()
    update_link = page.get_by_role("region", name="Progress updates").get_by_role("listitem").first.get_by_role("link")
    update_title = update_link.inner_text()
    update_link.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(update_title)
    expect(page.get_by_role("main").get_by_role("link", name=solution_title)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Our latest measurement")


@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_skip_link_is_first_and_moves_focus_to_main(page, viewport):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    # The focus indicator is drawn (WCAG 2.4.7), not left to the browser default.
    assert skip.evaluate("el => getComputedStyle(el).outlineStyle") != "none"

    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null"), "Tab after the skip link left <main>"
