"""Who may open and submit every form that changes solutions and updates.

Staff are treated like anyone else on the site: they manage groups through the admin, and only a
group's owners and organisers write its solutions and updates here.
"""

import pytest
from django.urls import reverse

from challenges.models import Solution, Update
from tests.factories import MembershipFactory, SolutionFactory, UpdateFactory, UserFactory

from .conftest import solution_post, update_post

pytestmark = pytest.mark.django_db

ROLES = [
    # role, expected status for GET and POST
    ("anonymous", 302),
    ("stranger", 403),
    ("staff", 403),
    ("member", 403),
    ("organiser", 200),
    ("owner", 200),
]


def login_as(client, role, group):
    if role == "anonymous":
        return None
    if role in ("owner", "organiser", "member"):
        user = MembershipFactory(group=group, role=role).user
    else:
        user = UserFactory(is_staff=role == "staff", is_superuser=role == "staff")
    client.force_login(user)
    return user


def targets(group):
    solution = SolutionFactory(group=group, title="Warm homes", slug="warm-homes")
    update = UpdateFactory(solution=solution)
    area = solution.challenge_area
    return {
        "solution_create": (
            reverse("challenges:solution_create", kwargs={"group_slug": group.slug}),
            solution_post(area, title="A brand new solution"),
        ),
        "solution_edit": (
            reverse("challenges:solution_edit", kwargs={"group_slug": group.slug, "slug": solution.slug}),
            solution_post(area, title="An edited title", version="1"),
        ),
        "update_create": (
            reverse("challenges:update_create", kwargs={"group_slug": group.slug, "slug": solution.slug}),
            update_post(title="A brand new update"),
        ),
        "update_edit": (
            reverse(
                "challenges:update_edit", kwargs={"group_slug": group.slug, "slug": solution.slug, "pk": update.pk}
            ),
            update_post(title="An edited update"),
        ),
    }


def changed(name):
    return {
        "solution_create": lambda: Solution.objects.filter(title="A brand new solution").exists(),
        "solution_edit": lambda: Solution.objects.filter(title="An edited title").exists(),
        "update_create": lambda: Update.objects.filter(title="A brand new update").exists(),
        "update_edit": lambda: Update.objects.filter(title="An edited update").exists(),
    }[name]()


@pytest.mark.parametrize("url_name", ["solution_create", "solution_edit", "update_create", "update_edit"])
@pytest.mark.parametrize(("role", "expected"), ROLES)
def test_who_may_open_and_submit_each_form(client, group, url_name, role, expected):
    url, data = targets(group)[url_name]
    login_as(client, role, group)

    page = client.get(url)
    assert page.status_code == expected
    if role == "anonymous":
        assert page["Location"].startswith(reverse("account_login"))

    response = client.post(url, data)
    if expected == 200:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert changed(url_name)
    else:
        assert response.status_code == expected
        assert not changed(url_name)


@pytest.mark.parametrize("url_name", ["solution_edit", "update_create"])
def test_strangers_get_404_for_a_draft_solutions_forms(client, group, url_name):
    solution = SolutionFactory(group=group, status="draft")
    client.force_login(UserFactory())
    url = reverse(f"challenges:{url_name}", kwargs={"group_slug": group.slug, "slug": solution.slug})
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404


def test_strangers_get_404_for_a_draft_updates_edit_form(client, group):
    update = UpdateFactory(solution=SolutionFactory(group=group), status="draft", published_at=None)
    client.force_login(MembershipFactory(group=group, role="member").user)
    url = reverse(
        "challenges:update_edit",
        kwargs={"group_slug": group.slug, "slug": update.solution.slug, "pk": update.pk},
    )
    assert client.get(url).status_code == 404


def test_organiser_of_another_group_may_not_edit(client, group):
    solution = SolutionFactory(group=group)
    client.force_login(MembershipFactory(role="organiser").user)  # organiser elsewhere
    url = reverse("challenges:solution_edit", kwargs={"group_slug": group.slug, "slug": solution.slug})
    assert client.get(url).status_code == 403


def test_unknown_group_is_404(client, owner):
    client.force_login(owner)
    assert client.get(reverse("challenges:solution_create", kwargs={"group_slug": "nope"})).status_code == 404
