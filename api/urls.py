from django.urls import path, re_path
from django.views.decorators.http import conditional_page
from drf_spectacular.views import SpectacularJSONAPIView

from . import errors, views

app_name = "api"


def _get(view):
    """ETag (from the body) and Last-Modified answered with 304 Not Modified when they still match."""
    return conditional_page(view.as_view())


urlpatterns = [
    path("v1/", _get(views.Root), name="root"),
    path("v1/schema/", _get(SpectacularJSONAPIView), name="schema"),
    path("v1/groups/", _get(views.GroupList), name="groups"),
    path("v1/groups/<slug:slug>/", _get(views.GroupDetail), name="group"),
    path("v1/groups/<slug:slug>/peers/", _get(views.GroupPeers), name="group_peers"),
    path("v1/solutions/", _get(views.SolutionList), name="solutions"),
    path("v1/solutions/<int:pk>/", _get(views.SolutionDetail), name="solution"),
    path("v1/updates/", _get(views.UpdateList), name="updates"),
    path("v1/updates/<int:pk>/", _get(views.UpdateDetail), name="update"),
    path("v1/actions/", _get(views.ActionList), name="actions"),
    path("v1/actions/<int:pk>/", _get(views.ActionDetail), name="action"),
    path("v1/challenges/", _get(views.ChallengeList), name="challenges"),
    path("v1/challenges/<slug:slug>/", _get(views.ChallengeDetail), name="challenge"),
    path("v1/awards/", _get(views.AwardList), name="awards"),
    path("v1/challenge-areas/", _get(views.ChallengeAreaList), name="challenge_areas"),
    # Any other address under /api/, whatever characters it holds (a newline too): a JSON 404.
    re_path(r"^(?P<path>[\s\S]*)$", errors.not_found, name="not_found"),
]
