import datetime as dt

from celery import shared_task

from core.mail import MAIL_TASK_OPTIONS

from . import actions, notifications, services


@shared_task(**MAIL_TASK_OPTIONS)
def send_invitation_email(self, invitation_id):
    return services.send_invitation_email(invitation_id=invitation_id)


# --- Residents: sign-up notices, follower mails and weekly digests -----------------------------------
# Each wraps one service that claims a row before it sends, so running a task twice sends nothing twice.


@shared_task(**MAIL_TASK_OPTIONS)
def send_signup_notice(self, signup_id):
    return actions.send_signup_notice(signup_id=signup_id)


@shared_task(**MAIL_TASK_OPTIONS)
def send_activity_mails(self, activity_id):
    return notifications.send_activity_mails(activity_id=activity_id)


@shared_task(**MAIL_TASK_OPTIONS)
def send_digest(self, user_id, week):
    return notifications.send_digest(user_id=user_id, week=dt.date.fromisoformat(week))


@shared_task
def queue_weekly_digests():
    return notifications.queue_weekly_digests()
