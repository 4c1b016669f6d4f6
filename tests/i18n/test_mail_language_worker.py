"""A mail sent by a real Celery worker (no request, no language active) is in its recipient's language."""

import time
from email import message_from_string
from email.header import decode_header, make_header

import pytest
from django.utils import translation
from django.utils.translation import gettext

from accounts.tasks import send_welcome_email
from tests.conftest import WORKER_TEST
from tests.factories import UserFactory

pytestmark = WORKER_TEST


def sent_subjects(mail_dir, expected, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        subjects = []
        for path in mail_dir.glob("*.log"):
            for chunk in path.read_text().split("-" * 79):
                if "Subject:" in chunk:
                    message = message_from_string(chunk.strip())
                    subjects.append((message["To"], str(make_header(decode_header(message["Subject"])))))
        if len(subjects) >= expected:
            return dict(subjects)
        time.sleep(0.2)
    pytest.fail(f"the worker sent {len(subjects)} of {expected} mails within {timeout} s")


def test_the_worker_writes_each_welcome_in_its_readers_language(worker):
    cymro = UserFactory(language="cy", email="cymro@example.org")
    sais = UserFactory(language="en-gb", email="english@example.org")
    send_welcome_email.delay(cymro.pk)
    send_welcome_email.delay(sais.pk)
    subjects = sent_subjects(worker.mail_dir, expected=2)
    with translation.override("cy"):
        welsh = gettext("Welcome to Localism")
    assert welsh != "Welcome to Localism"
    assert subjects["cymro@example.org"].endswith(welsh)
    assert subjects["english@example.org"].endswith("Welcome to Localism")
