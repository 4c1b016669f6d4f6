"""The reviewer's score form names each criterion as the funder wrote it."""

from django.urls import reverse

from .factories import ChallengeFactory, EntryFactory


def test_private_note_label_keeps_the_criterion_name_as_written(client, funder, funder_user):
    challenge = ChallengeFactory(funder=funder, criteria=[("CO2 cut achieved", 2)])
    criterion = challenge.criteria.get()
    entry = EntryFactory(challenge=challenge)
    client.force_login(funder_user)
    page = client.get(reverse("challenges:entry", kwargs={"slug": challenge.slug, "pk": entry.pk})).content.decode()
    assert f'for="id_note_{criterion.pk}">Private note on CO2 cut achieved<' in page
    assert "co2 cut achieved" not in page
