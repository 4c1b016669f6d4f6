"""A Welsh speaker, on a phone: switches the site to Cymraeg on an English page, keeps their search,
signs in, finds an action near them and signs up for it, all in Welsh, and the mail is Welsh too."""

from playwright.sync_api import expect

from groups.models import ActionSignup

from ..factories import GroupFactory, MembershipFactory, UserFactory
from ..residents.factories import ActionFactory
from .helpers import PHONE, assert_no_violations, tr

PASSWORD = "a-Long-test-password-42"


def test_a_welsh_speaker_switches_language_and_signs_up_for_an_action_in_welsh(page, transactional_db, mailoutbox):
    group = GroupFactory(
        name="Kendal Warm Homes", place_name="Kendal", postcode_district="LA9", latitude=54.33, longitude=-2.75
    )
    MembershipFactory(group=group, role="owner")
    ActionFactory(group=group, title="Draught-busting open house", capacity=5, place_name="Kendal")
    resident = UserFactory(display_name="Rhys", email="rhys@example.org")
    page.set_viewport_size(PHONE)

    # An English page with a search: the switch opens the same page and search in Welsh.
    page.goto("/groups/?q=Kendal")
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    page.get_by_role("button", name="Cymraeg").click()
    expect(page).to_have_url(f"{page.url.split('/cy/')[0]}/cy/groups/?q=Kendal")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("link", name="Kendal Warm Homes")).to_be_visible()
    assert_no_violations(page, "group list in Welsh")

    # Signing in from the Welsh page, in Welsh.
    page.get_by_role("link", name=tr("cy", "Log in")).click()
    page.get_by_label(tr("cy", "Email")).fill(resident.email)
    page.get_by_label(tr("cy", "Password"), exact=True).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=tr("cy", "Log in")).click()
    expect(
        page.get_by_role("navigation", name=tr("cy", "Your account")).get_by_role("link", name="Rhys")
    ).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "cy")

    # Near you, and the action, in Welsh.
    page.get_by_role("navigation", name=tr("cy", "Main")).get_by_role(
        "link", name=tr("cy", "Near you"), exact=True
    ).click()
    page.get_by_label(tr("cy", "Postcode or place")).fill("Kendal")
    page.get_by_role("button", name=tr("cy", "Show what is near")).click()
    page.get_by_role("link", name="Draught-busting open house").click()
    page.get_by_role("button", name=tr("cy", "Sign up", context="take a place at an action")).click()
    expect(
        page.get_by_role("status").filter(
            has_text=tr("cy", "You are signed up. We have emailed you the details, with a calendar file.")
        )
    ).to_be_visible()
    assert ActionSignup.objects.get().user == resident
    assert_no_violations(page, "action page in Welsh")

    # The mail that confirms it is Welsh: the signed-in person's choice was stored on their account.
    resident.refresh_from_db()
    assert resident.language == "cy"
    (confirmation,) = mailoutbox
    assert confirmation.subject.endswith(tr("cy", "You are signed up: %(title)s", title="Draught-busting open house"))
    assert "/cy/groups/" in confirmation.body

    # Back to English with the switch: the same page, in English, and the choice remembered.
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    assert "/cy/" not in page.url
    page.goto("/groups/me/")
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
