"""The members page and what owners do there."""

import pytest
from django.core import mail
from django.urls import reverse

from groups.models import Invitation, Membership, Role

from ..factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


CONFIRMED = {"confirm": "yes"}


def url(name, group, membership=None):
    kwargs = {"slug": group.slug}
    if membership is not None:
        kwargs["membership_id"] = membership.pk
    return reverse(f"groups:{name}", kwargs=kwargs)


def role_of(group, user):
    return Membership.objects.filter(group=group, user=user).values_list("role", flat=True).first()


def test_members_page_lists_everyone_with_their_role(client, group, owner, organiser, member):
    client.force_login(owner)
    html = client.get(url("members", group)).content.decode()
    rows = html.split("<tr>")[2:]
    for person, role in ((owner, "Owner"), (organiser, "Organiser"), (member, "Member")):
        row = next(row for row in rows if person.display_name in row)
        assert f"<td>{role}</td>" in row
    assert html.index(owner.display_name) < html.index(organiser.display_name) < html.index(member.display_name)
    assert "Invite an organiser" in html
    assert member.email not in html  # members' addresses are not shown


def test_organisers_see_members_but_no_owner_controls(client, group, owner, organiser, member):
    client.force_login(organiser)
    html = client.get(url("members", group)).content.decode()
    assert member.display_name in html
    assert "Invite an organiser" not in html and "Hand over ownership" not in html


def test_owner_invites_an_organiser_and_the_mail_goes_after_commit(
    client, group, owner, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url("invite", group), {"email": "sam@example.org"}, follow=True)
    assert len(callbacks) == 1
    assert "We have emailed an invitation to sam@example.org." in response.content.decode()
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == ("sam@example.org", Role.ORGANISER, owner)
    assert len(mail.outbox) == 1
    assert invitation.token in mail.outbox[0].body
    assert "sam@example.org" in response.content.decode()  # listed as waiting for an answer


@pytest.mark.parametrize(
    ("email", "message"),
    [("", "Enter the email address of the person to invite."), ("not-an-address", "Enter an email address like")],
)
def test_bad_invitation_address_is_shown_again(client, group, owner, email, message):
    client.force_login(owner)
    response = client.post(url("invite", group), {"email": email})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    if email:
        assert f'value="{email}"' in html
    assert not Invitation.objects.exists() and mail.outbox == []


def test_inviting_an_existing_organiser_is_refused(client, group, owner, organiser):
    client.force_login(owner)
    response = client.post(url("invite", group), {"email": organiser.email})
    assert response.status_code == 400
    assert "already an organiser or owner" in response.content.decode()
    assert not Invitation.objects.exists()


def test_owner_promotes_demotes_and_removes(client, group, owner, member):
    client.force_login(owner)
    membership = Membership.objects.get(group=group, user=member)
    assert client.post(url("change_role", group, membership), {"role": "organiser"}).status_code == 302
    assert role_of(group, member) == Role.ORGANISER
    assert client.post(url("change_role", group, membership), {"role": "member"}).status_code == 302
    assert role_of(group, member) == Role.MEMBER
    assert client.post(url("remove_member", group, membership)).status_code == 302
    assert role_of(group, member) is None


def test_bad_role_value_is_400(client, group, owner, member):
    client.force_login(owner)
    membership = Membership.objects.get(group=group, user=member)
    response = client.post(url("change_role", group, membership), {"role": "owner"})
    assert response.status_code == 400
    assert "Choose organiser or member." in response.content.decode()
    assert role_of(group, member) == Role.MEMBER


def test_owner_cannot_remove_or_demote_themselves_as_last_owner(client, group, owner):
    client.force_login(owner)
    own = Membership.objects.get(group=group, user=owner)
    for response in (
        client.post(url("remove_member", group, own)),
        client.post(url("change_role", group, own), {"role": "member"}),
        client.post(url("leave", group), CONFIRMED),
    ):
        assert response.status_code == 409
        assert "owner" in response.content.decode()
    assert role_of(group, owner) == Role.OWNER


