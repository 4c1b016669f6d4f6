from django.apps import AppConfig


class ChallengesConfig(AppConfig):
    name = "challenges"

    def ready(self):
        from groups.page_sections import register_group_page_section

        from .funding import threesixtygiving  # noqa: F401 - registers the check of the 360Giving prefix

        # A group's page lists its solutions; groups cannot name challenges' templates itself.
        register_group_page_section("challenges/_group_page_solutions.html", order=10)

        from django.db.models.signals import post_delete, post_save

        from core.caching import forget_list_counts_on_commit

        from .models import Solution, Update

        # The solution and lesson lists' counts are kept per set of filters (core.caching.cached_count).
        for model in (Solution, Update):
            for signal in (post_save, post_delete):
                signal.connect(forget_list_counts_on_commit, sender=model, dispatch_uid=f"{model.__name__}-list-counts")
