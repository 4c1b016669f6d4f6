"""The rules, called directly: creating and editing groups, owners, invitations."""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.refusals import StaleEdit
from groups import services
from groups.models import Group, Invitation, Membership, Role

from ..factories import ChallengeAreaFactory, GroupFactory, MembershipFactory, UserFactory
from .factories import InvitationFactory

pytestmark = pytest.mark.django_db


def group_fields(**overrides):
    fields = dict(
        name="Crickhowell Resilient Futures",
        summary="A town planning its own energy.",
        description="",
        place_name="Crickhowell",
        postcode_district="",
        area_kind="small_town",
        population=2800,
        deprivation_decile=6,
        region="wales",
    )
    fields.update(overrides)
    return fields


# --- Creating -------------------------------------------------------------------------------------


def test_create_group_locates_it_and_makes_the_creator_owner():
    creator = UserFactory()
    area = ChallengeAreaFactory()
    group = services.create_group(creator=creator, challenge_areas=[area], **group_fields())
    assert group.slug == "crickhowell-resilient-futures"
    assert group.latitude == pytest.approx(51.86, abs=0.05) and group.longitude == pytest.approx(-3.14, abs=0.05)
    assert list(group.challenge_areas.all()) == [area]
    assert Membership.objects.get(group=group).user == creator
    assert Membership.objects.get(group=group).role == Role.OWNER


def test_postcode_district_wins_over_the_place_name():
    group = services.create_group(
        creator=UserFactory(), challenge_areas=[], **group_fields(place_name="Our village", postcode_district="PH42")
    )
    assert (group.latitude, group.longitude) == (56.90, -6.16)
    assert group.place_name == "Our village"


def test_a_full_postcode_is_stored_as_its_district():
    group = services.create_group(
        creator=UserFactory(), challenge_areas=[], **group_fields(postcode_district="np8 1aa")
    )
    assert group.postcode_district == "NP8"


def test_a_district_no_postcode_starts_with_is_refused_not_replaced_by_the_place_name():
    # It used to fall back to the place name without a word, so a typo in the district went unnoticed.
    with pytest.raises(ValidationError) as caught:
        services.create_group(
            creator=UserFactory(), challenge_areas=[], **group_fields(place_name="Totnes", postcode_district="ZZ9")
        )
    assert "We do not know the postcode district ZZ9." in caught.value.message_dict["postcode_district"][0]


def test_unknown_place_saves_nothing():
    with pytest.raises(ValidationError) as caught:
        services.create_group(creator=UserFactory(), challenge_areas=[], **group_fields(place_name="Atlantis"))
    assert caught.value.message_dict["place_name"] == [
        "We could not find “Atlantis”. Try the nearest town or your postcode district, e.g. OX7."
    ]
    assert not Group.objects.exists() and not Membership.objects.exists()


def test_slugs_are_unique_and_avoid_our_own_pages():
    first = services.create_group(creator=UserFactory(), challenge_areas=[], **group_fields(name="Green Team"))
    second = services.create_group(creator=UserFactory(), challenge_areas=[], **group_fields(name="Green Team"))
    reserved = services.create_group(creator=UserFactory(), challenge_areas=[], **group_fields(name="New"))
    assert (first.slug, second.slug, reserved.slug) == ("green-team", "green-team-2", "new-2")


def test_invalid_values_are_refused_by_the_model():
    with pytest.raises(ValidationError) as caught:
        services.create_group(creator=UserFactory(), challenge_areas=[], **group_fields(deprivation_decile=11))
    assert "deprivation_decile" in caught.value.message_dict
    assert not Group.objects.exists()


# --- Editing --------------------------------------------------------------------------------------


def test_edit_saves_and_bumps_the_version():
    group = GroupFactory(version=3)
    edited = services.update_group(
        group=group, based_on_version=3, challenge_areas=[], **group_fields(place_name="Ludlow", name="Renamed")
    )
    group.refresh_from_db()
    assert (group.name, group.version) == ("Renamed", 4)
    assert group.latitude == pytest.approx(52.37, abs=0.05)
    assert edited.version == 4
    assert group.challenge_areas.count() == 0


def test_second_edit_based_on_the_same_version_is_refused_and_changes_nothing():
    group = GroupFactory(name="Before", version=1)
    services.update_group(group=group, based_on_version=1, challenge_areas=[], **group_fields(name="First editor"))
    with pytest.raises(StaleEdit) as caught:
        services.update_group(group=group, based_on_version=1, challenge_areas=[], **group_fields(name="Second editor"))
    assert caught.value.current.name == "First editor"
    assert caught.value.current.version == 2
    group.refresh_from_db()
    assert (group.name, group.version) == ("First editor", 2)


def test_invalid_edit_does_not_use_up_the_version():
    group = GroupFactory(version=1)
    with pytest.raises(ValidationError):
        services.update_group(group=group, based_on_version=1, challenge_areas=[], **group_fields(population=0))
    group.refresh_from_db()
    assert group.version == 1


def test_edit_keeps_fields_the_form_does_not_cover():
    group = GroupFactory(example_source="BBC, 2010")
    services.update_group(group=group, based_on_version=group.version, challenge_areas=[], **group_fields())
    group.refresh_from_db()
    assert group.example_source == "BBC, 2010"


# --- Owners ---------------------------------------------------------------------------------------


