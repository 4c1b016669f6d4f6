from django.apps import AppConfig


class ChallengesConfig(AppConfig):
    name = "challenges"

    def ready(self):
        from groups.page_sections import register_group_page_section

        from .funding import threesixtygiving  # noqa: F401 - registers the check of the 360Giving prefix

        # A group's page lists its solutions; groups cannot name challenges' templates itself.
        register_group_page_section("challenges/_group_page_solutions.html", order=10)

        from core.caching import forget_list_counts_when_changed

        from .models import Solution, Update

        # The solution and lesson lists' counts are kept per set of filters (core.caching.cached_count).
        forget_list_counts_when_changed(Solution, Update)
