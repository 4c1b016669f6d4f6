"""Events other apps may listen to. `groups` sends them; it never imports its listeners.

`group_context_changed` is sent (after commit) by the services that change a group's local
context or its solutions, with `group_id`. The learning app uses it to recompute peers.
"""

from django.dispatch import Signal

from core.db import collect_until_commit

group_context_changed = Signal()


def announce_group_context_changed(group_id: int) -> None:
    """Send `group_context_changed` once the current transaction commits, once per group however many
    times the transaction announced it."""
    collect_until_commit("group_context_changed", [group_id], _send)


def _send(group_ids):
    for group_id in sorted(group_ids):
        group_context_changed.send(sender=None, group_id=group_id)
