"""The README's demo section, step by step, on freshly seeded data, as the people it names.

Right after `make run` the organiser could not post an update: the demo accounts counted as new
(joined at seed time) and the seeded updates filled the new-account hourly limit."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from challenges.models import Solution, Update
from groups.models import Action, ActionSignup, Group, Invitation
from learning.models import Connection, ConnectionMessage

from .groups.test_edit import form_values

pytestmark = pytest.mark.django_db

PASSWORD = "localism-demo"


@pytest.fixture
def demo(db):
    call_command("seed_demo")
    return Group.objects.get(slug="kendal-warm-homes-circle")


def sign_in(client, email):
    client.logout()
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 302, f"{email} cannot sign in"


def test_the_organiser_edits_invites_describes_a_solution_posts_an_update_and_asks_a_peer(client, demo):
    sign_in(client, "organiser@localism.example")
    edit = reverse("groups:edit", kwargs={"slug": demo.slug})
    values = form_values(client.get(edit).content.decode())
    values["summary"] = "Neighbours helping neighbours keep warm, street by street."
    assert client.post(edit, values).status_code == 302
    demo.refresh_from_db()
    assert demo.summary.startswith("Neighbours helping")

    invite = reverse("groups:invite", kwargs={"slug": demo.slug})
    assert client.post(invite, {"email": "new.helper@example.org"}).status_code == 302
    assert Invitation.objects.filter(group=demo, email="new.helper@example.org").exists()

    area = demo.challenge_areas.first()
    response = client.post(
        reverse("challenges:solution_create", kwargs={"group_slug": demo.slug}),
        {
            "title": "Thermal camera loans",
            "challenge_area": str(area.pk),
            "problem": "People cannot see where heat leaks.",
            "approach": "We lend a thermal camera with a guide.",
            "why_here": "Old stone houses leak in places nobody expects.",
            "who_involved": "",
            "resources_needed": "",
            "stage": "pilot",
            "status": "published",
            "tags": "thermal imaging",
        },
    )
    assert response.status_code == 302
    solution = Solution.objects.get(group=demo, title="Thermal camera loans")

    # An update with lessons on the seeded solution that has readings, then on the new one: twice in
    # a row, as someone trying the demo would.
    seeded = Solution.objects.filter(group=demo).exclude(pk=solution.pk).first()
    for target, title in ((seeded, "Ten more homes"), (solution, "First loans")):
        form = client.get(reverse("challenges:update_create", kwargs={"group_slug": demo.slug, "slug": target.slug}))
        reading_fields = [name for name in form_values(form.content.decode()) if name.startswith("readings-value_")]
        data = {
            "title": title,
            "body": "We did it.",
            "status": "published",
            "what_worked": "Going door to door.",
            "what_didnt": "",
            "do_differently": "",
        }
        for name in reading_fields[:1]:
            data[name] = "12"
            data[name.replace("value", "date")] = "2026-11-30"
        url = reverse("challenges:update_create", kwargs={"group_slug": demo.slug, "slug": target.slug})
        response = client.post(url, data)
        assert response.status_code == 302, f"posting {title!r}: {response.status_code}"
        assert Update.objects.filter(solution=target, title=title).exists()

    ulverston = Group.objects.get(slug="ulverston-cosy-homes")
    ask = reverse("learning:ask", kwargs={"slug": ulverston.slug})
    response = client.post(ask, {"from_group": demo.pk, "message": "How did you train volunteers?"})
    assert response.status_code == 302
    connection = Connection.objects.get(from_group=demo, to_group=ulverston)

    sign_in(client, "peer@localism.example")
    respond = reverse("learning:respond", kwargs={"pk": connection.pk})
    assert client.post(respond, {"decision": "accept"}).status_code == 302
    thread = reverse("learning:connection", kwargs={"pk": connection.pk})
    assert client.post(thread, {"body": "Two afternoons with the council's advisers."}).status_code == 302
    assert ConnectionMessage.objects.filter(connection=connection, body__startswith="Two afternoons").exists()


def test_the_resident_signs_up_for_the_repair_cafe_and_follows_its_group(client, demo):
    sign_in(client, "resident@localism.example")
    assert ActionSignup.objects.filter(
        action__title="Draught-busting open house", user__email="resident@localism.example"
    ).exists()
    action = Action.objects.get(title="Repair café at Y Plas")
    signup = reverse("groups:action_signup", kwargs={"slug": action.group.slug, "pk": action.pk})
    assert client.post(signup).status_code == 302
    assert ActionSignup.objects.filter(action=action, user__email="resident@localism.example").exists()
    assert client.post(reverse("groups:follow", kwargs={"slug": action.group.slug}), {"mail": "immediate"}).status_code == 302
    me = client.get(reverse("groups:me")).content.decode()
    assert "Repair café at Y Plas" in me and "Draught-busting open house" in me
