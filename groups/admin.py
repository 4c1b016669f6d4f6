import secrets

from django.contrib import admin

from .models import ChallengeArea, Group, Invitation, Membership


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
