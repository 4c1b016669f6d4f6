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

Erasing an account is declared the same way. Next to its parts, each app registers the steps that erase
what it holds, and names the links it keeps (with the reason) under the anonymised user row:

    @personal_data.eraser("follows", covers=["groups.Follow.user"], order=30)
    def forget_follows(person):
        Follow.objects.filter(user=person.user).delete()

    personal_data.kept({"groups.Action.created_by": "an action stays with its group, by “Former member”"})

`order` says when a step runs, smallest first, and no two steps share one: some must come before others
(a sign-up's place is given to the people waiting before the memberships go). The tests compare every
link to a person with the steps' `covers` and the kept links, as they do for the export.

`discover()` imports the `personal_data` module of every installed app, as Django's admin finds
`admin.py`, so this base never imports an app; accounts calls it once the apps are ready, assembles
the export from `parts()`, and runs `erasers()` when it deletes an account.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules

from .mail import forget_mail_to


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


@dataclass(frozen=True)
class Eraser:
    name: str
    erase: Callable[[Person], None]
    covers: tuple[str, ...]
    order: int


def erased_address(user: Any) -> str:
    """The address an erased account keeps, as do the rows kept for it: unique, and undeliverable (RFC 2606
    reserves `.invalid`)."""
    return f"deleted-{user.pk}@localism.invalid"


_erasers: dict[str, Eraser] = {}
_kept: dict[str, str] = {}


def _same_function(a: Callable, b: Callable) -> bool:
    return (a.__module__, a.__qualname__) == (b.__module__, b.__qualname__)


def eraser(name: str, *, covers: list[str] | tuple[str, ...], order: int):
    """Register the decorated function as the step `name` of erasing an account, run at `order`.

    The function takes the `Person` and erases (deletes, or strips of the person) the rows it finds through
    the fields in `covers`. It runs inside the transaction that deletes the account, before the user row
    is anonymised.
    """

    def register(erase: Callable[[Person], None]):
        known = _erasers.get(name)
        if known and not _same_function(known.erase, erase):
            raise ImproperlyConfigured(
                f"Two steps of erasing an account are called {name!r}: in {known.erase.__module__} "
                f"and in {erase.__module__}."
            )
        same_order = [e.name for e in _erasers.values() if e.order == order and e.name != name]
        if same_order:
            raise ImproperlyConfigured(
                f"The erasing steps {name!r} and {same_order[0]!r} both have order {order}: give each its own, "
                "so which runs first is written down."
            )
        _erasers[name] = Eraser(name=name, erase=erase, covers=tuple(covers), order=order)
        return erase

    return register


def erasers() -> list[Eraser]:
    """Every registered step of erasing an account, in the order they run."""
    return sorted(_erasers.values(), key=lambda e: e.order)


def kept(reasons: dict[str, str]) -> None:
    """Declare links to a person whose rows erasing an account keeps (under the anonymised user), each with why."""
    for link, reason in reasons.items():
        known = _kept.get(link)
        if known is not None and known != reason:
            raise ImproperlyConfigured(f"{link} is declared kept twice, for different reasons.")
        _kept[link] = reason


def kept_links() -> dict[str, str]:
    """Every declared kept link, with its reason."""
    return dict(_kept)


def discover() -> None:
    """Import `<app>.personal_data` of every installed app that has one, so its parts are registered."""
    autodiscover_modules("personal_data")


# The base's own part of erasing an account: the records of mails sent to many (core.mail), found by address.
@eraser("mail_claims", covers=["core.MailClaim.recipient"], order=60)
def forget_mail_claims(person: Person) -> None:
    forget_mail_to(person.addresses)
