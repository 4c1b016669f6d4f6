from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "groups"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from core.caching import forget_list_counts_on_commit, forget_list_counts_when_changed

        from .area_table import area_changed
        from .models import ChallengeArea, Group

        # The public lists' counts are kept per set of filters (core.caching.cached_count): any change to a
        # group, its challenge areas or an area itself (deleting one drops its links without m2m_changed)
        # retires them.
        forget_list_counts_when_changed(Group, ChallengeArea)
        # Each process keeps the challenge areas (groups.area_table): a change is read again at once here and
        # within a second everywhere else.
        for name, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(area_changed, sender=ChallengeArea, dispatch_uid=f"challenge-area-table-{name}")
        m2m_changed.connect(
            forget_list_counts_on_commit, sender=Group.challenge_areas.through, dispatch_uid="group-areas-list-counts"
        )
