from django.contrib.sitemaps import Sitemap

from .models import Solution, Status


class SolutionSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return (
            Solution.objects.filter(status=Status.PUBLISHED, hidden_at__isnull=True, group__hidden_at__isnull=True)
            .select_related("group")
            .only("slug", "updated_at", "group__slug")
            .order_by("pk")
        )

    def lastmod(self, solution):
        return solution.updated_at
