"""Near me: groups and upcoming actions around a place, nearest first, with the group list's filters."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from .. import nearby, selectors
from ..filters import GroupFilter
from ..forms_actions import NearbyForm

GROUP_LIMIT = 30
ACTION_LIMIT = 20
WHERE_FIELDS = ("place", "latitude", "longitude")


class NearbyGroupFilter(GroupFilter):
    """The group list's filters; results are always nearest first, so there is no sort choice."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.filters["sort"]
        # Beside "Postcode or place" a box called "Search" reads as a second place search.
        self.filters["q"].label = _("Words in the group's description")


def _where(request):
    """The query, with the resident's home area as the place when they gave none (and whether it was used)."""
    data = request.GET.copy()
    if not any(data.get(name) for name in WHERE_FIELDS) and request.user.is_authenticated and request.user.home_area:
        data["place"] = request.user.home_area
        return data, True
    return data, False


def nearby_page(request):
    data, from_home = _where(request)
    searched = any(data.get(name) for name in WHERE_FIELDS)
    if searched and not data.get("radius"):
        data["radius"] = str(nearby.DEFAULT_RADIUS_KM)  # so the form shows the radius the results use
    form = NearbyForm(data if searched else None, initial={"radius": nearby.DEFAULT_RADIUS_KM})
    filterset = NearbyGroupFilter(data or None, queryset=selectors.group_list())
    status = 200
    if filterset.is_bound and not filterset.is_valid():
        status = 400
    context = {"form": form, "filter": filterset, "from_home": from_home, "searched": searched}
    if searched and form.is_valid():
        point, radius = form.cleaned_data["point"], form.cleaned_data["radius"]
        groups = nearby.groups_near(filterset.qs, point=point, radius_km=radius)
        context.update(
            point=point,
            radius=radius,
            groups=list(groups[:GROUP_LIMIT]),
            group_total=groups.count(),
            actions=list(nearby.actions_near(filterset.qs, point=point, radius_km=radius)[:ACTION_LIMIT]),
            can_save_home=request.user.is_authenticated
            and form.cleaned_data.get("place")
            and form.cleaned_data["place"].strip() != request.user.home_area,
        )
    elif searched:
        status = 400
    return render(request, "groups/nearby.html", context, status=status)
