"""Languages: the site's (settings.LANGUAGES) and the language of what people write."""

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import NoReverseMatch, translate_url
from django.utils import translation

from .reversing import is_plain, reverse_fast

WELSH = "cy"


def html_lang(code):
    """The value of a `lang` attribute for a Django language code: en-gb -> en-GB."""
    language, _, region = code.partition("-")
    return f"{language}-{region.upper()}" if region else language


def page_speaks_welsh():
    return translation.get_language() == WELSH


def in_page_language(text, welsh_text, text_language=None):
    """(what to show, its `lang`) of a text with an optional Welsh version: the Welsh one on Welsh pages
    when there is one, else the text itself in the language it was written in."""
    if welsh_text and page_speaks_welsh():
        return welsh_text, WELSH
    return text, html_lang(text_language or settings.LANGUAGE_CODE)


def _path_language(path):
    return translation.get_language_from_path(path) or settings.LANGUAGE_CODE


def address_in(url, code):
    """`url` (a path with its query string) in language `code` (English ones have no prefix, Welsh ones
    /cy/), or None when it has no translated address (outside the translated pages, or no page at all)."""
    language = _path_language(urlsplit(url).path)
    with translation.override(language):
        translated = translate_url(url, code)
    if translated != url or language == code:
        return translated
    return None


def page_address_in(request, code):
    """The address of the page `request` asks for in language `code`: `address_in(request.get_full_path(),
    code)`, worked out from the URL the request was already resolved to instead of resolving its path
    again (0.4 ms a page for the language links, most of it in resolve() and reverse())."""
    full_path = request.get_full_path()
    match = getattr(request, "resolver_match", None)
    if match is None or match.args or not match.url_name or not all(map(is_plain, match.kwargs.values())):
        return address_in(full_path, code)
    parts = urlsplit(full_path)
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    with translation.override(code):
        try:
            path = reverse_fast(name, **match.kwargs)
        except NoReverseMatch:
            path = parts.path
    translated = f"{path}?{parts.query}" if parts.query else path
    if translated != full_path or _path_language(parts.path) == code:
        return translated
    return None


def path_in_active_language(url):
    """A stored path (a news item's link, say) in the active language, for a mail to a Welsh speaker."""
    return address_in(url, translation.get_language() or settings.LANGUAGE_CODE) or url
