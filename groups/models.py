from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from core.choices import ChoicesDisplay
from core.db import LimitedTextField
from core.hiding import Hideable, hidden_index
from core.languages import html_lang, in_page_language
from core.markdown import RenderedMarkdownField, RendersMarkdown, without_repeated_lead
from core.reversing import reverse_fast

from .area_table import areas_named


class AreaKind(models.TextChoices):
    URBAN = "urban", gettext_lazy("Urban")
    SUBURBAN = "suburban", gettext_lazy("Suburban")
    SMALL_TOWN = "small_town", gettext_lazy("Small town")
    RURAL = "rural", gettext_lazy("Rural")
    COASTAL = "coastal", gettext_lazy("Coastal")
    ISLAND = "island", gettext_lazy("Island")


class Region(models.TextChoices):
    """The UK's nations and English regions (ITL1)."""

    NORTH_EAST = "north_east", gettext_lazy("North East")
    NORTH_WEST = "north_west", gettext_lazy("North West")
    YORKSHIRE = "yorkshire", gettext_lazy("Yorkshire and the Humber")
    EAST_MIDLANDS = "east_midlands", gettext_lazy("East Midlands")
    WEST_MIDLANDS = "west_midlands", gettext_lazy("West Midlands")
    EAST = "east", gettext_lazy("East of England")
    LONDON = "london", gettext_lazy("London")
    SOUTH_EAST = "south_east", gettext_lazy("South East")
    SOUTH_WEST = "south_west", gettext_lazy("South West")
    WALES = "wales", gettext_lazy("Wales")
    SCOTLAND = "scotland", gettext_lazy("Scotland")
    NORTHERN_IRELAND = "northern_ireland", gettext_lazy("Northern Ireland")


