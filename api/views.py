"""The read-only JSON API (/api/v1/) and its reference page. Views only pick a selector, a serializer
and a filter; what anyone may see is decided by the selectors (api/selectors.py)."""

from functools import cache

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from . import filters, selectors, serializers
from .reference import reference_rows
from .throttling import ApiRateThrottle

# How long browsers and proxies may keep an answer (ETag and Last-Modified let them check it after).
API_CACHE_SECONDS = 60

_ERRORS = {
    429: OpenApiResponse(serializers.ErrorSerializer, description="Too many requests: wait as Retry-After says."),
}
_LIST_ERRORS = {
    400: OpenApiResponse(serializers.ErrorSerializer, description="A query parameter is not valid."),
    404: OpenApiResponse(serializers.ErrorSerializer, description="The cursor is not one this API gave."),
    **_ERRORS,
}
_DETAIL_ERRORS = {
    404: OpenApiResponse(serializers.ErrorSerializer, description="Nothing public at this address."),
    **_ERRORS,
}


class _ReadOnly:
    """Cache headers on every successful answer; Last-Modified where the view knows it."""

    last_modified = None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            patch_cache_control(response, public=True, max_age=API_CACHE_SECONDS)
            if self.last_modified is not None:
                response["Last-Modified"] = http_date(self.last_modified.timestamp())
        return response


class _List(_ReadOnly, generics.ListAPIView):
    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        page = getattr(self.paginator, "page", None) or []
        stamps = [item.updated_at for item in page if getattr(item, "updated_at", None)]
        self.last_modified = max(stamps) if stamps else None
        return response


class _Detail(_ReadOnly, generics.RetrieveAPIView):
    def get_object(self):
        obj = super().get_object() if self.queryset is not None else self.find_object()
        self.last_modified = getattr(obj, "updated_at", None)
        return obj


@extend_schema(
    summary="The API's index",
    responses={200: {"type": "object", "additionalProperties": {"type": "string", "format": "uri"}}, **_ERRORS},
)
class Root(_ReadOnly, APIView):
    """Links to every list of the API, its OpenAPI document and its reference page."""

    def get(self, request):
        names = ["groups", "solutions", "updates", "actions", "challenges", "awards", "challenge_areas", "schema"]
        links = {name: request.build_absolute_uri(reverse(f"api:{name}")) for name in names}
        links["reference"] = request.build_absolute_uri(reverse("api_reference"))
        return Response(links)


@extend_schema_view(
    get=extend_schema(
        summary="Community groups", responses={200: serializers.GroupSerializer(many=True), **_LIST_ERRORS}
    )
)
class GroupList(_List):
    """Every group the site shows, with its local context, in id order. Filter by the same parameters as
    the site's group list: `q`, `challenge`, `area_kind`, `region`, `deprivation_min`/`_max`,
    `population_min`/`_max`."""

    queryset = selectors.api_groups()
    serializer_class = serializers.GroupSerializer
    filterset_class = filters.ApiGroupFilter


@extend_schema_view(
    get=extend_schema(
        summary="One community group", responses={200: serializers.GroupDetailSerializer, **_DETAIL_ERRORS}
    )
)
class GroupDetail(_Detail):
    """A group with its description."""

    serializer_class = serializers.GroupDetailSerializer
    queryset = None

    def find_object(self):
        return selectors.api_group(slug=self.kwargs["slug"])


@extend_schema_view(
    get=extend_schema(
        summary="A group's peers", responses={200: serializers.PeerSerializer(many=True), **_DETAIL_ERRORS}
    )
)
class GroupPeers(_ReadOnly, APIView):
    """The groups in the most similar local contexts (place, size, deprivation, challenge, approach and
    what they wrote), best first, with the reasons they were matched: what the group's learning page shows."""

    def get(self, request, slug):
        group = selectors.api_group(slug=slug)
        peers = selectors.api_peers(group=group)
        return Response(serializers.PeerSerializer(peers, many=True, context={"request": request}).data)


@extend_schema_view(
    get=extend_schema(summary="Solutions", responses={200: serializers.SolutionSerializer(many=True), **_LIST_ERRORS})
)
class SolutionList(_List):
    """Published solutions with their metrics, targets and readings, in id order. Filter by the site's
    solution-list parameters (`q`, `challenge`, `stage`, the group's local context) or by `group`."""

    queryset = selectors.api_solutions()
    serializer_class = serializers.SolutionSerializer
    filterset_class = filters.ApiSolutionFilter


