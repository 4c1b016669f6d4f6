"""Mail: how the tasks that send it retry."""

# Options for every task that sends mail: retried with backoff when the mail server can't be reached.
# Each such task wraps a service that claims its row before sending, so a retry never mails twice.
MAIL_TASK_OPTIONS = {
    "bind": True,
    "acks_late": True,
    "autoretry_for": (OSError,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}
