from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy, pgettext_lazy

from core.choices import ChoicesDisplay
from core.db import LimitedTextField
from core.hiding import Hideable, hidden_index
from core.languages import html_lang
from core.markdown import RenderedMarkdownField, RendersMarkdown
from core.reversing import reverse_fast
from groups.models import AreaKind, ChallengeArea, Group, Region


class Stage(models.TextChoices):
    IDEA = "idea", pgettext_lazy("solution stage", "Idea")
    PILOT = "pilot", pgettext_lazy("solution stage", "Pilot")
    RUNNING = "running", pgettext_lazy("solution stage", "Running")
    GROWING = "growing", pgettext_lazy("solution stage", "Growing")
    COMPLETED = "completed", pgettext_lazy("solution stage", "Completed")


class Status(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("publication status", "Draft")
    PUBLISHED = "published", pgettext_lazy("publication status", "Published")


class ApproachTag(models.Model):
    """A short name for a way of working (“community energy co-op”, “street patrols”)."""

    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Metric(models.Model):
    """Something a solution measures. Shared metrics (group is empty) make results comparable."""

    name = models.CharField(max_length=80)
    unit = models.CharField(max_length=40)
    description = models.CharField(max_length=200, blank=True)
    group = models.ForeignKey(
        Group,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="own_metrics",
        help_text=gettext_lazy("Empty for a metric on the shared list."),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "unit"], condition=models.Q(group=None), name="unique_shared_metric"
            ),
            models.UniqueConstraint(fields=["group", "name", "unit"], name="unique_group_metric"),
        ]

    def __str__(self):
        return f"{self.name} ({self.unit})"

    @property
    def is_shared(self):
        return self.group_id is None


# How far along a solution is, as a number (its stage's position): the solution list's "furthest along
# first" sorts by it, through an index on the same expression.
STAGE_ORDER = models.Case(
    *(models.When(stage=value, then=index) for index, value in enumerate(Stage.values)),
    output_field=models.IntegerField(),
)
# What the public solution list shows: published and not hidden (the list's indexes cover only these).
LISTED = models.Q(status="published", hidden_at__isnull=True)


