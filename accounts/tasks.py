from celery import shared_task

from core.mail import MAIL_TASK_OPTIONS

from . import services


@shared_task(**MAIL_TASK_OPTIONS)
def send_welcome_email(self, user_id):
    return services.send_welcome_email(user_id=user_id)
