from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import (
    Answer,
    ApproachTag,
    Award,
    Challenge,
    Criterion,
    Entry,
    Funder,
    FunderMembership,
    Metric,
    MetricReading,
    Question,
    Score,
    Solution,
    SolutionMetric,
    StageChange,
    Update,
    UpdateImage,
)


@admin.register(ApproachTag)
class ApproachTagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Metric)
class MetricAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "group"]
    list_filter = [("group", admin.EmptyFieldListFilter)]
    search_fields = ["name", "unit", "description"]
    autocomplete_fields = ["group"]


class SolutionMetricInline(admin.TabularInline):
    model = SolutionMetric
    extra = 0
    autocomplete_fields = ["metric"]


@admin.register(Solution)
class SolutionAdmin(admin.ModelAdmin):
    list_display = ["title", "group", "challenge_area", "stage", "status", "version", "updated_at"]
    list_filter = ["status", "stage", "challenge_area", "approach_tags"]
    search_fields = ["title", "slug", "problem", "approach", "why_here", "group__name"]
    autocomplete_fields = ["group", "approach_tags"]
    readonly_fields = ["created_at", "updated_at", "version"]
    inlines = [SolutionMetricInline]


class UpdateImageInline(admin.TabularInline):
    model = UpdateImage
    extra = 0


class MetricReadingInline(admin.TabularInline):
    model = MetricReading
    extra = 0
    autocomplete_fields = ["solution_metric"]


@admin.register(Update)
class UpdateAdmin(admin.ModelAdmin):
    list_display = ["title", "solution", "author", "status", "published_at"]
    list_filter = ["status", "published_at", "solution__status", "solution__challenge_area"]
    search_fields = ["title", "body", "what_worked", "what_didnt", "do_differently", "solution__title"]
    autocomplete_fields = ["solution", "author"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [UpdateImageInline, MetricReadingInline]


@admin.register(UpdateImage)
class UpdateImageAdmin(admin.ModelAdmin):
    list_display = ["alt_text", "update"]
    search_fields = ["alt_text", "update__title", "update__solution__title"]
    autocomplete_fields = ["update"]


@admin.register(SolutionMetric)
class SolutionMetricAdmin(admin.ModelAdmin):
    list_display = ["solution", "metric", "target"]
    list_filter = [("metric__group", admin.EmptyFieldListFilter)]
    search_fields = ["solution__title", "metric__name"]
    autocomplete_fields = ["solution", "metric"]


@admin.register(MetricReading)
class MetricReadingAdmin(admin.ModelAdmin):
    list_display = ["solution_metric", "value", "measured_on", "update"]
    list_filter = ["measured_on"]
    search_fields = ["solution_metric__solution__title", "solution_metric__metric__name"]
    autocomplete_fields = ["solution_metric", "update"]


# --- Funder challenges ---------------------------------------------------------------------------------


class FunderMembershipInline(admin.TabularInline):
    model = FunderMembership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Funder)
class FunderAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "org_id", "created_at"]
    search_fields = ["name", "org_id"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [FunderMembershipInline]


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    readonly_fields = ["from_stage", "to_stage", "changed_by", "changed_at"]
    can_delete = False


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin):
    list_display = ["title", "funder", "stage", "entry_deadline", "created_at"]
    list_filter = ["stage", "funder"]
    search_fields = ["title", "summary"]
    # Stages move only through the site's stage button, which logs each change.
    readonly_fields = ["stage"]
    raw_id_fields = ["created_by"]
    inlines = [CriterionInline, QuestionInline, StageChangeInline]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["solution", "challenge", "status", "created_at"]
    list_filter = ["status", "challenge"]
    search_fields = ["solution__title", "solution__group__name"]
    raw_id_fields = ["solution", "entered_by"]
    list_select_related = ["solution", "challenge"]
    inlines = [AnswerInline]


@admin.register(Score)
class ScoreAdmin(admin.ModelAdmin):
    list_display = ["entry", "criterion", "reviewer", "value", "updated_at"]
    list_filter = ["entry__challenge"]
    raw_id_fields = ["entry", "criterion", "reviewer"]
    list_select_related = ["entry__solution", "criterion", "reviewer"]


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    """Read-only: awards are recorded, changed and removed on the funder's entry pages, which keep the rules
    (finalists and winners only, amounts, stale edits) and retire the shared copies of the public pages."""

    list_display = ["title", "entry", "amount", "currency", "awarded_on", "created_by"]
    list_filter = ["entry__challenge"]
    search_fields = ["title", "entry__solution__title", "entry__solution__group__name"]
    list_select_related = ["entry__solution", "entry__challenge", "created_by"]
