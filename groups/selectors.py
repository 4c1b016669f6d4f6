"""Reads for groups. Each returns a queryset with what its page needs already joined.

Lists leave out what moderators have hidden (`hidden_at`, see core.hiding): a hidden group, and
everything listed under it. Detail selectors return hidden items too; the views decide who sees them.
"""

import functools
import math

from django.db.models import (
    Avg,
    BigIntegerField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Floor
from django.utils import timezone

from core.db import LinkedValues, RowJSON

from .area_table import area_table
from .models import (
    Action,
    ActionSignup,
    Follow,
    Group,
    GroupActivity,
    Invitation,
    Membership,
    Role,
    SignupStatus,
)


def group_list() -> QuerySet[Group]:
    """All groups the moderators have not hidden, with challenge areas prefetched (two queries for any
    page size), without the long description (and its HTML) no list shows."""
    return Group.objects.visible().defer("description", "about_html").prefetch_related("challenge_areas")


class _Organisers(RowJSON):
    """A group's owners and organisers as a JSON array of {"name", "role"}: owners first, then in the order
    they joined (as the members page lists them), read in the group's own query (a correlated subquery
    written out, as core.db.LinkedValues)."""

    def as_sql(self, compiler, connection, **extra_context):
        quote = connection.ops.quote_name
        membership, user = Membership._meta, Membership.user.field.related_model._meta
        column = functools.partial(self.column, connection)

        memberships, users = f"{quote(membership.db_table)} m", f"{quote(user.db_table)} u"
        name, role, pk = (
            f"u.{column(user, 'display_name')}",
            f"m.{column(membership, 'role')}",
            f"m.{column(membership, 'id')}",
        )
        # Only names from the models and the roles' own values: nothing from outside.
        source = (
            f"FROM {memberships} JOIN {users} ON u.{quote(user.pk.column)} = m.{column(membership, 'user')}"
            f" WHERE m.{column(membership, 'group')} = %(expressions)s AND {role} IN ('{Role.OWNER}', '{Role.ORGANISER}')"
        )
        order = f"CASE {role} WHEN '{Role.OWNER}' THEN 0 ELSE 1 END, {pk}"
        template = self.json_array(connection, {"name": name, "role": role}, source, order)
        return super().as_sql(compiler, connection, template=template, **extra_context)


def with_area_ids(queryset: QuerySet[Group]) -> QuerySet[Group]:
    """Groups with the ids of their challenge areas read in the same query (`area_ids`), so that
    `Group.area_list` names them from the areas each process keeps (groups.area_table) instead of a query
    of their own: about 1.5 ms of a page."""
    return queryset.annotate(area_ids=LinkedValues(Group.challenge_areas, "id"))


def group_cards() -> QuerySet[Group]:
    """`group_list()` for the list page's cards, each with its challenge areas (`area_list`) in one query."""
    return with_area_ids(Group.objects.visible().defer("description", "about_html"))


def with_viewer_role(queryset: QuerySet[Group], viewer) -> QuerySet[Group]:
    """Groups with a signed-in `viewer`'s role in each read in the same query (`viewer_role`, None if not a
    member), marked with whose it is (`viewer_id`): `permissions.role_in_group` uses it for that person
    instead of a query. Unchanged for anyone else."""
    if viewer is None or not viewer.is_authenticated:
        return queryset
    return queryset.annotate(
        viewer_id=Value(viewer.pk, output_field=BigIntegerField()),
        viewer_role=Subquery(Membership.objects.filter(group=OuterRef("pk"), user=viewer).values("role")[:1]),
    )


def group_detail(*, slug: str, viewer=None) -> QuerySet[Group]:
    """The group with the ids of its challenge areas (`area_list` names them, `with_area_ids`) and its owners'
    and organisers' names and roles (`organisers`), all in one query.

    The same query says whether any actions are coming up (`has_upcoming_actions`): most groups have none
    at a time, and then the page does not ask for them.

    For a signed-in `viewer`, the same query also reads their role in the group (`viewer_role`, None if
    not a member) and how they follow it (`viewer_follow_mail`, None if they do not), marked with whose
    they are (`viewer_id`): `permissions.role_in_group` and `follow_mail_of` use them for that person
    instead of a query each.
    """
    queryset = with_viewer_role(
        with_area_ids(Group.objects.filter(slug=slug)).annotate(
            has_upcoming_actions=Exists(_upcoming(Action.objects.filter(group=OuterRef("pk"))))
        ),
        viewer,
    )
    if viewer is not None and viewer.is_authenticated:
        queryset = queryset.annotate(
            viewer_follow_mail=Subquery(Follow.objects.filter(group=OuterRef("pk"), user=viewer).values("mail")[:1]),
        )
    return queryset.annotate(organiser_list=_Organisers())


def group_memberships(*, group: Group) -> QuerySet[Membership]:
    """Everyone in a group with their user, owners first, then organisers, then members, by name."""
    role_order = Case(
        When(role=Role.OWNER, then=Value(0)),
        When(role=Role.ORGANISER, then=Value(1)),
        default=Value(2),
    )
    return (
        Membership.objects.filter(group=group)
        .select_related("user")
        .annotate(role_order=role_order)
        .order_by("role_order", "user__display_name", "pk")
    )


def pending_invitations(*, group: Group) -> QuerySet[Invitation]:
    """Invitations not yet accepted and not expired, newest first."""
    return Invitation.objects.filter(group=group, accepted_at__isnull=True, expires_at__gt=timezone.now()).order_by(
        "-created_at"
    )


def invitation_by_token(*, token: str) -> QuerySet[Invitation]:
    return Invitation.objects.filter(token=token).select_related("group", "invited_by")


# --- Residents: actions, sign-ups, follows, news --------------------------------------------------


def upcoming_actions(*, group: Group) -> QuerySet[Action]:
    """A group's actions that have not ended (cancelled ones too, marked so), soonest first; each action's
    `group` is the `group` given (set by the related manager: no join, no query).

    Hidden actions are left out. (A hidden group's own pages and feeds are refused by their views.)
    """
    return _upcoming(group.actions.all()).order_by("starts_at", "pk")


def _upcoming(actions: QuerySet[Action]) -> QuerySet[Action]:
    """The actions that have not ended and that moderators have not hidden."""
    return actions.visible().filter(ends_at__gt=timezone.now())


def action_for_page(*, slug: str, pk: int) -> QuerySet[Action]:
    """One action of the group `slug`, with its group and counts of confirmed and waiting places."""
    return (
        Action.objects.filter(group__slug=slug, pk=pk)
        .select_related("group")
        .annotate(
            confirmed_count=Count("signups", filter=Q(signups__status=SignupStatus.CONFIRMED)),
            waiting_count=Count("signups", filter=Q(signups__status=SignupStatus.WAITING)),
        )
    )


def _waiting_ahead():
    """Subquery: how many people wait before the outer sign-up (0 for the first)."""
    ahead = (
        ActionSignup.objects.filter(action_id=OuterRef("action_id"), status=SignupStatus.WAITING)
        .filter(Q(queued_at__lt=OuterRef("queued_at")) | Q(queued_at=OuterRef("queued_at"), pk__lt=OuterRef("pk")))
        .order_by()
        .values("action_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(ahead, output_field=IntegerField()), 0)


def action_attendees(*, action: Action) -> QuerySet[ActionSignup]:
    """People with a place, then the waiting list in order; users joined."""
    status_order = Case(When(status=SignupStatus.CONFIRMED, then=Value(0)), default=Value(1))
    return (
        ActionSignup.objects.filter(action=action, status__in=(SignupStatus.CONFIRMED, SignupStatus.WAITING))
        .select_related("user")
        .annotate(status_order=status_order)
        .order_by("status_order", "queued_at", "pk")
    )


def signup_of(*, action: Action, user) -> ActionSignup | None:
    """`user`'s active sign-up for `action` (with `waiting_ahead`), or None."""
    if not user.is_authenticated:
        return None
    return (
        ActionSignup.objects.filter(action=action, user=user, status__in=(SignupStatus.CONFIRMED, SignupStatus.WAITING))
        .annotate(waiting_ahead=_waiting_ahead())
        .first()
    )


def follow_mail_of(*, group: Group, user) -> str | None:
    """How `user` follows `group` (a FollowMail value), or None if they do not follow it. No query for a group
    read by `group_detail` for this user."""
    if not user.is_authenticated:
        return None
    if getattr(group, "viewer_id", None) == user.pk and hasattr(group, "viewer_follow_mail"):
        return group.viewer_follow_mail  # None is an answer here: read with the group, not following
    return Follow.objects.filter(group=group, user=user).values_list("mail", flat=True).first()


def resident_groups(*, user) -> QuerySet[Group]:
    """Groups `user` is in or follows, each with `my_role` (None if only following) and `my_mail`.

    A hidden group is listed only to the people who run it (they see it with the moderators' reason).
    """
    memberships = Membership.objects.filter(user=user)
    follows = Follow.objects.filter(user=user)
    managing = memberships.filter(role__in=(Role.OWNER, Role.ORGANISER)).values("group_id")
    # One IN over the union of both lists: with "IN (memberships) OR IN (follows)" PostgreSQL scanned every
    # group (about 150 ms at 100,000 groups) instead of fetching the few by primary key.
    theirs = memberships.values("group_id").union(follows.values("group_id"))
    return (
        Group.objects.filter(pk__in=theirs)
        .filter(Q(hidden_at__isnull=True) | Q(pk__in=managing))
        .annotate(
            my_role=Subquery(memberships.filter(group_id=OuterRef("pk")).values("role")[:1]),
            my_mail=Subquery(follows.filter(group_id=OuterRef("pk")).values("mail")[:1]),
        )
        .order_by("name", "pk")
    )


def resident_signups(*, user) -> QuerySet[ActionSignup]:
    """`user`'s places and waiting-list places at actions not yet over, soonest first, with `waiting_ahead`.

    Places at hidden actions, or actions of hidden groups, are left out (the pages would be 404).
    """
    return (
        ActionSignup.objects.filter(
            user=user,
            status__in=(SignupStatus.CONFIRMED, SignupStatus.WAITING),
            action__ends_at__gt=timezone.now(),
            action__hidden_at__isnull=True,
            action__group__hidden_at__isnull=True,
        )
        .select_related("action__group")
        .annotate(waiting_ahead=_waiting_ahead())
        .order_by("action__starts_at", "pk")
    )


def resident_news(*, user, limit: int = 20) -> list[GroupActivity]:
    """The newest activity of the groups `user` is in or follows; group joined. Two queries at most.

    News of hidden groups, and of updates and actions the moderators hid, is left out.
    """
    from .notifications import without_hidden_activities

    return without_hidden_activities(
        GroupActivity.objects.filter(
            # One IN over a union, not IN ... OR IN ..., which makes PostgreSQL scan the whole table.
            group_id__in=Membership.objects.filter(user=user)
            .values("group_id")
            .union(Follow.objects.filter(user=user).values("group_id")),
            group__hidden_at__isnull=True,
        )
        .select_related("group")
        .order_by("-created_at", "-pk")[:limit]
    )


# --- The map ------------------------------------------------------------------------------------------

MAP_MAX_ZOOM = 18
# A cluster covers a square of about this many screen pixels at UK latitudes.
MAP_CELL_PIXELS = 64
# Cells are squares on the screen at this latitude (the middle of Great Britain): a fixed latitude keeps
# the grid, and so every cluster, in place as the map is panned.
MAP_GRID_LATITUDE = 54.0


def map_cell_size(zoom: int) -> tuple[float, float]:
    """(height, width) in degrees of one cluster cell at `zoom` (Leaflet's zoom: the world is 256 * 2**zoom
    pixels wide)."""
    width = 360 * MAP_CELL_PIXELS / (256 * 2**zoom)
    return width * math.cos(math.radians(MAP_GRID_LATITUDE)), width


def map_clusters(queryset: QuerySet[Group], *, zoom: int, bounds: tuple[float, float, float, float] | None = None):
    """Every group of `queryset` with a place, that the moderators have not hidden and that is inside
    `bounds` (west, south, east, north; None for everywhere), counted per grid cell sized for `zoom`.

    Returns {"zoom", "clusters": [[latitude, longitude, count], ...] for cells with more than one group
    (at the groups' mean position), "groups": [{name, slug, place_name, latitude, longitude}, ...] for cells
    with one}. Two queries for any number of groups; the rows returned grow with the cells in `bounds`,
    not with the groups.
    """
    cell_height, cell_width = map_cell_size(zoom)
    located = queryset.filter(latitude__isnull=False, longitude__isnull=False, hidden_at__isnull=True)
    if bounds is not None:
        west, south, east, north = _snap_to_cells(bounds, zoom=zoom)
        located = located.filter(longitude__gte=west, longitude__lte=east, latitude__gte=south, latitude__lte=north)
    cells = (
        located.order_by()
        .annotate(cell_y=Floor(F("latitude") / cell_height), cell_x=Floor(F("longitude") / cell_width))
        .values("cell_y", "cell_x")
        .annotate(count=Count("pk"), mean_latitude=Avg("latitude"), mean_longitude=Avg("longitude"), first=Min("pk"))
        .values_list("count", "mean_latitude", "mean_longitude", "first")
    )
    clusters, single_ids = [], []
    for count, latitude, longitude, first in cells:
        if count == 1:
            single_ids.append(first)
        else:
            clusters.append([round(latitude, 5), round(longitude, 5), count])
    clusters.sort(key=lambda cluster: (-cluster[2], cluster[0], cluster[1]))
    groups = []
    if single_ids:
        groups = list(
            Group.objects.filter(pk__in=single_ids)
            .order_by("name", "pk")
            .values("name", "slug", "place_name", "latitude", "longitude")
        )
    return {"zoom": zoom, "clusters": clusters, "groups": groups}


def map_cells_in(bounds: tuple[float, float, float, float], *, zoom: int) -> int:
    """How many cells of `zoom`'s grid `bounds` (west, south, east, north) touch: what one view may ask for."""
    west, south, east, north = _snap_to_cells(bounds, zoom=zoom)
    cell_height, cell_width = map_cell_size(zoom)
    return round((east - west) / cell_width) * round((north - south) / cell_height)


def _snap_to_cells(bounds, *, zoom):
    """`bounds` widened to whole cells of `zoom`'s grid, so a cluster at the edge of a view counts all its
    groups, not only those inside the view."""
    cell_height, cell_width = map_cell_size(zoom)
    west, south, east, north = bounds
    return (
        math.floor(west / cell_width) * cell_width,
        math.floor(south / cell_height) * cell_height,
        (math.floor(east / cell_width) + 1) * cell_width,
        (math.floor(north / cell_height) + 1) * cell_height,
    )


def welsh_area_names() -> dict[str, str]:
    """Challenge areas' English names -> their Welsh names, where the site's staff gave one (from the areas
    this process keeps: no query)."""
    return {area.name: area.name_cy for area in area_table().areas if area.name_cy}
