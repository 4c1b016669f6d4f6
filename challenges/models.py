from django.conf import settings
from django.db import models
from django.urls import reverse

from groups.models import ChallengeArea, Group


class Stage(models.TextChoices):
    IDEA = "idea", "Idea"
    PILOT = "pilot", "Pilot"
    RUNNING = "running", "Running"
    GROWING = "growing", "Growing"
    COMPLETED = "completed", "Completed"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


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
        help_text="Empty for a metric on the shared list.",
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


class Solution(models.Model):
    """A group's locally designed response to a social challenge."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="solutions")
    title = models.CharField(max_length=140)
    slug = models.SlugField(max_length=160)
    challenge_area = models.ForeignKey(ChallengeArea, on_delete=models.PROTECT, related_name="solutions")
    problem = models.TextField("the problem in your local context")
    approach = models.TextField("your approach")
    why_here = models.TextField("why it fits this place")
    who_involved = models.TextField("who is involved", blank=True)
    resources_needed = models.TextField("resources you need", blank=True)
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
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("challenges:solution", kwargs={"group_slug": self.group.slug, "slug": self.slug})


class SolutionMetric(models.Model):
    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="solution_metrics")
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="solution_metrics")
    target = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["solution", "metric"], name="one_metric_per_solution")]

    def __str__(self):
        return f"{self.metric} for {self.solution}"


class Update(models.Model):
    """A progress report on a solution, with optional lessons learned."""

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="updates")
    title = models.CharField(max_length=140)
    body = models.TextField(help_text="Markdown.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    # Lessons learned: structured so the learning app can search and compare them.
    what_worked = models.TextField(blank=True)
    what_didnt = models.TextField("what didn't work", blank=True)
    do_differently = models.TextField("what we would do differently", blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="update_status_published"),
            models.Index(fields=["solution", "status", "-published_at"], name="update_solution_published"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "challenges:update",
            kwargs={"group_slug": self.solution.group.slug, "slug": self.solution.slug, "pk": self.pk},
        )

    @property
    def has_lessons(self):
        return bool(self.what_worked or self.what_didnt or self.do_differently)


class UpdateImage(models.Model):
    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(upload_to="updates/")
    alt_text = models.CharField("description for people who cannot see the image", max_length=200)

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