class Solution(RendersMarkdown, Hideable):
    """A group's locally designed response to a social challenge."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="solutions")
    title = models.CharField(max_length=140)
    slug = models.SlugField(max_length=160)
    challenge_area = models.ForeignKey(ChallengeArea, on_delete=models.PROTECT, related_name="solutions")
    problem = LimitedTextField(gettext_lazy("the problem in your local context"), max_length=5_000)
    approach = LimitedTextField(gettext_lazy("your approach"), max_length=5_000)
    why_here = LimitedTextField(gettext_lazy("why it fits this place"), max_length=5_000)
    who_involved = LimitedTextField(gettext_lazy("who is involved"), max_length=2_000, blank=True)
    resources_needed = LimitedTextField(gettext_lazy("resources you need"), max_length=2_000, blank=True)
    # The texts above as HTML, rendered on save.
    problem_html = RenderedMarkdownField(source="problem")
    approach_html = RenderedMarkdownField(source="approach")
    why_here_html = RenderedMarkdownField(source="why_here")
    who_involved_html = RenderedMarkdownField(source="who_involved")
    resources_needed_html = RenderedMarkdownField(source="resources_needed")
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.IDEA)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    approach_tags = models.ManyToManyField(ApproachTag, related_name="solutions", blank=True)
    metrics = models.ManyToManyField(Metric, through="SolutionMetric", related_name="solutions")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [models.UniqueConstraint(fields=["group", "slug"], name="unique_solution_slug_per_group")]
        indexes = [
            models.Index(fields=["status", "stage"], name="solution_status_stage"),
            models.Index(fields=["challenge_area", "status"], name="solution_area_status"),
            # The solution list's default order: recently updated first.
            models.Index(fields=["status", "-updated_at", "-id"], name="solution_status_updated"),
            # ... and of one challenge's solutions (the list's most used filter): without it a page walked the
            # order above past every other challenge's solutions (at 100,000 groups, 1 in 8 rows kept; the list
            # page took 12.4-13.0 ms in-process, 11.0 with it). Two or more challenges at once are still sorted.
            models.Index(
                fields=["challenge_area", "-updated_at", "-id"], name="solution_list_area_updated", condition=LISTED
            ),
            # The list's other orders, over what it shows: without them every filtered page sorted every
            # published solution (at 100,000: 100-140 ms, spilling to disk).
            models.Index(
                STAGE_ORDER.desc(), F("updated_at").desc(), F("id").desc(), name="solution_list_stage", condition=LISTED
            ),
            models.Index(fields=["title", "id"], name="solution_list_title", condition=LISTED),
            # Counting a page's matches for a challenge and the groups' context (kind of area, region):
            # merged in group order with the groups' (area_kind, id) and (region, id), 76 ms -> 2 ms.
            models.Index(fields=["challenge_area", "group"], name="solution_list_area_group", condition=LISTED),
            hidden_index("solution_hidden"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse_fast("challenges:solution", group_slug=self.group.slug, slug=self.slug)

    @cached_property
    def tag_names(self):
        """The names of the solution's approach tags, by name: read with the solution by
        `selectors.with_tag_names` (no query), else read now."""
        if "approach_tag_names" in self.__dict__:
            return self.approach_tag_names
        return [tag.name for tag in self.approach_tags.all()]


class SolutionMetric(models.Model):
    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="solution_metrics")
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="solution_metrics")
    target = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["solution", "metric"], name="one_metric_per_solution")]

    def __str__(self):
        return f"{self.metric} for {self.solution}"


class Update(RendersMarkdown, Hideable):
    """A progress report on a solution, with optional lessons learned."""

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="updates")
    title = models.CharField(max_length=140)
    body = LimitedTextField(max_length=10_000, help_text=gettext_lazy("Markdown."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    # Lessons learned: structured so the learning app can search and compare them.
    what_worked = LimitedTextField(max_length=3_000, blank=True)
    what_didnt = LimitedTextField(gettext_lazy("what didn't work"), max_length=3_000, blank=True)
    do_differently = LimitedTextField(gettext_lazy("what we would do differently"), max_length=3_000, blank=True)
    # The texts above as HTML, rendered on save.
    body_html = RenderedMarkdownField(source="body")
    what_worked_html = RenderedMarkdownField(source="what_worked")
    what_didnt_html = RenderedMarkdownField(source="what_didnt")
    do_differently_html = RenderedMarkdownField(source="do_differently")
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="update_status_published"),
            models.Index(fields=["solution", "status", "-published_at"], name="update_solution_published"),
            hidden_index("update_hidden"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse_fast(
            "challenges:update", group_slug=self.solution.group.slug, slug=self.solution.slug, pk=self.pk
        )

    @property
    def has_lessons(self):
        return bool(self.what_worked or self.what_didnt or self.do_differently)

    @classmethod
    def hidden_among(cls, ids) -> models.QuerySet:
        """Those of `ids` the moderators have hidden, themselves or with their solution."""
        return cls.objects.filter(
            models.Q(hidden_at__isnull=False) | models.Q(solution__hidden_at__isnull=False), pk__in=ids
        )


class UpdateImage(models.Model):
    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to="updates/")
    alt_text = models.CharField(gettext_lazy("description for people who cannot see the image"), max_length=200)

    def __str__(self):
        return self.alt_text


class MetricReading(models.Model):
    """A measured value of one of a solution's metrics on a date."""

    solution_metric = models.ForeignKey(SolutionMetric, on_delete=models.CASCADE, related_name="readings")
    update = models.ForeignKey(Update, on_delete=models.SET_NULL, null=True, blank=True, related_name="readings")
    value = models.DecimalField(max_digits=14, decimal_places=2)
    measured_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measured_on", "created_at"]
        indexes = [models.Index(fields=["solution_metric", "measured_on"], name="reading_metric_date")]

    def __str__(self):
        return f"{self.value} on {self.measured_on}"


# --- Funder challenges ---------------------------------------------------------------------------------
# A funder opens a challenge; groups enter one of their solutions; the funder's members review,
# shortlist and pick winners. Workflows live in `challenges.funding.services`.


# An organisation identifier as the 360Giving Data Standard asks for one (its identifiers guidance): a list
# code from the org-id.guide register — a country or "X" code, a hyphen, the list's letters (GB-CHC, GB-COH,
# GB-SC, XI-IATI, CA-CRA_ACR) — then a hyphen and the organisation's number on that list; or, for an
# organisation on no register, a 360Giving publisher prefix ("360G-...") and an identifier of its own.
# No spaces or slashes: the guidance warns they break identifiers in some applications.
ORG_ID_PATTERN = r"^(?:[A-Z]{2}-[A-Z0-9_]+|360G)-[A-Za-z0-9][A-Za-z0-9_.-]*$"
org_id_validator = RegexValidator(
    ORG_ID_PATTERN,
    gettext_lazy(
        "Enter an organisation identifier in the org-id.guide form: a list code, a hyphen and the number on that "
        "list, e.g. GB-CHC-1234567 for a charity registered in England and Wales, or GB-COH-01234567 for a company."
    ),
    code="bad_org_id",
)


