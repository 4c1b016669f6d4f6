"""The API's serializers read plain values straight off objects (api.serializers._Direct): what they give
must be exactly what Django REST framework's own field-by-field representation gives."""

import pytest
from django.test import RequestFactory
from rest_framework import serializers as drf

from api import selectors, serializers

pytestmark = pytest.mark.django_db


def _same(serializer_class, instances, **context):
    request = RequestFactory().get("/api/v1/")
    serializer = serializer_class(context={"request": request, **context})
    assert instances, serializer_class
    for instance in instances:
        assert serializer.to_representation(instance) == drf.Serializer.to_representation(serializer, instance)


def test_direct_reads_give_what_drf_gives(world):
    _same(serializers.GroupSerializer, list(selectors.api_groups()))
    _same(serializers.GroupDetailSerializer, [selectors.api_group(slug=world.group.slug)])
    _same(serializers.SolutionSerializer, list(selectors.api_solutions()))
    _same(serializers.UpdateSerializer, list(selectors.api_updates()))
    _same(serializers.ActionSerializer, list(selectors.api_actions()))
    _same(serializers.ChallengeSerializer, list(selectors.api_challenges()))
    _same(serializers.AwardSerializer, list(selectors.api_awards()))
    _same(serializers.PeerSerializer, selectors.api_peers(group=world.group))
    entries = selectors.api_challenge_entries(challenge=world.challenge)
    _same(serializers.EntrySerializer, entries, challenge=world.challenge)


def test_a_missing_value_is_null_as_in_drf(world):
    world.group.latitude = world.group.longitude = None
    world.group.save()
    assert serializers.GroupSerializer(context={"request": None}).to_representation(world.group)["latitude"] is None
    _same(serializers.GroupSerializer, [selectors.api_group(slug=world.group.slug)])
