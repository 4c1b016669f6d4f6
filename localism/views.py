import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_safe
from django.views.static import serve

from challenges.selectors import home_page_figures, recent_published_updates
from core.caching import cached_figures
from core.views import error_page

logger = logging.getLogger(__name__)


def home(request):
    return render(
        request,
        "home.html",
        {
            "figures": cached_figures("home", home_page_figures),
            "recent_updates": recent_published_updates(limit=5),
        },
    )


def bare(request):
    return render(request, "bench_bare.html")


def about(request):
    return render(request, "about.html")


@never_cache
def healthz(request):
    """For load balancers: 200 when the database (and Redis, when configured) answer."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as error:  # any failure means "not healthy", reported, not raised
        logger.warning("healthz: database check failed: %s", error)
        checks["database"] = "error"
    if settings.REDIS_URL:
        try:
            cache.set("healthz", "ok", 5)
            checks["redis"] = "ok" if cache.get("healthz") == "ok" else "error"
        except Exception as error:
            logger.warning("healthz: redis check failed: %s", error)
            checks["redis"] = "error"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)


@requires_csrf_token
def bad_request(request, exception=None):
    return error_page(
        request, 400, _("Bad request"), _("We could not understand that request. Please go back and try again.")
    )


@requires_csrf_token
def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else _("You do not have permission to see or do this.")
    return error_page(request, 403, _("Not allowed"), message)


@requires_csrf_token
def page_not_found(request, exception=None):
    return error_page(
        request, 404, _("Page not found"), _("There is no page at this address. It may have moved or been removed.")
    )


# Pages for signed-in people, forms and the moderators' queue have nothing for search engines.
ROBOTS_DISALLOW = ("/accounts/", "/admin/", "/moderation/", "/groups/me/", "/groups/near/")


@require_safe
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines.append(f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW: our layout and a way forward instead of Django's plain page."""
    return error_page(
        request,
        403,
        _("This form has expired"),
        _(
            "For your safety we could not accept this form: it was open too long, or it was sent from "
            "another site or with cookies blocked. Go back, reload the page and send it again; what you "
            "typed may still be in the form."
        ),
    )


# Uploads are images re-encoded by groups.images under names Django's storage keeps unique, so a
# browser may keep them a day.
MEDIA_MAX_AGE = 24 * 3600


@require_safe
def media(request, path):
    """User uploads under MEDIA_URL, in production too, when they are stored on this host's disk.

    Only files under MEDIA_ROOT (django.views.static.serve refuses `..` and absolute paths); 404
    otherwise, 304 when unchanged. With several hosts or heavy traffic, let the web server or a CDN
    serve MEDIA_ROOT at /media/, or store uploads in object storage (README, Deploying).
    """
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = f"public, max-age={MEDIA_MAX_AGE}"
    return response


def too_many_requests(request, exception=None):
    return error_page(
        request,
        429,
        _("Too many attempts"),
        _("You have tried this too many times in a short while. Please wait a few minutes and try again."),
    )


@requires_csrf_token
def server_error(request):
    # Rendered without context processors or database access: the error may be the database.
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render())
