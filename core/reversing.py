"""`reverse()` for addresses built many times a request (an API page names each of its 50 items several
times): the address pattern is resolved once per URL name, script prefix and language, then filled in.

Parameters that need no quoting (slugs and numbers) are put in as they are; any other goes through reverse().
"""

import functools
import re

from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.translation import get_language


@functools.lru_cache(maxsize=512)
def _pattern(name, keys, prefix, language):
    """The path with a {placeholder} per parameter, or None where a parameter's pattern is not a converter
    that takes any digits (the admin's `app_label` is a list of names): those go through reverse()."""
    # A marker that every path converter accepts (digits: int, slug, str, path) and no address holds.
    markers = {key: f"9{index}8642097531" for index, key in enumerate(keys)}
    try:
        path = reverse(name, kwargs=markers or None)
    except NoReverseMatch:
        return None
    for key, marker in markers.items():
        path = path.replace(marker, "{" + key + "}")
    return path


def reverse_fast(name, **kwargs):
    """The same path as `reverse(name, kwargs=kwargs)`, in about a third of the time after the first call
    for slug and number parameters (anything else goes through reverse(), which quotes it). An unknown
    name or parameter raises NoReverseMatch, as reverse() does."""
    pattern = _pattern(name, tuple(sorted(kwargs)), get_script_prefix(), get_language())
    if pattern is None or not all(map(is_plain, kwargs.values())):
        return reverse(name, kwargs=kwargs or None)
    return pattern.format(**kwargs)


_PLAIN = re.compile(r"[-a-zA-Z0-9_]+")


def is_plain(value):
    """Whether `value` goes into an address as it is (a number, or letters, digits, - and _), so that
    reverse_fast() gives what reverse() gives."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, str) and _PLAIN.fullmatch(value) is not None)
