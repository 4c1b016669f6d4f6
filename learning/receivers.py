"""Listeners to other apps' events. Connected in LearningConfig.ready()."""

from django.db import transaction


def enqueue_peer_recompute(sender, *, group_id, **kwargs):
    """A group's local context or solutions changed: recompute its peers once the data is committed."""
    from .tasks import recompute_peers_for_group

    transaction.on_commit(lambda: recompute_peers_for_group.delay(group_id))
