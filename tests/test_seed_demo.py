import pytest
from django.core.management import call_command
from django.test import Client

from challenges.models import MetricReading, Solution, Update
from groups.models import Group, Membership
from localism.accounts.models import User

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
