"""What moderation needs to know about each kind of user content: how to load it, who may see it, who
answers for it, and what a snapshot of it holds. The content apps know nothing of moderation; this module
is the one place that knows them all.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from challenges.funding.permissions import can_manage_challenge, can_see_entry
from challenges.models import Entry, Solution, Status, Update
from groups.models import Action, Group, Role
from groups.permissions import can_manage_group
from learning.connections import side_of
from learning.models import ConnectionMessage

from .models import Kind


def _name(user):
    if user is None:
        return _("former member")
    return user.display_name or _("a member")


def _entry_title(entry):
    # Translators: a challenge entry's title: the solution's title, then the challenge's.
    return _("%(solution)s in %(challenge)s") % {"solution": entry.solution.title, "challenge": entry.challenge.title}


@dataclass(frozen=True)
class KindInfo:
    queryset: Callable
    owner_group: Callable
    can_see: Callable
    title: Callable
    text: Callable
    author: Callable
    url: Callable
    # The item and what it belongs to (its solution, its group): hidden if any of them is.
    hidden_with: Callable
    funder_id: Callable = lambda item: None


def _update_published(update):
    return update.status == Status.PUBLISHED and update.solution.status == Status.PUBLISHED


def _group_owner(group):
    membership = group.memberships.filter(role=Role.OWNER).select_related("user").first()
    return membership.user if membership else None


KINDS = {
    Kind.GROUP: KindInfo(
        hidden_with=lambda group: [group],
        queryset=lambda: Group.objects.all(),
        owner_group=lambda group: group,
        can_see=lambda user, group: True,
        title=lambda group: group.name,
        text=lambda group: f"{group.summary}\n\n{group.description}".strip(),
        author=_group_owner,
        url=lambda group: group.get_absolute_url(),
    ),
    Kind.SOLUTION: KindInfo(
        hidden_with=lambda solution: [solution, solution.group],
        queryset=lambda: Solution.objects.select_related("group"),
        owner_group=lambda solution: solution.group,
        can_see=lambda user, solution: solution.status == Status.PUBLISHED or can_manage_group(user, solution.group),
        title=lambda solution: solution.title,
        text=lambda solution: "\n\n".join(
            part for part in (solution.problem, solution.approach, solution.why_here, solution.who_involved) if part
        ),
        author=lambda solution: _group_owner(solution.group),
        url=lambda solution: solution.get_absolute_url(),
    ),
    Kind.UPDATE: KindInfo(
        hidden_with=lambda update: [update, update.solution, update.solution.group],
        queryset=lambda: Update.objects.select_related("solution__group", "author"),
        owner_group=lambda update: update.solution.group,
        can_see=lambda user, update: _update_published(update) or can_manage_group(user, update.solution.group),
        title=lambda update: update.title,
        text=lambda update: "\n\n".join(
            part for part in (update.body, update.what_worked, update.what_didnt, update.do_differently) if part
        ),
        author=lambda update: update.author,
        url=lambda update: update.get_absolute_url(),
    ),
    Kind.ACTION: KindInfo(
        hidden_with=lambda action: [action, action.group],
        queryset=lambda: Action.objects.select_related("group", "created_by"),
        owner_group=lambda action: action.group,
        can_see=lambda user, action: True,
        title=lambda action: action.title,
        text=lambda action: f"{action.description}\n\n{action.accessibility_notes}".strip(),
        author=lambda action: action.created_by,
        url=lambda action: action.get_absolute_url(),
    ),
    Kind.ENTRY: KindInfo(
        hidden_with=lambda entry: [entry, entry.solution, entry.solution.group],
        queryset=lambda: Entry.objects.select_related("challenge__funder", "solution__group", "entered_by"),
        owner_group=lambda entry: entry.solution.group,
        can_see=lambda user, entry: can_see_entry(user, entry),
        title=lambda entry: _entry_title(entry),
        text=lambda entry: "\n\n".join(f"{answer.question.text}\n{answer.text}" for answer in entry.answers.all()),
        author=lambda entry: entry.entered_by,
        url=lambda entry: entry.get_absolute_url(),
        funder_id=lambda entry: entry.challenge.funder_id,
    ),
    Kind.MESSAGE: KindInfo(
        hidden_with=lambda message: [message, message.sender_group],
        queryset=lambda: ConnectionMessage.objects.select_related(
            "connection__from_group", "connection__to_group", "sender_group", "author"
        ),
        owner_group=lambda message: message.sender_group,
        can_see=lambda user, message: side_of(user, message.connection) is not None,
        title=lambda message: _("Message from %(group)s") % {"group": message.sender_group.name},
        text=lambda message: message.body,
        author=lambda message: message.author,
        url=lambda message: reverse("learning:connection", kwargs={"pk": message.connection_id}),
    ),
}


def load(kind, pk):
    """The item of that kind with that id, or None."""
    if kind not in KINDS:
        return None
    return KINDS[kind].queryset().filter(pk=pk).first()


def snapshot(kind, item) -> dict:
    """The item as it is now: what a report keeps as evidence."""
    info = KINDS[kind]
    author = info.author(item)
    return {
        "title": info.title(item),
        "text": info.text(item),
        "author": _name(author) if author is not None else "",
        "group": info.owner_group(item).name,
        "url": info.url(item),
    }


def is_hidden(kind, item) -> bool:
    """Hidden by the moderators, itself or through what it belongs to (a hidden group hides its updates)."""
    return any(part.hidden_at is not None for part in KINDS[kind].hidden_with(item))


def answers_for(user, kind, item) -> bool:
    """True for the people who answer for an item: its group's owners and organisers, and its author."""
    if not user.is_authenticated:
        return False
    info = KINDS[kind]
    author = info.author(item) if kind in (Kind.UPDATE, Kind.MESSAGE, Kind.ACTION, Kind.ENTRY) else None
    return can_manage_group(user, info.owner_group(item)) or (author is not None and author.pk == user.pk)


def funder_moderates(user, kind, item) -> bool:
    """A funder's members moderate the entries to its own challenges."""
    return kind == Kind.ENTRY and can_manage_challenge(user, item.challenge)
