"""Calendars and feeds of a group's actions: iCalendar (RFC 5545) files and an Atom feed.

The iCalendar text is written here rather than with a library: we need a handful of properties,
and writing them keeps the site free of another dependency. Times are in UTC ("Z"), which every
calendar converts to the reader's zone.
"""

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils import dateformat, timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .models import Action, ActionStatus, Group

PRODID = "-//Localism//Local actions//EN"


def _escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (§3.1), never splitting a character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current, limit = [], b"", 75
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > limit:
            parts.append(current.decode("utf-8"))
            current, limit = b"", 74  # continuation lines start with a space
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _site_host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localism.example"


def action_uid(action: Action) -> str:
    return f"action-{action.pk}@{_site_host()}"


def action_location(action: Action) -> str:
    if action.place_name:
        return ", ".join(part for part in (action.place_name, action.postcode_district) if part)
    group = action.group
    return ", ".join(part for part in (group.place_name, group.postcode_district) if part)


def _event_lines(action: Action, stamp: dt.datetime) -> list[str]:
    url = settings.SITE_URL + action.get_absolute_url()
    description = action.description
    if action.accessible:
        if action.accessibility_notes:
            # Translators: in a calendar event's description; the organisers' notes on access follow.
            accessible = _("Accessible: %(notes)s") % {"notes": action.accessibility_notes}
        else:
            accessible = _("Accessible.")
        description += "\n\n" + accessible
    lines = [
        "BEGIN:VEVENT",
        f"UID:{action_uid(action)}",
        f"DTSTAMP:{_utc(stamp)}",
        f"LAST-MODIFIED:{_utc(action.updated_at or stamp)}",
        f"DTSTART:{_utc(action.starts_at)}",
        f"DTEND:{_utc(action.ends_at)}",
        f"SUMMARY:{_escape(action.title)}",
        f"LOCATION:{_escape(action_location(action))}",
        f"URL:{url}",
        f"DESCRIPTION:{_escape((description.strip() + chr(10) + chr(10) + url).strip())}",
        f"ORGANIZER;CN={_escape(action.group.name)}:mailto:{_organiser_address()}",
        "STATUS:CANCELLED" if action.status == ActionStatus.CANCELLED else "STATUS:CONFIRMED",
    ]
    if action.latitude is not None and action.longitude is not None:
        lines.append(f"GEO:{action.latitude:.5f};{action.longitude:.5f}")
    lines.append("END:VEVENT")
    return lines


def _organiser_address() -> str:
    from email.utils import parseaddr

    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "hello@localism.example"


def action_calendar(actions: Iterable[Action], *, name: str = "") -> str:
    """A VCALENDAR with one VEVENT per action (each needs its group loaded)."""
    stamp = timezone.now()
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    if name:
        lines.append(f"X-WR-CALNAME:{_escape(name)}")
    for action in actions:
        lines.extend(_event_lines(action, stamp))
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


class GroupActionsFeed(Feed):
    """Atom feed of a group's upcoming actions, for feed readers. None for a hidden group (404), and
    hidden actions are left out."""

    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return get_object_or_404(Group.objects.visible(), slug=slug)

    def title(self, group):
        return _("Actions of %(group)s") % {"group": group.name}

    def link(self, group):
        return group.get_absolute_url()

    def subtitle(self, group):
        return _("Upcoming local actions of %(group)s on Localism.") % {"group": group.name}

    def items(self, group):
        from .selectors import upcoming_actions

        return upcoming_actions(group=group)[:50]

    def item_title(self, action):
        # The date as "5 March 2026, 18:30", with the month named in the reader's language.
        start = dateformat.format(timezone.localtime(action.starts_at), "j F Y, H:i")
        return f"{action.title} — {start}"

    def item_description(self, action):
        return action.description_html

    def item_pubdate(self, action):
        return action.created_at

    def item_updateddate(self, action):
        return action.updated_at