class ChallengeArea(models.Model):
    """A social challenge groups work on: climate, health, anti-social behaviour… (edited in the admin)."""

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.CharField(max_length=200, blank=True)
    # The same in Welsh, shown on Welsh pages (the names are the site's own words, edited in the admin).
    name_cy = models.CharField(gettext_lazy("name in Welsh"), max_length=60, blank=True)
    description_cy = models.CharField(gettext_lazy("description in Welsh"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.shown_name

    @property
    def shown_name(self):
        """The name in the page's language."""
        return in_page_language(self.name, self.name_cy)[0]

    @property
    def shown_description(self):
        return in_page_language(self.description, self.description_cy)[0]


class Group(RendersMarkdown, Hideable):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    summary = models.CharField(
        max_length=280, help_text=gettext_lazy("One or two sentences: who you are and what you do.")
    )
    # The language the organisers write in: what they write is marked with it on every page (`lang`).
    language = models.CharField(
        gettext_lazy("language you write in"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    # An optional Welsh version of the name and summary, shown on Welsh pages.
    name_cy = models.CharField(gettext_lazy("name in Welsh"), max_length=120, blank=True)
    summary_cy = models.CharField(gettext_lazy("summary in Welsh"), max_length=280, blank=True)
    description = LimitedTextField(
        max_length=10_000, blank=True, help_text=gettext_lazy("The longer story, in Markdown.")
    )
    # What "About the group" shows (`about`), as HTML rendered on save.
    about_html = RenderedMarkdownField(source="about")
    # Place: a name people recognise, an optional postcode district, and coordinates resolved offline.
    place_name = models.CharField(max_length=100)
    postcode_district = models.CharField(max_length=8, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # Local context: what the learning app compares.
    area_kind = models.CharField(gettext_lazy("kind of area"), max_length=20, choices=AreaKind.choices)
    population = models.PositiveIntegerField(
        gettext_lazy("population served"), validators=[MinValueValidator(1), MaxValueValidator(10_000_000)]
    )
    deprivation_decile = models.PositiveSmallIntegerField(
        gettext_lazy("deprivation decile"),
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=gettext_lazy(
            "1 is the most deprived tenth of neighbourhoods, 10 the least (English, Welsh and Scottish indices)."
        ),
    )
    region = models.CharField(max_length=20, choices=Region.choices)
    challenge_areas = models.ManyToManyField(ChallengeArea, related_name="groups", blank=True)
    logo = models.ImageField(upload_to="groups/logos/", blank=True)
    # Set for real organisations shown as historical examples (demo data): they are not users of the site.
    example_source = models.CharField(
        gettext_lazy("source, if a historical example"),
        max_length=300,
        blank=True,
        help_text=gettext_lazy("Public sources for a real organisation shown as a historical example."),
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Membership", related_name="local_groups")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Bumped on every edit; a save based on an older version is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="group_lat_lon"),
            models.Index(fields=["region", "area_kind"], name="group_region_kind"),
            # The groups of one kind of area, or one region, in id order: what lists of solutions and lessons
            # filtered by a group's context join on (see challenges' solution_list_area_group).
            models.Index(fields=["area_kind", "id"], name="group_kind_id"),
            models.Index(fields=["region", "id"], name="group_region_id"),
            # Each order the list offers (groups.filters.GroupFilter.sorts), exactly, ties included: a page of
            # the list then reads its rows in order and stops, rather than sorting all that match
            # (tests/browse/test_sort_indexes.py). The first also serves the "deprivation up to" filter, as a range.
            models.Index(fields=["deprivation_decile", "name", "id"], name="group_decile_name"),
            models.Index(fields=["-created_at", "-id"], name="group_created_id"),
            models.Index(fields=["name", "id"], name="group_name"),
            models.Index(fields=["-population", "id"], name="group_population_id"),
            # Every group's local context, read without the wide rows (an index-only scan): the lessons library
            # ordered by closeness to a reader's group (learning.filters.context_closeness) scores every group.
            # At 100,000 groups scanning the table itself took 70 of the query's 95 ms.
            models.Index(
                fields=["area_kind", "region", "deprivation_decile", "population", "id"], name="group_context"
            ),
            hidden_index("group_hidden"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse_fast("groups:detail", slug=self.slug)

    @property
    def about(self) -> str:
        """The description for "About the group", without a first paragraph that repeats the summary word
        for word: the summary is already shown under the group's name. Empty if nothing else is left."""
        return without_repeated_lead(self.description, self.summary)

    @property
    def content_lang(self):
        """The `lang` of what the organisers wrote (description, solutions, updates, actions)."""
        return html_lang(self.language)

    @property
    def shown_name(self):
        """The name in the page's language: the Welsh name on Welsh pages if there is one."""
        return in_page_language(self.name, self.name_cy, self.language)[0]

    @property
    def shown_name_lang(self):
        return in_page_language(self.name, self.name_cy, self.language)[1]

    @property
    def shown_summary(self):
        return in_page_language(self.summary, self.summary_cy, self.language)[0]

    @property
    def shown_summary_lang(self):
        return in_page_language(self.summary, self.summary_cy, self.language)[1]

    @cached_property
    def area_list(self):
        """The group's challenge areas, by name. Read with the group by `selectors.with_area_ids` (the ids,
        named from the areas this process keeps: no query), else as prefetched, else read now. A cached
        property, so `Prefetch("challenge_areas", to_attr="area_list")` still fills it."""
        if "area_ids" in self.__dict__:
            return areas_named(self.area_ids)
        return list(self.challenge_areas.all())

    @cached_property
    def organisers(self):
        """The group's owners and organisers (`Organiser`: name and role): owners first, then in the order they
        joined. Read with the group by `selectors.group_detail` (no query), else read now."""
        if "organiser_list" in self.__dict__:
            return [Organiser(person["name"], person["role"]) for person in self.organiser_list]
        memberships = self.memberships.filter(role__in=[Role.OWNER, Role.ORGANISER]).select_related("user")
        in_order = sorted(memberships, key=lambda m: (m.role != Role.OWNER, m.pk))
        return [Organiser(m.user.display_name, m.role) for m in in_order]


class Role(models.TextChoices):
    OWNER = "owner", gettext_lazy("Owner")
    ORGANISER = "organiser", gettext_lazy("Organiser")
    MEMBER = "member", gettext_lazy("Member")


@dataclass(frozen=True)
class Organiser:
    """An owner or organiser as the group page names them."""

    name: str
    role: str

    @property
    def role_display(self):
        return Role(self.role).label


class Membership(ChoicesDisplay, models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="one_membership_per_user")]
        indexes = [models.Index(fields=["group", "role"], name="membership_group_role")]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} of {self.group}"


class Invitation(ChoicesDisplay, models.Model):
    """An owner's invitation to become an organiser, sent by email; the link expires."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.ORGANISER)
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The language of the page it was sent from: a newcomer without an account is written to in it.
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Claimed with a conditional UPDATE before the mail goes, so a retried task never sends it twice.
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation for {self.email} to {self.group}"


# --- Residents: actions, sign-ups, follows and what they are told ---------------------------------


class ActionStatus(models.TextChoices):
    SCHEDULED = "scheduled", gettext_lazy("Scheduled")
    CANCELLED = "cancelled", gettext_lazy("Cancelled")


class Action(RendersMarkdown, Hideable):
    """Something a group invites residents to: a repair café, a work day, an open house."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=120)
    description = LimitedTextField(
        max_length=5_000, blank=True, help_text=gettext_lazy("What will happen and what to bring, in Markdown.")
    )
    description_html = RenderedMarkdownField(source="description")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # Where: optional; without a place of its own an action is where its group is.
    place_name = models.CharField(max_length=100, blank=True)
    postcode_district = models.CharField(max_length=8, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    capacity = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(100_000)])
    accessible = models.BooleanField(gettext_lazy("step-free and accessible"), default=False)
    accessibility_notes = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.SCHEDULED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["latitude", "longitude"], name="action_lat_lon"),
            models.Index(fields=["group", "starts_at"], name="action_group_start"),
            models.Index(fields=["starts_at"], name="action_start"),
            hidden_index("action_hidden"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="action_ends_after_start"
            ),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="action_capacity_positive"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse_fast("groups:action", slug=self.group.slug, pk=self.pk)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError(
                {"ends_at": gettext("The action must end after it starts.")}, code="ends_before_start"
            )

    @property
    def is_cancelled(self):
        return self.status == ActionStatus.CANCELLED


class SignupStatus(models.TextChoices):
    CONFIRMED = "confirmed", gettext_lazy("Confirmed")
    WAITING = "waiting", gettext_lazy("On the waiting list")
    CANCELLED = "cancelled", gettext_lazy("Cancelled")


class ActionSignup(ChoicesDisplay, models.Model):
    """One resident's place at an action (or on its waiting list). One row per person and action:
    cancelling keeps the row, signing up again re-uses it at the back of the queue."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="action_signups")
    status = models.CharField(max_length=10, choices=SignupStatus.choices)
    # The waiting list is served in this order.
    queued_at = models.DateTimeField()
    promoted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Claimed with a conditional UPDATE before the mail for the current status goes; cleared when it changes.
    notice_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["queued_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["action", "user"], name="one_signup_per_user")]
        indexes = [models.Index(fields=["action", "status", "queued_at"], name="signup_action_queue")]

    def __str__(self):
        return f"{self.user} – {self.get_status_display()} for {self.action}"


class FollowMail(models.TextChoices):
    IMMEDIATE = "immediate", gettext_lazy("Each new post, by email")
    WEEKLY = "weekly", gettext_lazy("A weekly digest")
    NONE = "none", gettext_lazy("No emails")


class Follow(ChoicesDisplay, models.Model):
    """A resident following a group's news, with how they want to hear of it."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    mail = models.CharField(
        gettext_lazy("emails"), max_length=10, choices=FollowMail.choices, default=FollowMail.IMMEDIATE
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="one_follow_per_user")]
        indexes = [models.Index(fields=["group", "mail"], name="follow_group_mail")]

    def __str__(self):
        return f"{self.user} follows {self.group}"


class ActivityKind(models.TextChoices):
    UPDATE = "update", gettext_lazy("Progress update")
    ACTION = "action", pgettext_lazy("kind of news item", "Action")


class GroupActivity(ChoicesDisplay, models.Model):
    """Something new at a group that followers hear about: a published update or a new action.

    `subject` is what the activity announces (an update of challenges, an action of groups), held with
    the contenttypes framework because groups may not import the apps above it. `title` and `url` are
    written from the subject when it is announced, so news and mails are drawn without loading it.

    The subject's own model says whether it is hidden: every model an activity can point at has a
    classmethod `hidden_among(ids)` returning, as an unevaluated queryset, those of `ids` the moderators
    have hidden (`core.hiding.Hideable` gives the plain one; an update is also hidden with its solution).
    `notifications.without_hidden_activities` asks each kind's `subject_type.model_class()` and joins
    the answers into one query. An activity without a subject (older rows whose address named nothing
    known) is left out only when its group is hidden.
    """

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=10, choices=ActivityKind.choices)
    title = models.CharField(max_length=200)
    # The subject's path on this site when it was announced (mails prefix SITE_URL).
    url = models.CharField(max_length=500)
    # SET_NULL: were the subject's model ever removed, the news stays as a plain link.
    subject_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = gettext_lazy("group activities")
        indexes = [
            models.Index(fields=["group", "-created_at"], name="activity_group_created"),
            models.Index(fields=["created_at"], name="activity_created"),
        ]

    def __str__(self):
        return f"{self.group}: {self.title}"


class ActivityMail(models.Model):
    """The mail telling one follower of one activity: the row is claimed before sending, so it goes once."""

    activity = models.ForeignKey(GroupActivity, on_delete=models.CASCADE, related_name="mails")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["activity", "user"], name="one_activity_mail_per_user")]

    def __str__(self):
        return f"{self.activity} → {self.user}"


class DigestMail(models.Model):
    """One user's weekly digest for the week starting `week` (a Monday), claimed before sending."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.DateField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "week"], name="one_digest_per_user_week")]

    def __str__(self):
        return f"Digest for {self.user}, week of {self.week}"
