"""schema.org markup (JSON-LD) on the pages of groups and actions: what a search engine reads there."""

import datetime as dt
import json
import re

import pytest
from django.utils import timezone, translation

from core.languages import address_in
from groups import area_table
from groups.models import Action, ActionStatus, Group, Region

from ..factories import ChallengeAreaFactory, GroupFactory, MembershipFactory, UserFactory
from ..residents.factories import ActionFactory, SignupFactory

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def json_ld(response):
    """The page's JSON-LD blocks, parsed; the raw text of each is kept beside it."""
    assert response.status_code == 200, response.status_code
    return [(json.loads(raw), raw) for raw in JSON_LD.findall(response.content.decode())]


def markup(client, path):
    """The one JSON-LD block on the page at `path`."""
    blocks = json_ld(client.get(path))
    assert len(blocks) == 1, blocks
    return blocks[0][0]


def welsh(path):
    return address_in(path, "cy")


def english(path):
    # After a request to a Welsh page, Welsh stays active in the test's thread (tests/conftest.py), and
    # get_absolute_url() gives Welsh addresses.
    return address_in(path, "en-gb")


@pytest.fixture
def kendal(db):
    climate = ChallengeAreaFactory(name="Climate", slug="climate", name_cy="Hinsawdd")
    return GroupFactory(
        name="Kendal Green Streets",
        summary="Neighbours planting street trees.",
        place_name="Kendal",
        postcode_district="LA9",
        latitude=54.328,
        longitude=-2.745,
        region="north_west",
        areas=[climate],
    )


def test_a_group_page_describes_the_group_as_an_organization(client, kendal):
    data = markup(client, kendal.get_absolute_url())
    assert data["@context"] == "https://schema.org" and data["@type"] == "Organization"
    assert data["name"] == "Kendal Green Streets"
    assert data["description"] == "Neighbours planting street trees."
    assert data["url"] == f"http://testserver/groups/{kendal.slug}/"
    assert data["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Kendal",
        "postalCode": "LA9",
        "addressRegion": "North West",
        "addressCountry": "GB",
    }
    # schema.org gives `geo` to a Place, not to an Organization: the position is on the place it is at.
    assert data["location"]["@type"] == "Place"
    assert data["location"]["geo"] == {"@type": "GeoCoordinates", "latitude": 54.328, "longitude": -2.745}
    assert data["areaServed"] == "Kendal"
    assert data["knowsAbout"] == ["Climate"]
    # An Organization has no `inLanguage`; `knowsLanguage` takes the same BCP 47 tag.
    assert data["knowsLanguage"] == "en-GB" and "inLanguage" not in data
    assert "logo" not in data


def test_a_group_without_a_postcode_logo_or_position_leaves_those_out(client):
    group = GroupFactory(postcode_district="", latitude=None, longitude=None)
    data = markup(client, group.get_absolute_url())
    assert "postalCode" not in data["address"] and "location" not in data and "logo" not in data


def test_a_groups_logo_is_an_absolute_address(client, kendal):
    Group.objects.filter(pk=kendal.pk).update(logo="groups/logos/kendal.png")
    data = markup(client, kendal.get_absolute_url())
    assert data["logo"] == "http://testserver/media/groups/logos/kendal.png"


def test_the_welsh_page_names_the_group_in_welsh_where_it_has_a_welsh_name(client, kendal):
    Group.objects.filter(pk=kendal.pk).update(name_cy="Strydoedd Gwyrdd Kendal", summary_cy="Cymdogion yn plannu coed.")
    data = markup(client, welsh(kendal.get_absolute_url()))
    assert data["name"] == "Strydoedd Gwyrdd Kendal"
    assert data["description"] == "Cymdogion yn plannu coed."
    assert data["url"] == f"http://testserver/cy/groups/{kendal.slug}/"
    assert data["knowsAbout"] == ["Hinsawdd"]
    with translation.override("cy"):  # "Gogledd-orllewin Lloegr" where the catalogues are compiled
        assert data["address"]["addressRegion"] == str(Region.NORTH_WEST.label)
    # The English page keeps the English name.
    assert markup(client, english(kendal.get_absolute_url()))["name"] == "Kendal Green Streets"


