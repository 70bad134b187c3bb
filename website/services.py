"""Writes to the site's skeleton: the home page and the pages just below it in every content
language, the moderation workflow, and each institution's page. Keyword-only and atomic."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from core import events
from network import services as network_services
from network.models import Institution

from .models import HomePage, InstitutionIndexPage, InstitutionPage

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
    network_services.role_groups_ensure()
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


def _moderation_ensure(*, home: HomePage) -> None:
    group, _created = Group.objects.get_or_create(name=network_services.MODERATORS_GROUP)
    group.permissions.add(network_services.permission("wagtailadmin", "access_admin"))
    network_services.page_permissions_grant(
        group, home, network_services.MODERATOR_PAGE_PERMISSIONS
    )
    network_services.collection_permissions_grant(group, Collection.get_first_root_node())

    workflow, _created = Workflow.objects.get_or_create(name=network_services.WORKFLOW_NAME)
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


@transaction.atomic
def institution_page_ensure(*, institution: Institution) -> Institution:
    """An institution's page below the institution index, published, with its editors'
    page permissions on it (the root of their space). Idempotent."""
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
        page.save_revision().publish()
        institution.page = page
        institution.save(update_fields=["page"])
    if institution.editors_group_id is not None:
        network_services.page_permissions_grant(
            institution.editors_group, institution.page, network_services.EDITOR_PAGE_PERMISSIONS
        )
    return institution
