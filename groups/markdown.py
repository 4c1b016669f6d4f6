"""Markdown from users, rendered and then sanitised: no script, no event handlers, safe links."""

import re
import threading
from functools import lru_cache

import markdown as md
import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# How a browser reads a link before following it: C0 controls and spaces around it are dropped, and
# tabs and line breaks anywhere in it; a backslash counts as a slash.
_AROUND_A_URL = "".join(chr(code) for code in range(0x21))
_INSIDE_A_URL = str.maketrans("", "", "\t\n\r")
# Something before the first ":" with no "/", "?" or "#" ahead of it reads as a scheme to someone.
_SCHEME_LIKE = re.compile(r"^[^/?#]*:")


def _relative_url_on_this_site(url: str) -> str | None:
    """A relative link as a browser will read it, or None (dropped) when it would leave the site:
    `//host`, `\\\\host` and `/\\host` name another host, and a scheme hidden behind spaces or
    control characters (`java script:`) is no relative link either. Absolute links are checked
    against ALLOWED_URL_SCHEMES before this is called."""
    read = url.strip(_AROUND_A_URL).translate(_INSIDE_A_URL)
    if read[:2].replace("\\", "/") == "//" or _SCHEME_LIKE.match(read):
        return None
    return read


_local = threading.local()


def _converter() -> md.Markdown:
    """One Markdown converter per thread, reset before each text: building one registers every
    processor again, which cost more than converting a short update (a list renders a dozen)."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = md.Markdown(extensions=["sane_lists", "tables"], output_format="html")
    return converter.reset()


@lru_cache(maxsize=2048)
def render_markdown(text: str) -> str:
    """Return safe HTML for user-written Markdown. Raw HTML in the input is escaped or dropped.

    The result depends on the text alone, so each process remembers the last 2,048 texts it rendered:
    a lesson shown on the library, a group's page and its peers' pages is converted once.
    """
    html = _converter().convert(text or "")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        url_relative=_relative_url_on_this_site,
        link_rel="nofollow ugc noopener",
    )
