from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and benchmark data: the one app allowed to know about every other app."""

    name = "demo"
    label = "demo"
    verbose_name = "Demo data"
