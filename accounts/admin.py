from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "home_area", "is_staff", "is_moderator", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_moderator", "is_superuser", "is_active", "date_joined"]
    search_fields = ["email", "display_name", "home_area"]
    readonly_fields = [
        "welcome_sent_at",
        "last_login",
        "date_joined",
        "suspended_at",
        "suspension_reason",
        "deleted_at",
    ]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["display_name", "home_area"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_moderator", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Moderation", {"fields": ["suspended_at", "suspension_reason"]}),
        ("Dates", {"fields": ["last_login", "date_joined", "welcome_sent_at", "deleted_at"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "display_name", "password1", "password2"]}),
    ]