def test_sole_owner_leaving_is_told_to_hand_over(client, group, owner):
    client.force_login(owner)
    response = client.post(url("leave", group), CONFIRMED)
    assert response.status_code == 409
    assert "You are this group&#x27;s only owner, so you cannot leave yet." in response.content.decode()


def test_hand_over_ownership_then_the_old_owner_can_leave(client, group, owner, member):
    client.force_login(owner)
    membership = Membership.objects.get(group=group, user=member)
    response = client.post(url("transfer_ownership", group, membership), CONFIRMED, follow=True)
    assert f"{member.display_name} now owns the group. You are an organiser." in response.content.decode()
    assert (role_of(group, member), role_of(group, owner)) == (Role.OWNER, Role.ORGANISER)
    response = client.post(url("leave", group), CONFIRMED, follow=True)
    assert response.redirect_chain == [(group.get_absolute_url(), 302)]
    assert f"You have left {group.name}." in response.content.decode()
    assert role_of(group, owner) is None


def test_handing_over_asks_first_and_changes_nothing_until_confirmed(client, group, owner, member):
    client.force_login(owner)
    membership = Membership.objects.get(group=group, user=member)
    response = client.post(url("transfer_ownership", group, membership))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Hand over {group.name} to {member.display_name}?" in html
    assert 'name="confirm" value="yes"' in html and f'action="{url("transfer_ownership", group, membership)}"' in html
    assert f'href="{url("members", group)}"' in html  # the way back
    assert (role_of(group, member), role_of(group, owner)) == (Role.MEMBER, Role.OWNER)


def test_leaving_asks_first_and_changes_nothing_until_confirmed(client, group, owner, member):
    client.force_login(member)
    response = client.post(url("leave", group))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Leave {group.name}?" in html and "you will need a new invitation" in html
    assert f'href="{group.get_absolute_url()}"' in html
    assert role_of(group, member) == Role.MEMBER
    client.post(url("leave", group), {"confirm": "no"})
    assert role_of(group, member) == Role.MEMBER


def test_membership_of_another_group_is_404(client, group, owner):
    client.force_login(owner)
    elsewhere = MembershipFactory()
    response = client.post(url("remove_member", group, elsewhere))
    assert response.status_code == 404
    assert Membership.objects.filter(pk=elsewhere.pk).exists()


def test_member_leaves_from_the_group_page(client, group, owner, member):
    client.force_login(member)
    html = client.get(group.get_absolute_url()).content.decode()
    assert f'action="{url("leave", group)}"' in html
    client.post(url("leave", group), CONFIRMED)
    assert role_of(group, member) is None


def test_actions_need_a_csrf_token(group, owner, member):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    membership = Membership.objects.get(group=group, user=member)
    assert client.post(url("remove_member", group, membership)).status_code == 403
    assert role_of(group, member) == Role.MEMBER


def test_actions_refuse_get(client, group, owner, member):
    client.force_login(owner)
    membership = Membership.objects.get(group=group, user=member)
    assert client.get(url("remove_member", group, membership)).status_code == 405
    assert client.get(url("leave", group)).status_code == 405
    assert role_of(group, member) == Role.MEMBER and role_of(group, owner) == Role.OWNER


def test_two_owners_may_not_both_leave(client, group, owner):
    other = MembershipFactory(group=group, role=Role.OWNER).user
    client.force_login(owner)
    assert client.post(url("leave", group), CONFIRMED).status_code == 302
    client.force_login(other)
    assert client.post(url("leave", group), CONFIRMED).status_code == 409
    assert list(Membership.objects.filter(group=group, role=Role.OWNER).values_list("user", flat=True)) == [other.pk]


def test_stranger_listing_is_hidden(client, group, owner):
    client.force_login(UserFactory())
    response = client.get(url("members", group))
    assert response.status_code == 403
    assert owner.display_name not in response.content.decode()
