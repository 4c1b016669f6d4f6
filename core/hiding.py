"""What moderators can hide: a pair of fields and a queryset method shared by every kind of user content.

The apps that own the content (groups, challenges, learning) keep these fields on their own models, so
their selectors can leave hidden items out (`.visible()`) without knowing anything about moderation. Only
`moderation.services` sets or clears them.
"""

from django.db import models
from django.utils.translation import gettext, gettext_noop

from .choices import ChoicesDisplay


def hidden_index(name):
    """A partial index of the hidden rows only: tiny (moderators hide few things), it lets "is this item's
    group hidden?" (`NOT EXISTS … hidden_at IS NOT NULL`) be answered without scanning the table."""
    return models.Index(fields=["hidden_at"], condition=models.Q(hidden_at__isnull=False), name=name)


class HideableQuerySet(models.QuerySet):
    def visible(self):
        """Items that moderators have not hidden."""
        return self.filter(hidden_at__isnull=True)


class Hideable(ChoicesDisplay, models.Model):
    hidden_at = models.DateTimeField(null=True, blank=True, editable=False)
    hidden_reason = models.CharField(max_length=300, blank=True, editable=False)

    objects = HideableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_hidden(self):
        return self.hidden_at is not None

    @classmethod
    def hidden_among(cls, ids) -> models.QuerySet:
        """Those of `ids` the moderators have hidden, as an unevaluated queryset (so a caller can join
        several kinds into one query). A model hidden with its parent too overrides this."""
        return cls.objects.filter(pk__in=ids, hidden_at__isnull=False)


# What an item hidden automatically says (its `hidden_reason`): stored in English, shown translated.
AUTO_HIDE_REASON = gettext_noop("Hidden automatically after several reports, until a moderator looks at it.")


def shown_hidden_reason(reason: str) -> str:
    """An item's `hidden_reason` as shown: the automatic hide's reason in the active language, a moderator's
    words as they wrote them."""
    return gettext(AUTO_HIDE_REASON) if reason == AUTO_HIDE_REASON else reason
