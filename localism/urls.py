from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.http import require_safe

from core.caching import cache_for_anonymous

from . import views
from .sitemaps import sitemaps

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Localism administration"

urlpatterns = [
    path("", require_safe(cache_for_anonymous(views.home)), name="home"),
    path("healthz", require_safe(views.healthz), name="healthz"),
    path("about/", require_safe(views.about), name="about"),
    path("accounts/profile/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("groups/", include("groups.urls")),
    path("challenges/", include("challenges.urls")),
    path("learning/", include("learning.urls")),
    path("moderation/", include("moderation.urls")),
    path("sitemap.xml", require_safe(sitemap), {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("admin/", admin.site.urls),
]

if settings.MEDIA_URL == "/media/":  # uploads on this host's disk (not object storage): see views.media
    urlpatterns += [path("media/<path:path>", views.media, name="media")]
if settings.BENCHMARK_VIEWS:
    # The yardstick for page benchmarks: a tiny template through the same middleware and server.
    urlpatterns += [path("bench/bare", views.bare, name="bench_bare")]

handler400 = "localism.views.bad_request"
handler403 = "localism.views.permission_denied"
handler404 = "localism.views.page_not_found"
handler429 = "localism.views.too_many_requests"
handler500 = "localism.views.server_error"
