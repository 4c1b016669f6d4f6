"""Every page of the README's journeys, read in Welsh, has no English left in its interface.

What people wrote (names, titles, descriptions, messages, in any language) is not the interface: it is
left out as the page marks it (an element whose `lang` is not Welsh) or, where a name sits inside a
Welsh sentence, by its value, read from the database. Every other word on the page, and every
aria-label, title, alt and placeholder, must not be an English word of our own catalogue (one that
occurs in an English message and in no Welsh one).
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.urls import reverse
from django.utils import translation

from groups.models import Group

pytestmark = pytest.mark.django_db

CATALOGUE = Path(__file__).resolve().parents[2] / "locale/cy/LC_MESSAGES/django.po"
PASSWORD = "localism-demo"
# Words both languages write the same way, or names of things that are not translated.
SHARED = {
    "localism",
    "atom",
    "icalendar",
    "csv",
    "json",
    "markdown",
    "http",
    "https",
    "nesta",
    "mass",
    "big",
    "green",
    "challenge",
    "leaflet",
    "openstreetmap",
    "cymraeg",
    "english",
    "demo",
    "ical",
    "jpeg",
    "png",
    "webp",
}
IGNORED_TAGS = {"script", "style", "head", "svg"}  # svg: charts carry their own <title>, checked below
READ_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")


def _po_strings(text):
    """(msgid texts, msgstr texts) of a catalogue, with placeholders and markup removed."""

    def unquote(block):
        return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block))

    english, welsh = [], []
    for entry in text.split("\n\n")[1:]:
        ids = re.findall(r"^msgid(?:_plural)? ((?:\"(?:[^\"\\]|\\.)*\"\n?)+)", entry, re.M)
        strs = re.findall(r"^msgstr(?:\[\d\])? ((?:\"(?:[^\"\\]|\\.)*\"\n?)+)", entry, re.M)
        english += [unquote(block) for block in ids]
        welsh += [unquote(block) for block in strs]
    clean = lambda s: re.sub(r"%\(\w+\)[sd]|\{\{[^}]*\}\}|<[^>]+>|\\n", " ", s)  # noqa: E731
    return [clean(s) for s in english], [clean(s) for s in welsh]


def _words(text):
    return {word.lower() for word in re.findall(r"[A-Za-z][A-Za-z']{3,}", text)}


def english_only_words():
    english, welsh = _po_strings(CATALOGUE.read_text())
    in_welsh = set().union(*(_words(s) for s in welsh))
    return set().union(*(_words(s) for s in english)) - in_welsh - SHARED


class InterfaceText(HTMLParser):
    """The text a reader meets in the interface: leaves out script/style/head and any element marked
    with a language other than Welsh (what people wrote)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skipping = []  # tags whose subtree is left out, innermost last
        self.depth = []
        self.chunks = []

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.VOID:
            if not self.skipping and not (attrs.get("lang") or "cy").startswith("cy"):
                return
            if not self.skipping:
                self.chunks += [attrs[name] for name in READ_ATTRIBUTES if attrs.get(name)]
                if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                    self.chunks.append(attrs["value"])
            return
        self.depth.append(tag)
        other_language = attrs.get("lang") is not None and not attrs["lang"].startswith("cy")
        if self.skipping or tag in IGNORED_TAGS or other_language:
            self.skipping.append(len(self.depth))
            return
        self.chunks += [attrs[name] for name in READ_ATTRIBUTES if attrs.get(name)]

    def handle_endtag(self, tag):
        if tag in self.VOID or not self.depth:
            return
        while self.depth:
            level = len(self.depth)
            opened = self.depth.pop()
            if self.skipping and self.skipping[-1] == level:
                self.skipping.pop()
            if opened == tag:
                break

    def handle_data(self, data):
        if not self.skipping:
            self.chunks.append(data)


def user_content():
    """Every text people wrote (names, titles, places, descriptions, questions..., and the words of theirs
    a peer's reasons quote), with each of its lines and sentences (Markdown renders them apart), longest first."""
    from learning.models import Peer

    values = set()
    for model in apps.get_models():
        if model._meta.app_label not in {"accounts", "groups", "challenges", "learning", "moderation"}:
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices and not f.name.endswith("_cy")
        ]
        if fields:
            for row in model.objects.values_list(*fields):
                values |= {value for value in row if isinstance(value, str) and len(value) >= 3}
    for reasons in Peer.objects.values_list("reasons", flat=True):
        values |= set(reasons.get("terms", [])) | set(reasons.get("tags", []))
    pieces = set()
    for value in values:
        pieces |= {piece.strip(" *_#-") for piece in re.split(r"\n+|(?<=[.!?])\s+", value)}
    return sorted({piece for piece in values | pieces if len(piece) >= 3}, key=len, reverse=True)


def english_left(html, english, written):
    parser = InterfaceText()
    parser.feed(html)
    text = "\n".join(parser.chunks)
    lowered = text.lower()
    for value in written:
        value = value.lower()
        if value in lowered:
            lowered = lowered.replace(value, " ")
    text = lowered
    found = {}
    for line in text.splitlines():
        for word in _words(line) & english:
            found.setdefault(word, line.strip()[:120])
    return found


