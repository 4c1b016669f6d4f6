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
]


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
