from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "localism.accounts"
    label = "accounts"
    verbose_name = "Accounts"
