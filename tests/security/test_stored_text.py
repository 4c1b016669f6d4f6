"""Stored hostile text, shown back: every field a person writes, on every page that shows it.

Each row of FIELDS names a field, how to store a value in it (straight through the ORM, as a form
that let it through would), and the pages that show it, each read by a role that may. The value is
a unique marker followed by as many of the hostile-input payloads as the column holds, with a line
break that tries to start a new line in a calendar and a first character a spreadsheet runs as a
formula. Each page must show the marker (so the row really tests the field) and nothing live:

- HTML pages: no script, handler, script URL (the hostile-input test's checker) or link to another
  host without a scheme;
- Atom feeds: well-formed XML, and the HTML they carry (`type="html"`) as inert as a page;
- iCalendar: every unfolded line is a property we wrote, none smuggled in by a line break;
- CSV: no cell a spreadsheet would run as a formula.

A new field is one more row; a new page is one more entry in PAGES.
"""

import csv
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter

import pytest
from django.urls import reverse
from django.utils import timezone

from challenges.models import ApproachTag, Metric, MetricReading, SolutionMetric
from groups.models import ActionSignup, Follow, GroupActivity
from moderation.models import Appeal, Case, LogEntry, Report

from ..funders.factories import ScoreFactory
from .test_hostile_input import URL_ATTRIBUTES, XSS_PAYLOADS, LiveMarkup
from .test_permission_matrix import World

# Links that leave the site without a scheme: a browser reads `//host`, `\\host` and `/\host` as
# another host, so they are as unwelcome in user text as `javascript:`.
FOREIGN_LINK_PAYLOADS = [
    "[pr](//evil.example/x)",
    '<a href="//evil.example/x">pr</a>',
    "[bs](\\\\evil.example/x)",
    "[sb](/\\evil.example/x)",
    "[ws]( javascript:alert(1))",
    "[tab](java\tscript:alert(1))",
]
LINE_BREAK = "\r\nX-INJECTED:1\rX-INJECTED:2\nBEGIN:VALARM "
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A browser drops C0 controls and spaces around a URL (and tabs and line breaks inside it).
BROWSER_TRIMS = "".join(map(chr, range(0x21)))


def hostile_value(marker: str, max_length: int | None) -> str:
    """The marker, a line break for calendars, then every payload that still fits the column."""
    value = marker
    for chunk in [LINE_BREAK, *FOREIGN_LINK_PAYLOADS, *XSS_PAYLOADS]:
        piece = "\n\n" + chunk if max_length is None else " " + chunk
        if max_length is None or len(value) + len(piece) <= max_length:
            value += piece
    return value


# --- Checks by kind of page -------------------------------------------------------------------------


class LiveMarkupInStoredText(LiveMarkup):
    """The hostile-input test's checker, plus links to another host without a scheme (`//host`,
    `\\\\host`, `/\\host`, read as a browser reads them), and without two alarms that are words, not
    code: a `<meta>`'s content is a URL only in a refresh (a description may say "javascript:"), and a
    `mailto:` link cannot run script whatever address it names (an address may quote "javascript:")."""

    def handle_starttag(self, tag, attrs):
        refresh = tag == "meta" and any(name == "http-equiv" for name, _ in attrs)
        checked = []
        for name, value in attrs:
            read = re.sub(r"[\t\n\r]", "", (value or "").strip(BROWSER_TRIMS))
            if name in URL_ATTRIBUTES and re.match(r"[/\\]{2}", read):
                self.problems.append(f"<{tag} {name}={value!r}> leaves the site")
            if tag == "meta" and name == "content" and not refresh:
                value = ""
            elif read.lower().startswith("mailto:"):
                value = "mailto:"
            checked.append((name, value))
        super().handle_starttag(tag, checked)


def live_markup(html):
    parser = LiveMarkupInStoredText()
    parser.feed(html)
    parser.close()
    return parser.problems


def check_html(response, marker):
    assert response.status_code == 200, response.status_code
    content = response.content.decode()
    problems = live_markup(content)
    assert not problems, problems
    assert marker.lower() in content.lower(), "the page does not show the field"


def check_atom(response, marker):
    assert response.status_code == 200, response.status_code
    content = response.content.decode()
    assert marker.lower() in content.lower(), "the feed does not carry the field"
    root = ET.fromstring(response.content)  # noqa: S314 - our own output, parsed to prove it is well-formed
    for element in root.iter():
        if element.get("type") == "html" and element.text:
            problems = live_markup(element.text)
            assert not problems, (element.tag, problems)


