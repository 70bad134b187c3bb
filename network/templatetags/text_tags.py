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


# Russian abbreviates months in dates in the genitive, in lower case, with a full stop where a
# letter is left out ("29 нояб. 2026", "3 мая"); Django's "M" gives "Ноя", "Мая".
_RU_MONTHS_SHORT = (
    "янв.", "февр.", "марта", "апр.", "мая", "июня",
    "июля", "авг.", "сент.", "окт.", "нояб.", "дек.",
)  # fmt: skip


@register.filter
def short_date(value, format_string: str = "j M Y") -> str:
    """A date (or date and time) with the month abbreviated as the active language writes it:
    ``{{ run.start_date|short_date }}`` (29 Nov 2026, 29 нояб. 2026), or with a Django format
    in which ``M`` stands for that month: ``{{ when|short_date:"D j M Y, H:i" }}``."""
    from django.utils import dateformat
    from django.utils.timezone import is_aware, localtime
    from django.utils.translation import get_language

    if value in (None, ""):
        return ""
    if hasattr(value, "hour") and is_aware(value):
        value = localtime(value)
    if (get_language() or "").split("-")[0] == "ru":
        month = "".join(f"\\{c}" for c in _RU_MONTHS_SHORT[value.month - 1])
        out, escaped = [], False
        for c in format_string:
            if escaped:
                out.append(c)
                escaped = False
            elif c == "\\":
                out.append(c)
                escaped = True
            else:
                out.append(month if c == "M" else c)
        format_string = "".join(out)
    return dateformat.format(value, format_string)
