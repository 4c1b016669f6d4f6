from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_safe
from django.views.i18n import JavaScriptCatalog

from api import views as api_views
from core.caching import cache_for_anonymous

from . import language, views
from .sitemaps import sitemaps

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Localism administration"

# Pages in every language: English at their plain address, Welsh under /cy/ (settings.LANGUAGES).
urlpatterns = i18n_patterns(
    path("", require_safe(cache_for_anonymous(views.home)), name="home"),
    path("about/", require_safe(views.about), name="about"),
    path("accounts/profile/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("groups/", include("groups.urls")),
    path("challenges/", include("challenges.urls")),
    path("learning/", include("learning.urls")),
    path("moderation/", include("moderation.urls")),
    # Open data: what the API offers, generated from its OpenAPI document (the API itself is at /api/).
    path("open-data/", cache_for_anonymous(api_views.reference), name="api_reference"),
    # The JavaScript's own strings in the page's language (the map's and the place finder's).
    path("jsi18n/", require_safe(cache_page(3600)(JavaScriptCatalog.as_view())), name="javascript_catalog"),
    prefix_default_language=False,
)
# Addresses without a language: machines' and the staff's.
urlpatterns += [
    path("healthz", require_safe(views.healthz), name="healthz"),
    path("api/", include("api.urls")),
    path("language/", language.choose_language, name="choose_language"),
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
