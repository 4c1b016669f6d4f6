"""Each challenge's awards in the 360Giving Data Standard: the JSON package and the spreadsheet (CSV).

The standard is not fetched: what it asks of a grant is written out below, in our words, from its published
schema (ThreeSixtyGiving/standard: schema/360-giving-schema.json, a grant; schema/360-giving-package-schema.json,
a package) and its identifiers guidance (documentation/identifiers.md), and the exports are checked against it
with jsonschema.
"""

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone
from jsonschema import Draft4Validator, FormatChecker

from challenges.models import Award, ChallengeStage, EntryStatus

from ..factories import GroupFactory, SolutionFactory
from .factories import AwardFactory, ChallengeFactory, EntryFactory, FunderFactory

# --- What the standard asks, in our words ------------------------------------------------------------------
#
# A package is an object whose "grants" is an array of at least one grant, no two the same.
#
# A grant requires: "id", "title", "description" (strings), "currency" (a three-letter ISO 4217 code, the
# schema's list of codes), "amountAwarded" (a number: no commas or currency signs), "awardDate" (a date,
# YYYY-MM-DD, or a full date-time), "recipientOrganization" and "fundingOrganization" (arrays of at least one
# organisation). An organisation requires "id" and "name", both strings. The optional fields we fill: "url"
# (a URI), "beneficiaryLocation" (locations with a "name" and a two-letter "countryCode"), "grantProgramme"
# (with a "code", a "title" and a "url"), "fromOpenCall" ("Yes" or "No") and "dateModified" (a full date-time).
#
# Identifiers (the identifiers guidance):
# - a grant's identifier is the publisher's 360Giving prefix, which starts "360G-", then an identifier from the
#   publisher's records, joined by a hyphen; no slashes, no spaces; unique.
# - an organisation's identifier is an org-id.guide list code (a two-letter country code or "X" code, a hyphen
#   and the list's code, e.g. GB-CHC) followed by a hyphen and the organisation's number on that list; for an
#   organisation on no list, the publisher's 360G- prefix and an internal identifier.

ISO_DATE = r"^[0-9]{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])$"
GRANT_ID = r"^360G-[^/\\\s]+-[^/\\\s]+$"
ORG_ID = r"^([A-Z]{2}-[A-Z0-9_]+|360G-[^/\\\s]+)-[^/\\\s]+$"

ORGANISATION = {
    "type": "object",
    "required": ["id", "name"],
    "properties": {
        "id": {"type": "string", "pattern": ORG_ID},
        "name": {"type": "string", "minLength": 1},
        "url": {"type": "string", "format": "uri"},
    },
}
GRANT = {
    "type": "object",
    "required": [
        "id",
        "title",
        "description",
        "currency",
        "amountAwarded",
        "awardDate",
        "recipientOrganization",
        "fundingOrganization",
    ],
    "properties": {
        "id": {"type": "string", "pattern": GRANT_ID},
        "title": {"type": "string", "minLength": 1},
        "description": {"type": "string", "minLength": 1},
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$", "enum": ["GBP", "EUR", "USD"]},
        "amountAwarded": {"type": "number"},
        "awardDate": {"type": "string", "oneOf": [{"format": "date-time"}, {"pattern": ISO_DATE}]},
        "url": {"type": "string", "format": "uri"},
        "recipientOrganization": {"type": "array", "minItems": 1, "items": ORGANISATION},
        "fundingOrganization": {"type": "array", "minItems": 1, "items": ORGANISATION},
        "beneficiaryLocation": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"name": {"type": "string"}, "countryCode": {"type": "string", "pattern": "^[A-Z]{2}$"}},
            },
        },
        "grantProgramme": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "code": {"type": "string"},
                    "title": {"type": "string"},
                    "url": {"type": "string", "format": "uri"},
                },
            },
        },
        "fromOpenCall": {"type": "string", "enum": ["Yes", "No"]},
        "dateModified": {"type": "string", "format": "date-time"},
    },
}
PACKAGE = {
    "$schema": "http://json-schema.org/draft-04/schema#",
    "type": "object",
    "required": ["grants"],
    "properties": {"grants": {"type": "array", "minItems": 1, "uniqueItems": True, "items": GRANT}},
}
# The spreadsheet's column titles for those fields, as the standard's one-sheet table names them.
REQUIRED_COLUMNS = [
    "Identifier",
    "Title",
    "Description",
    "Currency",
    "Amount Awarded",
    "Award Date",
    "Recipient Org:Identifier",
    "Recipient Org:Name",
    "Funding Org:Identifier",
    "Funding Org:Name",
]
OPTIONAL_COLUMNS = [
    "URL",
    "Recipient Org:Web Address",
    "Beneficiary Location:Name",
    "Beneficiary Location:Country Code",
    "Grant Programme:Code",
    "Grant Programme:Title",
    "Grant Programme:URL",
    "From an open call?",
    "Last modified",
]

