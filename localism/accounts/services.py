"""Account operations. Views, the allauth adapter and tasks call these."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .models import User


def welcome_verified_user(*, user: User) -> None:
    """Queue the welcome mail for a user whose address is now verified.

    The task runs after the surrounding transaction commits, so the worker
    sees the verified user.
    """
    from .tasks import send_welcome_email

    transaction.on_commit(lambda: send_welcome_email.delay(user.pk))


def send_welcome_email(*, user_id: int) -> bool:
    """Send the welcome mail once. Returns True if this call sent it.

    The user row is claimed with a conditional UPDATE before sending, so two
    deliveries of the same task cannot both send. If sending fails the claim
    is released and the error propagates, so the task is retried.
    """
    now = timezone.now()
    claimed = User.objects.filter(pk=user_id, welcome_sent_at__isnull=True, is_active=True).update(welcome_sent_at=now)
    if not claimed:
        return False
    user = User.objects.get(pk=user_id)
    context = {"user": user, "site_url": settings.SITE_URL}
    try:
        send_mail(
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Welcome to Localism",
            message=render_to_string("emails/welcome.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )
    except Exception:
        User.objects.filter(pk=user_id, welcome_sent_at=now).update(welcome_sent_at=None)
        raise
    return True


def update_profile(*, user: User, display_name: str, home_area: str) -> User:
    """Change the name others see and the optional home area."""
    user.display_name = display_name.strip()
    user.home_area = home_area.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name", "home_area"])
    return user
