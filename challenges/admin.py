from django.contrib import admin

from .models import ApproachTag, Metric, MetricReading, Solution, SolutionMetric, Update, UpdateImage


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
    list_display = ["title", "group", "challenge_area", "stage", "status", "updated_at"]
    list_filter = ["status", "stage", "challenge_area"]
    search_fields = ["title", "problem", "approach", "group__name"]
    autocomplete_fields = ["group", "approach_tags"]
    readonly_fields = ["created_at", "updated_at", "version"]
    inlines = [SolutionMetricInline]


class UpdateImageInline(admin.TabularInline):
    model = UpdateImage
    extra = 0


@admin.register(Update)
class UpdateAdmin(admin.ModelAdmin):
    list_display = ["title", "solution", "author", "status", "published_at"]
    list_filter = ["status", "published_at"]
    search_fields = ["title", "body", "what_worked", "what_didnt", "do_differently", "solution__title"]
    autocomplete_fields = ["solution", "author"]
    inlines = [UpdateImageInline]


@admin.register(SolutionMetric)
class SolutionMetricAdmin(admin.ModelAdmin):
    list_display = ["solution", "metric", "target"]
    search_fields = ["solution__title", "metric__name"]
    autocomplete_fields = ["solution", "metric"]


@admin.register(MetricReading)
class MetricReadingAdmin(admin.ModelAdmin):
    list_display = ["solution_metric", "value", "measured_on", "update"]
    list_filter = ["measured_on"]
    search_fields = ["solution_metric__solution__title", "solution_metric__metric__name"]
    autocomplete_fields = ["solution_metric", "update"]
