from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import gettext_lazy

from core.choices import ChoicesDisplay


class UserManager(DjangoUserManager):
    """Users are identified by email; there is no username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(ChoicesDisplay, AbstractUser):
    username = None
    first_name = None
    last_name = None
    email = models.EmailField(gettext_lazy("email address"), unique=True)
    display_name = models.CharField(
        gettext_lazy("display name"),
        max_length=80,
        help_text=gettext_lazy("The name other people see, for example “Sam from Hook Norton”."),
    )
    home_area = models.CharField(
        gettext_lazy("home area"),
        max_length=80,
        blank=True,
        help_text=gettext_lazy(
            "Your postcode district (for example OX7) or the name of your town or village. We use it to show what is near you."
        ),
    )
    # The language the site and its mails speak to this person in (chosen with the switch on every page,
    # or the language they signed up in); blank until they choose: the site's default.
    language = models.CharField(
        gettext_lazy("language"), max_length=8, blank=True, default="", choices=settings.LANGUAGES
    )
    # Set once the welcome mail has gone, so a retried task never sends it twice.
    welcome_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Moderation: a site-wide moderator works the report queue; a suspended user can no longer post.
    is_moderator = models.BooleanField(
        gettext_lazy("moderator"),
        default=False,
        help_text=gettext_lazy("Can work the moderation queue and hide or restore content."),
    )
    suspended_at = models.DateTimeField(null=True, blank=True, editable=False)
    suspension_reason = models.CharField(max_length=300, blank=True, editable=False)
    # Set when the person deleted their account: personal data is gone and their content shows "former member".
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    objects = UserManager()

    class Meta:
        ordering = ["display_name"]

    def __str__(self):
        return self.display_name or self.email

    @property
    def language_code(self):
        """The language to speak to this person in: their choice, else the site's default."""
        return self.language or settings.LANGUAGE_CODE

    @property
    def can_moderate(self):
        """Site-wide moderators and staff work the moderation queue."""
        return self.is_active and (self.is_moderator or self.is_staff)

    @property
    def is_suspended(self):
        return self.suspended_at is not None

    def get_full_name(self):
        return self.display_name

    def get_short_name(self):
        return self.display_name
