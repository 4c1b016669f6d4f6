"""UK GDPR: a person downloads everything we hold about them, and deletes their account.

Deleting keeps the user row, anonymised, so what they wrote for groups stays with the group as “Former member”.
"""

import datetime as dt
import json

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import selectors
from accounts.models import User
from challenges.models import UpdateImage
from groups.models import ActionSignup, Follow, Invitation, Membership, Role, SignupStatus
from learning.models import Connection, ConnectionMessage

from ..factories import PASSWORD, GroupFactory, MembershipFactory, SolutionFactory, UpdateFactory, UserFactory
from ..funders.factories import FunderMembershipFactory, ScoreFactory
from ..groups.factories import InvitationFactory
from ..residents.factories import ActionFactory, FollowFactory, SignupFactory

pytestmark = pytest.mark.django_db

DATA_URL = reverse("accounts:my_data")
DOWNLOAD_URL = reverse("accounts:my_data_download")
DELETE_URL = reverse("accounts:delete")


def moderation_model(name):
    if not apps.is_installed("moderation"):
        return None
    return next(c for c in apps.get_app_configs() if c.name == "moderation").get_model(name)


def give_data(user, *, size, marker):
    """`size` of every kind of thing Localism can hold about `user`; every text carries `marker`."""
    EmailAddress.objects.create(user=user, email=f"{marker.lower()}-old@example.org", verified=False)
    for n in range(size):
        group = GroupFactory(name=f"{marker} group {n}")
        other = GroupFactory(name=f"{marker} peer group {n}")
        MembershipFactory(group=group, user=user, role=Role.ORGANISER)
        MembershipFactory(group=group, role=Role.OWNER)
        InvitationFactory(group=group, email=user.email.upper())
        FollowFactory(group=other, user=user, mail="weekly")
        SignupFactory(action=ActionFactory(group=other, title=f"{marker} repair café {n}"), user=user)
        ActionFactory(group=group, created_by=user, title=f"{marker} litter pick {n}")
        update = UpdateFactory(solution=SolutionFactory(group=group), author=user, body=f"{marker} update text {n}")
        UpdateImage.objects.create(update=update, image=f"updates/{marker}-{n}.jpg", alt_text=f"{marker} photo {n}")
        connection = Connection.objects.create(from_group=group, to_group=other, requested_by=user)
        ConnectionMessage.objects.create(
            connection=connection, sender_group=group, author=user, body=f"{marker} question {n}"
        )
        FunderMembershipFactory(user=user)
        ScoreFactory(reviewer=user, note=f"{marker} review note {n}")
        Case, Report, Appeal = (moderation_model(name) for name in ("Case", "Report", "Appeal"))
        if Case is not None:
            case = Case.objects.create(kind="update", update=update, title=f"{marker} reported {n}")
            Report.objects.create(case=case, reporter=user, reason="spam", details=f"{marker} report details {n}")
            Appeal.objects.create(case=case, by=user, text=f"{marker} appeal text {n}")


def export_of(user):
    return json.loads(json.dumps(selectors.personal_data_for(user), default=str))


# --- Download ------------------------------------------------------------------------------------


def test_data_page_explains_and_links_the_download(client):
    client.force_login(UserFactory())
    response = client.get(DATA_URL)
    assert response.status_code == 200
    assert b"What is in the file" in response.content
    assert DOWNLOAD_URL.encode() in response.content


def test_profile_links_download_and_delete(client):
    client.force_login(UserFactory())
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Your data" in page
    assert DATA_URL in page and DELETE_URL in page