class Funder(models.Model):
    """An organisation that runs challenges (a trust, a council, a lottery distributor)."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    description = LimitedTextField(max_length=5_000, blank=True, help_text=gettext_lazy("Markdown."))
    # Names the funder in the 360Giving data of its awards; without one it is "<prefix>-funder-<pk>".
    org_id = models.CharField(
        gettext_lazy("organisation identifier"),
        max_length=100,
        blank=True,
        validators=[org_id_validator],
        help_text=gettext_lazy(
            "The funder's identifier from org-id.guide, e.g. GB-CHC-1234567 (a registered charity) or "
            "GB-COH-01234567 (a company). Its awards are published under it."
        ),
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="FunderMembership", related_name="funders")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("challenges:funder", kwargs={"slug": self.slug})


class FunderMembership(models.Model):
    funder = models.ForeignKey(Funder, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="funder_memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["funder", "user"], name="one_funder_membership_per_user")]

    def __str__(self):
        return f"{self.user} at {self.funder}"


class ChallengeStage(models.TextChoices):
    """A challenge's stages, in the only order it moves through them."""

    DRAFT = "draft", pgettext_lazy("challenge stage", "Draft")
    OPEN = "open", pgettext_lazy("challenge stage", "Open for entries")
    SHORTLISTING = "shortlisting", pgettext_lazy("challenge stage", "Shortlisting")
    FINALISTS = "finalists", pgettext_lazy("challenge stage", "Finalists")
    WINNERS = "winners", pgettext_lazy("challenge stage", "Winners announced")
    CLOSED = "closed", pgettext_lazy("challenge stage", "Closed")


class PublishEntries(models.TextChoices):
    SHORTLISTED = "shortlisted", gettext_lazy("Shortlisted entries and later")
    ALL = "all", gettext_lazy("All entries")