ICS_PROPERTY = re.compile(
    r"^(BEGIN|END|VERSION|PRODID|CALSCALE|METHOD|X-WR-CALNAME|UID|DTSTAMP|LAST-MODIFIED|DTSTART|DTEND|"
    r"SUMMARY|LOCATION|URL|DESCRIPTION|ORGANIZER|STATUS|GEO)[;:]"
)


def check_ics(response, marker):
    assert response.status_code == 200, response.status_code
    text = response.content.decode()
    unfolded = text.replace("\r\n ", "")
    assert marker.lower() in unfolded.lower(), "the calendar does not carry the field"
    # A bare CR or LF is a line break to many calendar programs, so split on every one of them.
    lines = [line for line in re.split(r"\r\n|\r|\n", unfolded) if line]
    smuggled = [line for line in lines if not ICS_PROPERTY.match(line)]
    assert not smuggled, smuggled
    components = {line for line in lines if line.startswith(("BEGIN:", "END:"))}
    assert components <= {"BEGIN:VCALENDAR", "END:VCALENDAR", "BEGIN:VEVENT", "END:VEVENT"}, components


def check_csv(response, marker):
    assert response.status_code == 200, response.status_code
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode()
    assert marker.lower() in text.lower(), "the export does not carry the field"
    formulas = [cell for row in csv.reader(io.StringIO(text)) for cell in row if cell.startswith(FORMULA_STARTS)]
    assert not formulas, formulas


CHECKS = {"html": check_html, "atom": check_atom, "ics": check_ics, "csv": check_csv}


# --- Pages -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    url: Callable  # world -> address
    role: str = "anonymous"  # a key of world.users, or an attribute of the world holding a user
    kind: str = "html"
    prepare: Callable | None = None  # world -> None, run before the page is read


def _url(name, **kwargs):
    """An address from a url name and keyword arguments computed from the world."""
    return lambda w: reverse(name, kwargs={key: get(w) for key, get in kwargs.items()})


def group_slug(w):
    return w.group.slug


def peer_slug(w):
    return w.peer_group.slug


def challenge_slug(w):
    return w.challenge.slug


def solution_kwargs(**extra):
    return {"group_slug": group_slug, "slug": lambda w: w.solution.slug, **extra}


def _rebuild_peers(world):
    from learning.services import rebuild_all_peers

    rebuild_all_peers()


