"""The group page: what everyone sees, what those who run the group see, and its cost in queries."""

import re

import pytest
from django.conf import settings
from django.template.backends.django import get_installed_libraries
from django.urls import reverse

from groups import area_table

from ..factories import GroupFactory, MembershipFactory, SolutionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_managers_see_edit_and_members_links(client, group, organiser):
    client.force_login(organiser)
    html = client.get(group.get_absolute_url()).content.decode()
    assert f'href="{reverse("groups:edit", kwargs={"slug": group.slug})}"' in html
    assert f'href="{reverse("groups:members", kwargs={"slug": group.slug})}"' in html


@pytest.mark.parametrize("who", ["anonymous", "stranger", "member"])
def test_others_do_not(client, group, member, who):
    if who != "anonymous":
        client.force_login(member if who == "member" else UserFactory())
    html = client.get(group.get_absolute_url()).content.decode()
    assert "Edit group" not in html and reverse("groups:members", kwargs={"slug": group.slug}) not in html
    assert group.summary in html and group.place_name in html


def test_historical_example_is_labelled(client):
    group = GroupFactory(example_source="NESTA Big Green Challenge, 2010")
    html = client.get(group.get_absolute_url()).content.decode()
    assert "Historical example from public sources:</strong> NESTA Big Green Challenge, 2010." in html
    assert "This organisation is not a user of Localism." in html


def test_fictional_group_has_no_historical_notice(client, group):
    assert "Historical example" not in client.get(group.get_absolute_url()).content.decode()


def test_page_has_no_inline_style_or_script(client, group, owner):
    client.force_login(owner)
    html = client.get(group.get_absolute_url()).content.decode()
    # The one script element is schema.org data (test_structured_data), which a browser never runs.
    assert "style=" not in html and re.findall(r"<script[^>]*>", html) == ['<script type="application/ld+json">']
    assert "css/groups.css" in html


# Anonymous: the group with its challenge areas' ids, organisers and whether actions are coming up; solutions.
# Signed in: + session and user; the viewer's role and follow are read with the group. The challenge areas are
# kept by each process (groups.area_table), read again when one changes.
@pytest.mark.parametrize(("viewer", "most_queries"), [("anonymous", 2), ("owner", 4)])
def test_query_count_does_not_grow_with_members(client, django_assert_max_num_queries, viewer, most_queries):
    def build(size):
        group = GroupFactory()
        owner = MembershipFactory(group=group, role="owner").user
        for index in range(size):
            MembershipFactory(group=group, role="organiser" if index % 3 == 0 else "member")
        SolutionFactory(group=group)
        return group, owner

    small, small_owner = build(2)
    large, large_owner = build(40)
    counts = []
    for group, owner in ((small, small_owner), (large, large_owner)):
        client.logout()
        if viewer == "owner":
            client.force_login(owner)
        area_table.area_table()
        with django_assert_max_num_queries(most_queries) as captured:
            response = client.get(group.get_absolute_url())
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts
    assert large.memberships.filter(role="organiser").count() > 10


def invite_link(group):
    return f'href="{reverse("groups:members", kwargs={"slug": group.slug})}#invite-title">Invite an organiser</a>'


def test_owners_find_invite_an_organiser_on_the_group_page(client, group, owner):
    client.force_login(owner)
    html = client.get(group.get_absolute_url()).content.decode()
    assert invite_link(group) in html
    # It leads to the invitation form on the members page.
    members = client.get(reverse("groups:members", kwargs={"slug": group.slug})).content.decode()
    assert 'id="invite-title">Invite an organiser</h2>' in members


@pytest.mark.parametrize("who", ["anonymous", "stranger", "member", "organiser"])
def test_only_those_who_may_invite_see_the_invite_link(client, group, member, organiser, who):
    """Organisers run the group but do not invite (permissions.can_invite): they see no link to it."""
    if who != "anonymous":
        client.force_login({"member": member, "organiser": organiser}.get(who) or UserFactory())
    html = client.get(group.get_absolute_url()).content.decode()
    assert "Invite an organiser" not in html


def main_content(html):
    return html[html.index("<main") : html.index("</main>")]


def test_a_description_that_starts_with_the_summary_does_not_repeat_it(client):
    group = GroupFactory(
        summary="Neighbours fixing things together.",
        description="Neighbours fixing things  together.\r\n\r\nWe run a **repair café** every month.",
    )
    main = main_content(client.get(group.get_absolute_url()).content.decode())
    assert main.count("Neighbours fixing things") == 1
    assert "About the group" in main and "<strong>repair café</strong>" in main