# jsonschema checks "date-time" and "uri" only with optional packages: the two formats, checked here.
FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value):
    return dt.datetime.fromisoformat(value).tzinfo is not None


@FORMATS.checks("uri", raises=ValueError)
def _uri(value):
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def problems(package) -> list[str]:
    """What in `package` the standard, as written above, does not allow (nothing: valid)."""
    validator = Draft4Validator(PACKAGE, format_checker=FORMATS)
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator.iter_errors(package)]


def test_the_schema_written_here_refuses_what_the_standard_refuses():
    good = {
        "id": "360G-localism-award-1",
        "title": "Prize",
        "description": "Prize",
        "currency": "GBP",
        "amountAwarded": 10,
        "awardDate": "2026-03-02",
        "recipientOrganization": [{"id": "360G-localism-group-1", "name": "A group"}],
        "fundingOrganization": [{"id": "GB-CHC-1234567", "name": "A trust"}],
        "dateModified": "2026-03-02T10:00:00+00:00",
    }
    assert problems({"grants": [good]}) == []
    assert problems({"grants": []})  # a package holds at least one grant
    assert problems({"grants": [good, good]})  # and no grant twice
    for field in GRANT["required"]:
        assert problems({"grants": [{k: v for k, v in good.items() if k != field}]}), field
    bad = {
        "id": "localism-award-1",  # no 360G- prefix
        "amountAwarded": "10",  # a string, not a number
        "awardDate": "02/03/2026",
        "currency": "pounds",
        "recipientOrganization": [{"id": "GB-CHC 123", "name": "A group"}],
        "fundingOrganization": [],
        "dateModified": "2026-03-02 10:00",
    }
    for field, value in bad.items():
        assert problems({"grants": [{**good, field: value}]}), field


# --- The exports -------------------------------------------------------------------------------------------


@pytest.fixture
def winners(db):
    funder = FunderFactory(name="Green Futures Fund", org_id="GB-CHC-1234567")
    return ChallengeFactory(funder=funder, stage=ChallengeStage.WINNERS, title="Community Carbon Challenge")


@pytest.fixture
def awards(winners):
    group = GroupFactory(name="Kendal Warm Homes", place_name="Kendal")
    winner = EntryFactory(challenge=winners, status=EntryStatus.WINNER, solution=SolutionFactory(group=group))
    finalist = EntryFactory(challenge=winners, status=EntryStatus.FINALIST)
    return [
        AwardFactory(entry=winner, title="Winner's prize", amount=Decimal("100000"), awarded_on=dt.date(2026, 3, 2)),
        AwardFactory(
            entry=winner,
            title="Development grant",
            amount=Decimal("1500.50"),
            awarded_on=dt.date(2026, 1, 5),
            description="Two years of energy advice.",
        ),
        AwardFactory(entry=finalist, title="Finalist grant", amount=Decimal("20000"), awarded_on=dt.date(2026, 1, 5)),
    ]


