"""The Celery app. Tasks live in each app's tasks.py and only wrap a service."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "localism.settings")

app = Celery("localism")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
