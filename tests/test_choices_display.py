"""get_FOO_display() answers from a dict built once per field (core.choices), exactly as Django's own."""

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from core.choices import ChoicesDisplay

OUR_APPS = {"accounts", "core", "groups", "challenges", "learning", "moderation", "api"}


def _models_with_choices():
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        fields = [f for f in model._meta.concrete_fields if f.choices]
        if fields:
            yield model, fields


def test_every_model_of_ours_with_choices_uses_the_fast_display():
    found = list(_models_with_choices())
    assert len(found) >= 10
    slow = [m.__name__ for m, _ in found if not issubclass(m, ChoicesDisplay)]
    assert slow == []


@pytest.mark.parametrize("language", ["en-gb", "cy"])
def test_every_label_is_djangos_own_in_each_language(language):
    checked = 0
    with translation.override(language):
        for model, fields in _models_with_choices():
            for field in fields:
                for value, _label in field.flatchoices:
                    obj = model(**{field.attname: value})
                    ours = getattr(obj, f"get_{field.name}_display")()
                    assert ours == models.Model._get_FIELD_display(obj, field), (model, field.name, value)
                    assert isinstance(ours, str)
                    checked += 1
    assert checked > 50


def test_the_label_follows_the_active_language():
    from groups.models import Group, Region

    group = Group(region=Region.choices[0][0])
    english = group.get_region_display()
    with translation.override("cy"):
        welsh = group.get_region_display()
    assert english != welsh
    assert translation.gettext(english) == english


def test_a_value_without_a_label_is_shown_as_it_is():
    from groups.models import Group

    assert Group(region="atlantis").get_region_display() == "atlantis"
