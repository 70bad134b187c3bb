"""The site's shared pages: the home page, the institution index and each institution's page
(the root of the pages its editors manage). Made by the network app before the site had an
app of its own; the tables kept their names when the models moved, so no data moved."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core import hooks
from core.blocks import BodyBlock
from core.pages import ConstantCostPageMixin

# ---------------------------------------------------------------------------------------------
# The site's shared pages
# ---------------------------------------------------------------------------------------------


class HomePage(ConstantCostPageMixin, Page):
    template = "website/home_page.html"
    intro = RichTextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    subpage_types = ["website.InstitutionIndexPage", "courses.CatalogueIndexPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        db_table = "pan_network_homepage"
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from network import selectors

        context = super().get_context(request, *args, **kwargs)
        extra = hooks.home_page_context.collect(request=request, page=self)
        context["network_figures"] = {
            **selectors.network_figures(),
            **extra.pop("network_counts", {}),
        }
        context.update(extra)
        return context


class InstitutionIndexPage(ConstantCostPageMixin, Page):
    template = "website/institution_index_page.html"
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["website.HomePage"]
    subpage_types = ["website.InstitutionPage"]
    max_count_per_parent = 1

    class Meta:
        db_table = "pan_network_institutionindexpage"
        verbose_name = _("institution index page")

    def get_context(self, request, *args, **kwargs):
        from network import selectors

        context = super().get_context(request, *args, **kwargs)
        context["institutions"] = selectors.institution_list_for_directory()
        return context


class InstitutionPage(ConstantCostPageMixin, Page):
    """An institution's space: its public page and the root of the pages its editors manage."""

    template = "website/institution_page.html"

    intro = RichTextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["website.InstitutionIndexPage"]
    subpage_types = ["courses.CurriculumPage"]

    search_fields = [*Page.search_fields, index.SearchField("intro")]

    class Meta:
        db_table = "pan_network_institutionpage"
        verbose_name = _("institution page")

    def get_context(self, request, *args, **kwargs):
        from network import selectors

        context = super().get_context(request, *args, **kwargs)
        context["institution"] = selectors.institution_for_page(page=self)
        context.update(hooks.institution_page_context.collect(request=request, page=self))
        return context
