"""Who may post, and how much: the rules every service that publishes user content calls first.

A suspended account may not post at all. A new account (email not yet verified, or under a day old)
may post a little at a time and with few links; these limits slow spam down without getting in a real
newcomer's way. Nobody may post exactly the same thing twice within a day.

The API (every refusal is a `PostingRefused`, a `ValidationError` whose message is for people):

- `check_post(user=, kind=, content=, counted=None, compare_with=None)` — all the rules at once, for a
  service about to save a post: suspension, links, a repeat of `compare_with`, the hourly limit over
  `counted` (given when creating, not editing; then call it inside the transaction that saves the
  post). Services pass querysets of their own models, so this module knows nothing of groups,
  solutions or messages.
- `ensure_not_suspended(user)` — code "suspended".
- `ensure_group_visible(group)` — code "group_hidden": a group the moderators hid may not write to others.
- `ensure_links_allowed(user=, text=)` — at most NEW_ACCOUNT_MAX_LINKS links for a new account,
  MAX_LINKS for anyone; code "too_many_links". `count_links(text)` counts them.
- `ensure_not_repeated(kind=, content=, compare_with=)` — code "repeated" if the same text (whitespace
  and letter case aside) is among `compare_with` created in the last REPEAT_WINDOW.
- `ensure_within_rate(user=, kind=, recent=queryset | recent_count=int)` — for a new account, at most
  `posts_per_hour(kind)` posts of that kind an hour; raises `PostingRateLimited` (code "rate_limited")
  saying when they can post again. Established accounts are not limited here. Usable for any kind:
  "update", "message", "report", …; a kind with no limit is not limited.
- the refusals carry the HTTP status a view answers with when it shows the form again
  (`core.refusals.refusal_status`): 429 rate-limited, 403 suspended or writing for a hidden group, 409 a
  repeat, 400 too many links.

Hourly limits for new accounts are NEW_ACCOUNT_POSTS_PER_HOUR, overridden per kind by
`settings.POSTING_LIMITS` (e.g. `{"update": 10}`; None for no limit).
"""

import html
import math
import re
import unicodedata
from collections.abc import Mapping
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

from .refusals import Refused

NEW_ACCOUNT_AGE = timedelta(days=1)
RATE_WINDOW = timedelta(hours=1)
REPEAT_WINDOW = timedelta(hours=24)
# A newcomer's first updates or questions rarely need more than this in their first hour; a spammer does.
NEW_ACCOUNT_POSTS_PER_HOUR = {"update": 3, "message": 5, "report": 5}
# Newcomers may point to their own website and one more page; link farms need many more.
NEW_ACCOUNT_MAX_LINKS = 2
# Generous for a group's list of resources, yet no room for a page of spam links.
MAX_LINKS = 20
# Earlier posts read when looking for a repeat: a person's posts of one kind in one day rarely reach this.
REPEAT_ROWS = 200

# What a new account reaching its hourly limit is told, per kind of post (%(limit)s: the posts allowed an hour).
RATE_LIMIT_SENTENCES = {
    "update": ngettext_lazy(
        "While your account is new you can post %(limit)s update an hour, and you have reached that.",
        "While your account is new you can post %(limit)s updates an hour, and you have reached that.",
        "limit",
    ),
    "solution": ngettext_lazy(
        "While your account is new you can post %(limit)s solution an hour, and you have reached that.",
        "While your account is new you can post %(limit)s solutions an hour, and you have reached that.",
        "limit",
    ),
    "message": ngettext_lazy(
        "While your account is new you can post %(limit)s message an hour, and you have reached that.",
        "While your account is new you can post %(limit)s messages an hour, and you have reached that.",
        "limit",
    ),
    "report": ngettext_lazy(
        "While your account is new you can post %(limit)s report an hour, and you have reached that.",
        "While your account is new you can post %(limit)s reports an hour, and you have reached that.",
        "limit",
    ),
    "group": ngettext_lazy(
        "While your account is new you can post %(limit)s group description an hour, and you have reached that.",
        "While your account is new you can post %(limit)s group descriptions an hour, and you have reached that.",
        "limit",
    ),
    "action": ngettext_lazy(
        "While your account is new you can post %(limit)s action an hour, and you have reached that.",
        "While your account is new you can post %(limit)s actions an hour, and you have reached that.",
        "limit",
    ),
}
# What someone posting the same text twice in a day is told, per kind of post.
REPEAT_MESSAGES = {
    "update": gettext_lazy(
        "You have already posted exactly this update in the last 24 hours, so it is not posted again. "
        "If you meant to correct the earlier update, edit it instead; if this is new, change the text."
    ),
    "solution": gettext_lazy(
        "You have already posted exactly this solution in the last 24 hours, so it is not posted again. "
        "If you meant to correct the earlier solution, edit it instead; if this is new, change the text."
    ),
    "message": gettext_lazy(
        "You have already posted exactly this message in the last 24 hours, so it is not posted again. "
        "If you meant to correct the earlier message, edit it instead; if this is new, change the text."
    ),
    "report": gettext_lazy(
        "You have already posted exactly this report in the last 24 hours, so it is not posted again. "
        "If you meant to correct the earlier report, edit it instead; if this is new, change the text."
    ),
    "group": gettext_lazy(
        "You have already posted exactly this group description in the last 24 hours, so it is not posted "
        "again. If you meant to correct the earlier group description, edit it instead; if this is new, "
        "change the text."
    ),
    "action": gettext_lazy(
        "You have already posted exactly this action in the last 24 hours, so it is not posted again. "
        "If you meant to correct the earlier action, edit it instead; if this is new, change the text."
    ),
}
# Said of every limit on new accounts.
LIMIT_GOES = gettext_lazy("The limit goes once your email address is verified and your account is a day old.")

