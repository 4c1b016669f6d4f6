"""What the browser tests share: axe-core checks and a quick way to be logged in."""

import re

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext, ngettext, pgettext

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

# WCAG 2.1 levels A and AA: the standard UK public-sector sites are held to.
WCAG_21_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE = Axe()


def axe_violations(page):
    """Run axe-core on the page as it is now; return its WCAG 2.1 A/AA violations."""
    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA_TAGS}, "resultTypes": ["violations"]}
    return AXE.run(page, options=options).response["violations"]


def describe_violations(violations, where):
    lines = []
    for violation in violations:
        lines.append(
            f"{where}: {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = node.get("failureSummary") or ""
            reasons = "; ".join(
                line.strip() for line in summary.splitlines() if line.strip() and not line.startswith("Fix ")
            )
            lines.append(f"    {target}: {reasons}")
    return lines


def assert_no_violations(page, where):
    """Fail with every violation's rule, impact, help and selectors, so the message says what to fix."""
    lines = describe_violations(axe_violations(page), where)
    assert not lines, "axe-core found WCAG 2.1 A/AA violations:\n" + "\n".join(lines)


def log_in(context, live_server, user):
    """Log `user` in by giving the browser a session cookie, without going through the form again."""
    client = Client()
    client.force_login(user)
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": session_cookie.key, "value": session_cookie.value, "url": live_server.url}])


# Journeys run in each language: labels are read from the catalogue in the page's language.
def tr(language, message, context=None, **values):
    """`message` (msgid, with its msgctxt `context`) as the site says it in `language`, filled in with `values`.
    In Welsh a message with words must have a translation."""
    with translation.override(language):
        text = pgettext(context, message) if context else gettext(message)
    if language == "cy" and re.search(r"[A-Za-z]", re.sub(r"%\(\w+\)[sd]", "", message)):
        assert text != message, f"no Welsh for {message!r}"
    return text % values if values else text


def tr_plural(language, singular, plural, number, **values):
    with translation.override(language):
        text = ngettext(singular, plural, number)
    return text % values if values else text


def address(language, path):
    """`path` (an English address) in `language`: Welsh pages live under /cy/."""
    return path if language == "en-gb" else f"/{language}{path}"
