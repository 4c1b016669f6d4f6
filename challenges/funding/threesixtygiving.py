"""Awards as 360Giving data: the 360Giving Data Standard (https://standard.threesixtygiving.org), the form UK
grant-makers publish their grants in, as a JSON package and as its one-sheet spreadsheet (CSV).

Plain functions over `Award`s (read with `selectors.public_awards()`, which brings the entry, solution, group,
challenge and funder along), so the challenge's export views and the API build the same records.

Identifiers, as the standard's identifiers guidance asks:
- a grant: the publisher's 360Giving prefix (settings.THREESIXTYGIVING_PREFIX, "360G-…"), a hyphen and an
  identifier from our records: `<prefix>-award-<award id>`;
- the recipient, the entering group: `<prefix>-group-<group id>` (community groups are on no register, so the
  guidance's internal identifier under the publisher's prefix);
- the funder: its org-id.guide identifier (`Funder.org_id`, e.g. GB-CHC-1234567), else `<prefix>-funder-<id>`;
- the grant programme, the challenge: `<prefix>-challenge-<challenge id>`.

Every address is the page's English (default-language) address, so the data does not change with the
language of whoever downloads it. Amounts are JSON numbers; dates ISO 8601; currency an ISO 4217 code.
"""

import csv
import io
import re
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core import checks
from django.urls import reverse
from django.utils import translation

from .exports import safe_cell

DEFAULT_PREFIX = "360G-localism"


def publisher_prefix() -> str:
    """This site's 360Giving publisher prefix (settings.THREESIXTYGIVING_PREFIX), without a trailing hyphen."""
    return getattr(settings, "THREESIXTYGIVING_PREFIX", DEFAULT_PREFIX).rstrip("-")


# A publisher prefix as 360Giving gives them: "360G-" and the publisher's name; no spaces or slashes.
PREFIX_PATTERN = r"360G-[A-Za-z0-9][A-Za-z0-9_.-]*"


@checks.register()
def check_publisher_prefix(app_configs=None, **kwargs):
    """Warn at start-up when THREESIXTYGIVING_PREFIX is not a 360Giving prefix: every grant id would be wrong."""
    prefix = publisher_prefix()
    if re.fullmatch(PREFIX_PATTERN, prefix):
        return []
    return [
        checks.Warning(
            f"THREESIXTYGIVING_PREFIX is {prefix!r}, not a 360Giving publisher prefix such as '360G-localism'.",
            hint="Set it to the prefix 360Giving registered for this site: it starts every published grant id.",
            id="challenges.W001",
        )
    ]


def grant_id(award_id: int, *, prefix: str) -> str:
    return f"{prefix}-award-{award_id}"


def group_org_id(group_id: int, *, prefix: str) -> str:
    return f"{prefix}-group-{group_id}"


def funder_org_id(funder, *, prefix: str) -> str:
    return funder.org_id or f"{prefix}-funder-{funder.pk}"


def programme_code(challenge_id: int, *, prefix: str) -> str:
    return f"{prefix}-challenge-{challenge_id}"


def json_number(amount: Decimal) -> int | float:
    """An amount as a JSON number: whole pounds as an integer, pence as a decimal fraction (12 digits at most,
    so a float holds it exactly to the penny)."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def grant(award, *, prefix: str, site_url: str) -> dict:
    """One award as a 360Giving grant. `award` comes with its entry's solution and group and its challenge's
    funder (as `selectors.public_awards()` reads them). Its addresses are in the active language: `grants`
    makes them English."""
    entry = award.entry
    challenge, group = entry.challenge, entry.solution.group
    return {
        "id": grant_id(award.pk, prefix=prefix),
        "title": award.title,
        # The standard requires a description: the award's own, else what was funded, the entered solution.
        "description": award.description or entry.solution.title,
        "currency": award.currency,
        "amountAwarded": json_number(award.amount),
        "awardDate": award.awarded_on.isoformat(),
        "url": site_url + reverse("challenges:entry", kwargs={"slug": challenge.slug, "pk": entry.pk}),
        "recipientOrganization": [
            {
                "id": group_org_id(group.pk, prefix=prefix),
                "name": group.name,
                "url": site_url + reverse("groups:detail", kwargs={"slug": group.slug}),
            }
        ],
        "fundingOrganization": [{"id": funder_org_id(challenge.funder, prefix=prefix), "name": challenge.funder.name}],
        "beneficiaryLocation": [{"name": group.place_name, "countryCode": "GB"}],
        "grantProgramme": [
            {
                "code": programme_code(challenge.pk, prefix=prefix),
                "title": challenge.title,
                "url": site_url + reverse("challenges:challenge", kwargs={"slug": challenge.slug}),
            }
        ],
        # A challenge is an open call: any eligible group may enter.
        "fromOpenCall": "Yes",
        "dateModified": award.updated_at.isoformat(),
    }


def grants(awards: Iterable, *, prefix: str | None = None, site_url: str | None = None) -> list[dict]:
    """The awards as 360Giving grants, in their order."""
    prefix = publisher_prefix() if prefix is None else prefix
    site_url = settings.SITE_URL if site_url is None else site_url
    with translation.override(settings.LANGUAGE_CODE):
        return [grant(award, prefix=prefix, site_url=site_url) for award in awards]


def package(records: list[dict]) -> dict:
    """360Giving grants (from `grants`) as a 360Giving data package. The standard's package holds at least one
    grant: a caller with none publishes nothing rather than an empty package."""
    return {"grants": records}


# The spreadsheet's columns: the standard's column titles (its one-sheet "summary table"), each with the
# place in a grant it is read from. Only the columns we fill; a spreadsheet may leave the others out.
COLUMNS = [
    ("Identifier", ("id",)),
    ("Title", ("title",)),
    ("Description", ("description",)),
    ("Currency", ("currency",)),
    ("Amount Awarded", ("amountAwarded",)),
    ("Award Date", ("awardDate",)),
    ("URL", ("url",)),
    ("Recipient Org:Identifier", ("recipientOrganization", 0, "id")),
    ("Recipient Org:Name", ("recipientOrganization", 0, "name")),
    ("Recipient Org:Web Address", ("recipientOrganization", 0, "url")),
    ("Beneficiary Location:Name", ("beneficiaryLocation", 0, "name")),
    ("Beneficiary Location:Country Code", ("beneficiaryLocation", 0, "countryCode")),
    ("Funding Org:Identifier", ("fundingOrganization", 0, "id")),
    ("Funding Org:Name", ("fundingOrganization", 0, "name")),
    ("Grant Programme:Code", ("grantProgramme", 0, "code")),
    ("Grant Programme:Title", ("grantProgramme", 0, "title")),
    ("Grant Programme:URL", ("grantProgramme", 0, "url")),
    ("From an open call?", ("fromOpenCall",)),
    ("Last modified", ("dateModified",)),
]
# Cells people typed (a title, a group's name): guarded against being run as a spreadsheet formula.
_TYPED = {
    "Title",
    "Description",
    "Recipient Org:Name",
    "Beneficiary Location:Name",
    "Funding Org:Name",
    "Grant Programme:Title",
}


def _at(record, path):
    for step in path:
        record = record[step]
    return record


def spreadsheet(records: list[dict]) -> str:
    """360Giving grants (from `grants`) as the standard's spreadsheet, in CSV: a row of column titles, then
    one row per grant."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([title for title, _path in COLUMNS])
    for record in records:
        writer.writerow(
            [safe_cell(_at(record, path)) if title in _TYPED else _at(record, path) for title, path in COLUMNS]
        )
    return out.getvalue()
