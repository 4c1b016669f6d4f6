"""Reads of the learning app: a group's precomputed peers, in a fixed number of queries.

A group the moderators hide loses its vector and peers at its next recompute (services); until then the
peer lists here leave it out themselves (the peer group is joined anyway).
"""

import functools
from dataclasses import dataclass

from django.db.models import F, FloatField, Prefetch, Q
from django.db.models.expressions import ExpressionWrapper, Value
from django.utils import translation

from challenges.selectors import lessons
from core.languages import WELSH
from groups.models import ChallengeArea
from groups.selectors import welsh_area_names

from .filters import context_closeness
from .matching.reasons import reason_sentence, render_reasons
from .matching.weights import half_weights, lean_weights, match_weights
from .models import Connection, ConnectionMessage, Peer
from .permissions import is_historical_example


@dataclass(frozen=True)
class PeerMatch:
    """One peer of a group, ready for a page: `reasons` are readable strings."""

    peer: object  # groups.models.Group, with challenge_areas prefetched
    score: float
    place_score: float
    approach_score: float
    ahead_score: float
    reasons: list
    rank: int = 0
    # A historical example is not a user of the site: it cannot be asked.
    historical: bool = False

    @property
    def askable(self):
        return not self.historical

    @property
    def sentence(self):
        return reason_sentence(self.reasons)


# What a learning page shows of a peer (templates/learning/_peer_card.html): the group's long texts stay
# in the database.
PAGE_PEER_FIELDS = (
    "score",
    "place_score",
    "approach_score",
    "ahead_score",
    "reasons",
    "rank",
    "peer__slug",
    "peer__name",
    "peer__name_cy",
    "peer__language",
    "peer__place_name",
    "peer__area_kind",
    "peer__region",
    "peer__example_source",
)


def _matches(queryset, limit, score_of, *, for_page=False):
    """`for_page`: only what the learning page shows (one query); otherwise whole peer groups with their
    challenge areas (two queries)."""
    queryset = queryset.filter(peer__hidden_at__isnull=True).select_related("peer")
    if for_page:
        queryset = queryset.only(*PAGE_PEER_FIELDS)
    else:
        queryset = queryset.prefetch_related(
            Prefetch("peer__challenge_areas", queryset=ChallengeArea.objects.order_by("name"))
        )
    # Reasons name challenge areas as stored, in English; a Welsh page names them in Welsh (groups.area_table).
    area_names = welsh_area_names() if translation.get_language() == WELSH else None
    return [
        PeerMatch(
            peer=match.peer,
            score=score_of(match),
            place_score=match.place_score,
            approach_score=match.approach_score,
            ahead_score=match.ahead_score,
            reasons=render_reasons(match.reasons, area_names),
            rank=match.rank,
            historical=is_historical_example(match.peer),
        )
        for match in queryset[:limit]
    ]


def _leaning(group, lean):
    """The group's stored matches ordered by `lean`, and how to read each one's score under it."""
    if lean == "balanced":
        return Peer.objects.filter(group=group).order_by("rank"), lambda match: match.score
    place_total, approach_total = half_weights(lean_weights(match_weights(), lean))
    total = place_total + approach_total
    lean_score = ExpressionWrapper(
        F("place_score") * Value(place_total / total) + F("approach_score") * Value(approach_total / total),
        output_field=FloatField(),
    )
    queryset = Peer.objects.filter(group=group).annotate(lean_score=lean_score).order_by("-lean_score", "rank")
    return queryset, lambda match: match.lean_score


def peers_for_group(*, group, lean="balanced", limit=10):
    """The group's most similar peers, best first, re-ranked toward place or approach by `lean`.

    Two queries whatever the limit: the stored matches with their peer groups (one indexed query on
    (group, rank)), and the peers' challenge areas. Only the stored top 15 (balanced) are re-ranked.
    """
    queryset, score_of = _leaning(group, lean)
    return _matches(queryset, limit, score_of)


def peers_ahead(*, group, limit=5):
    """Similar peers further along than the group (later stage, more updates over longer, metrics
    moving toward target), furthest ahead first. Two queries."""
    queryset = Peer.objects.filter(group=group, ahead_score__gt=0).order_by("-ahead_score", "rank")
    return _matches(queryset, limit, lambda match: match.score)


@dataclass(frozen=True)
class LearningPeers:
    """The peers of a group's learning page: `ahead` (further along) and `similar` (the others)."""

    ahead: list
    similar: list

    @property
    def groups(self):
        return [match.peer for match in self.ahead + self.similar]


def peers_for_page(*, group, lean="balanced", ahead_limit=5, similar_limit=10):
    """The peers a group's learning page lists, each peer in one section only: the furthest ahead
    (as `peers_ahead`), then the most similar of the others (as `peers_for_group` with `lean`).

    One query whatever the sizes: the group's stored matches (at most the stored top 15) with what the
    page shows of each peer group, read once and split here.
    """
    queryset, score_of = _leaning(group, lean)
    matches = _matches(queryset, None, score_of, for_page=True)
    further_along = sorted(
        (match for match in matches if match.ahead_score > 0), key=lambda m: (-m.ahead_score, m.rank)
    )
    ahead = further_along[:ahead_limit]
    shown_ahead = {match.peer.pk for match in ahead}
    similar = [match for match in matches if match.peer.pk not in shown_ahead][:similar_limit]
    return LearningPeers(ahead=ahead, similar=similar)


# What a learning page shows of a lesson, and what its link needs.
PAGE_LESSON_FIELDS = (
    "published_at",
    "what_worked_html",
    "what_didnt_html",
    "do_differently_html",
    "solution__slug",
    "solution__title",
    "solution__group__slug",
    "solution__group__name",
    "solution__group__name_cy",
    "solution__group__language",
)


@functools.cache
def _page_lessons():
    """The lessons, with only what a learning page shows, built once per process: building this query
    (eight clones of a five-table query) took longer than running it. Never evaluated itself; every
    use filters a clone."""
    return lessons().select_related(None).select_related("solution__group").only(*PAGE_LESSON_FIELDS)


def lessons_for_page(*, group, peers, limit=5):
    """Lessons of `peers` (groups) for `group`'s learning page, the closest places first, newest first
    among equals. One query; only the fields the page shows are read."""
    return list(
        _page_lessons()
        .filter(solution__group_id__in=[peer.pk for peer in peers])
        .annotate(closeness=context_closeness(group))
        .order_by("-closeness", "-published_at")[:limit]
    )


def connections_of(*, group):
    """The group's questions and connections, both directions, newest first (one query)."""
    return list(
        Connection.objects.filter(Q(from_group=group) | Q(to_group=group))
        .select_related("from_group", "to_group")
        .order_by("-created_at")
    )


def connection_with_messages():
    """Connections with both groups and the thread (messages with author and sender) prefetched."""
    return Connection.objects.select_related("from_group", "to_group").prefetch_related(
        Prefetch("messages", queryset=ConnectionMessage.objects.select_related("author", "sender_group"))
    )
