"""Account operations. Views, the allauth adapter and tasks call these."""

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import personal_data
from core.mail import Mail, send_once, speaking_to
from core.refusals import Refused
from groups.models import Group, Membership, Role

from . import selectors
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

    The user row is claimed before sending (`core.mail.send_once`, on `welcome_sent_at`), so two
    deliveries of the same task cannot both send. If sending fails the claim is released and the
    error propagates, so the task is retried.
    """
    users = User.objects.filter(pk=user_id)
    return send_once(users, field="welcome_sent_at", only_if=Q(is_active=True), compose=lambda: _welcome(user_id)) > 0


def _welcome(user_id: int) -> Mail:
    user = User.objects.get(pk=user_id)
    with speaking_to(user):
        return Mail(
            subject=_("Welcome to Localism"),
            body=render_to_string("emails/welcome.txt", {"user": user, "site_url": settings.SITE_URL}),
            to=[user.email],
        )


def update_profile(*, user: User, display_name: str, home_area: str) -> User:
    """Change the name others see and the optional home area."""
    user.display_name = display_name.strip()
    user.home_area = home_area.strip()
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name", "home_area"])
    return user


# --- Erasure (UK GDPR right to erasure) ------------------------------------------------------------

# Stored as the deleted account's name (data, in no particular language), so not marked for translation.
FORMER_MEMBER = "Former member"
# Models of optional allauth apps that hold a person's logins; deleted if the app is installed.
ALLAUTH_LOGIN_MODELS = (
    ("socialaccount", "SocialAccount"),
    ("mfa", "Authenticator"),
    ("usersessions", "UserSession"),
)
# The links to a person that delete_account erases itself, besides the steps each app registers in its
# personal_data.py (`core.personal_data.erasers()`): the user row, anonymised, and allauth's rows.
ERASED_BY_DELETE_ACCOUNT = ("accounts.User.email", "account.EmailAddress.user")


class AccountDeletionRefused(Refused):
    """Deleting the account now would leave groups without an owner; `groups` are those to hand over first."""

    def __init__(self, message: str, *, groups: list[Group]):
        super().__init__(message, code="sole_owner", status=409)
        self.groups = groups


def deleted_email(user: User) -> str:
    """The address a deleted account keeps: unique, and undeliverable (RFC 2606 reserves `.invalid`)."""
    return personal_data.erased_address(user)


def _listed(groups: list[Group]) -> str:
    # Translators: a group's name, quoted inside a sentence.
    names = [_("“%(name)s”") % {"name": group.name} for group in groups]
    # "“A”", "“A” and “B”", "“A”, “B” and “C”".
    # Translators: the word before the last of several group names in a list: “A”, “B” and “C”.
    return get_text_list(names, _("and"))


def _sole_owner_message(groups: list[Group]) -> str:
    with_others = [group for group in groups if group.member_count > 1]
    alone = [group for group in groups if group.member_count <= 1]
    sentences = [_("A group must always have an owner.")]
    if with_others:
        sentences.append(
            ngettext(
                # Translators: %(groups)s is one or more quoted group names, e.g. “A”, “B” and “C”.
                "You are the only owner of %(groups)s: hand over ownership to another member first, "
                "on the group's members page.",
                "You are the only owner of %(groups)s: hand over ownership to another member first, "
                "on the group's members page.",
                len(with_others),
            )
            % {"groups": _listed(with_others)}
        )
    if alone:
        sentences.append(
            ngettext(
                # Translators: %(groups)s is one or more quoted group names, e.g. “A”, “B” and “C”.
                "You are the only member of %(groups)s: invite an organiser from the group's members page, "
                "and hand the group over to them once they have joined.",
                "You are the only member of %(groups)s: invite an organiser from the group's members page, "
                "and hand the group over to them once they have joined.",
                len(alone),
            )
            % {"groups": _listed(alone)}
        )
    sentences.append(_("Then you can delete your account."))
    return " ".join(sentences)


def _delete_allauth_logins(user: User) -> None:
    EmailAddress.objects.filter(user=user).delete()
    for app_label, model_name in ALLAUTH_LOGIN_MODELS:
        if not apps.is_installed(f"allauth.{app_label}"):
            continue
        try:
            apps.get_model(app_label, model_name)._default_manager.filter(user=user).delete()
        except LookupError:
            continue


def delete_account(*, user: User) -> User:
    """Erase `user`'s personal data and close the account, in one transaction. Returns the anonymised user.

    The row stays so that what they wrote for groups (updates, messages, actions) keeps its author, now shown
    as “Former member”: name, home area, email addresses, password, moderator and staff rights are cleared,
    `is_active` is off (so every other session of theirs ends on its next request: Django's backends refuse
    inactive users, and the password change alone invalidates the session hash) and `deleted_at` is set.
    Each app erases its own part, in the steps it registers in its `personal_data.py`, run here in their
    `order` (`core.personal_data.erasers()`): memberships, follows, sign-ups (their places go to the people
    waiting first), funder memberships, waiting invitations and the records of mails sent to them are deleted;
    what the apps declare kept (`core.personal_data.kept_links()`) stays under the anonymised row.

    Raises AccountDeletionRefused (a ValidationError) if they are the only owner of a group: ownership must be
    handed over first. Calling it again for a deleted account changes nothing.
    """
    with transaction.atomic():
        # NO KEY UPDATE: rows that merely point at the user (a sign-up being inserted) need not wait for us.
        locked = User.objects.select_for_update(no_key=True).get(pk=user.pk)
        if locked.deleted_at is not None:
            return locked
        owned = Membership.objects.filter(user=locked, role=Role.OWNER).values("group_id")
        # Lock the groups they own, as every membership change does, so a co-owner leaving at the same
        # moment cannot leave a group ownerless; then count owners again under the lock.
        list(Group.objects.select_for_update().filter(pk__in=owned).order_by("pk").values_list("pk", flat=True))
        blocking = list(selectors.groups_only_they_own(locked))
        if blocking:
            raise AccountDeletionRefused(_sole_owner_message(blocking), groups=blocking)

        # Read the addresses before any step runs: invitations and mail claims are found by address.
        person = selectors.person_for(locked)
        for step in personal_data.erasers():
            step.erase(person)
        _delete_allauth_logins(locked)
        locked.groups.clear()
        locked.user_permissions.clear()

        locked.email = deleted_email(locked)
        locked.display_name = FORMER_MEMBER
        locked.home_area = ""
        locked.set_unusable_password()
        locked.is_active = False
        locked.is_staff = locked.is_superuser = locked.is_moderator = False
        locked.last_login = None
        locked.deleted_at = timezone.now()
        locked.save()
    return locked