def test_the_welsh_page_of_a_group_without_a_welsh_name_gives_its_own(client, kendal):
    assert markup(client, welsh(kendal.get_absolute_url()))["name"] == "Kendal Green Streets"


def test_an_action_page_describes_the_action_as_an_event(client, kendal):
    starts = timezone.make_aware(dt.datetime(2026, 5, 16, 10, 0))
    action = ActionFactory(
        group=kendal,
        title="Tree planting",
        description="Bring gloves.",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
        capacity=12,
    )
    data = markup(client, action.get_absolute_url())
    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    assert data["name"] == "Tree planting" and data["description"] == "Bring gloves."
    assert data["url"] == f"http://testserver/groups/{kendal.slug}/actions/{action.pk}/"
    # UK time with its offset: British Summer Time in May.
    assert data["startDate"] == "2026-05-16T10:00:00+01:00"
    assert data["endDate"] == "2026-05-16T13:00:00+01:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["organizer"] == {
        "@type": "Organization",
        "name": "Kendal Green Streets",
        "url": f"http://testserver/groups/{kendal.slug}/",
    }
    assert data["maximumAttendeeCapacity"] == 12 and data["remainingAttendeeCapacity"] == 12
    assert data["isAccessibleForFree"] is True
    assert data["inLanguage"] == "en-GB"


def test_an_action_without_a_place_of_its_own_is_at_its_groups(client, kendal):
    action = ActionFactory(group=kendal)
    location = markup(client, action.get_absolute_url())["location"]
    assert location["@type"] == "Place" and location["name"] == "Kendal"
    assert location["address"]["addressLocality"] == "Kendal" and location["address"]["postalCode"] == "LA9"
    assert location["address"]["addressRegion"] == "North West"
    assert location["geo"] == {"@type": "GeoCoordinates", "latitude": 54.328, "longitude": -2.745}


def test_an_action_with_its_own_place_is_there(client, kendal):
    action = ActionFactory(
        group=kendal, place_name="Staveley Village Hall", postcode_district="LA8", latitude=54.375, longitude=-2.81
    )
    location = markup(client, action.get_absolute_url())["location"]
    assert location["name"] == "Staveley Village Hall"
    assert location["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Staveley Village Hall",
        "postalCode": "LA8",
        "addressCountry": "GB",
    }
    assert location["geo"]["latitude"] == 54.375


def test_dates_carry_a_time_zone_and_mean_the_actions_times(client, kendal):
    starts = timezone.make_aware(dt.datetime(2026, 1, 10, 18, 30))
    action = ActionFactory(group=kendal, starts_at=starts, ends_at=starts + dt.timedelta(hours=2))
    data = markup(client, action.get_absolute_url())
    start, end = dt.datetime.fromisoformat(data["startDate"]), dt.datetime.fromisoformat(data["endDate"])
    assert start.tzinfo is not None and end.tzinfo is not None
    assert start == starts and end == starts + dt.timedelta(hours=2)
    assert data["startDate"] == "2026-01-10T18:30:00+00:00"  # winter: GMT


def test_a_cancelled_action_is_an_event_cancelled(client, kendal):
    action = ActionFactory(group=kendal, status=ActionStatus.CANCELLED)
    assert markup(client, action.get_absolute_url())["eventStatus"] == "https://schema.org/EventCancelled"


def test_remaining_places_are_what_the_page_shows(client, kendal):
    action = ActionFactory(group=kendal, capacity=3)
    SignupFactory(action=action)
    SignupFactory(action=action)
    assert markup(client, action.get_absolute_url())["remainingAttendeeCapacity"] == 1
    SignupFactory(action=action)
    SignupFactory(action=action, status="waiting")
    assert markup(client, action.get_absolute_url())["remainingAttendeeCapacity"] == 0


def test_a_welsh_groups_action_is_in_welsh_and_its_organizer_named_as_the_page_names_it(client):
    group = GroupFactory(name="Aberystwyth Repair", name_cy="Trwsio Aberystwyth", language="cy")
    action = ActionFactory(group=group)
    data = markup(client, welsh(action.get_absolute_url()))
    assert data["inLanguage"] == "cy"
    assert data["organizer"]["name"] == "Trwsio Aberystwyth"
    assert data["organizer"]["url"] == f"http://testserver/cy/groups/{group.slug}/"
    assert data["url"].startswith("http://testserver/cy/")