class Challenge(ChoicesDisplay, models.Model):
    """A funder's open call: many groups enter their own local solution to one outcome."""

    funder = models.ForeignKey(Funder, on_delete=models.PROTECT, related_name="challenges")
    title = models.CharField(max_length=140)
    slug = models.SlugField(max_length=140, unique=True)
    summary = models.CharField(max_length=280)
    description = LimitedTextField(max_length=10_000, help_text=gettext_lazy("Markdown."))
    # The language the funder writes the challenge in: its text is marked with it on every page (`lang`).
    language = models.CharField(
        gettext_lazy("language you write in"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    challenge_areas = models.ManyToManyField(ChallengeArea, related_name="funder_challenges")
    # Empty lists mean "any region" / "any kind of area".
    eligible_regions = models.JSONField(default=list, blank=True)
    eligible_area_kinds = models.JSONField(default=list, blank=True)
    offer = LimitedTextField(
        gettext_lazy("what is offered"),
        max_length=3_000,
        help_text=gettext_lazy("Prize money, grants, support. Markdown."),
    )
    offer_total = models.DecimalField(
        gettext_lazy("total amount offered (£)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    entry_deadline = models.DateTimeField(null=True, blank=True)
    shortlist_on = models.DateField(gettext_lazy("shortlist announced"), null=True, blank=True)
    finalists_on = models.DateField(gettext_lazy("finalists announced"), null=True, blank=True)
    winners_on = models.DateField(gettext_lazy("winners announced"), null=True, blank=True)
    stage = models.CharField(max_length=14, choices=ChallengeStage.choices, default=ChallengeStage.DRAFT)
    publish_entries = models.CharField(
        gettext_lazy("entries shown on the challenge page"),
        max_length=12,
        choices=PublishEntries.choices,
        default=PublishEntries.SHORTLISTED,
    )
    dashboard_public = models.BooleanField(gettext_lazy("collective impact dashboard is public"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["stage", "-created_at"], name="challenge_stage_created")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse_fast("challenges:challenge", slug=self.slug)

    @property
    def content_lang(self):
        """The `lang` of what the funder wrote."""
        return html_lang(self.language)

    @property
    def eligible_region_labels(self):
        labels = dict(Region.choices)
        return [labels[code] for code in self.eligible_regions if code in labels]

    @property
    def eligible_area_kind_labels(self):
        labels = dict(AreaKind.choices)
        return [labels[code] for code in self.eligible_area_kinds if code in labels]


class Criterion(models.Model):
    """What reviewers score entries on, with a positive weight (shown normalised to 100%)."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=280, blank=True)
    weight = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(100)])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["challenge", "name"], name="unique_criterion_name")]

    def __str__(self):
        return self.name


class Question(models.Model):
    """A question every entrant answers."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=280)
    help_text = models.CharField(max_length=280, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text


class StageChange(ChoicesDisplay, models.Model):
    """A record of a challenge moving from one stage to the next, or back to the one it came from: who,
    when, from, to."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=14, choices=ChallengeStage.choices)
    to_stage = models.CharField(max_length=14, choices=ChallengeStage.choices)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.challenge}: {self.from_stage} → {self.to_stage}"

    @property
    def is_move_back(self) -> bool:
        """A move back to an earlier stage (a move on taken back), not a move on."""
        order = ChallengeStage.values
        return order.index(self.to_stage) < order.index(self.from_stage)


class EntryStatus(models.TextChoices):
    ENTERED = "entered", pgettext_lazy("entry status", "Entered")
    SHORTLISTED = "shortlisted", pgettext_lazy("entry status", "Shortlisted")
    FINALIST = "finalist", pgettext_lazy("entry status", "Finalist")
    WINNER = "winner", pgettext_lazy("entry status", "Winner")
    NOT_SELECTED = "not_selected", pgettext_lazy("entry status", "Not selected")


class Entry(Hideable):
    """A group's published solution entered into a challenge, with its answers."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="entries")
    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="entries")
    status = models.CharField(max_length=12, choices=EntryStatus.choices, default=EntryStatus.ENTERED)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # Figures derived from the entry's scores, kept here so the review list can sort and filter by them
    # through an index. Only `services.refresh_score_figures` writes them, in the transaction that saves
    # the scores (see `services.score_entry`).
    weighted_score = models.FloatField(
        null=True,
        blank=True,
        editable=False,
        help_text=gettext_lazy("Σ(weight × score) / Σ weight; empty until scored."),
    )
    score_count = models.PositiveIntegerField(default=0, editable=False)
    disagreement = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text=gettext_lazy("The largest gap between two reviewers' scores on one criterion; empty until scored."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = gettext_lazy("entries")
        constraints = [models.UniqueConstraint(fields=["challenge", "solution"], name="one_entry_per_solution")]
        indexes = [
            models.Index(fields=["challenge", "status"], name="entry_challenge_status"),
            models.Index(fields=["challenge", "-created_at"], name="entry_challenge_created"),
            # The review list's "highest score first" sort and score filters use `entry_challenge_score`
            # (challenge, weighted_score DESC NULLS LAST, id DESC), added on PostgreSQL only by migration
            # 0004: SQLite cannot index NULLS LAST.
            models.Index(fields=["challenge", "score_count", "id"], name="entry_challenge_score_count"),
            hidden_index("entry_hidden"),
        ]

    def __str__(self):
        return f"{self.solution} in {self.challenge}"

    def get_absolute_url(self):
        return reverse("challenges:entry", kwargs={"slug": self.challenge.slug, "pk": self.pk})


class Answer(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = LimitedTextField(max_length=5_000)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "question"], name="one_answer_per_question")]

    def __str__(self):
        return f"Answer to {self.question}"


class Score(models.Model):
    """One reviewer's 1–5 score of one entry against one criterion, with a private note."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="challenge_scores")
    value = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    note = LimitedTextField(max_length=2_000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "criterion", "reviewer"], name="one_score_per_reviewer"),
            models.CheckConstraint(condition=models.Q(value__gte=1, value__lte=5), name="score_1_to_5"),
        ]

    def __str__(self):
        return f"{self.value} for {self.criterion}"


# The largest award that can be recorded: larger amounts are far more likely a typing mistake than a grant
# from a community challenge.
MAX_AWARD = Decimal("10000000")


class Award(models.Model):
    """Money a funder awarded to an entry (a prize, a development grant), published in the 360Giving Data
    Standard with the challenge (`challenges.funding.threesixtygiving`). An entry may have several.

    Recorded, changed and removed only through `challenges.funding.services`; `version` refuses an edit based
    on what someone else has since changed."""

    entry = models.ForeignKey(Entry, on_delete=models.PROTECT, related_name="awards")
    amount = models.DecimalField(
        gettext_lazy("amount"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_AWARD)],
    )
    currency = models.CharField(
        max_length=3,
        default="GBP",
        validators=[RegexValidator(r"^[A-Z]{3}$", gettext_lazy("Enter a three-letter ISO 4217 currency code."))],
    )
    awarded_on = models.DateField(gettext_lazy("date awarded"))
    title = models.CharField(gettext_lazy("title"), max_length=200)
    description = models.CharField(gettext_lazy("description"), max_length=1000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["awarded_on", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="award_amount_positive")]
        indexes = [models.Index(fields=["awarded_on", "id"], name="award_date")]

    def __str__(self):
        return f"{self.title}: {self.amount} {self.currency}"
