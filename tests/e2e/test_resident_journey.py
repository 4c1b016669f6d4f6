"""A resident finds an action near a place, signs up, follows the group and hears of its next update."""

import re

from playwright.sync_api import expect

from challenges import services as challenge_services
from groups.models import ActionSignup, Follow

from ..factories import GroupFactory, MembershipFactory, SolutionFactory, UserFactory
from ..residents.factories import ActionFactory
from .helpers import assert_no_violations

PASSWORD = "a-Long-test-password-42"


def test_resident_finds_an_action_near_them_signs_up_and_follows(page, transactional_db, mailoutbox):
    group = GroupFactory(
        name="Kendal Warm Homes", place_name="Kendal", postcode_district="LA9", latitude=54.33, longitude=-2.75
    )
    GroupFactory(name="Far Away Energy", latitude=51.46, longitude=-0.11)
    organiser = MembershipFactory(group=group, role="owner").user
    action = ActionFactory(group=group, title="Draught-busting open house", capacity=5, place_name="Kendal")
    resident = UserFactory(display_name="Rosa Resident", email="rosa@example.org")

    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(resident.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(
        page.get_by_role("navigation", name="Your account").get_by_role("link", name="Rosa Resident")
    ).to_be_visible()

    page.goto("/groups/near/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Find local action near you")
    page.get_by_label("Postcode or place").fill("Kendal")
    page.get_by_label("Within").select_option(label="25 km")
    page.get_by_role("button", name="Show what is near").click()
    expect(page.get_by_role("status").filter(has_text="Within 25 km of Kendal")).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text("Far Away Energy")
    assert_no_violations(page, "near me results")

    page.get_by_role("link", name="Draught-busting open house").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Draught-busting open house")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("status").filter(has_text="You are signed up")).to_be_visible()
    assert ActionSignup.objects.get(action=action).user == resident
    (confirmation,) = mailoutbox
    assert confirmation.to == [resident.email]
    assert "You are signed up" in confirmation.subject
    assert confirmation.attachments and confirmation.attachments[0][0] == "action.ics"

    page.get_by_role("link", name="Kendal Warm Homes").first.click()
    page.get_by_label("Each new post, by email").check()
    page.get_by_role("button", name="Follow this group").click()
    expect(page.get_by_role("status").filter(has_text="You follow Kendal Warm Homes")).to_be_visible()
    assert Follow.objects.filter(group=group, user=resident).exists()

    # The group publishes a progress update: the follower is told by mail, with a one-click unsubscribe.
    solution = SolutionFactory(group=group)
    challenge_services.create_update(
        solution=solution, author=organiser, title="40 homes draught-proofed", body="Done."
    )
    update_mail = mailoutbox[-1]
    assert update_mail.to == [resident.email]
    assert "40 homes draught-proofed" in update_mail.subject
    assert re.search(r"/groups/unsubscribe/\S+/", update_mail.body)
    assert update_mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    page.goto("/groups/me/")
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name="Draught-busting open house")).to_be_visible()
    expect(main.get_by_role("link", name="40 homes draught-proofed")).to_be_visible()
    assert_no_violations(page, "resident's own page")
