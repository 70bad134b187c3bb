from django import template

from pan_network import permissions

register = template.Library()


@register.filter
def has_staff_role(user) -> bool:
    """Whether to show the link to the staff pages (one query)."""
    return permissions.has_staff_role(user)