HOSTILE = 'Tea </script><script>alert(1)</script> & <!-- cake --> "quotes" </SCRIPT >'


def test_text_that_would_end_the_script_element_is_escaped_and_reads_back_unchanged(client, kendal):
    Group.objects.filter(pk=kendal.pk).update(summary=HOSTILE)
    action = ActionFactory(group=kendal, title="Bake <b>off</b>", description=HOSTILE)
    for path, field in ((kendal.get_absolute_url(), "description"), (action.get_absolute_url(), "description")):
        [(data, raw)] = json_ld(client.get(path))
        assert data[field] == HOSTILE
        assert "<" not in raw and ">" not in raw and "&" not in raw
        assert "\\u003C/script\\u003E" in raw
    assert markup(client, action.get_absolute_url())["name"] == "Bake <b>off</b>"


def test_no_personal_data_in_the_markup(client, kendal):
    organiser = MembershipFactory(group=kendal, role="owner").user
    action = ActionFactory(group=kendal, created_by=organiser)
    attendee = SignupFactory(action=action).user
    for path in (kendal.get_absolute_url(), action.get_absolute_url()):
        [(_, raw)] = json_ld(client.get(path))
        for person in (organiser, attendee):
            assert person.display_name not in raw and person.email not in raw
    # The organisers are named on the group's page itself, just not in the markup.
    assert organiser.display_name in client.get(kendal.get_absolute_url()).content.decode()


@pytest.mark.parametrize("viewer", ["owner", "moderator"])
def test_a_hidden_group_page_carries_no_markup_for_those_who_may_still_see_it(client, kendal, viewer):
    owner = MembershipFactory(group=kendal, role="owner").user
    action = ActionFactory(group=kendal)
    Group.objects.filter(pk=kendal.pk).update(hidden_at=timezone.now(), hidden_reason="Spam")
    client.force_login(owner if viewer == "owner" else UserFactory(is_moderator=True))
    for path in (kendal.get_absolute_url(), action.get_absolute_url()):
        response = client.get(path)
        assert response.status_code == 200 and response.context["hidden"]
        assert json_ld(response) == []


def test_a_hidden_action_page_carries_no_markup_while_its_group_still_does(client, kendal):
    organiser = MembershipFactory(group=kendal, role="organiser").user
    action = ActionFactory(group=kendal)
    Action.objects.filter(pk=action.pk).update(hidden_at=timezone.now(), hidden_reason="Spam")
    client.force_login(organiser)
    assert json_ld(client.get(action.get_absolute_url())) == []
    assert markup(client, kendal.get_absolute_url())["@type"] == "Organization"
    client.logout()
    assert client.get(action.get_absolute_url()).status_code == 404


# The markup is built from what the views load already: the pages take the queries they took without it
# (the group: the group with its challenge areas' ids and organisers, the challenges section; an action:
# the action with its group and counts), at any number of challenge areas or sign-ups. The areas themselves
# are kept by each process (groups.area_table) and read again when one changes, as here.
def test_the_group_page_takes_no_more_queries_for_its_markup(client, django_assert_max_num_queries):
    counts = []
    for size in (1, 8):
        group = GroupFactory(areas=[ChallengeAreaFactory() for _ in range(size)])
        area_table.area_table()
        for path in (group.get_absolute_url(), welsh(group.get_absolute_url())):
            with django_assert_max_num_queries(3) as captured:
                data = markup(client, path)
            assert len(data["knowsAbout"]) == size
            counts.append(len(captured.captured_queries))
    assert len(set(counts)) == 1, counts


def test_the_action_page_takes_no_more_queries_for_its_markup(client, kendal, django_assert_max_num_queries):
    counts = []
    for size in (1, 8):
        action = ActionFactory(group=kendal, capacity=20)
        for _ in range(size):
            SignupFactory(action=action)
        with django_assert_max_num_queries(1) as captured:
            data = markup(client, action.get_absolute_url())
        assert data["remainingAttendeeCapacity"] == 20 - size
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts
