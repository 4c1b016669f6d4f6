"""The Celery app. Tasks live in each app's tasks.py and only wrap a service."""

import logging
import os

from celery import Celery, Task
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "localism.settings")

logger = logging.getLogger(__name__)


class InlineWhenBrokerDownTask(Task):
    """A task that runs in the caller's process when the broker cannot take it.

    Work is enqueued after a commit that has already happened: if Redis is down the request must
    neither fail (the change is saved) nor drop the work. Every task is idempotent, so running it
    here instead of in a worker is safe; it is slower for this one request, and logged.
    """

    def apply_async(self, args=None, kwargs=None, **options):
        try:
            return super().apply_async(args, kwargs, **options)
        except OperationalError as error:
            logger.warning("broker unavailable (%s): running %s inline", error, self.name)
            # throw=False: a failure here is logged with the task, not raised into the saved request.
            result = self.apply(args, kwargs, throw=False)
            if result.failed():
                logger.error("%s failed inline while the broker was down: %r", self.name, result.result)
            return result



app = Celery("localism", task_cls=InlineWhenBrokerDownTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
