"""Someone invited to help run a group, with no account yet: from the mail's link, through sign-up and
confirming their address, back to the invitation, and in as an organiser — in one browser, on a phone."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from groups.models import Membership, Role

from ..factories import GroupFactory, MembershipFactory, UserFactory
from ..groups.factories import InvitationFactory
from .helpers import PHONE, assert_no_violations
from .test_journeys import PASSWORD, confirmation_path

EMAIL = "newcomer@example.org"


@pytest.fixture
def viewport():
    return PHONE


def test_a_newcomer_follows_the_invitation_through_sign_up_to_accepting_it(page, transactional_db, mailoutbox):
    owner = UserFactory(display_name="Priya")
    group = GroupFactory(name="Hook Norton Low Carbon")
    MembershipFactory(group=group, user=owner, role=Role.OWNER)
    invitation = InvitationFactory(group=group, email=EMAIL, invited_by=owner)
    invitation_path = reverse("groups:accept_invitation", kwargs={"token": invitation.token})

    page.goto(invitation_path)
    main = page.get_by_role("main")
    expect(main).to_contain_text("Priya has invited you")
    expect(main).to_contain_text(EMAIL)
    assert_no_violations(page, "an invitation opened before signing up")
    main.get_by_role("link", name="Create an account").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up")
    expect(main).to_contain_text("invitation to help run Hook Norton Low Carbon")
    expect(page.get_by_label("Email")).to_have_value(EMAIL)
    page.get_by_label("Your name").fill("Nia Newcomer")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("verify your email", re.I))

    # The confirmation mail opened in the same browser: confirming logs in and goes back to the invitation.
    confirmation = next(message for message in mailoutbox if message.to == [EMAIL])
    page.goto(confirmation_path(confirmation))
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"**{invitation_path}")
    expect(page.get_by_role("heading", level=1, name=re.compile("Log in"))).to_have_count(0)
    page.get_by_role("button", name="Accept the invitation").click()

    expect(page.get_by_role("main")).to_contain_text("Welcome! You are now an organiser of Hook Norton Low Carbon.")
    assert Membership.objects.get(group=group, user__email=EMAIL).role == Role.ORGANISER