PAGES = {
    # Anyone
    "home": Page(_url("home")),
    "group_list": Page(_url("groups:list")),
    "group_map": Page(_url("groups:map")),
    "group_detail": Page(_url("groups:detail", slug=group_slug)),
    "nearby": Page(lambda w: reverse("groups:nearby") + "?place=Totnes"),
    "action_detail": Page(_url("groups:action", slug=group_slug, pk=lambda w: w.action.pk)),
    "actions_feed": Page(_url("groups:actions_feed", slug=group_slug), kind="atom"),
    "action_ics": Page(_url("groups:action_ics", slug=group_slug, pk=lambda w: w.action.pk), kind="ics"),
    "actions_ics": Page(_url("groups:actions_ics", slug=group_slug), kind="ics"),
    "solution_list": Page(_url("challenges:solution_list")),
    "solution_detail": Page(_url("challenges:solution", **solution_kwargs())),
    "update_detail": Page(_url("challenges:update", **solution_kwargs(pk=lambda w: w.update.pk))),
    "feed_updates": Page(_url("challenges:feed_updates"), kind="atom"),
    "feed_group": Page(_url("challenges:feed_group", group_slug=group_slug), kind="atom"),
    "challenges_index": Page(_url("challenges:index")),
    "challenge_detail": Page(_url("challenges:challenge", slug=challenge_slug)),
    "funder_detail": Page(_url("challenges:funder", slug=lambda w: w.funder.slug)),
    "learning_index": Page(_url("learning:index")),
    "learning_group": Page(_url("learning:group", slug=group_slug), prepare=_rebuild_peers),
    # The peer group's learning page, where the main group is a peer and its lessons are shown.
    "learning_peer": Page(_url("learning:group", slug=peer_slug), prepare=_rebuild_peers),
    # The group's own people
    "group_edit": Page(_url("groups:edit", slug=group_slug), "owner"),
    "members": Page(_url("groups:members", slug=group_slug), "owner"),
    "me": Page(_url("groups:me"), "member"),
    "profile": Page(_url("accounts:profile"), "member"),
    "action_edit": Page(_url("groups:action_edit", slug=group_slug, pk=lambda w: w.action.pk), "owner"),
    "attendees": Page(_url("groups:action_attendees", slug=group_slug, pk=lambda w: w.action.pk), "organiser"),
    "attendees_csv": Page(
        _url("groups:action_attendees_csv", slug=group_slug, pk=lambda w: w.action.pk), "organiser", "csv"
    ),
    "solution_edit": Page(_url("challenges:solution_edit", **solution_kwargs()), "owner"),
    "update_edit": Page(_url("challenges:update_edit", **solution_kwargs(pk=lambda w: w.update.pk)), "owner"),
    "hidden_update": Page(_url("challenges:update", **solution_kwargs(pk=lambda w: w.hidden_update.pk)), "owner"),
    "entry_create": Page(_url("challenges:entry_create", slug=challenge_slug, group_slug=group_slug), "owner"),
    "entry_as_group": Page(_url("challenges:entry", slug=challenge_slug, pk=lambda w: w.entry.pk), "member"),
    "entry_edit": Page(_url("challenges:entry_edit", slug=challenge_slug, pk=lambda w: w.entry.pk), "owner"),
    "connections": Page(_url("learning:group_connections", slug=group_slug), "owner"),
    "peer_connections": Page(_url("learning:group_connections", slug=peer_slug), "peer_owner"),
    "connection": Page(_url("learning:connection", pk=lambda w: w.connection.pk), "owner"),
    "peer_connection": Page(_url("learning:connection", pk=lambda w: w.connection.pk), "peer_owner"),
    "ask": Page(_url("learning:ask", slug=group_slug), "other_organiser"),
    "invitation": Page(_url("groups:accept_invitation", token=lambda w: w.invitation.token), "stranger"),
    "moderation_item": Page(_url("moderation:item", kind=lambda w: "update", pk=lambda w: w.hidden_update.pk), "owner"),
    # The funder
    "review_list": Page(_url("challenges:review", slug=challenge_slug), "funder"),
    "review_csv": Page(_url("challenges:review_export", slug=challenge_slug), "funder", "csv"),
    "dashboard": Page(_url("challenges:dashboard", slug=challenge_slug), "funder"),
    "entry_as_funder": Page(_url("challenges:entry", slug=challenge_slug, pk=lambda w: w.entry.pk), "funder"),
    "challenge_edit": Page(_url("challenges:challenge_edit", slug=challenge_slug), "funder"),
    "funder_challenge": Page(_url("challenges:challenge", slug=challenge_slug), "funder"),
    "challenge_as_owner": Page(_url("challenges:challenge", slug=challenge_slug), "owner"),
    # Moderators, and the people who reported
    "queue": Page(_url("moderation:queue"), "moderator"),
    "case": Page(_url("moderation:case", pk=lambda w: w.case.pk), "moderator"),
    "case_about_group": Page(_url("moderation:case", pk=lambda w: w.group_case.pk), "moderator"),
    "hidden_case": Page(_url("moderation:case", pk=lambda w: w.hidden_case.pk), "moderator"),
    "log": Page(_url("moderation:log"), "moderator"),
    "my_reports": Page(_url("moderation:my_reports"), "reporter"),
    # The suspended person's own pages carry the reason in the banner.
    "suspended_own_page": Page(_url("groups:me"), "update_author"),
}


# --- Fields ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str
    setter: Callable  # (world, marker) -> None: stores hostile_value(marker, the column's length)
    pages: tuple


def column(get_object: Callable, field: str) -> Callable:
    """A setter for `field` of the object `get_object(world)` returns."""

    def set_value(world, marker):
        obj = get_object(world)
        value = hostile_value(marker, obj._meta.get_field(field).max_length)
        setattr(obj, field, value)
        obj.save(update_fields=[field])

    return set_value


def snapshot(key):
    """A setter for one part of the snapshot a report keeps of the item as the reporter saw it."""

    def set_value(world, marker):
        report = world.report
        report.snapshot = {**report.snapshot, key: hostile_value(marker, None)}
        report.save(update_fields=["snapshot"])

    return set_value


def approach_tag(world, marker):
    tag = ApproachTag.objects.create(name=hostile_value(marker, 60), slug="hostile-tag")
    world.solution.approach_tags.add(tag)


