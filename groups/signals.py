"""Events other apps may listen to. `groups` sends them; it never imports its listeners.

`group_context_changed` is sent (after commit) by the services that change a group's local
context or its solutions, with `group_id`. The learning app uses it to recompute peers.
"""

from django.dispatch import Signal

group_context_changed = Signal()


def announce_group_context_changed(group_id: int) -> None:
    """Send `group_context_changed` once the current transaction commits."""
    from django.db import transaction

    transaction.on_commit(lambda: group_context_changed.send(sender=None, group_id=group_id))
