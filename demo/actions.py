"""Demo actions, a sign-up and a follow for the demo resident. Keyed by natural keys: running it twice changes nothing.

Written directly (not through the services) so that seeding sends no mail and records no news.
"""

import datetime as dt

from django.utils import timezone

from accounts.models import User
from groups.models import Action, ActionSignup, Follow, FollowMail, Group, SignupStatus

# group slug, title, days from now, start hour (UK time), hours, place, postcode, capacity, accessible, notes, description
DEMO_ACTIONS = [
    (
        "machynlleth-repair-cafe",
        "Repair café at Y Plas",
        9,
        10,
        3,
        "Y Plas, Machynlleth",
        "SY20",
        25,
        True,
        "Step-free entrance from the car park; accessible toilet.",
        "Bring broken lamps, toasters, clothes and bikes. Volunteers fix them with you, over tea and cake.",
    ),
    (
        "kendal-warm-homes-circle",
        "Draught-busting open house",
        12,
        14,
        3,
        "Kendal",
        "LA9",
        12,
        False,
        "A terraced house with two steps at the front door.",
        "See draught-proofing, secondary glazing film and curtains at work in a real terraced house, and take home a draught kit.",
    ),
    (
        "kendal-warm-homes-circle",
        "Thermal camera walk",
        20,
        18,
        2,
        "Kendal town centre",
        "LA9",
        8,
        True,
        "Level route on pavements, about 2 km.",
        "An evening walk with a thermal camera: see where heat leaks from houses and learn what fixes it cheaply.",
    ),
]


def _start(days, hour):
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def seed_demo_actions(*, resident_email="resident@localism.example"):
    """Upcoming demo actions on the demo groups; the demo resident signed up to one and following a group."""
    actions = {}
    for slug, title, days, hour, hours, place, postcode, capacity, accessible, notes, description in DEMO_ACTIONS:
        group = Group.objects.filter(slug=slug).first()
        if group is None:
            continue
        action = Action.objects.filter(group=group, title=title).first()
        if action is None or action.starts_at <= timezone.now():
            # New, or a stale copy from an earlier seed: keep demo actions in the future.
            start = _start(days, hour)
            action, _ = Action.objects.update_or_create(
                group=group,
                title=title,
                defaults=dict(
                    description=description,
                    starts_at=start,
                    ends_at=start + dt.timedelta(hours=hours),
                    place_name=place,
                    postcode_district=postcode,
                    latitude=group.latitude,
                    longitude=group.longitude,
                    capacity=capacity,
                    accessible=accessible,
                    accessibility_notes=notes,
                ),
            )
        actions[title] = action
    resident = User.objects.filter(email=resident_email).first()
    if resident is not None and "Draught-busting open house" in actions:
        ActionSignup.objects.get_or_create(
            action=actions["Draught-busting open house"],
            user=resident,
            defaults={"status": SignupStatus.CONFIRMED, "queued_at": timezone.now(), "notice_sent_at": timezone.now()},
        )
        group = actions["Draught-busting open house"].group
        Follow.objects.get_or_create(group=group, user=resident, defaults={"mail": FollowMail.IMMEDIATE})
    return actions
