"""The group invitation a log-in or sign-up page leads back to, so the page can say why the person is here."""

from allauth.account.adapter import get_adapter
from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def invitation_to_continue(context):
    """The open invitation named by the page's `next`, or None (see AccountAdapter.invitation_to_continue)."""
    request = context.get("request")
    return get_adapter(request).invitation_to_continue() if request is not None else None
