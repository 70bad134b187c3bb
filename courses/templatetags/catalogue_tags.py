"""Template helpers for the catalogue."""

from django import template
from django.utils.html import format_html_join

register = template.Library()


@register.simple_tag
def facet_select_options(group):
    """The <option>s of a long filter list. Built in one pass: a catalogue with hundreds of
    institutions would otherwise spend most of its rendering time in this loop."""
    return format_html_join(
        "",
        '<option value="{}"{}>{} ({})</option>',
        (
            (option.value, " selected" if option.selected else "", option.label, option.count)
            for option in group.options
        ),
    )
