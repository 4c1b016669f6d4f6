from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal.ratelimit import get_ip

from . import services


class AccountAdapter(DefaultAccountAdapter):
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
