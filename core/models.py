"""The base's own table: the claims that let a mail to many people go once to each."""

from django.db import models


class MailClaim(models.Model):
    """One recipient's copy of one mail, claimed before sending (see `core.mail.send_once_to_each`).

    `about` names what the mail is about (for example one auto-hide of one moderation case); `sent_at`
    is null while the copy is due, set just before it is sent, and cleared again if sending fails.
    """

    about = models.CharField(max_length=200)
    recipient = models.CharField(max_length=254)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["about", "recipient"], name="one_mail_claim_per_recipient")]

    def __str__(self):
        return f"{self.about} → {self.recipient}"
