"""The site's {% url %} (core/templatetags/fast_url.py) renders exactly what Django's own tag renders."""

import pytest
from django.template import Context, Engine, Template
from django.urls import NoReverseMatch
from django.utils import translation

from core.templatetags.fast_url import FastURLNode

CASES = [
    "{% url 'groups:detail' slug='kendal-warm-homes' %}",
    "{% url 'groups:detail' slug=group %}",
    "{% url 'challenges:update' group_slug='a' slug='b' pk=12 %}",
    "{% url 'groups:list' %}",
    "{% url 'groups:detail' 'by-position' %}",  # positional: Django's own way
    "{% url 'media' path='groups/logos/a b é.png' %}",  # not plain: Django's own way (it quotes)
    "{% url 'groups:detail' slug=group as address %}[{{ address }}]",
]


def _django(source, context):
    engine = Engine(libraries={}, builtins=[])  # Django's default builtins only: its own url tag
    return Template(source, engine=engine).render(Context(context))


@pytest.mark.parametrize("language", ["en-gb", "cy"])
@pytest.mark.parametrize("source", CASES)
def test_renders_what_djangos_tag_renders(source, language):
    context = {"group": "group-7"}
    with translation.override(language):
        ours = Template(source).render(Context(context))
        assert ours == _django(source, context)
        assert ours.strip("[]").startswith("/")


def test_as_a_variable_an_unknown_name_is_empty_as_in_django():
    source = "{% url 'no-such-name' as address %}[{{ address }}]"
    assert Template(source).render(Context({})) == _django(source, {}) == "[]"


def test_the_site_uses_it():
    template = Template("{% url 'groups:list' %}")
    assert isinstance(template.nodelist[0], FastURLNode)


def test_an_unknown_name_still_fails_loudly():
    with pytest.raises(NoReverseMatch):
        Template("{% url 'no-such-name' %}").render(Context({}))
    with pytest.raises(NoReverseMatch):
        Template("{% url 'groups:detail' slug='a' pk=3 %}").render(Context({}))
