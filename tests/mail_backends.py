"""Mail backends for tests: the outbox of Django's locmem backend, with a mail server that can fail."""

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend


class MailServerDown(BaseEmailBackend):
    """Every send fails as a dropped connection does (OSError, which the mail tasks retry)."""

    def send_messages(self, email_messages):
        raise OSError("mail server down")


class RefusesSome(LocmemBackend):
    """The locmem outbox, except that a message to an address in `refused` fails like MailServerDown.

    Tests set `refused` with monkeypatch, so it is empty again after each test.
    """

    refused: frozenset[str] = frozenset()

    def send_messages(self, email_messages):
        for message in email_messages:
            if self.refused & set(message.recipients()):
                raise OSError("mail server refused the connection")
        return super().send_messages(email_messages)
