from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal.ratelimit import get_ip
from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils import translation

from groups import selectors as group_selectors
from groups import services as group_services

from . import services


class AccountAdapter(DefaultAccountAdapter):
    def invitation_to_continue(self):
        """The open group invitation this sign-up or log-in goes back to afterwards, or None.

        Read from the `next` the page carries: a path on this site, checked as allauth checks every
        redirect, so the invitation's token travels nowhere else and nothing is stored for visitors
        who came another way. allauth keeps `next` through sign-up and email confirmation.
        """
        request = self.request
        next_url = request and (request.POST.get("next") or request.GET.get("next"))
        if not next_url or not self.is_safe_url(next_url):
            return None
        try:
            match = resolve(urlsplit(next_url).path)
        except Resolver404:
            return None
        if match.view_name != "groups:accept_invitation":
            return None
        invitation = group_selectors.invitation_by_token(token=match.kwargs["token"]).first()
        if invitation is None:
            return None
        try:
            group_services.check_invitation_open(invitation=invitation)
        except group_services.InvitationProblem:
            return None
        return invitation

    def save_user(self, request, user, form, commit=True):
        """A new account speaks the language its owner signed up in (their mails too)."""
        language = translation.get_language()
        if language in dict(settings.LANGUAGES) and not user.language:
            user.language = language
        return super().save_user(request, user, form, commit=commit)

    def login(self, request, user):
        """Someone who chose a language before signing in, and never on their account, keeps it there."""
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if not user.language and chosen in dict(settings.LANGUAGES):
            user.language = chosen
            user.save(update_fields=["language"])
        return super().login(request, user)

    def confirm_email(self, request, email_address):
        """Confirm the address, welcome the person, and say whether it was confirmed.

        allauth logs the person in on confirmation (ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION) only when this
        returns True; returning nothing left everyone who had just confirmed at another log-in form.
        It logs in only the browser session that signed up, so a forwarded or leaked link confirms
        the address but never logs its holder in: that one is asked to log in.
        """
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            services.welcome_verified_user(user=email_address.user)
        return confirmed

    def _get_login_attempts_cache_key(self, request, **credentials):
        """Failed sign-ins are counted per account *and* address ("key" in ACCOUNT_RATE_LIMITS).

        allauth counts them per account alone, so five wrong passwords from anywhere refused even the
        right password from everywhere: anyone could lock a moderator or an organiser out. Counted per
        account and address, the person guessing is stopped and the owner still signs in from their
        own address. Guessing one account from many addresses is not stopped by this limit; the
        per-address limit across accounts ("10/m/ip") and the password rules (length, not a common
        password) make that impractical, and a lock-out from everywhere is the harm we refuse.
        Resetting the password clears the count for the address it is reset from.
        """
        return f"{super()._get_login_attempts_cache_key(request, **credentials)}:{get_ip(request)}"