def json_url(challenge):
    return reverse("challenges:awards_360giving_json", kwargs={"slug": challenge.slug})


def csv_url(challenge):
    return reverse("challenges:awards_360giving_csv", kwargs={"slug": challenge.slug})


def read_csv(response):
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_json_export_is_a_valid_360giving_package(client, winners, awards, settings):
    settings.SITE_URL = "https://localism.example"
    response = client.get(json_url(winners))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    package = json.loads(response.content)
    assert problems(package) == []
    assert list(package) == ["grants"]
    development, finalist, prize = package["grants"]  # oldest first (date awarded, then recorded)
    winner_entry, group = awards[0].entry, awards[0].entry.solution.group
    assert prize == {
        "id": f"360G-localism-award-{awards[0].pk}",
        "title": "Winner's prize",
        "description": winner_entry.solution.title,  # the award has none: what was funded
        "currency": "GBP",
        "amountAwarded": 100000,
        "awardDate": "2026-03-02",
        "url": f"https://localism.example/challenges/{winners.slug}/entries/{winner_entry.pk}/",
        "recipientOrganization": [
            {
                "id": f"360G-localism-group-{group.pk}",
                "name": "Kendal Warm Homes",
                "url": f"https://localism.example/groups/{group.slug}/",
            }
        ],
        "fundingOrganization": [{"id": "GB-CHC-1234567", "name": "Green Futures Fund"}],
        "beneficiaryLocation": [{"name": "Kendal", "countryCode": "GB"}],
        "grantProgramme": [
            {
                "code": f"360G-localism-challenge-{winners.pk}",
                "title": "Community Carbon Challenge",
                "url": f"https://localism.example/challenges/{winners.slug}/",
            }
        ],
        "fromOpenCall": "Yes",
        "dateModified": awards[0].updated_at.isoformat(),
    }
    assert development["amountAwarded"] == 1500.5 and development["description"] == "Two years of energy advice."
    assert finalist["title"] == "Finalist grant"
    assert len({grant["id"] for grant in package["grants"]}) == 3


def test_identifiers_use_the_prefix_setting_and_a_funder_without_an_org_id_gets_one(client, awards, settings):
    settings.THREESIXTYGIVING_PREFIX = "360G-example"
    challenge = awards[0].entry.challenge
    type(challenge.funder).objects.filter(pk=challenge.funder_id).update(org_id="")
    grants = json.loads(client.get(json_url(challenge)).content)["grants"]
    assert problems({"grants": grants}) == []
    assert all(re.fullmatch(r"360G-example-award-\d+", grant["id"]) for grant in grants)
    assert {grant["fundingOrganization"][0]["id"] for grant in grants} == {f"360G-example-funder-{challenge.funder_id}"}
    assert all(grant["recipientOrganization"][0]["id"].startswith("360G-example-group-") for grant in grants)


def test_a_prefix_that_is_not_a_360giving_prefix_is_warned_about(settings):
    from challenges.funding.threesixtygiving import check_publisher_prefix

    assert check_publisher_prefix() == []
    settings.THREESIXTYGIVING_PREFIX = "localism/grants"
    assert [warning.id for warning in check_publisher_prefix()] == ["challenges.W001"]


