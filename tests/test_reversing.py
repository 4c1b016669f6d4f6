"""core.reversing.reverse_fast gives exactly what reverse() gives, in every language and under a script prefix."""

import pytest
from django.urls import clear_script_prefix, reverse, set_script_prefix
from django.utils import translation

from core.reversing import reverse_fast

CASES = [
    ("groups:detail", {"slug": "kendal-warm-homes"}),
    ("challenges:solution", {"group_slug": "a-1", "slug": "b_2"}),
    ("challenges:update", {"group_slug": "a", "slug": "b", "pk": 12}),
    ("groups:action", {"slug": "x", "pk": 9}),
    ("api:group", {"slug": "g"}),
    ("api:solution", {"pk": 90}),  # a number that starts like the marker
    ("api:groups", {}),
    ("admin:app_list", {"app_label": "groups"}),  # not any digits: through reverse()
    # Values that need quoting go through reverse(), which quotes them.
    ("account_confirm_email", {"key": "caf\u00e9:ŵ-1"}),  # quoted: caf%C3%A9:%C5%B5-1
    ("account_confirm_email", {"key": "plain-key_1"}),
]


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("groups:detail", {"slug": "café-ŵyn"}),
        ("api:group", {"slug": "a b?c"}),
        ("challenges:update", {"group_slug": "a", "slug": "b", "pk": True}),
    ],
)
def test_a_value_the_pattern_refuses_fails_as_reverse_does(name, kwargs):
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        reverse(name, kwargs=kwargs)
    with pytest.raises(NoReverseMatch):
        reverse_fast(name, **kwargs)


@pytest.mark.parametrize("language", ["en-gb", "cy"])
@pytest.mark.parametrize(("name", "kwargs"), CASES)
def test_same_as_reverse(name, kwargs, language):
    with translation.override(language):
        assert reverse_fast(name, **kwargs) == reverse(name, kwargs=kwargs or None)


def test_same_under_a_script_prefix():
    set_script_prefix("/localism/")
    try:
        assert reverse_fast("groups:detail", slug="a") == reverse("groups:detail", kwargs={"slug": "a"})
        assert reverse_fast("groups:detail", slug="a").startswith("/localism/")
    finally:
        clear_script_prefix()


def test_an_unknown_name_or_parameter_fails_as_reverse_does():
    from django.urls import NoReverseMatch

    with pytest.raises(NoReverseMatch):
        reverse_fast("no-such-name")
    with pytest.raises(NoReverseMatch):
        reverse_fast("admin:app_list", app_label="not-an-app")
