import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from challenges.models import MetricReading, Solution, Update
from groups.models import Group, Membership

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (User, Group, Membership, Solution, Update, MetricReading)]


def test_seed_demo_is_idempotent_and_realistic(capsys):
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    assert Group.objects.filter(area_kind="urban").exists()
    assert Group.objects.filter(area_kind__in=["rural", "island"]).exists()
    # Real organisations are labelled as historical examples with sources.
    eigg = Group.objects.get(slug="isle-of-eigg-heritage-trust")
    assert eigg.example_source
    assert "not a user of Localism" in Client().get(eigg.get_absolute_url()).content.decode()
    assert not eigg.memberships.exists()
    assert User.objects.filter(email="organiser@localism.example", memberships__role="owner").exists()
    assert "organiser@localism.example" in capsys.readouterr().out
    # Learning pages are alive from the start: every demo group has its peers.
    from learning.models import Peer

    assert Peer.objects.filter(group=eigg).count() >= 10


def test_demo_users_can_log_in(client):
    call_command("seed_demo")
    response = client.post("/accounts/login/", {"login": "resident@localism.example", "password": "localism-demo"})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_a_peer_of_the_organisers_group_is_run_by_another_demo_account_who_can_answer(client):
    from learning.models import Connection

    call_command("seed_demo")
    kendal = Group.objects.get(slug="kendal-warm-homes-circle")
    peer = User.objects.get(email="peer@localism.example")
    assert not kendal.memberships.filter(user=peer).exists()

    client.post("/accounts/login/", {"login": "organiser@localism.example", "password": "localism-demo"})
    page = client.get(f"/learning/groups/{kendal.slug}/")
    shown = [match.peer for match in page.context["peers"]]
    theirs = [group for group in shown if group.memberships.filter(user=peer, role="owner").exists()]
    assert theirs, "one of Kendal's peers is run by peer@localism.example"
    ask_url = f"/learning/groups/{theirs[0].slug}/ask/?from={kendal.slug}"
    assert ask_url in page.content.decode()
    response = client.post(ask_url, {"from_group": kendal.pk, "message": "How do you train volunteers?"})
    assert response.status_code == 302
    connection = Connection.objects.get(from_group=kendal, to_group=theirs[0])

    client.logout()
    response = client.post("/accounts/login/", {"login": "peer@localism.example", "password": "localism-demo"})
    assert response.status_code == 302
    assert client.post(f"/learning/connections/{connection.pk}/respond/", {"decision": "accept"}).status_code == 302
    response = client.post(
        f"/learning/connections/{connection.pk}/", {"body": "An afternoon with the energy advisers."}
    )
    assert response.status_code == 302
    assert connection.messages.filter(author=peer).exists()
