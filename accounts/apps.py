from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from core import personal_data

        # Every app's `personal_data.py` registers its parts of a person's data export.
        personal_data.discover()
