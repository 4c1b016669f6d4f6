from django.http import Http404
from django.shortcuts import get_object_or_404, render

from groups.permissions import can_manage_group

from .. import selectors
from ..models import Status


def solution_detail(request, group_slug, slug):
    solution = get_object_or_404(selectors.solution_detail(group_slug=group_slug, slug=slug))
    can_manage = can_manage_group(request.user, solution.group)
    if solution.status != Status.PUBLISHED and not can_manage:
        raise Http404("No such solution.")
    updates = solution.updates.select_related("author")
    if not can_manage:
        updates = updates.filter(status=Status.PUBLISHED)
    return render(
        request,
        "challenges/solution_detail.html",
        {"solution": solution, "updates": updates, "can_manage": can_manage},
    )


def update_detail(request, group_slug, slug, pk):
    update = get_object_or_404(
        selectors.published_updates().prefetch_related("images"),
        pk=pk,
        solution__slug=slug,
        solution__group__slug=group_slug,
    )
    return render(request, "challenges/update_detail.html", {"update": update})