@pytest.fixture(scope="module")
def english():
    return english_only_words()


@pytest.fixture
def demo(db):
    call_command("seed_demo")
    from learning.services import rebuild_all_peers

    rebuild_all_peers()
    return Group.objects.get(slug="kendal-warm-homes-circle")


def welsh(name, **kwargs):
    with translation.override("cy"):
        return reverse(name, kwargs=kwargs or None)


def public_pages(demo):
    from challenges.models import Challenge, Update

    update = Update.objects.filter(solution__group=demo).exclude(what_worked="").first()
    challenge = Challenge.objects.exclude(stage="draft").first()
    with translation.override("cy"):
        return [
            welsh("home"),
            welsh("about"),
            welsh("api_reference"),
            welsh("groups:list"),
            welsh("groups:list") + "?q=cartrefi&area_kind=small_town",
            demo.get_absolute_url(),
            welsh("groups:map"),
            welsh("groups:nearby") + "?place=Kendal",
            welsh("challenges:index"),
            welsh("challenges:solution_list"),
            update.solution.get_absolute_url(),
            update.get_absolute_url(),
            demo.actions.first().get_absolute_url(),
            challenge.get_absolute_url(),
            welsh("learning:index"),
            welsh("learning:group", slug=demo.slug),
            welsh("account_login"),
            welsh("account_signup"),
            welsh("account_reset_password"),
        ]


def signed_in_pages(demo):
    from challenges.models import Challenge

    challenge = Challenge.objects.exclude(stage="draft").first()
    solution = demo.solutions.first()
    with translation.override("cy"):
        return {
            "resident@localism.example": [
                welsh("groups:me"),
                welsh("accounts:profile"),
                welsh("accounts:my_data"),
                welsh("moderation:my_reports"),
            ],
            "organiser@localism.example": [
                welsh("groups:edit", slug=demo.slug),
                welsh("groups:members", slug=demo.slug),
                welsh("groups:action_create", slug=demo.slug),
                welsh("challenges:solution_create", group_slug=demo.slug),
                welsh("challenges:update_create", group_slug=demo.slug, slug=solution.slug),
                welsh("learning:group_connections", slug=demo.slug),
                welsh("accounts:delete"),
            ],
            "funder@localism.example": [
                welsh("challenges:review", slug=challenge.slug),
                welsh("challenges:dashboard", slug=challenge.slug),
            ],
            "moderator@localism.example": [welsh("moderation:queue"), welsh("moderation:log")],
        }


def test_public_pages_in_welsh_have_no_english_interface(client, demo, english):
    written = user_content()
    problems = {}
    for path in public_pages(demo):
        response = client.get(path)
        assert response.status_code == 200, path
        assert '<html lang="cy">' in response.content.decode()
        left = english_left(response.content.decode(), english, written)
        if left:
            problems[path] = left
    assert not problems, "English left on Welsh pages:\n" + "\n".join(f"{p}: {w}" for p, w in problems.items())


def test_signed_in_pages_in_welsh_have_no_english_interface(client, demo, english):
    written = user_content()
    problems = {}
    for email, paths in signed_in_pages(demo).items():
        client.logout()
        assert client.post(welsh("account_login"), {"login": email, "password": PASSWORD}).status_code == 302
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (email, path)
            left = english_left(response.content.decode(), english, written)
            if left:
                problems[f"{email} {path}"] = left
    assert not problems, "English left on Welsh pages:\n" + "\n".join(f"{p}: {w}" for p, w in problems.items())


def test_the_check_finds_english_when_there_is_some(english):
    """The checker itself: an untranslated sentence is found, a marked English quotation is not."""
    assert "reports" in english
    page = '<html lang="cy"><body><p>Dim ond Cymraeg.</p>{}</body></html>'
    assert english_left(page.format("<p>Your reports</p>"), english, [])["reports"] == "your reports"
    assert english_left(page.format('<p lang="en-GB">Your reports</p>'), english, []) == {}
    assert "reports" in english_left(page.format('<button aria-label="Your reports">x</button>'), english, [])
    assert english_left(page.format("<p>Kendal Reports Circle</p>"), english, ["Kendal Reports Circle"]) == {}


def test_peer_reasons_name_challenge_areas_in_the_pages_language(client):
    from groups.models import ChallengeArea
    from tests.factories import similar_and_different_groups

    mine, _twin, _far = similar_and_different_groups()
    ChallengeArea.objects.filter(slug="fuel-poverty").update(name_cy="Tlodi tanwydd")
    welsh_page = client.get(f"/cy/learning/groups/{mine.slug}/").content.decode()
    english_page = client.get(f"/learning/groups/{mine.slug}/").content.decode()
    assert "tlodi tanwydd" in welsh_page and "fuel poverty" not in welsh_page
    assert "fuel poverty" in english_page
