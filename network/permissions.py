"""Every decision about who may see or change what is made here, and nowhere else.

Views, admin hooks and services ask these functions; tests assert them as a matrix.
"""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Institution, Membership


def is_active_user(user) -> bool:
    """Signed in and not deactivated: the first condition of every permission."""
    return bool(user and user.is_authenticated and user.is_active)


def has_role(user, role: str) -> bool:
    return Membership.objects.filter(user=user, role=role).exists()


def editable_institutions(user) -> QuerySet[Institution]:
    """Institutions whose pages this user may edit (not publish: publication is moderated)."""
    if not is_active_user(user):
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
    if not is_active_user(user):
        return False
    return user.is_superuser or has_role(user, Membership.Role.MODERATOR)


def can_manage_institution_directory(user) -> bool:
    """Create institutions and grant network-wide roles."""
    if not is_active_user(user):
        return False
    return user.is_superuser or has_role(user, Membership.Role.ORGANISER)


# ---------------------------------------------------------------------------------------------
# Roles: who may grant and revoke which roles, where
# ---------------------------------------------------------------------------------------------


def runs_the_network(user) -> bool:
    """Superusers and network organisers: every institution's runs are theirs to manage."""
    return user.is_superuser or has_role(user, Membership.Role.ORGANISER)


def coordinated_institutions(user) -> QuerySet[Institution]:
    """Institutions this user coordinates (all of them for organisers and superusers)."""
    if not is_active_user(user):
        return Institution.objects.none()
    if runs_the_network(user):
        return Institution.objects.all()
    return Institution.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.COORDINATOR
    ).distinct()


def grantable_roles(user) -> list[str]:
    """Roles this user may grant somewhere: every role for organisers and superusers, the
    institution roles for coordinators, none for anyone else."""
    if not is_active_user(user):
        return []
    if runs_the_network(user):
        return list(Membership.Role.values)
    if has_role(user, Membership.Role.COORDINATOR):
        return [role for role in Membership.Role.values if role in Membership.INSTITUTION_ROLES]
    return []


def can_grant_role(user, *, role: str, institution=None, country=None) -> bool:
    """Organisers grant any role anywhere; a coordinator grants editor, coordinator and trainer
    roles in the institutions they coordinate, and nothing else."""
    if not is_active_user(user):
        return False
    if runs_the_network(user):
        return True
    if role not in Membership.INSTITUTION_ROLES or institution is None:
        return False
    return Membership.objects.filter(
        user=user, role=Membership.Role.COORDINATOR, institution=institution
    ).exists()


def can_revoke_membership(user, membership: Membership) -> bool:
    return can_grant_role(
        user,
        role=membership.role,
        institution=membership.institution,
        country=membership.country,
    )


def manageable_memberships(user) -> QuerySet[Membership]:
    """The roles this user may see and revoke in the admin."""
    if not is_active_user(user):
        return Membership.objects.none()
    if runs_the_network(user):
        return Membership.objects.all()
    return Membership.objects.filter(
        institution__in=Institution.objects.filter(
            memberships__user=user, memberships__role=Membership.Role.COORDINATOR
        )
    )


# ---------------------------------------------------------------------------------------------
# Personal data
# ---------------------------------------------------------------------------------------------


def can_export_personal_data(user, subject) -> bool:
    """Everyone may export their own data; only superusers (the platform's data-protection
    staff) anyone else's, and that is written to the audit log."""
    if not is_active_user(user):
        return False
    return user.pk == subject.pk or user.is_superuser


# ---------------------------------------------------------------------------------------------
# Course runs, enrolment and attendance
# ---------------------------------------------------------------------------------------------


def has_staff_role(user) -> bool:
    """Holds any role or admin access: such people's pages need a second factor."""
    if not is_active_user(user):
        return False
    return bool(
        user.is_superuser
        or user.is_staff
        or Membership.objects.filter(user=user).exists()
        or user.has_perm("wagtailadmin.access_admin")
    )


def focal_countries(user) -> set[int]:
    return set(
        Membership.objects.filter(user=user, role=Membership.Role.FOCAL_POINT).values_list(
            "country_id", flat=True
        )
    )
