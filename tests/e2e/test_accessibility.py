"""axe-core finds no WCAG 2.1 A/AA violation on the main pages, on a phone and on a desktop."""

import pytest
from django.urls import reverse
from django.utils import translation

from challenges.models import Update
from demo.data import DEMO_GROUPS
from groups.models import Group

from ..factories import UserFactory
from .helpers import DESKTOP, PHONE, axe_violations, describe_violations, log_in


def assert_accessible_on_phone_and_desktop(page, path):
    """Open the page at each size and collect every violation before failing, so one run shows them all."""
    problems = []
    for name, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        response = page.goto(path)
        assert response is not None
        expected_lang = "cy" if path.startswith("/cy/") else "en-GB"
        assert page.evaluate("document.documentElement.lang") == expected_lang, path
        where = f"{path} at {name} {size['width']}x{size['height']}"
        problems += describe_violations(axe_violations(page), where)
        # Reflow (WCAG 1.4.10): nothing may make the reader scroll sideways.
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            problems.append(f"{where}: the page is {overflow}px wider than the window")
    assert not problems, "axe-core found WCAG 2.1 A/AA violations:\n" + "\n".join(problems)


def demo_group():
    return Group.objects.get(slug=DEMO_GROUPS[0]["slug"])


def demo_update_with_lessons():
    return Update.objects.filter(solution__group=demo_group()).exclude(what_worked="").get()


PAGES_WITH_DEMO_DATA = [
    pytest.param(lambda: reverse("home"), id="home"),
    pytest.param(lambda: reverse("groups:list"), id="groups-list"),
    pytest.param(lambda: demo_group().get_absolute_url(), id="group"),
    pytest.param(lambda: demo_update_with_lessons().solution.get_absolute_url(), id="solution"),
    pytest.param(lambda: demo_update_with_lessons().get_absolute_url(), id="update"),
    pytest.param(lambda: reverse("challenges:index"), id="challenges-index"),
    pytest.param(lambda: reverse("learning:index"), id="learning-index"),
    pytest.param(lambda: reverse("groups:map"), id="groups-map"),
    pytest.param(lambda: reverse("groups:nearby") + "?place=Kendal", id="near-me"),
    pytest.param(lambda: reverse("challenges:solution_list"), id="solutions-list"),
    pytest.param(lambda: demo_group().actions.first().get_absolute_url(), id="action"),
    pytest.param(lambda: reverse("learning:group", kwargs={"slug": demo_group().slug}), id="group-learning"),
    pytest.param(lambda: demo_challenge().get_absolute_url(), id="challenge"),
]


def demo_challenge():
    from challenges.models import Challenge

    return Challenge.objects.exclude(stage="draft").first()


def demo_user(email):
    from accounts.models import User

    return User.objects.get(email=email)


SIGNED_IN_PAGES = [
    pytest.param("resident@localism.example", lambda: reverse("groups:me"), id="resident-own-page"),
    pytest.param(
        "organiser@localism.example",
        lambda: reverse("groups:edit", kwargs={"slug": demo_group().slug}),
        id="group-edit",
    ),
    pytest.param(
        "organiser@localism.example",
        lambda: reverse("groups:members", kwargs={"slug": demo_group().slug}),
        id="members",
    ),
    pytest.param(
        "organiser@localism.example",
        lambda: reverse(
            "challenges:update_create",
            kwargs={"group_slug": demo_group().slug, "slug": demo_group().solutions.first().slug},
        ),
        id="post-update",
    ),
    pytest.param(
        "organiser@localism.example",
        lambda: reverse("learning:group_connections", kwargs={"slug": demo_group().slug}),
        id="connections",
    ),
    pytest.param(
        "funder@localism.example",
        lambda: reverse("challenges:review", kwargs={"slug": demo_challenge().slug}),
        id="review-list",
    ),
    pytest.param(
        "funder@localism.example",
        lambda: reverse("challenges:dashboard", kwargs={"slug": demo_challenge().slug}),
        id="dashboard",
    ),
    pytest.param("moderator@localism.example", lambda: reverse("moderation:queue"), id="moderation-queue"),
    pytest.param("moderator@localism.example", lambda: demo_case().get_absolute_url(), id="moderation-case"),
    pytest.param("moderator@localism.example", lambda: reverse("moderation:log"), id="moderation-log"),
    pytest.param(
        "organiser@localism.example",
        lambda: reverse("moderation:item", kwargs={"kind": "update", "pk": demo_case().update_id}),
        id="moderation-owner-view",
    ),
    pytest.param(
        "funder@localism.example",
        lambda: reverse("moderation:report", kwargs={"kind": "group", "pk": demo_group().pk}),
        id="report-form",
    ),
    pytest.param("resident@localism.example", lambda: reverse("moderation:my_reports"), id="my-reports"),
]


def demo_case():
    from moderation.models import Case

    return Case.objects.get()


