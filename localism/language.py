"""Choosing a language: the switch on every page, remembering the choice, and each page's addresses in
every language.

English pages keep their addresses and Welsh ones start with /cy/ (i18n_patterns), so an address that
is shared, bookmarked or indexed always opens in its language. The switch is a small form on every
page: choosing a language stores it (a cookie, and on the account of someone signed in, where mails read
it) and opens the same page, with its query string, in that language. Someone who chose Welsh and then
opens an English address (a link in an old mail, the bare domain) is sent to the Welsh one.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponseRedirect
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.languages import address_in, html_lang, page_address_in
from core.views import error_page

LANGUAGE_NAMES = dict(settings.LANGUAGES)


def preferred_language(request):
    """The language this person chose (their account's, else the cookie's), or None."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.language:
        return user.language
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return code if code in LANGUAGE_NAMES else None


class RememberedLanguageMiddleware:
    """Sends someone who chose a language other than the default from an address in the default
    language to the same page in theirs (GET and HEAD only; the address itself wins otherwise)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and translation.get_language_from_path(request.path_info) is None:
            preferred = preferred_language(request)
            if preferred and preferred != settings.LANGUAGE_CODE:
                target = address_in(request.get_full_path(), preferred)
                if target and target != request.get_full_path():
                    response = HttpResponseRedirect(target)
                    response["Vary"] = "Cookie"
                    return response
        return self.get_response(request)


@csrf_exempt  # see below: no token, so that pages cached for anonymous visitors can carry the switch
@require_POST
def choose_language(request):
    """The language switch: remember the choice and open the same page in that language.

    The form carries no CSRF token: a token would set a cookie on every page and so stop anonymous pages
    being cached. What a forged request could do is change someone's language, which the switch on the
    page they land on changes back; requests that say they come from another site are refused anyway.
    """
    origin = request.headers.get("Origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.get_host():
        return error_page(request, 403, _("Not from this site"), _("Please choose a language on the page itself."))
    code = request.POST.get("language", "")
    if code not in LANGUAGE_NAMES:
        return error_page(
            request,
            400,
            _("No such language"),
            _("Please choose English or Cymraeg with the switch at the top of the page."),
        )
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    next_url = next_url if next_url.startswith("/") else "/"
    target = address_in(next_url, code) or address_in("/", code)
    response = HttpResponseRedirect(target)
    response.status_code = 303
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    user = request.user
    if user.is_authenticated and user.language != code:
        user.language = code
        user.save(update_fields=["language"])
    return response


class _Link:
    """One language of the current page: its code, its name (in itself) and its address."""

    def __init__(self, request, code, url):
        self.code = code
        self.lang = html_lang(code)
        self.name = LANGUAGE_NAMES[code]
        self.url = url
        self.absolute_url = request.build_absolute_uri(url)
        self.current = code == translation.get_language()


def languages(request):
    """Template context: `page_languages`, the current page in each language (empty where the page has
    no translated address; worked out on first use), and `html_lang` for the page's `lang` attribute."""

    def links():
        found = [(code, page_address_in(request, code)) for code in LANGUAGE_NAMES]
        if any(url is None for _, url in found):
            return []
        return [_Link(request, code, url) for code, url in found]

    return {
        "page_languages": SimpleLazyObject(links),
        "html_lang": html_lang(translation.get_language() or settings.LANGUAGE_CODE),
    }
