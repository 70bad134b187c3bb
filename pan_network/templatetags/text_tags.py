"""Filters for people's text inside pages: ``{{ person.full_name|bdi }}`` isolates a name,
title or free text so that a right-to-left one keeps its own order and leaves the page's."""

from django import template
from django.utils.html import format_html

from core import text

register = template.Library()


@register.filter
def bdi(value) -> str:
    """The value, escaped, in a ``<bdi>`` element (its direction from its first letter)."""
    if value is None or value == "":
        return ""
    return format_html("<bdi>{}</bdi>", value)


@register.filter
def isolate(value) -> str:
    """For plain text (e-mails, file names): Unicode isolates around right-to-left text."""
    return text.isolate(str(value or ""))
