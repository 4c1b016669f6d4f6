"""Journeys through the site in a real browser, finding things by role and label as assistive technology does.
Each runs in English and in Welsh (under /cy/), with every word of the site the test looks for taken from the
catalogue of that language."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from accounts.models import User

from .helpers import PHONE, address, assert_no_violations, tr, tr_plural

NAME = "Sam from Hook Norton"
EMAIL = "sam@example.org"
PASSWORD = "green-valleys-hydro-2026"
LANGUAGES = pytest.mark.parametrize("language", ["en-gb", "cy"])


def expect_language(page, language):
    if language == "cy":
        expect(page.locator("html")).to_have_attribute("lang", "cy")


def account_nav(page, language):
    return page.get_by_role("navigation", name=tr(language, "Your account"))


def confirmation_path(message):
    match = re.search(r"https?://[^/\s]+((?:/cy)?/accounts/confirm-email/\S+/)", message.body)
    assert match, f"no confirmation link in:\n{message.body}"
    return match.group(1)


def minimum_password_length():
    (validator,) = (v for v in settings.AUTH_PASSWORD_VALIDATORS if v["NAME"].endswith("MinimumLengthValidator"))
    return validator["OPTIONS"]["min_length"]


@LANGUAGES
def test_sign_up_verify_log_in_and_out(page, browser_context, mailoutbox, language):
    def _(message, context=None, **values):
        return tr(language, message, context, **values)

    page.goto(address(language, "/"))
    account_nav(page, language).get_by_role("link", name=_("Sign up")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_("Sign up"))

    page.get_by_label(_("Email")).fill(EMAIL)
    page.get_by_label(_("Your name")).fill(NAME)
    page.get_by_label(_("Home area (optional)")).fill("OX15")
    page.get_by_label(_("Password"), exact=True).fill(PASSWORD)
    page.get_by_label(_("Password (again)")).fill(PASSWORD)
    page.get_by_role("button", name=_("Sign up")).click()

    verify = _("Verify Your Email Address")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(re.escape(verify), re.I))
    assert User.objects.get(email=EMAIL).display_name == NAME
    (verification,) = mailoutbox
    assert verification.to == [EMAIL]

    # People often open the mail on another device: a browser without the sign-up session.
    browser_context.clear_cookies()
    page.goto(confirmation_path(verification))
    confirm = _("Confirm Email Address")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(re.escape(confirm), re.I))
    expect(page.get_by_role("main")).to_contain_text(EMAIL)
    page.get_by_role("button", name=_("Confirm")).click()

    # Confirmed from a browser that is not logged in: allauth asks for the password.
    expect(page.get_by_role("heading", level=1)).to_have_text(_("Log in"))
    expect(page.get_by_role("status")).to_contain_text(_("You have confirmed %(email)s.", email=EMAIL))
    page.get_by_label(_("Email")).fill(EMAIL)
    page.get_by_label(_("Password"), exact=True).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=_("Log in")).click()

    expect(account_nav(page, language).get_by_role("link", name=NAME)).to_be_visible()
    expect(account_nav(page, language).get_by_role("link", name=_("Sign up"))).to_have_count(0)

    # Logging out from a Welsh page lands on the Welsh home page (LOGOUT_REDIRECT_URL is a URL name).
    account_nav(page, language).get_by_role("button", name=_("Log out")).click()
    expect(account_nav(page, language).get_by_role("link", name=_("Log in"))).to_be_visible()
    expect(account_nav(page, language).get_by_role("link", name=NAME)).to_have_count(0)
    expect_language(page, language)


@LANGUAGES
def test_bad_sign_up_keeps_what_was_typed_and_leads_to_the_field(page, language):
    def _(message, context=None, **values):
        return tr(language, message, context, **values)

    page.goto(address(language, "/accounts/signup/"))
    page.get_by_label(_("Email")).fill(EMAIL)
    page.get_by_label(_("Your name")).fill(NAME)
    page.get_by_label(_("Password"), exact=True).fill("short")
    page.get_by_label(_("Password (again)")).fill("short")
    page.get_by_role("button", name=_("Sign up")).click()

    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text(_("There is a problem"))
    expect(page.get_by_label(_("Email"))).to_have_value(EMAIL)
    expect(page.get_by_label(_("Your name"))).to_have_value(NAME)

    password = page.get_by_label(_("Password"), exact=True)
    expect(password).to_have_attribute("aria-invalid", "true")
    length = minimum_password_length()
    too_short = (
        tr_plural(
            language,
            "This password is too short. It must contain at least %d character.",
            "This password is too short. It must contain at least %d characters.",
            length,
        )
        % length
    )
    expect(password).to_have_accessible_description(re.compile(re.escape(too_short)))
    summary.get_by_role("link", name=re.compile("^" + re.escape(_("Password")))).first.click()
    expect(password).to_be_focused()
    assert User.objects.filter(email=EMAIL).count() == 0
    expect_language(page, language)
    # The error state is where accessibility usually breaks: check it at both sizes.
    assert_no_violations(page, "sign-up with a weak password, desktop")
    page.set_viewport_size(PHONE)
    assert_no_violations(page, "sign-up with a weak password, phone")


@LANGUAGES
@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_visitor_browses_from_home_to_an_update(demo, page, viewport, language):
    def _(message, context=None, **values):
        return tr(language, message, context, **values)

    page.goto(address(language, "/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(_("Big challenges, met by many local solutions"))
    expect(page.get_by_role("region", name=_("Recent progress")).get_by_role("link")).not_to_have_count(0)

    page.get_by_role("navigation", name=_("Main")).get_by_role("link", name=_("Groups")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(_("Local groups"))
    expect(page.get_by_role("navigation", name=_("Main")).get_by_role("link", name=_("Groups"))).to_have_attribute(
        "aria-current", "page"
    )
    group_link = page.get_by_role("main").get_by_role("heading", level=3).first.get_by_role("link")
    group_name = group_link.inner_text()
    group_link.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(group_name)
    expect(page.get_by_role("heading", name=_("About the group"))).to_be_visible()
    solution_link = page.get_by_role("region", name=_("Solutions")).get_by_role("listitem").first.get_by_role("link")
    solution_title = solution_link.inner_text()
    solution_link.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(solution_title)
    for heading in ("The problem here", "Our approach", "Why it fits this place", "What we measure"):
        expect(page.get_by_role("heading", level=2, name=_(heading))).to_be_visible()
    expect(page.get_by_role("region", name=_("What we measure")).get_by_role("table")).to_be_visible()
    update_link = (
        page.get_by_role("region", name=_("Progress updates")).get_by_role("listitem").first.get_by_role("link")
    )
    update_title = update_link.inner_text()
    update_link.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(update_title)
    expect(page.get_by_role("main").get_by_role("link", name=solution_title)).to_be_visible()
    # What the group wrote (the demo's updates are in English), shown as written in either language.
    expect(page.get_by_role("main")).to_contain_text("Our latest measurement")
    expect_language(page, language)


@LANGUAGES
@pytest.mark.parametrize("viewport", [PHONE], ids=["phone"])
def test_skip_link_is_first_and_moves_focus_to_main(page, viewport, language):
    page.goto(address(language, "/"))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name=tr(language, "Skip to main content"))
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    # The focus indicator is drawn (WCAG 2.4.7), not left to the browser default.
    assert skip.evaluate("el => getComputedStyle(el).outlineStyle") != "none"

    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null"), "Tab after the skip link left <main>"
    expect_language(page, language)
