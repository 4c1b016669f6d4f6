from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "groups"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from core.caching import forget_list_counts_on_commit

        from .models import ChallengeArea, Group

        # The public lists' counts are kept per set of filters (core.caching.cached_count): any change to a
        # group, its challenge areas or an area itself (deleting one drops its links without m2m_changed)
        # retires them.
        for model in (Group, ChallengeArea):
            for signal in (post_save, post_delete):
                signal.connect(forget_list_counts_on_commit, sender=model, dispatch_uid=f"{model.__name__}-list-counts")
        m2m_changed.connect(
            forget_list_counts_on_commit, sender=Group.challenge_areas.through, dispatch_uid="group-areas-list-counts"
        )
