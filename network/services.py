"""Writes to the network directory. Every function is keyword-only and atomic."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from core import events

from .models import (
    Country,
    HomePage,
    Institution,
    InstitutionIndexPage,
    InstitutionPage,
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


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _grant_page_permissions(group: Group, page: Page, types: Iterable[str]) -> None:
    for permission_type in types:
        permission = _permission("wagtailcore", f"{permission_type}_page")
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def _grant_collection_permissions(group: Group, collection: Collection) -> None:
    for app_label, codename in MEDIA_PERMISSIONS:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=_permission(app_label, codename)
        )


# ---------------------------------------------------------------------------------------------
# The site's skeleton
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def site_ensure() -> HomePage:
    """Create whatever is missing of the site's skeleton: home page, institution index, the
    pages the apps above add below the home page (the catalogue: core.events.site_ensured),
    the network moderators group and the moderation workflow. Safe to run again."""
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
    default_locale = Locale.get_default()

    home = HomePage.objects.filter(depth=2, locale=default_locale).first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's own migrations leave a placeholder welcome page at the site root.
        placeholder = Page.objects.filter(depth=2, slug="home", content_type__model="page").first()
        if placeholder is not None:
            placeholder.slug = "welcome-placeholder"
            placeholder.save()
        home = root.add_child(
            instance=HomePage(
                title=_("PAN Training Platform"),
                slug="home",
                locale=default_locale,
                intro=_(
                    "<p>Courses, e-learning and certificates of the police academies and "
                    "training institutions of the OSCE Police Academies Network.</p>"
                ),
            )
        )
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
        else:
            site.root_page = home
            site.site_name = settings.WAGTAIL_SITE_NAME
            site.save()
        if placeholder is not None:
            placeholder.delete()

    if not InstitutionIndexPage.objects.child_of(home).exists():
        home.add_child(
            instance=InstitutionIndexPage(
                title=_("Institutions"), slug="institutions", locale=home.locale
            )
        )
    events.site_ensured.send(home=home)
    _moderation_ensure(home=home)
    _role_groups_ensure()
    _skeleton_translations_ensure(home=home)
    return home


def _skeleton_translations_ensure(*, home: HomePage) -> None:
    """The home page and the pages just below it (the institution index, the catalogue) in
    every other content language, with their titles and introductions in that language (the
    gettext catalogue's), published. Everything further down is translated by editors, or
    served from the default language."""
    pages = [home, *(page.specific for page in home.get_children().filter(locale=home.locale))]
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        locale = Locale.objects.get(language_code=code)
        if locale.pk == home.locale_id:
            continue
        for page in pages:
            if page is None or page.get_translations().filter(locale=locale).exists():
                continue
            copy = page.copy_for_translation(locale)
            with translation.override(code):
                # The default language's texts are the catalogue's message ids.
                copy.title = _(page.title)
                if getattr(page, "intro", ""):
                    copy.intro = _(page.intro)
            copy.save_revision().publish()


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


def _role_groups_ensure() -> None:
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    # On a fresh database this runs before Django has made this app's permissions.
    create_permissions(apps.get_app_config("pan_network"), verbosity=0)
    for name, codenames in ROLE_GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(_permission("wagtailadmin", "access_admin"))
        group.permissions.add(
            *[
                _permission(app_label, codename)
                for app_label, codename in codenames
                if Permission.objects.filter(
                    content_type__app_label=app_label, codename=codename
                ).exists()
            ]
        )


def _moderation_ensure(*, home: HomePage) -> None:
    group, _created = Group.objects.get_or_create(name=MODERATORS_GROUP)
    group.permissions.add(_permission("wagtailadmin", "access_admin"))
    _grant_page_permissions(group, home, MODERATOR_PAGE_PERMISSIONS)
    _grant_collection_permissions(group, Collection.get_first_root_node())

    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    task = GroupApprovalTask.objects.filter(name=_("Network moderator approval")).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=_("Network moderator approval"))
    task.groups.add(group)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})


def institution_index_page() -> InstitutionIndexPage:
    index = InstitutionIndexPage.objects.filter(locale=Locale.get_default()).first()
    if index is None:
        site_ensure()
        index = InstitutionIndexPage.objects.get(locale=Locale.get_default())
    return index


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
    """Give an institution its page, media collection and editors group, with the editors'
    permissions limited to the institution's own subtree. Idempotent."""
    changed = []
    if institution.page_id is None:
        index = institution_index_page()
        page = index.add_child(
            instance=InstitutionPage(
                title=institution.name,
                slug=institution.slug,
                locale=index.locale,
                intro=f"<p>{institution.description}</p>" if institution.description else "",
            )
        )
        revision = page.save_revision()
        revision.publish()
        institution.page = page
        changed.append("page")
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
    group.permissions.add(_permission("wagtailadmin", "access_admin"))
    # "Translate" in the page menu: a copy in another language, in the same academy's space.
    group.permissions.add(_permission("simple_translation", "submit_translation"))
    _grant_page_permissions(group, institution.page, EDITOR_PAGE_PERMISSIONS)
    _grant_collection_permissions(group, institution.collection)
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