def test_the_spreadsheet_has_the_standards_column_titles_and_the_same_grants(client, winners, awards):
    response = client.get(csv_url(winners))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{winners.slug}-awards-360giving.csv"'
    rows = read_csv(response)
    header = next(csv.reader(io.StringIO(response.content.decode())))
    assert header[0] == "Identifier"
    assert sorted(header) == sorted(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
    grants = json.loads(client.get(json_url(winners)).content)["grants"]
    assert [row["Identifier"] for row in rows] == [grant["id"] for grant in grants]
    for row, grant in zip(rows, grants, strict=True):
        assert row["Title"] == grant["title"] and row["Description"] == grant["description"]
        assert row["Currency"] == "GBP" and Decimal(row["Amount Awarded"]) == Decimal(str(grant["amountAwarded"]))
        assert re.fullmatch(ISO_DATE, row["Award Date"])
        assert row["Recipient Org:Identifier"] == grant["recipientOrganization"][0]["id"]
        assert row["Recipient Org:Name"] == grant["recipientOrganization"][0]["name"]
        assert row["Funding Org:Identifier"] == "GB-CHC-1234567"
        assert row["Funding Org:Name"] == "Green Futures Fund"
        assert row["Grant Programme:Title"] == "Community Carbon Challenge"
        assert row["Beneficiary Location:Country Code"] == "GB" and row["From an open call?"] == "Yes"
    assert [row["Amount Awarded"] for row in rows] == ["1500.5", "20000", "100000"]  # numbers, no £ or commas


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_quoted(client, winners, awards):
    Award.objects.filter(pk=awards[0].pk).update(title="=HYPERLINK(\"http://bad.example\")")
    rows = read_csv(client.get(csv_url(winners)))
    assert rows[-1]["Title"] == "'=HYPERLINK(\"http://bad.example\")"
    assert json.loads(client.get(json_url(winners)).content)["grants"][-1]["title"].startswith("=HYPERLINK")


def test_the_exports_never_hold_awards_of_hidden_or_unpublished_entries(client, winners, awards):
    now = timezone.now()
    hidden_entry = EntryFactory(challenge=winners, status=EntryStatus.WINNER, hidden_at=now)
    hidden_solution = EntryFactory(challenge=winners, status=EntryStatus.WINNER, solution=SolutionFactory(hidden_at=now))
    hidden_group = EntryFactory(
        challenge=winners, status=EntryStatus.WINNER, solution=SolutionFactory(group=GroupFactory(hidden_at=now))
    )
    not_selected = EntryFactory(challenge=winners, status=EntryStatus.FINALIST)
    for entry in (hidden_entry, hidden_solution, hidden_group, not_selected):
        AwardFactory(entry=entry, title="Never published")
    type(not_selected).objects.filter(pk=not_selected.pk).update(status=EntryStatus.NOT_SELECTED)
    shown = {f"360G-localism-award-{award.pk}" for award in awards}
    grants = json.loads(client.get(json_url(winners)).content)["grants"]
    assert {grant["id"] for grant in grants} == shown
    assert {row["Identifier"] for row in read_csv(client.get(csv_url(winners)))} == shown
    assert "Never published" not in client.get(csv_url(winners)).content.decode()


def test_a_draft_challenge_has_no_export_and_one_without_public_awards_neither(client, funder, funder_user):
    draft = ChallengeFactory(funder=funder, stage=ChallengeStage.DRAFT)
    AwardFactory(entry=EntryFactory(challenge=draft, status=EntryStatus.WINNER))
    empty = ChallengeFactory(funder=funder, stage=ChallengeStage.WINNERS)
    for url in (json_url(draft), csv_url(draft), json_url(empty), csv_url(empty)):
        assert client.get(url).status_code == 404
    client.force_login(funder_user)  # the funder's own draft: nothing public in it yet either
    assert client.get(json_url(draft)).status_code == 404
    assert client.post(json_url(empty)).status_code == 405


def test_the_exports_are_the_same_in_welsh(client, winners, awards):
    english = json.loads(client.get(json_url(winners)).content)
    welsh = json.loads(client.get("/cy" + json_url(winners)).content)
    assert welsh == english


@pytest.mark.parametrize("size", [2, 12])
def test_the_exports_take_the_same_queries_for_any_number_of_awards(
    client, winners, django_assert_max_num_queries, size
):
    for _ in range(size):
        AwardFactory(entry=EntryFactory(challenge=winners, status=EntryStatus.WINNER))
    for url in (json_url(winners), csv_url(winners)):
        with django_assert_max_num_queries(2):
            response = client.get(url)
        assert response.status_code == 200
    assert len(read_csv(response)) == size
