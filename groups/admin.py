import secrets

from django.contrib import admin

from .models import (
    Action,
    ActionSignup,
    ActivityMail,
    ChallengeArea,
    DigestMail,
    Follow,
    Group,
    GroupActivity,
    Invitation,
    Membership,
)


@admin.register(ChallengeArea)
class ChallengeAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "description"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "place_name", "region", "area_kind", "deprivation_decile", "population", "created_at"]
    list_filter = ["region", "area_kind", "deprivation_decile", "challenge_areas"]
    search_fields = ["name", "summary", "place_name", "postcode_district"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["challenge_areas"]
    readonly_fields = ["created_at", "updated_at", "version"]
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change):
        # An admin edit is an edit too: organisers' forms based on the old version are then refused.
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "group", "role", "created_at"]
    list_filter = ["role", "created_at"]
    search_fields = ["user__email", "user__display_name", "group__name"]
    autocomplete_fields = ["user", "group"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "group", "role", "created_at", "expires_at", "sent_at", "accepted_at"]
    list_filter = ["role", "created_at", "expires_at", "sent_at", "accepted_at"]
    search_fields = ["email", "group__name"]
    readonly_fields = ["token", "sent_at", "accepted_at", "accepted_by"]
    autocomplete_fields = ["group"]

    def save_model(self, request, obj, form, change):
        # The token is read-only here, so one made in the admin gets the same kind of token as the service makes.
        if not obj.token:
            obj.token = secrets.token_urlsafe(32)
        super().save_model(request, obj, form, change)


class ActionSignupInline(admin.TabularInline):
    model = ActionSignup
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["queued_at", "promoted_at", "notice_sent_at"]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    # Sign-ups are changed by residents through the site (the service keeps the waiting list in order).
    list_display = ["title", "group", "starts_at", "ends_at", "capacity", "status"]
    list_filter = ["status", "accessible", "starts_at"]
    search_fields = ["title", "group__name", "place_name"]
    autocomplete_fields = ["group", "created_by"]
    date_hierarchy = "starts_at"
    inlines = [ActionSignupInline]


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["user", "group", "mail", "created_at"]
    list_filter = ["mail"]
    search_fields = ["user__email", "group__name"]
    autocomplete_fields = ["user", "group"]


@admin.register(GroupActivity)
class GroupActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "group", "kind", "created_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["title", "group__name"]
    autocomplete_fields = ["group"]


@admin.register(ActivityMail)
class ActivityMailAdmin(admin.ModelAdmin):
    list_display = ["activity", "user", "sent_at"]
    search_fields = ["user__email", "activity__title"]
    readonly_fields = ["activity", "user", "sent_at"]


@admin.register(DigestMail)
class DigestMailAdmin(admin.ModelAdmin):
    list_display = ["user", "week", "sent_at"]
    list_filter = ["week"]
    search_fields = ["user__email"]
    readonly_fields = ["user", "week", "sent_at"]
