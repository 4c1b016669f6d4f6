"""The site's {% translate %} (core/templatetags/fast_i18n.py) renders exactly what Django's own tag renders."""

from pathlib import Path

import pytest
from django import template
from django.template import Context, Engine, Template
from django.templatetags import i18n
from django.test import override_settings
from django.utils import translation
from django.utils.autoreload import file_changed

from core.templatetags import fast_i18n

# This module is also the template library "i18n" as Django ships it, for `_django()` to compare with.
register = template.Library()
register.tags.update(i18n.register.tags)
register.filters.update(i18n.register.filters)
register.tag("translate", i18n.do_translate)
register.tag("trans", i18n.do_translate)

CASES = [
    '{% load i18n %}{% translate "Coming up" %}',
    "{% load i18n %}{% trans 'Coming up' %}",
    '{% load i18n %}{% translate "No such words & <never> translated" %}',
    '{% load i18n %}{% translate "100%% local" %}',
    '{% load i18n %}{% autoescape off %}{% translate "Fish & <chips>" %}{% endautoescape %}',
    '{% load i18n %}{% translate "A & <b>" %}{% autoescape off %}{% translate "A & <b>" %}{% endautoescape %}',
    '{% load i18n %}{% language "cy" %}{% translate "Coming up" %}{% endlanguage %}{% translate "Coming up" %}',
    # Not fixed words: Django's own node.
    "{% load i18n %}{% translate words %}",
    '{% load i18n %}{% translate _("Coming up") %}',
    '{% load i18n %}{% translate "Coming up"|upper %}',
    '{% load i18n %}{% translate "Coming up" noop %}',
    '{% load i18n %}{% translate "May" context "month name" %}',
    '{% load i18n %}{% translate "Coming up" context "heading" %}',
    '{% load i18n %}{% translate "Coming up" as heading %}[{{ heading }}]',
    "{% load i18n %}{% blocktranslate with name=words %}Hello {{ name }}{% endblocktranslate %}",
]


@pytest.fixture(autouse=True)
def nothing_kept():
    fast_i18n.forget()


def _django(source, context):
    engine = Engine(libraries={"i18n": __name__})
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


def test_every_template_gets_it_for_fixed_words_only():
    nodes = Template('{% load i18n %}{% translate "Coming up" %}{% trans words %}').nodelist
    assert [type(node) for node in nodes[1:]] == [fast_i18n.FixedTranslateNode, i18n.TranslateNode]


@pytest.mark.parametrize(
    "change",
    [
        lambda: override_settings(LANGUAGES=[("en-gb", "English"), ("cy", "Cymraeg")]),
        lambda: override_settings(USE_I18N=False),
    ],
)
def test_what_it_kept_is_forgotten_when_the_language_settings_change(change):
    with translation.override("cy"):
        Template('{% load i18n %}{% translate "Coming up" %}').render(Context())
    assert fast_i18n._rendered
    with change():
        assert not fast_i18n._rendered


def test_what_it_kept_is_forgotten_when_a_compiled_catalogue_changes_but_not_for_other_files():
    Template('{% load i18n %}{% translate "Coming up" %}').render(Context())
    file_changed.send(sender=None, file_path=Path("groups/views/browse.py"))
    assert fast_i18n._rendered
    file_changed.send(sender=None, file_path=Path("locale/cy/LC_MESSAGES/django.mo"))
    assert not fast_i18n._rendered
