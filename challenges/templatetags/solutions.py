from django import template

from ..selectors import solutions_for_group

register = template.Library()


@register.inclusion_tag("challenges/_solution_list.html")
def group_solutions(group, include_drafts=False):
    """The group's solutions, for its page: drafts only for those who manage it."""
    return {"solutions": solutions_for_group(group=group, include_drafts=include_drafts), "group": group}
