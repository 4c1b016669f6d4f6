"""A resident's own page: their groups, their places and waiting-list places, and what is new."""

from django.urls import reverse

from groups import actions

from ..factories import GroupFactory, MembershipFactory, UserFactory
from .factories import ActionFactory, ActivityFactory, FollowFactory

URL = reverse("groups:me")


def test_me_needs_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_me_lists_groups_places_waiting_positions_and_news(client, db):
    resident = UserFactory()
    member_of = MembershipFactory(user=resident, role="member").group
    followed = FollowFactory(user=resident, mail="weekly").group
    full = ActionFactory(group=followed, capacity=1, title="Full seed swap")
    actions.sign_up(action_id=full.pk, user=UserFactory())
    actions.sign_up(action_id=full.pk, user=UserFactory())
    actions.sign_up(action_id=full.pk, user=resident)
    open_action = ActionFactory(group=member_of, title="Open work day")
    actions.sign_up(action_id=open_action.pk, user=resident)
    ActivityFactory(group=followed, title="We planted 40 trees")
    ActivityFactory(title="Someone else's news")
    client.force_login(resident)
    html = client.get(URL).content.decode()
    assert member_of.name in html and followed.name in html and "weekly digest" in html
    assert "Full seed swap" in html and "Waiting list: number 2" in html
    assert "Open work day" in html and "You have a place" in html
    assert "We planted 40 trees" in html and "Someone else's news" not in html


def test_me_runs_a_fixed_number_of_queries(client, db, django_assert_max_num_queries):
    def build(size):
        resident = UserFactory()
        for _ in range(size):
            group = GroupFactory()
            MembershipFactory(group=group, user=resident)
            FollowFactory(user=resident)
            action = ActionFactory(group=group, capacity=1)
            actions.sign_up(action_id=action.pk, user=UserFactory())
            actions.sign_up(action_id=action.pk, user=resident)
            ActivityFactory(group=group)
        return resident

    counts = []
    for resident in (build(2), build(15)):
        client.force_login(resident)
        # Session, user, then groups, sign-ups and news: one query each.
        with django_assert_max_num_queries(5) as captured:
            assert client.get(URL).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts
