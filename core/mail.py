"""Mail: what a mail is, sending it at most once, and how the tasks that send it retry.

Every mail the site sends goes through one of two helpers, so a task that is retried or delivered
twice never mails anyone twice:

- `send_once` for one mail per row (a welcome, an invitation, a sign-up notice, a weekly digest): the
  row's own timestamp field is the claim;
- `send_once_to_each` for one mail to many people, one copy each (the moderators): a `MailClaim` row
  per recipient is the claim, so a send that fails part way mails nobody again who already got it.

Every mail is written in its recipient's language (the one they chose on the site, stored on their
account), not the sender's, and the same in a Celery worker as in a request: `in_languages_of` composes
one copy per language among the recipients, with that language active, so its subject, its text and the
addresses it links to are all in it.
"""

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone, translation

from .models import MailClaim

# Options for every task that sends mail: retried with backoff when the mail server can't be reached.
# Each such task wraps a service that sends with `send_once` or `send_once_to_each`, so a retry never
# mails anyone twice.
MAIL_TASK_OPTIONS = {
    "bind": True,
    "acks_late": True,
    "autoretry_for": (OSError,),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


@dataclasses.dataclass(frozen=True)
class Mail:
    """One message: the site's subject prefix and from address are added when it is sent."""

    subject: str
    body: str
    to: Sequence[str]
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    attachments: Sequence[tuple[str, str | bytes, str]] = ()  # (filename, content, mimetype)


def send(mail: Mail) -> int:
    """Send `mail` through Django's mail API (errors propagate). Returns how many people it went to."""
    message = EmailMessage(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + mail.subject,
        body=mail.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(mail.to),
        headers=dict(mail.headers),
    )
    for filename, content, mimetype in mail.attachments:
        message.attach(filename, content, mimetype)
    message.send()
    return len(mail.to)


def languages_of(addresses: Iterable[str], default: str | None = None) -> dict[str, str]:
    """The language to write to each address in: its account's choice (any case of the address), else
    `default` (the site's language if None). One query."""
    addresses = list(addresses)
    lowered = {address.lower() for address in addresses}
    chosen = dict(
        get_user_model()
        .objects.annotate(address=Lower("email"))
        .filter(address__in=lowered)
        .exclude(language="")
        .values_list("address", "language")
    )
    return {address: chosen.get(address.lower(), default or settings.LANGUAGE_CODE) for address in addresses}


def language_of(address: str) -> str:
    return languages_of([address])[address]


def speaking_to(recipient):
    """Compose inside `with speaking_to(user_or_address):` to write in the recipient's language."""
    code = getattr(recipient, "language_code", None) or language_of(recipient)
    return translation.override(code)


def in_languages_of(addresses: Iterable[str], compose: Callable[[list[str]], Mail | None]) -> list[Mail]:
    """One copy of a mail for each language spoken among `addresses`: `compose(the addresses in it)` runs
    with that language active. For a mail to one person, a list of one."""
    by_language: dict[str, list[str]] = {}
    for address, language in languages_of(dict.fromkeys(addresses)).items():
        by_language.setdefault(language, []).append(address)
    mails = []
    for language, group in by_language.items():
        with translation.override(language):
            mail = compose(group)
        if mail is not None:
            mails.append(mail)
    return mails


def send_once(
    rows: QuerySet, *, field: str, compose: Callable[[], Mail | Sequence[Mail] | None], only_if: Q | None = None
) -> int:
    """Send the mail `compose` returns (or each of the mails: one per language), once for the row `rows`
    selects. Returns how many people this call mailed.

    The row is claimed first: a conditional UPDATE sets `field` (null while the mail is due) where it is
    still null and `only_if` holds, so of two runs, at once or one after the other, only one sends.
    `compose` runs after the claim, so it reads the row as claimed; it returns None, or a mail to nobody,
    when there is no one to tell, and the claim stays: the mail is settled. If composing or sending
    raises, the claim is released (where `field` still holds our stamp) and the error propagates, so the
    task is retried.
    """
    stamp = timezone.now()
    claim = rows.filter(**{f"{field}__isnull": True})
    if only_if is not None:
        claim = claim.filter(only_if)
    if not claim.update(**{field: stamp}):
        return 0
    try:
        composed = compose()
        mails = [composed] if isinstance(composed, Mail) else list(composed or ())
        return sum(send(mail) for mail in mails if mail.to)
    except Exception:
        rows.filter(**{field: stamp}).update(**{field: None})
        raise


def send_once_to_each(*, about: str, recipients: Iterable[str], compose: Callable[[str], Mail]) -> int:
    """Send each recipient their copy of a mail, `compose(recipient)`, once per `about`. Returns how many this call mailed.

    `about` names what the mail is about, uniquely (say "moderation.auto_hidden:<case>:<when>"). A
    `MailClaim` row per (about, recipient) is created if missing and claimed with `send_once`: a failed
    send releases only that recipient's claim and stops, so the retry mails that recipient and those
    not reached yet, and nobody who already got it; runs at the same moment share the recipients out.
    """
    recipients = list(dict.fromkeys(recipients))
    MailClaim.objects.bulk_create(
        [MailClaim(about=about, recipient=recipient) for recipient in recipients], ignore_conflicts=True
    )
    return sum(
        send_once(
            MailClaim.objects.filter(about=about, recipient=recipient),
            field="sent_at",
            compose=partial(compose, recipient),
        )
        for recipient in recipients
    )


def forget_mail_to(addresses: Iterable[str]) -> None:
    """Delete the record of mails sent to these addresses (any case), as erasing an account does."""
    lowered = {address.lower() for address in addresses}
    MailClaim.objects.annotate(address=Lower("recipient")).filter(address__in=lowered).delete()
