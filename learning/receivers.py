"""Listeners to other apps' events. Connected in LearningConfig.ready() (which imports this module)."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from challenges.models import Solution, Status, Update
from core.db import collect_until_commit
from groups.signals import announce_group_context_changed


def enqueue_peer_recompute(sender, *, group_id, **kwargs):
    """A group's local context or solutions changed: recompute its peers once the data is committed."""
    from .tasks import recompute_peers_for_group

    transaction.on_commit(lambda: recompute_peers_for_group.delay(group_id))


# Solutions and updates are deleted by no service of their own but by the admin and by cascades (a group,
# a solution): the model's signal is the one place that sees every deletion. Drafts never reached the matcher.
@receiver(post_delete, sender=Solution, dispatch_uid="learning.solution_deleted")
def solution_deleted(sender, instance, **kwargs):
    if instance.status == Status.PUBLISHED:
        announce_group_context_changed(instance.group_id)


@receiver(post_delete, sender=Update, dispatch_uid="learning.update_deleted")
def update_deleted(sender, instance, **kwargs):
    if instance.status != Status.PUBLISHED:
        return
    # A cascade from the solution deletes its updates first, one signal each: their solutions are looked up
    # once, after commit. A solution gone by then was deleted too, and its own signal covered its group.
    collect_until_commit("learning.updates_deleted", [instance.solution_id], _announce_solutions_groups)


def _announce_solutions_groups(solution_ids):
    published = Solution.objects.filter(pk__in=solution_ids, status=Status.PUBLISHED)
    for group_id in set(published.values_list("group_id", flat=True)):
        announce_group_context_changed(group_id)
