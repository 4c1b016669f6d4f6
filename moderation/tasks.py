from celery import shared_task

from core.mail import MAIL_TASK_OPTIONS

from . import services


@shared_task(**MAIL_TASK_OPTIONS)
def notify_moderators_of_auto_hide(self, case_id):
    return services.notify_moderators_of_auto_hide(case_id=case_id)


@shared_task(**MAIL_TASK_OPTIONS)
def notify_reporters(self, case_id):
    return services.notify_reporters(case_id=case_id)


@shared_task(**MAIL_TASK_OPTIONS)
def notify_owner(self, log_entry_id):
    return services.notify_owner(log_entry_id=log_entry_id)
