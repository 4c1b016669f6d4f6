from django.shortcuts import get_object_or_404, render

from .. import permissions, selectors, structured_data
from ..page_sections import group_page_sections
from .hiding import hidden_or_404


def group_detail(request, slug):
    user = request.user
    group = get_object_or_404(selectors.group_detail(slug=slug, viewer=user))
    hidden = hidden_or_404(user, ("group", group), group=group)
    return render(
        request,
        "groups/group_detail.html",
        {
            "group": group,
            "hidden": hidden,
            # Nothing for search engines about a group the moderators hid.
            "structured_data": None if hidden else structured_data.organization_for(group, request=request),
            "can_manage": permissions.can_manage_group(user, group),
            "can_edit": permissions.can_edit_group(user, group),
            "can_see_members": permissions.can_see_members(user, group),
            "can_invite": permissions.can_invite(user, group),
            "can_leave": permissions.can_leave_group(user, group),
            # What the apps above groups show on the page (challenges: the solutions), included by name.
            "sections": group_page_sections(),
        },
    )
