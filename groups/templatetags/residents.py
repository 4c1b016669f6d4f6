"""The residents' parts of a group's page: join and follow controls, and its upcoming actions."""

from django import template

from .. import permissions, selectors
from ..forms_actions import FollowForm

register = template.Library()


@register.inclusion_tag("groups/action_follow_controls.html", takes_context=True)
def group_follow_controls(context, group):
    user = context["user"]
    mail = selectors.follow_mail_of(group=group, user=user)
    return {
        "group": group,
        "user": user,
        "follow": mail is not None,
        "follow_form": FollowForm(initial={"mail": mail} if mail is not None else None),
        "can_join": permissions.can_join_group(user, group),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("groups/action_section.html", takes_context=True)
def group_actions(context, group):
    user = context["user"]
    actions = []
    # The group page's query already says whether any are coming up (selectors.group_detail): without any,
    # no query is built. The cards show neither an action's description nor its HTML.
    if getattr(group, "has_upcoming_actions", True):
        actions = list(selectors.upcoming_actions(group=group).defer("description", "description_html")[:20])
    return {
        "group": group,
        "actions": actions,
        "can_manage_actions": permissions.can_manage_actions(user, group),
    }
