from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse


class AreaKind(models.TextChoices):
    URBAN = "urban", "Urban"
    SUBURBAN = "suburban", "Suburban"
    SMALL_TOWN = "small_town", "Small town"
    RURAL = "rural", "Rural"
    COASTAL = "coastal", "Coastal"
    ISLAND = "island", "Island"


class Region(models.TextChoices):
    """The UK's nations and English regions (ITL1)."""

    NORTH_EAST = "north_east", "North East"
    NORTH_WEST = "north_west", "North West"
    YORKSHIRE = "yorkshire", "Yorkshire and the Humber"
    EAST_MIDLANDS = "east_midlands", "East Midlands"
    WEST_MIDLANDS = "west_midlands", "West Midlands"
    EAST = "east", "East of England"
    LONDON = "london", "London"
    SOUTH_EAST = "south_east", "South East"
    SOUTH_WEST = "south_west", "South West"
    WALES = "wales", "Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"


class ChallengeArea(models.Model):
    """A social challenge groups work on: climate, health, anti-social behaviour… (edited in the admin)."""

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Group(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    summary = models.CharField(max_length=280, help_text="One or two sentences: who you are and what you do.")
    description = models.TextField(blank=True, help_text="The longer story, in Markdown.")
    # Place: a name people recognise, an optional postcode district, and coordinates resolved offline.
    place_name = models.CharField(max_length=100)
    postcode_district = models.CharField(max_length=8, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    # Local context: what the learning app compares.
    area_kind = models.CharField("kind of area", max_length=20, choices=AreaKind.choices)
    population = models.PositiveIntegerField(
        "population served", validators=[MinValueValidator(1), MaxValueValidator(10_000_000)]
    )
    deprivation_decile = models.PositiveSmallIntegerField(
        "deprivation decile",
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="1 is the most deprived tenth of neighbourhoods, 10 the least (English, Welsh and Scottish indices).",
    )
    region = models.CharField(max_length=20, choices=Region.choices)
    challenge_areas = models.ManyToManyField(ChallengeArea, related_name="groups", blank=True)
    logo = models.ImageField(upload_to="groups/logos/", blank=True)
    # Set for real organisations shown as historical examples (demo data): they are not users of the site.
    example_source = models.CharField(
        "source, if a historical example",
        max_length=300,
        blank=True,
        help_text="Public sources for a real organisation shown as a historical example.",
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
            models.Index(fields=["deprivation_decile"], name="group_decile"),
            models.Index(fields=["-created_at"], name="group_created"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("groups:detail", kwargs={"slug": self.slug})


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    ORGANISER = "organiser", "Organiser"
    MEMBER = "member", "Member"


class Membership(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="one_membership_per_user")]
        indexes = [models.Index(fields=["group", "role"], name="membership_group_role")]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} of {self.group}"


class Invitation(models.Model):
    """An owner's invitation to become an organiser, sent by email; the link expires."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.ORGANISER)
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
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