def test_download_is_a_dated_json_attachment_with_every_kind_of_their_data(client):
    user = UserFactory(email="kim@example.org", display_name="Kim from Totnes", home_area="TQ9")
    give_data(user, size=1, marker="Mine")
    client.force_login(user)

    response = client.get(DOWNLOAD_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="localism-my-data-{today}.json"'
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    profile = data["profile"]
    assert (profile["email"], profile["display_name"], profile["home_area"]) == (
        "kim@example.org",
        "Kim from Totnes",
        "TQ9",
    )
    assert profile["date_joined"] and profile["last_login"]
    assert {a["email"] for a in data["email_addresses"]} == {"kim@example.org", "mine-old@example.org"}
    assert data["group_memberships"][0]["group"] == "Mine group 0"
    assert data["group_memberships"][0]["role"] == "organiser"
    assert data["invitations_to_you"][0]["group"] == "Mine group 0"
    assert data["follows"][0] == {
        "group": "Mine peer group 0",
        "group_slug": data["follows"][0]["group_slug"],
        "mail": "weekly",
        "since": data["follows"][0]["since"],
    }
    assert data["action_signups"][0]["action"] == "Mine repair café 0"
    assert data["action_signups"][0]["status"] == "confirmed"
    assert data["actions_you_published"][0]["title"] == "Mine litter pick 0"
    assert data["updates_you_wrote"][0]["body"] == "Mine update text 0"
    assert data["updates_you_wrote"][0]["images"][0]["description"] == "Mine photo 0"
    assert data["connections_you_requested"][0]["to_group"] == "Mine peer group 0"
    assert data["connection_messages_you_wrote"][0]["body"] == "Mine question 0"
    assert len(data["funder_memberships"]) == 1
    assert data["review_scores_you_gave"][0]["note"] == "Mine review note 0"
    if moderation_model("Report") is not None:
        assert data["moderation_reports_you_made"][0]["details"] == "Mine report details 0"
        assert data["moderation_appeals_you_made"][0]["text"] == "Mine appeal text 0"


def test_export_holds_nothing_of_another_person(db):
    me = UserFactory(email="me@example.org", display_name="Me")
    them = UserFactory(email="them@example.org", display_name="Them Person")
    give_data(me, size=2, marker="Mine")
    give_data(them, size=2, marker="Theirs")
    # They also act in my groups: an update on my group's solution, a sign-up to the same action.
    my_group = Membership.objects.filter(user=me).first().group
    MembershipFactory(group=my_group, user=them)
    UpdateFactory(solution=SolutionFactory(group=my_group), author=them, body="Theirs on my group")
    SignupFactory(action=ActionSignup.objects.filter(user=me).first().action, user=them)

    text = json.dumps(export_of(me))

    assert "Mine update text 1" in text
    for trace in ("Theirs", "them@example.org", "Them Person", "theirs-old@example.org"):
        assert trace not in text


@pytest.mark.parametrize("size", [1, 4])
def test_export_runs_the_same_number_of_queries_for_any_amount_of_data(django_assert_max_num_queries, size):
    user = UserFactory()
    give_data(user, size=size, marker="Mine")
    with django_assert_max_num_queries(24):
        data = selectors.personal_data_for(user)
    assert len(data["updates_you_wrote"]) == size


def test_anonymous_visitors_are_sent_to_log_in(client):
    for response in (client.get(DATA_URL), client.get(DOWNLOAD_URL), client.get(DELETE_URL), client.post(DELETE_URL)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


# --- Delete --------------------------------------------------------------------------------------


def test_delete_page_explains_and_changes_nothing(client):
    user = UserFactory(display_name="Kim")
    MembershipFactory(user=user)
    client.force_login(user)

    response = client.get(DELETE_URL)

    assert response.status_code == 200
    assert b"Former member" in response.content
    assert b'name="confirmation"' in response.content
    assert b'for="id_confirmation"' in response.content
    user.refresh_from_db()
    assert user.is_active and user.deleted_at is None and user.display_name == "Kim"
    assert Membership.objects.filter(user=user).exists()


def test_deleting_anonymises_the_account_and_keeps_their_update_as_former_member(client):
    group = GroupFactory()
    MembershipFactory(group=group, role=Role.OWNER)
    user = MembershipFactory(
        group=group,
        role=Role.ORGANISER,
        user=UserFactory(email="kim@example.org", display_name="Kim Lee", home_area="TQ9"),
    ).user
    FollowFactory(group=group, user=user)
    update = UpdateFactory(solution=SolutionFactory(group=group), author=user, title="We insulated ten homes")
    client.force_login(user)

    response = client.post(DELETE_URL, {"confirmation": "Kim@Example.org "})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert "Your account is deleted" in client.get(reverse("home")).content.decode()
    assert "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert user.email == f"deleted-{user.pk}@localism.invalid"
    assert (user.display_name, user.home_area, user.last_login) == ("Former member", "", None)
    assert not user.is_active and not user.has_usable_password()
    assert user.deleted_at is not None
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Membership.objects.filter(user=user).exists()
    assert not Follow.objects.filter(user=user).exists()

    page = client.get(update.get_absolute_url()).content.decode()
    assert "We insulated ten homes" in page
    assert "Former member" in page
    assert "Kim Lee" not in page and "kim@example.org" not in page and "localism.invalid" not in page


def test_delete_word_confirms_too(client):
    user = UserFactory()
    client.force_login(user)
    assert client.post(DELETE_URL, {"confirmation": "DELETE"}).status_code == 302
    user.refresh_from_db()
    assert user.deleted_at is not None


def test_their_place_at_an_action_goes_to_the_first_person_waiting(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    action = ActionFactory(capacity=1, title="Repair café")
    user = UserFactory()
    SignupFactory(action=action, user=user, status=SignupStatus.CONFIRMED)
    waiting = SignupFactory(
        action=action,
        user=UserFactory(email="next@example.org"),
        status=SignupStatus.WAITING,
        notice_sent_at=timezone.now(),
    )
    client.force_login(user)

    # The promoted person's mail goes from a task after commit; run what was queued, as a commit would.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(DELETE_URL, {"confirmation": "DELETE"})

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == SignupStatus.CONFIRMED
    assert not ActionSignup.objects.filter(user=user).exists()
    assert [m.to for m in mailoutbox] == [["next@example.org"]]


def test_past_sign_ups_are_removed_too(client):
    user = UserFactory()
    start = timezone.now() - dt.timedelta(days=3)
    SignupFactory(action=ActionFactory(starts_at=start, ends_at=start + dt.timedelta(hours=2)), user=user)
    client.force_login(user)
    assert client.post(DELETE_URL, {"confirmation": "DELETE"}).status_code == 302
    assert not ActionSignup.objects.filter(user=user).exists()


def test_invitations_waiting_for_them_are_withdrawn_and_accepted_ones_lose_their_address(client):
    user = UserFactory(email="kim@example.org")
    waiting = InvitationFactory(email="KIM@example.org")
    accepted = InvitationFactory(email="kim@example.org", accepted_at=timezone.now(), accepted_by=user)
    someone_elses = InvitationFactory(email="sam@example.org")
    client.force_login(user)

    client.post(DELETE_URL, {"confirmation": "DELETE"})

    assert not Invitation.objects.filter(pk=waiting.pk).exists()
    accepted.refresh_from_db()
    assert accepted.email == f"deleted-{user.pk}@localism.invalid"
    assert Invitation.objects.get(pk=someone_elses.pk).email == "sam@example.org"


def test_their_messages_to_other_groups_stay_as_former_member(client):
    group, peer = GroupFactory(), GroupFactory()
    MembershipFactory(group=group, role=Role.OWNER)
    user = MembershipFactory(group=group, role=Role.ORGANISER).user
    connection = Connection.objects.create(from_group=group, to_group=peer, requested_by=user, status="accepted")
    message = ConnectionMessage.objects.create(connection=connection, sender_group=group, author=user, body="Hello")
    peer_owner = MembershipFactory(group=peer, role=Role.OWNER).user
    client.force_login(user)
    client.post(DELETE_URL, {"confirmation": "DELETE"})

    client.force_login(peer_owner)
    page = client.get(reverse("learning:connection", kwargs={"pk": connection.pk})).content.decode()
    assert "Hello" in page and "Former member" in page
    assert ConnectionMessage.objects.get(pk=message.pk).author_id == user.pk


def test_sole_owner_of_a_group_with_members_is_refused_and_the_form_kept(client):
    group = GroupFactory(name="Totnes Repair Café")
    user = MembershipFactory(group=group, role=Role.OWNER, user=UserFactory(email="kim@example.org")).user
    MembershipFactory(group=group, role=Role.MEMBER)
    client.force_login(user)

    response = client.post(DELETE_URL, {"confirmation": "kim@example.org"})

    assert response.status_code == 409
    page = response.content.decode()
    assert "You are the only owner of “Totnes Repair Café”" in page
    assert reverse("groups:members", kwargs={"slug": group.slug}) in page
    assert 'value="kim@example.org"' in page
    user.refresh_from_db()
    assert user.is_active and user.deleted_at is None and user.email == "kim@example.org"
    assert Membership.objects.filter(user=user, group=group, role=Role.OWNER).exists()


def test_sole_owner_and_only_member_is_refused_with_a_link_to_the_group(client):
    group = GroupFactory(name="Just Me")
    user = MembershipFactory(group=group, role=Role.OWNER).user
    client.force_login(user)

    assert "you are its only member" in client.get(DELETE_URL).content.decode()
    response = client.post(DELETE_URL, {"confirmation": "DELETE"})

    assert response.status_code == 409
    page = response.content.decode()
    assert "You are the only member of “Just Me”" in page
    assert group.get_absolute_url() in page
    assert User.objects.get(pk=user.pk).deleted_at is None


def test_one_of_two_owners_may_delete_and_the_group_keeps_its_other_owner(client):
    group = GroupFactory()
    user = MembershipFactory(group=group, role=Role.OWNER).user
    other_owner = MembershipFactory(group=group, role=Role.OWNER).user
    client.force_login(user)

    assert client.post(DELETE_URL, {"confirmation": "DELETE"}).status_code == 302
    assert list(Membership.objects.filter(group=group).values_list("user_id", "role")) == [(other_owner.pk, Role.OWNER)]


def test_wrong_confirmation_is_refused_and_what_they_typed_kept(client):
    user = UserFactory(email="kim@example.org")
    client.force_login(user)

    response = client.post(DELETE_URL, {"confirmation": "kim@example.com"})

    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="kim@example.com"' in page
    assert "neither your email address (kim@example.org) nor the word DELETE" in page
    user.refresh_from_db()
    assert user.is_active and user.deleted_at is None


def test_empty_confirmation_is_refused(client):
    client.force_login(UserFactory())
    response = client.post(DELETE_URL, {})
    assert response.status_code == 400
    assert b"Type your email address or the word DELETE to confirm." in response.content


def test_deleted_person_can_no_longer_log_in(client):
    user = UserFactory(email="kim@example.org")
    client.force_login(user)
    client.post(DELETE_URL, {"confirmation": "DELETE"})
    user.refresh_from_db()

    for login in ("kim@example.org", user.email):
        response = client.post(reverse("account_login"), {"login": login, "password": PASSWORD})
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session


def test_their_other_sessions_end_on_the_next_request(client):
    user = UserFactory()
    other_browser = Client()
    other_browser.force_login(user)
    assert other_browser.get(reverse("accounts:profile")).status_code == 200
    client.force_login(user)

    client.post(DELETE_URL, {"confirmation": "DELETE"})

    response = other_browser.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_inactive_account_alone_ends_a_session(client):
    """Even with the same password hash, Django's backend refuses an inactive user on the next request."""
    user = UserFactory()
    client.force_login(user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_deleting_an_account_twice_changes_nothing_the_second_time(db):
    from accounts import services

    user = services.delete_account(user=UserFactory())
    deleted_at = user.deleted_at
    again = services.delete_account(user=user)
    assert again.deleted_at == deleted_at
    assert again.email == f"deleted-{user.pk}@localism.invalid"
