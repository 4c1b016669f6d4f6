from celery import shared_task

from core.mail import MAIL_TASK_OPTIONS

from . import connections, services


@shared_task(acks_late=True)
def recompute_peers_for_group(group_id):
    return services.recompute_peers_for_group(group_id=group_id)


@shared_task(acks_late=True)
def rebuild_all_peers():
    return services.rebuild_all_peers()


@shared_task(**MAIL_TASK_OPTIONS)
def send_connection_notice(self, message_id):
    return connections.send_connection_notice(message_id=message_id)
