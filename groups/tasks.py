from celery import shared_task

from . import services


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def send_invitation_email(self, invitation_id):
    return services.send_invitation_email(invitation_id=invitation_id)
