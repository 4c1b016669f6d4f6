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


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "group", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__display_name", "group__name"]
    autocomplete_fields = ["user", "group"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "group", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role", "accepted_at"]
    search_fields = ["email", "group__name"]
    readonly_fields = ["token"]
    autocomplete_fields = ["group"]
