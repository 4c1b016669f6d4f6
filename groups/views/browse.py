from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from .. import permissions, selectors


def group_list(request):
    page = Paginator(selectors.group_list().order_by("name"), 20).get_page(request.GET.get("page"))
    return render(request, "groups/group_list.html", {"page": page})


def group_detail(request, slug):
    group = get_object_or_404(selectors.group_detail(slug=slug))
    return render(
        request,
        "groups/group_detail.html",
        {"group": group, "can_manage": permissions.can_manage_group(request.user, group)},
    )
