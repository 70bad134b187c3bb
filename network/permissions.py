"""Every decision about who may see or change what is made here, and nowhere else.

Views, admin hooks and services ask these functions; tests assert them as a matrix.
"""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Institution, Membership


def is_active_user(user) -> bool:
    """Signed in and not deactivated: the first condition of every permission."""
    return bool(user and user.is_authenticated and user.is_active)


def _has_role(user, role: str) -> bool:
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
    return user.is_superuser or _has_role(user, Membership.Role.MODERATOR)


def can_adapt_course(user, course) -> bool:
    """Copy another institution's published course into one's own institution's space."""
    if not is_active_user(user) or not course.live:
        return False
    return editable_institutions(user).exclude(pk=course.institution_id).exists()


def can_manage_institution_directory(user) -> bool:
    """Create institutions and grant network-wide roles."""
    if not is_active_user(user):
        return False
    return user.is_superuser or _has_role(user, Membership.Role.ORGANISER)


# ---------------------------------------------------------------------------------------------
# Roles: who may grant and revoke which roles, where
# ---------------------------------------------------------------------------------------------


def runs_the_network(user) -> bool:
    """Superusers and network organisers: every institution's runs are theirs to manage."""
    return user.is_superuser or _has_role(user, Membership.Role.ORGANISER)


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
    if _has_role(user, Membership.Role.COORDINATOR):
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


def can_watch_certificate_expiry(user) -> bool:
    """See the certificates of one's institutions that are about to expire, and enrol their
    holders in a refresher run (coordinators, organisers)."""
    return coordinated_institutions(user).exists()


def nominating_countries(user):
    """Countries whose officers this user may nominate (focal points; organisers: all)."""
    from .models import Country

    if not is_active_user(user):
        return Country.objects.none()
    if runs_the_network(user):
        return Country.objects.all()
    return Country.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.FOCAL_POINT
    ).distinct()


def can_nominate(user, *, country) -> bool:
    """Nominate an officer whose profile is in `country` to a run."""
    if not is_active_user(user) or country is None:
        return False
    return nominating_countries(user).filter(pk=country.pk).exists()


def cascade_scope(user, root) -> dict | None:
    """What this user may see of the cascade below the ToT run `root`, or None (not at all).
    Organisers: everything, exact counts. Coordinators: cascades rooted in their institutions'
    runs, counts under 5 suppressed. Focal points: cascades that reach their country, only the
    runs held there, counts under 5 suppressed."""
    if not is_active_user(user):
        return None
    if runs_the_network(user):
        return {"suppress": False}
    if Membership.objects.filter(
        user=user, role=Membership.Role.COORDINATOR, institution_id=root.organiser_id
    ).exists():
        return {"suppress": True}
    countries = set(
        Membership.objects.filter(user=user, role=Membership.Role.FOCAL_POINT).values_list(
            "country_id", flat=True
        )
    )
    if countries:
        return {"suppress": True, "countries": countries}
    return None


def _focal_countries(user) -> set[int]:
    return set(
        Membership.objects.filter(user=user, role=Membership.Role.FOCAL_POINT).values_list(
            "country_id", flat=True
        )
    )


def cascade_forest_scope(user) -> dict | None:
    """What this user may see of the cascades of a whole course or thematic area, or None.
    Organisers: all of them, exact. Coordinators: those rooted in their institutions' runs.
    Focal points: the runs held in their country. Both with counts under 5 suppressed."""
    if not is_active_user(user):
        return None
    if runs_the_network(user):
        return {"suppress": False}
    institutions = set(
        Membership.objects.filter(user=user, role=Membership.Role.COORDINATOR).values_list(
            "institution_id", flat=True
        )
    )
    if institutions:
        return {"suppress": True, "institutions": institutions}
    countries = _focal_countries(user)
    if countries:
        return {"suppress": True, "countries": countries}
    return None


def external_cascade_scope(user) -> dict | None:
    """Cascades grown from a ToT held before the platform have no institution on it that owns
    them: organisers see them whole, focal points the runs held in their country."""
    if not is_active_user(user):
        return None
    if runs_the_network(user):
        return {"suppress": False}
    countries = _focal_countries(user)
    if countries:
        return {"suppress": True, "countries": countries}
    return None


def can_view_external_cascades(user) -> bool:
    return external_cascade_scope(user) is not None


def cascade_roots_visible(user):
    """Institutions whose ToT runs this user may open as cascades (None: all of them)."""
    if (
        runs_the_network(user)
        or Membership.objects.filter(user=user, role=Membership.Role.FOCAL_POINT).exists()
    ):
        return None
    return coordinated_institutions(user).values_list("pk", flat=True)


def can_attach_cascade(user) -> bool:
    """Attach a run to a cascade by hand (also to a ToT held before the platform)."""
    return is_active_user(user) and runs_the_network(user)


def report_scope(user, *, institution=None, country=None) -> dict | None:
    """What this user's dashboard counts, or None (no dashboard at all).

    Organisers: the network; any institution or country they pick narrows it; exact counts.
    Coordinators: the runs of the institutions they coordinate (an institution picked must be
    one of them; a country picked narrows to its trainees). Focal points: the trainees of their
    country (a country picked must be theirs; an institution picked narrows to its runs). Both
    with counts under 5 suppressed. Raises PermissionDenied for another institution's or
    country's figures."""
    from django.core.exceptions import PermissionDenied

    if not is_active_user(user):
        return None
    if runs_the_network(user):
        return {"suppress": False, "institutions": None, "countries": None, "kind": "network"}
    coordinated = set(
        Membership.objects.filter(user=user, role=Membership.Role.COORDINATOR).values_list(
            "institution_id", flat=True
        )
    )
    focal = _focal_countries(user)
    as_focal = focal and (country is None or country.pk in focal)
    as_coordinator = coordinated and (institution is None or institution.pk in coordinated)
    if as_coordinator and not (as_focal and country is not None):
        return {"suppress": True, "institutions": coordinated, "countries": None,
                "kind": "institution"}  # fmt: skip
    if as_focal:
        return {"suppress": True, "institutions": None, "countries": focal,
                "kind": "country"}  # fmt: skip
    if coordinated or focal:
        raise PermissionDenied
    return None


def registry_scope(user) -> dict | None:
    """Whom this user sees in the trainer registry: organisers everyone; coordinators the
    trainers of their institutions, focal points those of their country; and every staff member
    the trainers who chose to be listed."""
    if not has_staff_role(user):
        return None
    if runs_the_network(user):
        return {"all": True}
    return {
        "institutions": set(
            Membership.objects.filter(user=user, role=Membership.Role.COORDINATOR).values_list(
                "institution_id", flat=True
            )
        ),
        "countries": _focal_countries(user),
    }
