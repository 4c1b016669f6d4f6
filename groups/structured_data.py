"""schema.org markup (JSON-LD) for the pages of groups and actions, so search engines and other programs
can read what a page describes: a group as an `Organization`, an action as an `Event`.

Each function returns a plain dict for `core`'s `json_ld` template filter. They read only what the page's
view has already loaded (a group's challenge areas come prefetched by `selectors.group_detail`, an
action's group and counts by `selectors.action_for_page`), so the markup adds no query. They say what the
page itself says, in the page's language, and nothing about people: no organisers, attendees or emails.
Views give no markup for something the moderators hid (its owners and the moderators still see the page).
"""

from django.utils import timezone

from .models import Action, Group

SCHEMA = "https://schema.org"
# Every region a group can be in (models.Region: the UK's nations and English regions) is in the United Kingdom,
# whose ISO 3166-1 alpha-2 code is GB.
COUNTRY = "GB"


def organization_for(group: Group, *, request) -> dict:
    """The group as a schema.org `Organization`: its name and summary as the page shows them (Welsh ones on
    Welsh pages where the group gave them), address, position, the challenges it works on, its language.

    `inLanguage` is not a property of an Organization; `knowsLanguage` is (schema.org/knowsLanguage).
    `group` as selectors.group_detail reads it (its challenge areas in `area_list`)."""
    data = {
        "@context": SCHEMA,
        "@type": "Organization",
        "name": group.shown_name,
        "description": group.shown_summary,
        "url": request.build_absolute_uri(group.get_absolute_url()),
    }
    if group.logo:
        data["logo"] = request.build_absolute_uri(group.logo.url)
    address = _address(group.place_name, group.postcode_district, region=group.get_region_display())
    data["address"] = address
    # An Organization has no `geo` of its own (schema.org gives `geo` to a Place): its position goes on the
    # Place it is at.
    if group.latitude is not None and group.longitude is not None:
        data["location"] = _place(group.place_name, address, group.latitude, group.longitude)
    data["areaServed"] = group.place_name
    areas = [area.shown_name for area in group.area_list]
    if areas:
        data["knowsAbout"] = areas
    data["knowsLanguage"] = group.content_lang
    return data


def event_for(action: Action, *, request, places_left: int | None = None) -> dict:
    """The action as a schema.org `Event`: title, description, times with their UTC offset, whether it is
    cancelled, where it is (its own place, else its group's, as the page shows it), the group organising
    it, its places (`places_left`: what the page shows as left, if it knows), free to attend."""
    group = action.group
    if action.place_name:
        place_name, address = action.place_name, _address(action.place_name, action.postcode_district)
    else:
        # Without a place of its own an action is where its group is (and was located there).
        place_name = group.place_name
        address = _address(group.place_name, group.postcode_district, region=group.get_region_display())
    data = {
        "@context": SCHEMA,
        "@type": "Event",
        "name": action.title,
        "url": request.build_absolute_uri(action.get_absolute_url()),
        "startDate": _iso(action.starts_at),
        "endDate": _iso(action.ends_at),
        "eventStatus": f"{SCHEMA}/EventCancelled" if action.is_cancelled else f"{SCHEMA}/EventScheduled",
        "eventAttendanceMode": f"{SCHEMA}/OfflineEventAttendanceMode",
        "location": _place(place_name, address, action.latitude, action.longitude),
        "organizer": {
            "@type": "Organization",
            "name": group.shown_name,
            "url": request.build_absolute_uri(group.get_absolute_url()),
        },
        "maximumAttendeeCapacity": action.capacity,
        "isAccessibleForFree": True,
        "inLanguage": group.content_lang,
    }
    if action.description:
        data["description"] = action.description
    if places_left is not None:
        data["remainingAttendeeCapacity"] = places_left
    return data


def _address(locality: str, postcode_district: str, *, region: str = "") -> dict:
    """A `PostalAddress` as precise as the site knows it: a place name, a postcode district, a region.
    An action's own place gets no region: it need not be in its group's."""
    address = {"@type": "PostalAddress", "addressLocality": locality}
    if postcode_district:
        address["postalCode"] = postcode_district
    if region:
        address["addressRegion"] = region
    address["addressCountry"] = COUNTRY
    return address


def _place(name: str, address: dict, latitude: float | None, longitude: float | None) -> dict:
    place = {"@type": "Place", "name": name, "address": address}
    if latitude is not None and longitude is not None:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": latitude, "longitude": longitude}
    return place


def _iso(moment) -> str:
    """ISO 8601 in UK time with its offset (2026-05-16T10:00:00+01:00), as the page shows the time."""
    return timezone.localtime(moment).isoformat()
