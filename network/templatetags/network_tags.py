from django import template

from network import permissions

register = template.Library()


@register.filter
def has_staff_role(user) -> bool:
    """Whether to show the link to the staff pages (one query)."""
    return permissions.has_staff_role(user)


@register.filter
def time_spent(seconds) -> str:
    """Seconds as a reader takes them in: "45 s", "12 min", "1 h 05 min"."""
    from django.utils.translation import gettext as _

    try:
        total = int(round(float(seconds)))
    except (TypeError, ValueError):
        return ""
    if total < 60:
        return _("%(s)s s") % {"s": total}
    minutes = total // 60
    if minutes < 60:
        return _("%(m)s min") % {"m": minutes}
    return _("%(h)s h %(m)02d min") % {"h": minutes // 60, "m": minutes % 60}