# Every page is checked in English and in Welsh (its /cy/ address).
LANGUAGES = pytest.mark.parametrize("language", ["en-gb", "cy"])


def in_language(language, path_of):
    with translation.override(language):
        return path_of()


@LANGUAGES
@pytest.mark.parametrize(("email", "path_of"), SIGNED_IN_PAGES)
def test_signed_in_page_has_no_wcag_violations(demo, page, browser_context, live_server, email, path_of, language):
    from learning.services import rebuild_all_peers

    rebuild_all_peers()
    log_in(browser_context, live_server, demo_user(email))
    assert_accessible_on_phone_and_desktop(page, in_language(language, path_of))


PAGES_WITHOUT_DATA = [
    pytest.param("about", id="about"),
    pytest.param("account_signup", id="sign-up"),
    pytest.param("account_login", id="log-in"),
    pytest.param("account_reset_password", id="password-reset"),
    pytest.param("api_reference", id="open-data"),
]


@LANGUAGES
@pytest.mark.parametrize("path_of", PAGES_WITH_DEMO_DATA)
def test_public_page_with_demo_data_has_no_wcag_violations(demo, page, path_of, language):
    assert_accessible_on_phone_and_desktop(page, in_language(language, path_of))


@LANGUAGES
@pytest.mark.parametrize("url_name", PAGES_WITHOUT_DATA)
def test_page_has_no_wcag_violations(page, url_name, language):
    assert_accessible_on_phone_and_desktop(page, in_language(language, lambda: reverse(url_name)))


def test_not_found_page_has_no_wcag_violations(page, browser_log):
    browser_log.allow(404, "/no-such-page/")
    assert_accessible_on_phone_and_desktop(page, "/no-such-page/")
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"


def test_profile_page_has_no_wcag_violations(page, browser_context, live_server):
    log_in(browser_context, live_server, UserFactory(display_name="Sam from Hook Norton"))
    assert_accessible_on_phone_and_desktop(page, reverse("accounts:profile"))
    assert page.get_by_label("Your name").input_value() == "Sam from Hook Norton"
    settings_nav = page.get_by_role("navigation", name="Account settings")
    assert settings_nav.get_by_role("link", name="Profile").get_attribute("aria-current") == "page"


@pytest.mark.parametrize("url_name", ["accounts:my_data", "accounts:delete"])
def test_personal_data_pages_have_no_wcag_violations(page, browser_context, live_server, url_name):
    log_in(browser_context, live_server, UserFactory())
    assert_accessible_on_phone_and_desktop(page, reverse(url_name))
    settings_nav = page.get_by_role("navigation", name="Account settings")
    assert settings_nav.get_by_role("link", name="Your data").get_attribute("aria-current") == "page"


def test_server_error_page_has_no_wcag_violations(page, browser_log, settings):
    settings.ROOT_URLCONF = "tests.error_urls"
    browser_log.allow(500, "/broken/")
    assert_accessible_on_phone_and_desktop(page, "/broken/")
    assert page.get_by_role("heading", level=1).inner_text() == "Something went wrong"


def test_edit_conflict_page_has_no_wcag_violations_and_saves_on_request(
    page, browser_context, live_server, browser_log
):
    """Someone saves the group while the owner edits it: the refused page marks the field that differs,
    passes axe at both sizes, and 'Save my version' saves the owner's text."""
    from django.db.models import F

    from ..factories import GroupFactory, MembershipFactory

    group = GroupFactory(summary="The summary as it was.")
    owner = MembershipFactory(group=group, role="owner").user
    edit = reverse("groups:edit", kwargs={"slug": group.slug})
    browser_log.allow(409, edit)
    log_in(browser_context, live_server, owner)
    page.set_viewport_size(PHONE)
    page.goto(edit)
    Group.objects.filter(pk=group.pk).update(summary="Someone else's summary.", version=F("version") + 1)

    page.get_by_label("Group name").fill("The owner's new name")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_role("heading", name="Your changes are not saved yet").wait_for()
    problems = []
    for name, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        problems += describe_violations(axe_violations(page), f"edit conflict at {name}")
    assert not problems, "axe-core found WCAG 2.1 A/AA violations:\n" + "\n".join(problems)
    conflict = page.get_by_role("alert")
    assert [link.inner_text() for link in conflict.get_by_role("link").all()] == ["Group name", "Summary"]
    assert "Someone else's summary." in page.locator("#id_summary_saved").inner_text()
    assert page.get_by_label("Summary", exact=True).input_value() == "The summary as it was."
    assert page.get_by_label("Group name").input_value() == "The owner's new name"

    page.get_by_role("button", name="Save my version").click()
    page.get_by_text("Your changes are saved.").wait_for()
    group.refresh_from_db()
    assert (group.name, group.summary, group.version) == ("The owner's new name", "The summary as it was.", 3)
