"""Writes to the network directory. Every function is keyword-only and atomic."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    WorkflowPage,
)

from core import events

from .models import (
    Country,
    Institution,
    Membership,
)

MODERATORS_GROUP = "Network moderators"
COORDINATORS_GROUP = "Academy coordinators"
ORGANISERS_GROUP = "Network organisers"
FOCAL_POINTS_GROUP = "National focal points"
# Django permissions each role group carries, besides access to the Wagtail admin. Which
# institutions, countries and people a holder may act on is decided by network.permissions.
ROLE_GROUP_PERMISSIONS = {
    COORDINATORS_GROUP: [("pan_network", "view_membership")],
    ORGANISERS_GROUP: [
        ("pan_network", "add_institution"),
        ("pan_network", "change_institution"),
        ("pan_network", "view_institution"),
        ("pan_network", "view_country"),
        ("pan_network", "add_thematicarea"),
        ("pan_network", "change_thematicarea"),
        ("pan_network", "view_thematicarea"),
        ("pan_network", "view_membership"),
    ],
    FOCAL_POINTS_GROUP: [("pan_network", "view_institution")],
}
ROLE_GROUPS = {
    Membership.Role.COORDINATOR: COORDINATORS_GROUP,
    Membership.Role.ORGANISER: ORGANISERS_GROUP,
    Membership.Role.FOCAL_POINT: FOCAL_POINTS_GROUP,
    Membership.Role.MODERATOR: MODERATORS_GROUP,
}
WORKFLOW_NAME = "Network moderation"
EDITOR_PAGE_PERMISSIONS = ("add", "change", "lock", "unlock")
MODERATOR_PAGE_PERMISSIONS = ("add", "change", "publish", "lock", "unlock", "bulk_delete")
MEDIA_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
)


def permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def page_permissions_grant(group: Group, page: Page, types: Iterable[str]) -> None:
    for permission_type in types:
        grant = permission("wagtailcore", f"{permission_type}_page")
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=grant)


def collection_permissions_grant(group: Group, collection: Collection) -> None:
    for app_label, codename in MEDIA_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=permission(app_label, codename)
        )


# ---------------------------------------------------------------------------------------------
# Page access and role groups
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def translation_access_copy(*, source: Page, target: Page) -> None:
    """A page has been copied into another language (a translation, or an alias of a parent
    made on the way): the groups that may edit or moderate the source may do the same to the
    copy and what will be put below it, and the source's moderation workflow applies."""
    for grant in GroupPagePermission.objects.filter(page=source):
        GroupPagePermission.objects.get_or_create(
            group_id=grant.group_id, page=target, permission_id=grant.permission_id
        )
    workflow = WorkflowPage.objects.filter(page=source).first()
    if workflow is not None:
        WorkflowPage.objects.update_or_create(
            page=target, defaults={"workflow_id": workflow.workflow_id}
        )


def role_groups_ensure() -> None:
    """The role groups with the Django permissions each carries (safe to run again)."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    # On a fresh database this runs before Django has made this app's permissions.
    create_permissions(apps.get_app_config("pan_network"), verbosity=0)
    for name, codenames in ROLE_GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(permission("wagtailadmin", "access_admin"))
        group.permissions.add(
            *[
                permission(app_label, codename)
                for app_label, codename in codenames
                if Permission.objects.filter(
                    content_type__app_label=app_label, codename=codename
                ).exists()
            ]
        )


# ---------------------------------------------------------------------------------------------
# Institutions
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def institution_create(
    *,
    name: str,
    kind: str,
    country: Country | None = None,
    slug: str = "",
    short_name: str = "",
    city: str = "",
    website: str = "",
    working_languages: Iterable[str] = (),
    description: str = "",
    actor=None,
) -> Institution:
    institution = Institution(
        name=name,
        slug=slug or slugify(short_name or name)[:80],
        kind=kind,
        country=country,
        short_name=short_name,
        city=city,
        website=website,
        working_languages=list(working_languages),
        description=description,
    )
    institution.full_clean()
    institution.save()
    log(instance=institution, action="wagtail.create", user=actor)
    return institution_provision(institution=institution)


@transaction.atomic
def institution_provision(*, institution: Institution) -> Institution:
    """Give an institution its media collection and editors group, and (through the site, on
    core.events.institution_provisioned) its page, with the editors' permissions limited to
    the institution's own subtree. Idempotent."""
    changed = []
    if institution.collection_id is None:
        institution.collection = Collection.get_first_root_node().add_child(
            name=institution.name[:255]
        )
        changed.append("collection")
    if institution.editors_group_id is None:
        group_name = _("%(institution)s editors") % {"institution": institution.name}
        institution.editors_group, _created = Group.objects.get_or_create(name=group_name[:150])
        changed.append("editors_group")
    if changed:
        institution.save(update_fields=changed)

    group = institution.editors_group
    group.permissions.add(permission("wagtailadmin", "access_admin"))
    # "Translate" in the page menu: a copy in another language, in the same academy's space.
    group.permissions.add(permission("simple_translation", "submit_translation"))
    collection_permissions_grant(group, institution.collection)
    # The site gives it its page, where its editors may work (website.receivers).
    events.institution_provisioned.send(institution=institution)
    return institution


