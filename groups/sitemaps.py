from django.contrib.sitemaps import Sitemap

from .models import Group


class GroupSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return Group.objects.visible().only("slug", "updated_at").order_by("pk")

    def lastmod(self, group):
        return group.updated_at