def test_last_owner_cannot_be_removed_demoted_or_leave(group, owner):
    for attempt in (
        lambda: services.remove_member(group=group, user=owner),
        lambda: services.change_role(group=group, user=owner, role=Role.MEMBER),
        lambda: services.leave_group(group=group, user=owner),
    ):
        with pytest.raises(ValidationError) as caught:
            attempt()
        assert caught.value.code == "last_owner"
    assert Membership.objects.get(group=group, user=owner).role == Role.OWNER


def test_one_of_two_owners_may_leave(group, owner):
    other_owner = MembershipFactory(group=group, role=Role.OWNER).user
    services.leave_group(group=group, user=owner)
    assert list(Membership.objects.filter(group=group).values_list("user", "role")) == [(other_owner.pk, Role.OWNER)]


def test_organisers_and_members_can_leave(group, owner, organiser, member):
    services.leave_group(group=group, user=organiser)
    services.leave_group(group=group, user=member)
    assert list(Membership.objects.filter(group=group).values_list("user", flat=True)) == [owner.pk]


def test_transfer_makes_the_member_owner_and_the_old_owner_organiser(group, owner, member):
    services.transfer_ownership(group=group, from_user=owner, to_user=member)
    roles = dict(Membership.objects.filter(group=group).values_list("user", "role"))
    assert roles == {owner.pk: Role.ORGANISER, member.pk: Role.OWNER}


def test_transfer_only_to_a_member_and_only_by_an_owner(group, owner, organiser):
    stranger = UserFactory()
    with pytest.raises(ValidationError):
        services.transfer_ownership(group=group, from_user=owner, to_user=stranger)
    with pytest.raises(ValidationError):
        services.transfer_ownership(group=group, from_user=organiser, to_user=owner)
    assert Membership.objects.get(group=group, user=owner).role == Role.OWNER


def test_promote_and_demote(group, owner, member):
    services.change_role(group=group, user=member, role=Role.ORGANISER)
    assert Membership.objects.get(group=group, user=member).role == Role.ORGANISER
    services.change_role(group=group, user=member, role=Role.MEMBER)
    assert Membership.objects.get(group=group, user=member).role == Role.MEMBER
    with pytest.raises(ValidationError):
        services.change_role(group=group, user=member, role=Role.OWNER)


# --- Invitations ----------------------------------------------------------------------------------


def test_invitation_has_a_long_token_expires_in_a_week_and_is_mailed_after_commit(
    group, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite_organiser(group=group, email="sam@example.org", invited_by=owner)
    assert len(invitation.token) >= 43
    assert abs(invitation.expires_at - invitation.created_at - dt.timedelta(days=7)) < dt.timedelta(seconds=5)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sam@example.org"]
    assert f"/groups/invitations/{invitation.token}/" in mail.outbox[0].body
    invitation.refresh_from_db()
    assert invitation.sent_at is not None


def test_a_new_invitation_replaces_the_pending_one(group, owner):
    first = services.invite_organiser(group=group, email="sam@example.org", invited_by=owner)
    second = services.invite_organiser(group=group, email="SAM@example.org", invited_by=owner)
    first.refresh_from_db()
    assert first.expires_at <= timezone.now() < second.expires_at


def test_no_invitation_for_someone_who_already_runs_the_group(group, owner, organiser):
    with pytest.raises(ValidationError) as caught:
        services.invite_organiser(group=group, email=organiser.email.upper(), invited_by=owner)
    assert "email" in caught.value.message_dict
    assert not Invitation.objects.exists()


def test_accepting_makes_an_organiser_and_uses_the_invitation(group):
    user = UserFactory(email="sam@example.org")
    invitation = InvitationFactory(group=group, email="Sam@Example.org")
    membership = services.accept_invitation(token=invitation.token, user=user)
    assert (membership.group, membership.user, membership.role) == (group, user, Role.ORGANISER)
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and invitation.accepted_at is not None
    with pytest.raises(services.InvitationUsed):
        services.accept_invitation(token=invitation.token, user=user)


def test_accepting_upgrades_a_member_but_never_downgrades_an_owner(group, member, owner):
    services.accept_invitation(token=InvitationFactory(group=group, email=member.email).token, user=member)
    services.accept_invitation(token=InvitationFactory(group=group, email=owner.email).token, user=owner)
    roles = dict(Membership.objects.filter(group=group).values_list("user", "role"))
    assert roles == {member.pk: Role.ORGANISER, owner.pk: Role.OWNER}


def test_expired_invitation_is_refused(group):
    user = UserFactory()
    invitation = InvitationFactory(group=group, email=user.email, expires_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(services.InvitationExpired):
        services.accept_invitation(token=invitation.token, user=user)
    assert not Membership.objects.filter(user=user).exists()


def test_invitation_for_another_address_or_an_unverified_one_is_refused(group):
    invitation = InvitationFactory(group=group, email="sam@example.org")
    with pytest.raises(services.InvitationWrongAccount):
        services.accept_invitation(token=invitation.token, user=UserFactory())
    unverified = UserFactory(verified=False)
    EmailAddress.objects.create(user=unverified, email="sam@example.org", verified=False)
    with pytest.raises(services.InvitationWrongAccount):
        services.accept_invitation(token=invitation.token, user=unverified)
    assert not Membership.objects.filter(group=group).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