# ---------------------------------------------------------------------------------------------
# Roles
# ---------------------------------------------------------------------------------------------


def _groups_for(membership: Membership) -> list[Group]:
    if membership.role == Membership.Role.EDITOR and membership.institution.editors_group_id:
        return [membership.institution.editors_group]
    if membership.role in ROLE_GROUPS:
        group, _created = Group.objects.get_or_create(name=ROLE_GROUPS[membership.role])
        return [group]
    return []


def _audit(membership: Membership, action: str, actor) -> None:
    """Every role change goes to the audit log (Wagtail's log entries), with its scope."""
    log(
        instance=membership,
        action=action,
        user=actor,
        data={
            "user_id": membership.user_id,
            "user": str(membership.user),
            "role": membership.role,
            "institution_id": membership.institution_id,
            "country_id": membership.country_id,
        },
    )


def membership_scope_validate(*, role: str, institution=None, country=None) -> None:
    """Raise a ValidationError naming the field if the role does not fit its scope."""
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Unknown role “%(role)s”.") % {"role": role}})
    if role in Membership.INSTITUTION_ROLES and institution is None:
        raise ValidationError({"institution": _("This role is held in an institution.")})
    if role in Membership.COUNTRY_ROLES and country is None:
        raise ValidationError({"country": _("A national focal point is named for a country.")})
    if role not in Membership.INSTITUTION_ROLES and institution is not None:
        raise ValidationError({"institution": _("This role is not held in an institution.")})
    if role not in Membership.COUNTRY_ROLES and country is not None:
        raise ValidationError({"country": _("Only national focal points are named for a country.")})


@transaction.atomic
def membership_grant(
    *,
    user,
    role: str,
    institution: Institution | None = None,
    country: Country | None = None,
    actor=None,
) -> Membership:
    membership_scope_validate(role=role, institution=institution, country=country)
    membership, created = Membership.objects.get_or_create(
        user=user, role=role, institution=institution, country=country
    )
    for group in _groups_for(membership):
        user.groups.add(group)
    if created:
        _audit(membership, "pan.role_grant", actor)
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership, actor=None) -> None:
    others = Membership.objects.filter(user=membership.user).exclude(pk=membership.pk)
    still_needed = {group.pk for other in others for group in _groups_for(other)}
    for group in _groups_for(membership):
        if group.pk not in still_needed:
            membership.user.groups.remove(group)
    _audit(membership, "pan.role_revoke", actor)
    membership.delete()


@transaction.atomic
def personal_data_erase(*, user) -> None:
    """Anonymise an account: no name, no address, no way to sign in, no roles, no sessions.
    The row stays so that what it is linked to (enrolments, counts) keeps adding up."""
    from allauth.account.models import EmailAddress
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.models import Session

    session_keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=session_keys).delete()
    UserSession.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    for membership in Membership.objects.filter(user=user):
        membership_revoke(membership=membership)
    user.groups.clear()
    user.email = f"erased-{user.pk}@erased.invalid"
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    log(instance=user, action="pan.personal_data_erase", user=None)
