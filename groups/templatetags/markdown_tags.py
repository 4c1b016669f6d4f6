from django import template
from django.utils.safestring import mark_safe

from core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    # render_markdown sanitises with nh3 before the result is marked safe.
    return mark_safe(render_markdown(text))  # noqa: S308
