"""Refusals: a service says no with a message people can act on and the HTTP status a view answers with.

Every service refusal is a `Refused`, a `ValidationError`, so forms show it like any error, and carries its
status: 400 by default (the input cannot be used), 403 (not theirs to do), 409 (the state of things refuses:
someone saved in between, too late, already done), 410 (gone), 429 (too many). Views answer with
`refusal_status(error)` and never decide the status themselves.
"""

from django.core.exceptions import ValidationError


class Refused(ValidationError):
    """A service's refusal. `status` is the class's unless the raiser gives one."""

    status = 400

    def __init__(self, message, *, code=None, params=None, status=None):
        super().__init__(message, code=code, params=params)
        if status is not None:
            self.status = status


class StaleEdit(Refused):
    """The edit was based on a version someone else has since replaced; `current` is what is saved now
    (the object, or its version number), so the view can show it beside what the person typed."""

    status = 409

    def __init__(self, message, *, current):
        super().__init__(message, code="stale")
        self.current = current


def refusal_status(error: ValidationError, default: int = 400) -> int:
    """The HTTP status for a form shown again after a service refused it: a `Refused` carries its own; any
    other validation error (the input itself) gets `default`."""
    return error.status if isinstance(error, Refused) else default