@extend_schema_view(
    get=extend_schema(summary="One solution", responses={200: serializers.SolutionSerializer, **_DETAIL_ERRORS})
)
class SolutionDetail(_Detail):
    queryset = selectors.api_solutions()
    serializer_class = serializers.SolutionSerializer


@extend_schema_view(
    get=extend_schema(
        summary="Progress updates and lessons", responses={200: serializers.UpdateSerializer(many=True), **_LIST_ERRORS}
    )
)
class UpdateList(_List):
    """Published progress updates with what worked, what didn't and what they would do differently."""

    queryset = selectors.api_updates()
    serializer_class = serializers.UpdateSerializer
    filterset_class = filters.UpdateFilter


@extend_schema_view(
    get=extend_schema(summary="One progress update", responses={200: serializers.UpdateSerializer, **_DETAIL_ERRORS})
)
class UpdateDetail(_Detail):
    queryset = selectors.api_updates()
    serializer_class = serializers.UpdateSerializer


@extend_schema_view(
    get=extend_schema(summary="Actions", responses={200: serializers.ActionSerializer(many=True), **_LIST_ERRORS})
)
class ActionList(_List):
    """Actions residents can join (cancelled ones too: `status` says so). No one's name is listed."""

    queryset = selectors.api_actions()
    serializer_class = serializers.ActionSerializer
    filterset_class = filters.ActionFilter


@extend_schema_view(
    get=extend_schema(summary="One action", responses={200: serializers.ActionSerializer, **_DETAIL_ERRORS})
)
class ActionDetail(_Detail):
    queryset = selectors.api_actions()
    serializer_class = serializers.ActionSerializer


@extend_schema_view(
    get=extend_schema(
        summary="Funders' challenges", responses={200: serializers.ChallengeSerializer(many=True), **_LIST_ERRORS}
    )
)
class ChallengeList(_List):
    """Challenges past their draft: open calls, shortlisting, finalists, winners, closed."""

    queryset = selectors.api_challenges()
    serializer_class = serializers.ChallengeSerializer
    filterset_class = filters.ChallengeFilter


@extend_schema_view(
    get=extend_schema(
        summary="One challenge with its public entries",
        responses={200: serializers.ChallengeDetailSerializer, **_DETAIL_ERRORS},
    )
)
class ChallengeDetail(_Detail):
    """A challenge with the entries its page shows anyone and how each fared (`status`)."""

    queryset = selectors.api_challenges()
    serializer_class = serializers.ChallengeDetailSerializer
    lookup_field = "slug"

    def get_serializer_context(self):
        return {**super().get_serializer_context(), **getattr(self, "_extra_context", {})}

    def retrieve(self, request, *args, **kwargs):
        challenge = self.get_object()
        self._extra_context = {
            "challenge": challenge,
            "entries": selectors.api_challenge_entries(challenge=challenge),
            "awards": selectors.api_awards_of(challenge=challenge),
        }
        return Response(self.get_serializer(challenge).data)


@extend_schema_view(
    get=extend_schema(summary="Awards", responses={200: serializers.AwardSerializer(many=True), **_LIST_ERRORS})
)
class AwardList(_List):
    """What funders awarded their challenges' finalists and winners: amount, date, to which entry. Each
    challenge's awards are also published in the 360Giving Data Standard (see a challenge's links)."""

    queryset = selectors.api_awards()
    serializer_class = serializers.AwardSerializer
    filterset_class = filters.AwardFilter


@extend_schema_view(
    get=extend_schema(
        summary="Challenge areas", responses={200: serializers.ChallengeAreaSerializer(many=True), **_ERRORS}
    )
)
class ChallengeAreaList(_List):
    """The social challenges groups work on: the values of every `challenge` filter."""

    queryset = selectors.api_challenge_areas()
    serializer_class = serializers.ChallengeAreaSerializer
    pagination_class = None


@cache
def _reference():
    """(operations, components) of the OpenAPI document, read once per process: the code they come from
    does not change while it runs."""
    return reference_rows(SchemaGenerator().get_schema(request=None, public=True))


def _per_minute(rate):
    """ "300/minute" (or "5/second", "1000/hour") as requests a minute."""
    count, seconds = ApiRateThrottle().parse_rate(rate)
    return max(1, round(count * 60 / seconds))


@require_safe
def reference(request):
    """The API's reference page, generated from the same OpenAPI document as /api/v1/schema/."""
    operations, components = _reference()
    return render(
        request,
        "api/reference.html",
        {
            "operations": operations,
            "components": components,
            "page_size": settings.REST_FRAMEWORK["PAGE_SIZE"],
            "per_minute": _per_minute(settings.API_RATE_LIMIT),
        },
    )
