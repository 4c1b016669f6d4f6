"""Who may post, and how much: the rules every service that publishes user content calls first.

A suspended account may not post at all. A new account (email not yet verified, or under a day old)
may post a little at a time; these limits slow spam down without getting in a real newcomer's way.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

NEW_ACCOUNT_AGE = timedelta(days=1)


class PostingRefused(ValidationError):
    """The person may not post this now; the message says why and what they can do."""


class PostingRateLimited(PostingRefused):
    """Too many posts in a short time; views answer 429."""


def is_new_account(user) -> bool:
    """True for an account under a day old or without a verified email address."""
    from allauth.account.models import EmailAddress

    if user.date_joined and timezone.now() - user.date_joined < NEW_ACCOUNT_AGE:
        return True
    return not EmailAddress.objects.filter(user=user, verified=True).exists()


def ensure_not_suspended(user) -> None:
    """Refuse anything a suspended account tries to post."""
    if getattr(user, "suspended_at", None) is not None:
        raise PostingRefused(
            "Your account is suspended, so you cannot post. If you think this is a mistake, write to the moderators.",
            code="suspended",
        )
