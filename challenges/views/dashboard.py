"""A challenge's collective impact: public once its funder allows it, else for the funder's members."""

from django.http import Http404
from django.shortcuts import render

from groups.filters import map_config

from ..funding import dashboard, permissions
from .funders import visible_challenge_or_404


def challenge_dashboard(request, slug):
    challenge = visible_challenge_or_404(request, slug)
    if not permissions.can_see_dashboard(request.user, challenge):
        raise Http404("This challenge's dashboard is not public.")
    can_manage = permissions.can_manage_challenge(request.user, challenge)
    markers = dashboard.entry_markers(challenge=challenge, public_only=not can_manage)
    context = {
        "challenge": challenge,
        "can_manage": can_manage,
        "impacts": dashboard.metric_impacts(challenge=challenge),
        "spread": dashboard.spread_of_entries(challenge=challenge),
        "markers": markers,
        "map_markers": markers,
        "map_limit": dashboard.MAP_LIMIT,
        "map_config": map_config(),
    }
    return render(request, "challenges/dashboard.html", context)