# Where each row's object lives in the world.
group, solution, update, action, challenge, own_metric = map(
    attrgetter, ["group", "solution", "update", "action", "challenge", "own_metric"]
)


GROUP_NAME_PAGES = (
    "home",
    "group_list",
    "group_map",
    "group_detail",
    "nearby",
    "action_detail",
    "actions_feed",
    "action_ics",
    "solution_list",
    "solution_detail",
    "update_detail",
    "feed_updates",
    "feed_group",
    "challenges_index",
    "learning_index",
    "learning_group",
    "learning_peer",
    "group_edit",
    "members",
    "me",
    "attendees",
    "solution_edit",
    "entry_create",
    "entry_as_group",
    "connections",
    "peer_connections",
    "connection",
    "peer_connection",
    "ask",
    "invitation",
    "review_list",
    "review_csv",
    "entry_as_funder",
    "challenge_as_owner",
    "dashboard",
    "case",
)
LESSON_PAGES = ("update_detail", "solution_detail", "learning_index", "learning_peer", "update_edit", "case")
OWN_METRIC_PAGES = ("solution_detail", "update_detail", "solution_edit", "update_edit")
CRITERION_PAGES = ("challenge_detail", "entry_as_funder", "challenge_edit")

FIELDS = [
    # Groups
    Field("group.name", column(group, "name"), GROUP_NAME_PAGES),
    Field(
        "group.summary", column(group, "summary"), ("group_list", "group_detail", "nearby", "feed_group", "group_edit")
    ),
    Field("group.description", column(group, "description"), ("group_detail", "group_edit", "case_about_group")),
    Field(
        "group.place_name",
        column(group, "place_name"),
        (
            "group_list",
            "group_map",
            "group_detail",
            "nearby",
            "learning_peer",
            "review_list",
            "entry_as_funder",
            "ask",
            "group_edit",
            "dashboard",
        ),
    ),
    Field("group.postcode_district", column(group, "postcode_district"), ("group_list", "group_detail", "group_edit")),
    Field("group.example_source", column(group, "example_source"), ("group_detail",)),
    # Actions
    Field(
        "action.title",
        column(action, "title"),
        (
            "action_detail",
            "group_detail",
            "nearby",
            "me",
            "attendees",
            "actions_feed",
            "action_ics",
            "actions_ics",
            "action_edit",
        ),
    ),
    Field(
        "action.description",
        column(action, "description"),
        ("action_detail", "actions_feed", "action_ics", "action_edit"),
    ),
    Field("action.place_name", column(action, "place_name"), ("action_detail", "group_detail", "nearby", "action_ics")),
    Field("action.postcode_district", column(action, "postcode_district"), ("action_detail", "action_ics")),
    Field(
        "action.accessibility_notes",
        column(action, "accessibility_notes"),
        ("action_detail", "action_ics", "action_edit"),
    ),
    # Solutions
    Field(
        "solution.title",
        column(solution, "title"),
        (
            "solution_detail",
            "update_detail",
            "solution_list",
            "group_detail",
            "challenges_index",
            "learning_index",
            "learning_peer",
            "feed_updates",
            "review_list",
            "review_csv",
            "entry_as_funder",
            "entry_as_group",
            "challenge_as_owner",
            "solution_edit",
            "update_edit",
        ),
    ),
    Field("solution.problem", column(solution, "problem"), ("solution_detail", "solution_edit")),
    Field("solution.approach", column(solution, "approach"), ("solution_detail", "solution_list", "solution_edit")),
    Field("solution.why_here", column(solution, "why_here"), ("solution_detail", "solution_edit")),
    Field("solution.who_involved", column(solution, "who_involved"), ("solution_detail", "solution_edit")),
    Field("solution.resources_needed", column(solution, "resources_needed"), ("solution_detail", "solution_edit")),
    Field("approach tag", approach_tag, ("solution_detail", "solution_list", "solution_edit", "dashboard")),
    # Metrics: the group's own metric on the solution page and forms; the shared one also on the funder's pages
    Field("own metric.name", column(own_metric, "name"), OWN_METRIC_PAGES),
    Field("own metric.unit", column(own_metric, "unit"), OWN_METRIC_PAGES),
    Field("own metric.description", column(own_metric, "description"), ("solution_edit",)),
    Field(
        "shared metric.name",
        column(attrgetter("shared_metric"), "name"),
        ("solution_detail", "review_list", "review_csv", "dashboard", "solution_edit"),
    ),
    Field(
        "shared metric.unit",
        column(attrgetter("shared_metric"), "unit"),
        ("solution_detail", "review_list", "review_csv", "dashboard"),
    ),
    # Updates
    Field(
        "update.title",
        column(update, "title"),
        ("update_detail", "solution_detail", "home", "feed_updates", "feed_group", "update_edit", "case"),
    ),
    Field("update.body", column(update, "body"), ("update_detail", "feed_updates", "update_edit", "case")),
    Field("update.what_worked", column(update, "what_worked"), LESSON_PAGES),
    Field("update.what_didnt", column(update, "what_didnt"), LESSON_PAGES),
    Field("update.do_differently", column(update, "do_differently"), LESSON_PAGES),
    Field(
        "update.hidden_reason",
        column(attrgetter("hidden_update"), "hidden_reason"),
        ("hidden_update", "moderation_item"),
    ),
    # People
    Field(
        "user.display_name",
        column(lambda w: w.users["owner"], "display_name"),
        ("group_detail", "members", "invitation", "connection", "peer_connection"),
    ),
    Field(
        "member.display_name",
        column(lambda w: w.users["member"], "display_name"),
        ("members", "attendees", "attendees_csv"),
    ),
    Field("member.email", column(lambda w: w.users["member"], "email"), ("attendees", "attendees_csv")),
    Field(
        "update author.display_name",
        column(attrgetter("update_author"), "display_name"),
        ("update_detail", "solution_detail", "case"),
    ),
    Field(
        "funder.display_name",
        column(lambda w: w.users["funder"], "display_name"),
        ("entry_as_funder", "funder_challenge"),
    ),
    Field(
        "moderator.display_name",
        column(lambda w: w.users["moderator"], "display_name"),
        ("hidden_case", "log", "moderation_item"),
    ),
    Field("user.home_area", column(lambda w: w.users["member"], "home_area"), ("profile",)),
    Field(
        "user.suspension_reason",
        column(attrgetter("update_author"), "suspension_reason"),
        ("case", "suspended_own_page"),
    ),
    Field("invitation.email", column(attrgetter("invitation"), "email"), ("members",)),
    # Funders and their challenges
    Field(
        "funder.name",
        column(attrgetter("funder"), "name"),
        ("funder_detail", "challenge_detail", "challenges_index", "dashboard", "entry_as_funder", "review_list"),
    ),
    Field("funder.description", column(attrgetter("funder"), "description"), ("funder_detail",)),
    Field(
        "challenge.title",
        column(challenge, "title"),
        (
            "challenge_detail",
            "challenges_index",
            "funder_detail",
            "review_list",
            "dashboard",
            "entry_as_funder",
            "entry_as_group",
            "entry_create",
            "challenge_edit",
        ),
    ),
    Field(
        "challenge.summary",
        column(challenge, "summary"),
        ("challenge_detail", "challenges_index", "funder_detail", "challenge_edit"),
    ),
    Field("challenge.description", column(challenge, "description"), ("challenge_detail", "challenge_edit")),
    Field("challenge.offer", column(challenge, "offer"), ("challenge_detail", "challenge_edit")),
    Field("criterion.name", column(attrgetter("criterion"), "name"), (*CRITERION_PAGES, "review_list")),
    Field("criterion.description", column(attrgetter("criterion"), "description"), CRITERION_PAGES),
    Field(
        "question.text",
        column(attrgetter("question"), "text"),
        ("challenge_detail", "entry_as_funder", "entry_as_group", "entry_create", "entry_edit", "challenge_edit"),
    ),
    Field(
        "question.help_text",
        column(attrgetter("question"), "help_text"),
        ("entry_create", "entry_edit", "challenge_edit"),
    ),
    Field("answer.text", column(attrgetter("answer"), "text"), ("entry_as_funder", "entry_as_group", "entry_edit")),
    Field("score.note", column(attrgetter("score"), "note"), ("entry_as_funder",)),
    # Ask a peer
    Field("connection message", column(attrgetter("message"), "body"), ("connection", "peer_connection")),
    Field("reply", column(attrgetter("reply"), "body"), ("connection", "peer_connection")),
    # Moderation
    Field("case.title", column(attrgetter("case"), "title"), ("queue", "case", "log")),
    Field("report.details", column(attrgetter("report"), "details"), ("case",)),
    Field("report snapshot title", snapshot("title"), ("case", "my_reports")),
    Field("report snapshot text", snapshot("text"), ("case",)),
    Field("report snapshot author", snapshot("author"), ("case",)),
    Field("appeal.text", column(attrgetter("appeal"), "text"), ("hidden_case",)),
    Field("moderator's reason", column(attrgetter("hide_log"), "reason"), ("hidden_case", "log", "moderation_item")),
    # Follows: the news a follower reads
    Field("activity.title", column(attrgetter("activity"), "title"), ("me",)),
]


