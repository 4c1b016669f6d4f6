"""The site's {% translate %} (core/templatetags/fast_i18n.py) renders exactly what Django's own tag renders."""

import pytest
from django.template import Context, Engine, Template
from django.test import override_settings
from django.utils import translation

from core.templatetags import fast_i18n

CASES = [
    '{% load i18n %}{% translate "Coming up" %}',
    "{% load i18n %}{% trans 'Coming up' %}",
    '{% load i18n %}{% translate "No such words & <never> translated" %}',
    '{% load i18n %}{% translate "100%% local" %}',
    '{% load i18n %}{% autoescape off %}{% translate "Fish & <chips>" %}{% endautoescape %}',
    '{% load i18n %}{% translate "A & <b>" %}{% autoescape off %}{% translate "A & <b>" %}{% endautoescape %}',
    # Not fixed words: Django's own node.
    "{% load i18n %}{% translate words %}",
    '{% load i18n %}{% translate "Coming up"|upper %}',
    '{% load i18n %}{% translate "Coming up" noop %}',
    '{% load i18n %}{% translate "May" context "month name" %}',
    '{% load i18n %}{% translate "Coming up" as heading %}[{{ heading }}]',
    "{% load i18n %}{% blocktranslate with name=words %}Hello {{ name }}{% endblocktranslate %}",
]


def _django(source, context):
    engine = Engine(libraries={"i18n": "django.templatetags.i18n"})  # Django's own library
    return Template(source, engine=engine).render(Context(context))


@pytest.mark.parametrize("language", ["en-gb", "cy", None])
@pytest.mark.parametrize("source", CASES)
def test_renders_what_djangos_tag_renders(source, language):
    context = {"words": "Coming up <b>"}
    with translation.override(language):
        for _ in range(2):  # the second time from what the first kept
            assert Template(source).render(Context(context)) == _django(source, context)


def test_each_language_gets_its_own_words():
    source = '{% load i18n %}{% translate "Coming up" %}'
    with translation.override("en-gb"):
        assert Template(source).render(Context()) == "Coming up"
    with translation.override("cy"):
        assert Template(source).render(Context()) == "Ar y gweill"
    with translation.override("en-gb"):
        assert Template(source).render(Context()) == "Coming up"


def test_the_sites_templates_use_it_for_fixed_words_only():
    nodes = Template('{% load i18n %}{% translate "Coming up" %}{% translate words %}').nodelist
    assert [type(node) for node in nodes[1:]] == [fast_i18n.FixedTranslateNode, fast_i18n.i18n.TranslateNode]


def test_what_it_kept_is_forgotten_when_the_language_settings_change():
    source = '{% load i18n %}{% translate "Coming up" %}'
    with translation.override("cy"):
        Template(source).render(Context())
    assert fast_i18n._rendered
    with override_settings(LANGUAGES=[("en-gb", "English"), ("cy", "Cymraeg")]):
        assert not fast_i18n._rendered