# What renders as a link, or will be read as one: each alternative consumes its whole text, so a
# Markdown link whose text is its address counts once. Repetitions are bounded so that hostile input
# cannot make the search slow.
_LINK = re.compile(
    r"""
      (?P<anchor><a\b[^<>]{0,500}>)(?:[^<]{0,500}</a>)?              # an HTML anchor and the text it shows
    | !?\[[^\[\]\n]{0,500}\]\([ \t]{0,20}<?(?P<target>[^()\[\]\s<>]{1,2000})>?(?:[ \t]+[^()\n]{0,500})?\)
                                                                    # [text](target "title"), images too
    | ^[ ]{0,3}\[[^\[\]\n]{1,500}\]:[ \t]{0,20}<?(?P<reference>[^\s<>]{1,2000})  # a reference: [1]: target
    | <(?:https?|ftp)://[^<>\s]{0,2000}>                             # an autolink: <https://…>
    | <[^@<>\s]{1,200}@[^@<>\s]{1,200}>                             # an email autolink: <name@example.org>
    | (?:https?://|ftp://|www\.)[^\s<>]{1,2000}                     # a bare address
    """,
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)
_HREF = re.compile(
    r"""\bhref[ \t\n]{0,20}=[ \t\n]{0,20}(?:"([^"]{0,2000})"|'([^']{0,2000})'|([^\s"'>]{1,2000}))""", re.I
)
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]{0,30}):", re.I)
# Targets with these schemes (or none: a path on this site) are links once the Markdown is rendered;
# others (javascript:, data:, ftp:) are dropped by the sanitiser, so they are no link to count.
_LINK_SCHEMES = {"http", "https", "mailto"}  # as core.markdown allows


class PostingRefused(Refused):
    """The person may not post this now; the message says why and what they can do. Its status follows
    its code: 403 suspended or writing for a hidden group, 409 a repeat of an earlier post, else 400."""

    STATUS_BY_CODE = {"suspended": 403, "group_hidden": 403, "repeated": 409}

    def __init__(self, message, *, code=None, params=None):
        super().__init__(message, code=code, params=params, status=self.STATUS_BY_CODE.get(code))


class PostingRateLimited(PostingRefused):
    """Too many posts in a short time: 429."""

    status = 429


def is_new_account(user) -> bool:
    """True for an account under a day old or without a verified email address."""
    from allauth.account.models import EmailAddress

    if user.date_joined and timezone.now() - user.date_joined < NEW_ACCOUNT_AGE:
        return True
    return not EmailAddress.objects.filter(user=user, verified=True).exists()


def ensure_not_suspended(user) -> None:
    """Refuse anything a suspended account tries to post."""
    if getattr(user, "suspended_at", None) is not None:
        raise PostingRefused(
            _(
                "Your account is suspended, so you cannot post. "
                "If you think this is a mistake, write to the moderators."
            ),
            code="suspended",
        )