# --- The world the rows write into ----------------------------------------------------------------


def build_world():
    """The permission matrix's world, plus one of every other thing a person writes."""
    from moderation import services

    world = World()
    users = world.users
    world.action.place_name, world.action.postcode_district, world.action.accessible = "Hall", "TQ9", True
    world.action.save(update_fields=["place_name", "postcode_district", "accessible"])
    world.update_author = world.update.author
    world.update_author.suspended_at = timezone.now()
    world.update_author.save(update_fields=["suspended_at"])
    world.shared_metric = world.solution.solution_metrics.get().metric
    world.own_metric = Metric.objects.create(name="Bags", unit="bags", group=world.group)
    own = SolutionMetric.objects.create(solution=world.solution, metric=world.own_metric, target=50)
    for measured in (own, world.solution.solution_metrics.get(metric=world.shared_metric)):
        MetricReading.objects.create(
            solution_metric=measured, update=world.update, value=5, measured_on=dt.date(2026, 1, 1)
        )
    world.criterion = world.challenge.criteria.first()
    world.question = world.challenge.questions.get()
    world.answer = world.entry.answers.create(question=world.question, text="We do.")
    world.score = ScoreFactory(entry=world.entry, criterion=world.criterion, reviewer=users["funder"], note="Fine.")
    world.challenge.stage_changes.create(from_stage="draft", to_stage="open", changed_by=users["funder"])
    world.invitation.invited_by = users["owner"]
    world.invitation.save(update_fields=["invited_by"])
    ActionSignup.objects.create(action=world.action, user=users["member"], status="confirmed", queued_at=timezone.now())
    Follow.objects.create(group=world.group, user=users["member"])
    world.activity = GroupActivity.objects.create(
        group=world.group, kind="update", title="News", url=world.update.get_absolute_url()
    )
    world.message = world.connection.messages.get()
    world.reply = world.connection.messages.create(sender_group=world.group, author=users["owner"], body="Hi")
    world.report = Report.objects.get(case=world.case)
    world.hidden_case = Case.objects.get(update=world.hidden_update)
    world.hide_log = LogEntry.objects.get(case=world.hidden_case, event="hidden")
    world.appeal = Appeal.objects.create(case=world.hidden_case, by=users["owner"], text="Please")
    world.group_case = services.report(reporter=world.reporter, kind="group", pk=world.group.pk, reason="spam").case
    return world