def test_a_description_that_is_only_the_summary_is_not_shown_twice(client):
    group = GroupFactory(summary="Neighbours fixing things together.", description="Neighbours fixing things together.")
    main = main_content(client.get(group.get_absolute_url()).content.decode())
    assert main.count("Neighbours fixing things together.") == 1
    assert "About the group" not in main


def test_a_different_description_is_shown_under_about(client, group):
    main = main_content(client.get(group.get_absolute_url()).content.decode())
    assert main.count(group.summary) == 1
    assert "About the group" in main and "<strong>Tuesdays</strong>" in main


@pytest.mark.parametrize("who", ["anonymous", "stranger"])
def test_report_comes_after_the_page_content(client, group, who):
    if who == "stranger":
        client.force_login(UserFactory())
    SolutionFactory(group=group)
    MembershipFactory(group=group, role="owner")
    main = main_content(client.get(group.get_absolute_url()).content.decode())
    report = reverse("moderation:report", kwargs={"kind": "group", "pk": group.pk})
    assert main.count(f'href="{report}"') == 1
    assert 'Report<span class="visually-hidden"> this group</span>' in main
    position = main.index(f'href="{report}"')
    for content in ('id="about-title"', 'id="solutions-title"', 'id="people-title"', 'class="follow-panel"'):
        assert main.index(content) < position, content


def test_the_group_page_shows_its_solutions_where_challenges_put_them(client, group, owner):
    solution = SolutionFactory(group=group, title="Street tree pits")
    main = main_content(client.get(group.get_absolute_url()).content.decode())
    assert main.index('id="solutions-title"') < main.index("Street tree pits") < main.index('id="learning-title"')
    assert solution.get_absolute_url() in main and "Describe a solution" not in main
    client.force_login(owner)
    assert "Describe a solution" in client.get(group.get_absolute_url()).content.decode()


def test_group_templates_load_no_template_tags_of_the_apps_above_groups():
    # groups imports no other app (the import contracts check its code); its templates keep to that too:
    # what other apps show on a group's page comes in through groups.page_sections.
    libraries = get_installed_libraries()
    above = ("localism", "demo", "moderation", "accounts", "learning", "challenges")
    for template in (settings.BASE_DIR / "templates" / "groups").rglob("*.html"):
        for names in re.findall(r"{%\s*load\s+([^%]+?)\s*%}", template.read_text()):
            for name in names.split():
                assert not libraries[name].startswith(above), f"{template.name} loads {name}"


def test_the_viewers_role_and_follow_read_with_the_group_are_theirs_only(django_assert_num_queries):
    """selectors.group_detail reads the viewer's role and follow with the group; asked about anyone else,
    the permissions and the follow controls ask the database."""
    from groups import permissions, selectors
    from groups.models import Follow, Group

    group = GroupFactory()
    owner = MembershipFactory(group=group, role="owner").user
    follower = UserFactory()
    Follow.objects.create(group=group, user=follower, mail="weekly")
    seen_by_owner = selectors.group_detail(slug=group.slug, viewer=owner).get()
    seen_by_follower = selectors.group_detail(slug=group.slug, viewer=follower).get()
    with django_assert_num_queries(0):
        assert permissions.role_in_group(owner, seen_by_owner) == "owner"
        assert selectors.follow_mail_of(group=seen_by_owner, user=owner) is None
        assert permissions.role_in_group(follower, seen_by_follower) is None
        assert selectors.follow_mail_of(group=seen_by_follower, user=follower) == "weekly"
    someone_else = UserFactory()
    with django_assert_num_queries(2):
        assert permissions.role_in_group(someone_else, seen_by_owner) is None
        assert selectors.follow_mail_of(group=seen_by_owner, user=follower) == "weekly"
    # Read with only the role (selectors.with_viewer_role, the learning page): the follow is asked for.
    role_only = selectors.with_viewer_role(Group.objects.filter(pk=group.pk), follower).get()
    with django_assert_num_queries(1):
        assert permissions.role_in_group(follower, role_only) is None
        assert selectors.follow_mail_of(group=role_only, user=follower) == "weekly"


def test_the_page_names_the_groups_challenges_or_says_none(client):
    from ..factories import ChallengeAreaFactory

    food, climate = ChallengeAreaFactory(name="Food", slug="food"), ChallengeAreaFactory(name="Climate", slug="climate")
    both, neither = GroupFactory(areas=[food, climate]), GroupFactory(areas=[])
    assert "<dt>Challenges</dt><dd>Climate, Food</dd>" in client.get(both.get_absolute_url()).content.decode()
    assert "<dt>Challenges</dt><dd>—</dd>" in client.get(neither.get_absolute_url()).content.decode()
