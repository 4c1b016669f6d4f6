"""Who may use each page that changes a group, for every kind of visitor.

Staff users get no special rights on these pages: they are strangers to the group unless they are
members. They manage groups through the admin instead.
"""

import pytest
from django.urls import reverse

from groups.models import Group, Invitation, Membership

from ..factories import GroupFactory, MembershipFactory, UserFactory
from .factories import InvitationFactory

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "stranger", "member", "organiser", "owner", "staff")
LOGIN = "login"
MANAGERS_ONLY = {"anonymous": LOGIN, "stranger": 403, "member": 403, "organiser": 200, "owner": 200, "staff": 403}
MANAGERS_CHANGE = {**MANAGERS_ONLY, "organiser": 302, "owner": 302}
OWNERS_ONLY = {"anonymous": LOGIN, "stranger": 403, "member": 403, "organiser": 403, "owner": 302, "staff": 403}
SIGNED_IN = {"anonymous": LOGIN, "stranger": 200, "member": 200, "organiser": 200, "owner": 200, "staff": 200}

# url name, method, whether the URL names a membership (the target member), expected result by role
TABLE = [
    ("create", "get", SIGNED_IN),
    ("create", "post", {role: 302 if status == 200 else status for role, status in SIGNED_IN.items()}),
    ("edit", "get", MANAGERS_ONLY),
    ("edit", "post", MANAGERS_CHANGE),
    ("members", "get", MANAGERS_ONLY),
    ("invite", "post", OWNERS_ONLY),
    ("change_role", "post", OWNERS_ONLY),
    ("remove_member", "post", OWNERS_ONLY),
    ("transfer_ownership", "post", OWNERS_ONLY),
    # The owner here is the only owner, so leaving is refused (409) until they hand over.
    ("leave", "post", {**OWNERS_ONLY, "member": 302, "organiser": 302, "owner": 409}),
    # An invitation is accepted by whoever holds the invited (verified) address, whatever their role.
    ("accept_invitation", "post", dict.fromkeys(ROLES, 302) | {"anonymous": LOGIN}),
]
CASES = [(name, method, role, expected[role]) for name, method, expected in TABLE for role in ROLES]


@pytest.fixture
def world(group_data):
    group = GroupFactory()
    people = {
        "stranger": UserFactory(),
        "staff": UserFactory(is_staff=True, is_superuser=True),
        **{role: MembershipFactory(group=group, role=role).user for role in ("member", "organiser", "owner")},
    }
    target = MembershipFactory(group=group, role="member")
    return group, people, target


def snapshot():
    return (
        sorted(Group.objects.values_list("pk", "name", "version")),
        sorted(Membership.objects.values_list("group", "user", "role")),
        sorted(Invitation.objects.values_list("pk", "accepted_at")),
    )


@pytest.mark.parametrize(("name", "method", "role", "expected"), CASES, ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CASES])
def test_who_may_use_each_page(client, world, group_data, name, method, role, expected):
    group, people, target = world
    user = people.get(role)
    if user is not None:
        client.force_login(user)
    data = {}
    if name == "create":
        url = reverse("groups:create")
        data = group_data()
    elif name == "accept_invitation":
        invitation = InvitationFactory(group=group, email=user.email if user else "nobody@example.org")
        url = reverse("groups:accept_invitation", kwargs={"token": invitation.token})
    else:
        kwargs = {"slug": group.slug}
        if name in ("change_role", "remove_member", "transfer_ownership"):
            kwargs["membership_id"] = target.pk
        url = reverse(f"groups:{name}", kwargs=kwargs)
        data = {
            "edit": group_data(name="Renamed", version=str(group.version)),
            "invite": {"email": "new.organiser@example.org"},
            "change_role": {"role": "organiser"},
            "transfer_ownership": {"confirm": "yes"},
            "leave": {"confirm": "yes"},
        }.get(name, {})

    before = snapshot()
    response = client.post(url, data) if method == "post" else client.get(url)
    after = snapshot()

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login") + "?next=")
    else:
        assert response.status_code == expected
    if method == "post" and expected == 302:
        assert after != before, "an allowed change changed nothing"
    else:
        assert after == before, "a refused request changed something"
    if expected == 403:
        assert "Not allowed" in response.content.decode() or "could not accept" in response.content.decode()


@pytest.mark.parametrize("name", ["invite", "change_role", "remove_member", "transfer_ownership", "leave"])
def test_post_only_urls_refuse_get(client, world, name):
    group, people, target = world
    client.force_login(people["owner"])
    kwargs = {"slug": group.slug}
    if name in ("change_role", "remove_member", "transfer_ownership"):
        kwargs["membership_id"] = target.pk
    before = snapshot()
    assert client.get(reverse(f"groups:{name}", kwargs=kwargs)).status_code == 405
    assert snapshot() == before
