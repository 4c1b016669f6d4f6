"""What is near a point: groups and upcoming actions by distance, computed in the database.

The distance is the equirectangular approximation (within 0.1 % of the great-circle distance at
the 50 km we offer, anywhere in the UK), written with Django's math functions so it runs on SQLite
and PostgreSQL alike. Rows are first bounded by a latitude/longitude box, which the (latitude,
longitude) indexes answer, so only the few rows in the box have their distance computed.
"""

import math
from dataclasses import dataclass

from django.db.models import F, FloatField, QuerySet, Value
from django.db.models.functions import Power, Sqrt
from django.utils import timezone

from .models import Action, ActionStatus, Group

KM_PER_DEGREE = 111.195  # of latitude (mean Earth radius 6371.0 km)
RADIUS_CHOICES = (5, 10, 25, 50)
DEFAULT_RADIUS_KM = 10


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float
    name: str = ""


@dataclass(frozen=True)
class Box:
    south: float
    north: float
    west: float
    east: float


def bounding_box(point: Point, radius_km: float) -> Box:
    """The latitude/longitude box holding every point within `radius_km` of `point`."""
    lat_delta = radius_km / KM_PER_DEGREE
    # Longitude degrees shrink towards the poles; use the box edge nearer the pole so the box is never too narrow.
    widest_latitude = min(abs(point.latitude) + lat_delta, 89.0)
    lon_delta = radius_km / (KM_PER_DEGREE * math.cos(math.radians(widest_latitude)))
    return Box(
        south=point.latitude - lat_delta,
        north=point.latitude + lat_delta,
        west=point.longitude - lon_delta,
        east=point.longitude + lon_delta,
    )


def distance_km(point: Point, *, latitude_field="latitude", longitude_field="longitude"):
    """A database expression: kilometres from `point` to the row's coordinates."""
    x_scale = math.cos(math.radians(point.latitude))
    dx = (F(longitude_field) - Value(point.longitude)) * Value(x_scale)
    dy = F(latitude_field) - Value(point.latitude)
    return Sqrt(Power(dx, 2) + Power(dy, 2), output_field=FloatField()) * Value(KM_PER_DEGREE)


def within(queryset: QuerySet, point: Point, radius_km: float) -> QuerySet:
    """`queryset` limited to rows within `radius_km` of `point`, annotated with `distance_km`, nearest first."""
    box = bounding_box(point, radius_km)
    return (
        queryset.filter(
            latitude__gte=box.south,
            latitude__lte=box.north,
            longitude__gte=box.west,
            longitude__lte=box.east,
        )
        .annotate(distance_km=distance_km(point))
        .filter(distance_km__lte=radius_km)
        .order_by("distance_km", "pk")
    )


def groups_near(groups: QuerySet[Group], *, point: Point, radius_km: float) -> QuerySet[Group]:
    """Groups from `groups` (already filtered) within the radius, nearest first, with `distance_km`."""
    return within(groups, point, radius_km)


def actions_near(groups: QuerySet[Group], *, point: Point, radius_km: float) -> QuerySet[Action]:
    """Scheduled actions that have not started and are not hidden, of the groups in `groups`, within the
    radius, nearest first.

    The group filter is a subquery (no join over the group list's filters), and the group is joined
    for the card. `groups` leaves out hidden groups (selectors.group_list), and so their actions.
    """
    actions = (
        Action.objects.visible()
        .filter(
            status=ActionStatus.SCHEDULED,
            starts_at__gt=timezone.now(),
            group__in=groups.order_by().values("pk"),
        )
        .select_related("group")
    )
    return within(actions, point, radius_km).order_by("distance_km", "starts_at", "pk")
