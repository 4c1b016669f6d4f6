import pytest
from django.core.management import call_command

from challenges.models import MetricReading, Solution, Update
from groups.models import Group

pytestmark = pytest.mark.django_db


def test_seed_scale_creates_complete_groups_and_only_what_is_missing(capsys):
    call_command("seed_scale", groups=30)
    assert Group.objects.filter(slug__startswith="scale-").count() == 30
    assert Solution.objects.filter(group__slug__startswith="scale-", status="published").count() == 30
    assert Update.objects.count() == 60
    assert MetricReading.objects.count() == 60
    group = Group.objects.filter(slug__startswith="scale-").first()
    assert group.latitude is not None and 49 < group.latitude < 61
    assert group.challenge_areas.exists()
    assert 1 <= group.deprivation_decile <= 10

    call_command("seed_scale", groups=40)
    assert Group.objects.filter(slug__startswith="scale-").count() == 40
    call_command("seed_scale", groups=40)
    assert Group.objects.filter(slug__startswith="scale-").count() == 40
    assert "Created 0 synthetic groups" in capsys.readouterr().out


def test_seed_scale_refuses_nonsense():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("seed_scale", groups=-1)


def test_seeded_groups_count_at_once_on_the_list(client, settings):
    """Bulk inserts send no model signals; seed_scale retires the lists' kept counts itself."""
    from django.urls import reverse

    settings.LIST_COUNT_CACHE_SECONDS = 60
    call_command("seed_scale", groups=30)
    assert "30 groups" in client.get(reverse("groups:list")).content.decode()
    call_command("seed_scale", groups=45)
    assert "45 groups" in client.get(reverse("groups:list")).content.decode()
