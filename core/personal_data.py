"""What Localism holds about a person, declared by the app that holds it.

Each app lists the parts of a person's data export it holds in its own `personal_data.py`, next to its
models, so whoever changes a model sees what the export reads from it:

    from core import personal_data

    @personal_data.part("follows", covers=["groups.Follow.user"])
    def follows(person):
        return [...]

A part has a name (its key in the exported file), a function that reads it for one person (a list of
dicts, or a dict), and the fields that link a row to the person (`"app_label.Model.field"`). The tests
compare those fields with every link to the user model in our apps, so a renamed or new field fails a
test instead of silently leaving the export.

`discover()` imports the `personal_data` module of every installed app, as Django's admin finds
`admin.py`, so this base never imports an app; accounts calls it once the apps are ready, and assembles
the export from `parts()`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Person:
    """The person an export is for: their user row and the email addresses on their account.

    The addresses are read once, by accounts, because other parts find rows by address too (an
    invitation is sent to an address, not to an account).
    """

    user: Any
    email_addresses: tuple[dict, ...] = ()  # {"email", "verified", "primary"}, as exported

    @property
    def addresses(self) -> frozenset[str]:
        """Every address known to be theirs, lower-cased: the account's and each one they added."""
        return frozenset({self.user.email.lower(), *(a["email"].lower() for a in self.email_addresses)})


@dataclass(frozen=True)
class Part:
    name: str
    read: Callable[[Person], list[dict] | dict]
    covers: tuple[str, ...]


_parts: dict[str, Part] = {}


def part(name: str, *, covers: list[str] | tuple[str, ...]):
    """Register the decorated function as the part `name` of the export, reading the fields in `covers`."""

    def register(read: Callable[[Person], list[dict] | dict]):
        known = _parts.get(name)
        if known and (known.read.__module__, known.read.__qualname__) != (read.__module__, read.__qualname__):
            raise ImproperlyConfigured(
                f"Two parts of the personal data export are called {name!r}: in {known.read.__module__} "
                f"and in {read.__module__}."
            )
        _parts[name] = Part(name=name, read=read, covers=tuple(covers))
        return read

    return register


def parts() -> dict[str, Part]:
    """Every registered part by name, in the order the apps declared them."""
    return dict(_parts)


def discover() -> None:
    """Import `<app>.personal_data` of every installed app that has one, so its parts are registered."""
    autodiscover_modules("personal_data")