def ensure_group_visible(group) -> None:
    """Refuse what a group the moderators have hidden would say to other groups (it could still reach
    them by mail while its pages are hidden)."""
    if getattr(group, "hidden_at", None) is not None:
        raise PostingRefused(
            _(
                # Translators: %(group)s is the name of the group.
                "The moderators have hidden %(group)s, so it cannot write to other groups until it is shown "
                "again. The group's own page shows you why, and how to appeal."
            )
            % {"group": group.name},
            code="group_hidden",
        )


# --- Links ------------------------------------------------------------------------------------------


def count_links(text: str) -> int:
    """How many links `text` has: web and email addresses, bare or in Markdown or HTML links."""
    return sum(1 for match in _LINK.finditer(text or "") if _leads_somewhere(match))


def _leads_somewhere(match: re.Match) -> bool:
    if match.group("anchor"):
        href = _HREF.search(match.group("anchor"))
        if href is None:
            return False  # <a name="…">: an anchor, not a link
        target = next(part for part in href.groups() if part is not None)
    else:
        target = match.group("target") or match.group("reference")
        if target is None:
            return True  # an address: bare, or an autolink
    # As a browser reads it: entities decoded, spaces and control characters gone.
    target = "".join(char for char in html.unescape(target) if char > " ")
    scheme = _SCHEME.match(target)
    return scheme is None or scheme.group(1).lower() in _LINK_SCHEMES


def ensure_links_allowed(*, user, text: str, new_account: bool | None = None) -> None:
    """Refuse more than NEW_ACCOUNT_MAX_LINKS links from a new account, or more than MAX_LINKS from anyone.

    `new_account` saves a query when the caller already knows.
    """
    found = count_links(text)
    if found <= NEW_ACCOUNT_MAX_LINKS:
        return
    if new_account is None:
        new_account = is_new_account(user)
    if new_account:
        sentences = [
            ngettext(
                "While your account is new you can include at most %(limit)s link in a post, and this has %(found)s.",
                "While your account is new you can include at most %(limit)s links in a post, and this has %(found)s.",
                NEW_ACCOUNT_MAX_LINKS,
            )
            % {"limit": NEW_ACCOUNT_MAX_LINKS, "found": found},
            _remove_links(found - NEW_ACCOUNT_MAX_LINKS),
            str(LIMIT_GOES),
        ]
        raise PostingRefused(" ".join(sentences), code="too_many_links")
    if found > MAX_LINKS:
        sentences = [
            ngettext(
                "A post can include at most %(limit)s link, and this has %(found)s.",
                "A post can include at most %(limit)s links, and this has %(found)s.",
                MAX_LINKS,
            )
            % {"limit": MAX_LINKS, "found": found},
            _remove_links(found - MAX_LINKS),
        ]
        raise PostingRefused(" ".join(sentences), code="too_many_links")


def _remove_links(number: int) -> str:
    return ngettext("Please remove %(number)s link.", "Please remove %(number)s links.", number) % {"number": number}


# --- Repeats ----------------------------------------------------------------------------------------


def normalise_text(text: str) -> str:
    """The text as compared for repeats: Unicode-normalised, invisible characters dropped, whitespace
    collapsed, letter case folded."""
    text = unicodedata.normalize("NFKC", text or "")
    text = "".join(char for char in text if unicodedata.category(char) != "Cf")
    return " ".join(text.split()).casefold()


def _joined(values) -> str:
    return "\n".join(value or "" for value in values)


def ensure_not_repeated(*, kind: str, content: Mapping[str, str], compare_with: QuerySet) -> None:
    """Refuse `content` if one of `compare_with` created in the last REPEAT_WINDOW has the same text.

    `content` maps the model's text fields to the new values; `compare_with` holds the author's earlier
    posts of this kind (without the one being edited) and must have a `created_at` field.
    """
    wanted = normalise_text(_joined(content.values()))
    if not wanted:
        return
    since = timezone.now() - REPEAT_WINDOW
    earlier = (
        compare_with.filter(created_at__gte=since).order_by("-created_at").values_list(*content.keys())[:REPEAT_ROWS]
    )
    if any(normalise_text(_joined(values)) == wanted for values in earlier):
        message = REPEAT_MESSAGES.get(kind)
        if message is None:  # a kind without its own wording: named by its code
            message = _(
                # Translators: %(kind)s is an internal name for a kind of post, in English.
                "You have already posted exactly this %(kind)s in the last 24 hours, so it is not posted again. "
                "If you meant to correct the earlier %(kind)s, edit it instead; if this is new, change the text."
            ) % {"kind": kind}
        raise PostingRefused(str(message), code="repeated")


