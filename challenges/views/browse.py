from django.shortcuts import render

from core.caching import cached_figures
from core.pagination import capped_page, filters_key

from .. import selectors
from ..filters import SolutionFilter
from ..funding import permissions as funding_permissions
from ..funding import selectors as funding_selectors

PAGE_SIZE = 20
CHALLENGES_SHOWN = 10


def index(request):
    open_challenges, recent_challenges = funding_selectors.open_and_recent_challenges(limit=CHALLENGES_SHOWN)
    return render(
        request,
        "challenges/index.html",
        {
            "open_challenges": open_challenges,
            "recent_challenges": recent_challenges,
            "can_create_challenge": funding_permissions.can_create_challenge(request.user),
            # Counting every solution and group per area takes about 250 ms at 100k groups: shared, like
            # the home page's figures, and retired when moderators hide or show something.
            "areas": cached_figures("challenge-areas", lambda: list(selectors.challenge_area_summary())),
            "solutions": selectors.published_solutions().defer(
                *selectors.SOLUTION_LONG_TEXTS, *(f"group__{name}" for name in selectors.GROUP_LONG_TEXTS)
            )[:20],
        },
    )


def solution_list(request):
    # Without the long texts the list does not show (it shows the approach, cut short), nor their HTML.
    queryset = selectors.with_tag_names(
        selectors.published_solutions().defer(
            *selectors.SOLUTION_CARD_LEAVES_OUT, *(f"group__{name}" for name in selectors.GROUP_LONG_TEXTS)
        )
    )
    filterset = SolutionFilter(request.GET or None, queryset=queryset)
    status = 400 if filterset.is_bound and not filterset.is_valid() else 200
    page = capped_page(
        filterset.qs, request.GET.get("page"), per_page=PAGE_SIZE, count_key=filters_key(request, "solutions")
    )
    context = {"filter": filterset, "page": page, "share_filter_form": True}
    return render(request, "challenges/solution_list.html", context, status=status)
