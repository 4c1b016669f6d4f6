from django.apps import AppConfig


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from .templatetags import fast_i18n

        # {% load i18n %}: fixed words of {% translate %} rendered once per language (core/templatetags/fast_i18n.py).
        fast_i18n.install()
