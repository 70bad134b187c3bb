"""Every decision about who may see or change what is made here, and nowhere else.

Views, admin hooks and services ask these functions; tests assert them as a matrix.
"""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Institution, Membership


def _is_active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _has_role(user, role: str) -> bool:
    return Membership.objects.filter(user=user, role=role).exists()


def editable_institutions(user) -> QuerySet[Institution]:
    """Institutions whose pages this user may edit (not publish: publication is moderated)."""
    if not _is_active(user):
        return Institution.objects.none()
    if user.is_superuser:
        return Institution.objects.all()
    return Institution.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.EDITOR
    ).distinct()


def can_edit_institution(user, institution: Institution) -> bool:
    return editable_institutions(user).filter(pk=institution.pk).exists()


def can_moderate(user) -> bool:
    """Approve (publish) pages anywhere in the network."""
    if not _is_active(user):
        return False
    return user.is_superuser or _has_role(user, Membership.Role.MODERATOR)


def can_adapt_course(user, course) -> bool:
    """Copy another institution's published course into one's own institution's space."""
    if not _is_active(user) or not course.live:
        return False
    return editable_institutions(user).exclude(pk=course.institution_id).exists()


def can_manage_institution_directory(user) -> bool:
    """Create institutions and grant network-wide roles."""
    if not _is_active(user):
        return False
    return user.is_superuser or _has_role(user, Membership.Role.ORGANISER)