# Defects found and not yet fixed, as (field, page): what is wrong. A row with one of them is an
# expected failure until it is fixed; a fixed one fails here until removed. None are open.
KNOWN_DEFECTS: dict[tuple[str, str], str] = {}


def _user(world, role):
    return world.users[role] if role in world.users else getattr(world, role)


@pytest.mark.parametrize("shown", FIELDS, ids=[shown.name for shown in FIELDS])
def test_stored_text_is_shown_inert_everywhere(client, db, shown):
    world = build_world()
    marker = f"{'=+-@'[FIELDS.index(shown) % 4]}zq{FIELDS.index(shown):03d}x"
    shown.setter(world, marker)
    failures = []
    for name in shown.pages:
        page = PAGES[name]
        if page.prepare:
            page.prepare(world)
        client.logout()
        if page.role != "anonymous":
            client.force_login(_user(world, page.role))
        url = page.url(world)
        try:
            CHECKS[page.kind](client.get(url), marker)
        except AssertionError as error:
            failures.append((name, f"{name} ({url} as {page.role}): {str(error).splitlines()[0][:300]}"))
    unexpected = [text for name, text in failures if (shown.name, name) not in KNOWN_DEFECTS]
    assert not unexpected, "\n".join(unexpected)
    known = {(shown.name, name) for name in shown.pages} & KNOWN_DEFECTS.keys()
    fixed = known - {(shown.name, name) for name, _ in failures}
    assert not fixed, f"Fixed: take these out of KNOWN_DEFECTS: {sorted(fixed)}"
    if known:
        pytest.xfail("; ".join(sorted({KNOWN_DEFECTS[key] for key in known})))