# --- Rates ------------------------------------------------------------------------------------------


def posts_per_hour(kind: str) -> int | None:
    """How many posts of `kind` a new account may make in an hour; None for no limit."""
    limits = {**NEW_ACCOUNT_POSTS_PER_HOUR, **getattr(settings, "POSTING_LIMITS", {})}
    return limits.get(kind)


def ensure_within_rate(
    *,
    user,
    kind: str,
    recent: QuerySet | None = None,
    recent_count: int | None = None,
    new_account: bool | None = None,
) -> None:
    """Refuse a new account's post of `kind` once it has made `posts_per_hour(kind)` in the last hour.

    Give either `recent`, the person's posts of this kind (with a `created_at` field; only the last
    hour is read, and the message then says when they can post again), or `recent_count`, how many they
    made in the last RATE_WINDOW. Established accounts, and kinds without a limit, pass.
    Raises PostingRateLimited.
    """
    limit = posts_per_hour(kind)
    if limit is None:
        return
    if new_account is None:
        new_account = is_new_account(user)
    if not new_account:
        return
    now = timezone.now()
    next_at = None
    if recent is not None:
        times = list(
            recent.filter(created_at__gte=now - RATE_WINDOW)
            .order_by("-created_at")
            .values_list("created_at", flat=True)[:limit]
        )
        if len(times) < limit:
            return
        # The oldest post of the last `limit` leaves the window first.
        next_at = times[-1] + RATE_WINDOW
    elif recent_count is None:
        raise TypeError("ensure_within_rate() needs `recent` or `recent_count`.")
    elif recent_count < limit:
        return
    sentence = RATE_LIMIT_SENTENCES.get(kind)
    if sentence is None:  # a kind without its own wording: named by its code
        sentence = ngettext(
            # Translators: %(kind)s is an internal name for a kind of post, in English.
            "While your account is new you can post %(limit)s %(kind)s an hour, and you have reached that.",
            "While your account is new you can post %(limit)s %(kind)ss an hour, and you have reached that.",
            limit,
        )
    sentences = [sentence % {"limit": limit, "kind": kind}]
    if next_at is None:
        sentences.append(_("Your text is kept below: you can post it within the hour."))
    else:
        minutes = max(1, math.ceil((next_at - now).total_seconds() / 60))
        sentences.append(
            ngettext(
                # Translators: %(time)s is the time of day they can post again, such as 14:05.
                "Your text is kept below: you can post it in %(minutes)s minute (at %(time)s).",
                "Your text is kept below: you can post it in %(minutes)s minutes (at %(time)s).",
                minutes,
            )
            % {"minutes": minutes, "time": f"{timezone.localtime(next_at):%H:%M}"}
        )
    sentences.append(str(LIMIT_GOES))
    raise PostingRateLimited(" ".join(sentences), code="rate_limited")


# --- Everything at once -----------------------------------------------------------------------------


def check_post(
    *,
    user,
    kind: str,
    content: Mapping[str, str],
    counted: QuerySet | None = None,
    compare_with: QuerySet | None = None,
) -> None:
    """Refuse (PostingRefused) a post `user` is about to save, or return if every rule allows it.

    In order: a suspended account; too many links in `content` (field name → text); the same text as
    one of `compare_with` from the last day (omit it to skip); for a new account, its hourly limit
    counted over `counted` (give it when creating, not when editing). Call it inside the transaction
    that saves the post: when the hourly limit applies, the person's row is locked, so two posts sent
    at once are counted one after the other.
    """
    ensure_not_suspended(user)
    ensure_links_allowed(user=user, text=_joined(content.values()))
    if compare_with is not None:
        ensure_not_repeated(kind=kind, content=content, compare_with=compare_with)
    if counted is not None and posts_per_hour(kind) is not None and is_new_account(user):
        if transaction.get_connection().in_atomic_block:
            list(get_user_model()._default_manager.select_for_update().filter(pk=user.pk).values_list("pk"))
        ensure_within_rate(user=user, kind=kind, recent=counted, new_account=True)
