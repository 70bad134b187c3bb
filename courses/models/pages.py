"""Curricula, courses, modules and lessons as Wagtail pages, and the catalogue page."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from rest_framework import serializers
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Page
from wagtail.search import index

from core import hooks
from core.pages import ConstantCostPageMixin

from ..admin_panels import SubmissionOutlinePanel
from ..blocks import CourseBodyBlock, LessonBodyBlock
from ..forms import CoursePageForm, LessonPageForm
from .moderation import SubmittedWithParentMixin
from .vocabulary import LANGUAGE_VALUES, Audience, DeliveryMode, Level, _check_codes


class CatalogueIndexPage(ConstantCostPageMixin, Page):
    """The public catalogue at /courses/: search, filters with counts, pagination."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["website.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from .. import selectors
        from ..catalogue import parse_catalogue_query

        context = super().get_context(request, *args, **kwargs)
        query = parse_catalogue_query(request.GET)
        context["query"] = query
        # One catalogue for every language: the default language's courses, each shown in the
        # visitor's language where an editor has translated it. Read only when the template
        # needs it: not when the results come from the fragment cache.
        context["result"] = SimpleLazyObject(
            lambda: selectors.catalogue_search(locale=Locale.get_default(), query=query)
        )
        return context


class CurriculumPage(ConstantCostPageMixin, Page):
    """A programme published by an institution, made of courses."""

    summary = models.TextField(_("summary"), max_length=600, blank=True)
    body = StreamField(CourseBodyBlock(), verbose_name=_("body"), blank=True)
    thematic_areas = ParentalManyToManyField(
        "pan_network.ThematicArea", verbose_name=_("thematic areas"), blank=True, related_name="+"
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("thematic_areas", widget=forms.CheckboxSelectMultiple),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["website.InstitutionPage"]
    subpage_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("curriculum")
        verbose_name_plural = _("curricula")

    def get_context(self, request, *args, **kwargs):
        from .. import selectors

        context = super().get_context(request, *args, **kwargs)
        context["courses"] = selectors.course_list_for_curriculum(curriculum=self)
        context["institution"] = selectors.institution_of(page=self)
        return context


class CoursePage(ConstantCostPageMixin, Page):
    """What a trainee enrols in. Its owning institution follows from where it sits in the tree."""

    summary = models.TextField(
        _("summary"), max_length=600, help_text=_("One or two sentences for the catalogue.")
    )
    body = StreamField(CourseBodyBlock(), verbose_name=_("description"), blank=True)
    institution = models.ForeignKey(
        "pan_network.Institution",
        verbose_name=_("owning institution"),
        null=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="courses",
    )
    thematic_areas = ParentalManyToManyField(
        "pan_network.ThematicArea", verbose_name=_("thematic areas"), related_name="courses"
    )
    target_audience = models.JSONField(_("target audience"), default=list, blank=True)
    level = models.CharField(
        _("level"), max_length=16, choices=Level.choices, default=Level.INTRODUCTORY
    )
    languages = models.JSONField(_("languages"), default=list)
    duration_hours = models.PositiveIntegerField(
        _("duration in hours"), help_text=_("Total learning time, including self-study.")
    )
    delivery_modes = models.JSONField(_("delivery modes"), default=list)
    is_training_of_trainers = models.BooleanField(
        _("training of trainers"),
        default=False,
        help_text=_("Successful participants become certified trainers for this course."),
    )
    prerequisites = RichTextField(
        _("prerequisites"), blank=True, features=["bold", "italic", "link", "ul"]
    )
    learning_outcomes = StreamField(
        [("outcome", blocks.CharBlock(label=_("Outcome"), max_length=300))],
        verbose_name=_("learning outcomes"),
        blank=True,
    )
    adapted_from = models.ForeignKey(
        "self",
        verbose_name=_("adapted from"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="adaptations",
    )
    adapted_from_institution = models.ForeignKey(
        "pan_network.Institution",
        verbose_name=_("adapted from institution"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Kept even if the original course is later removed."),
    )

    base_form_class = CoursePageForm
    content_panels = [
        *Page.content_panels,
        SubmissionOutlinePanel(heading=_("Goes to moderation with this course")),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("thematic_areas"),
                FieldPanel("target_audience"),
                FieldRowPanel([FieldPanel("level"), FieldPanel("duration_hours")]),
                FieldPanel("languages"),
                FieldPanel("delivery_modes"),
                FieldPanel("is_training_of_trainers"),
            ],
            heading=_("Course details"),
        ),
        FieldPanel("learning_outcomes"),
        FieldPanel("prerequisites"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("learning_outcomes"),
        index.RelatedFields("thematic_areas", [index.SearchField("name")]),
        index.RelatedFields("institution", [index.SearchField("name")]),
        index.FilterField("level"),
        index.FilterField("is_training_of_trainers"),
        index.FilterField("institution"),
    ]
    api_fields = [
        APIField("summary"),
        APIField("level"),
        APIField("languages"),
        APIField("duration_hours"),
        APIField("delivery_modes"),
        APIField("target_audience"),
        APIField("is_training_of_trainers"),
        APIField(
            "institution_name",
            serializer=serializers.CharField(source="institution.name", read_only=True),
        ),
        APIField(
            "country",
            serializer=serializers.CharField(
                source="institution.country.code", read_only=True, default=None
            ),
        ),
        APIField(
            "thematic_areas",
            serializer=serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True),
        ),
        APIField("learning_outcomes"),
        APIField("prerequisites"),
    ]
    parent_page_types = ["courses.CurriculumPage"]
    subpage_types = ["courses.ModulePage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        _check_codes(self.languages, LANGUAGE_VALUES, "languages", errors)
        _check_codes(self.delivery_modes, set(DeliveryMode.values), "delivery_modes", errors)
        _check_codes(self.target_audience, set(Audience.values), "target_audience", errors)
        if not errors.get("languages") and not self.languages:
            errors["languages"] = _("Choose at least one language.")
        if not errors.get("delivery_modes") and not self.delivery_modes:
            errors["delivery_modes"] = _("Choose at least one delivery mode.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # The owning institution is where the page sits, never a free choice.
        if self.path:
            from network import selectors as network_selectors

            owner = network_selectors.institution_for_descendant(page=self)
            self.institution = owner
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from courses import permissions as course_permissions

        from .. import selectors

        context = super().get_context(request, *args, **kwargs)
        # What the page shows to everyone is read only when its fragments are not cached; the
        # runs (places left) and what this person may do are read fresh.
        context["detail"] = SimpleLazyObject(lambda: selectors.course_detail(course=self))
        context["runs"] = selectors.upcoming_runs(course=self)
        context["can_adapt"] = course_permissions.can_adapt_course(request.user, self)
        return context

    @property
    def level_label(self) -> str:
        return Level(self.level).label if self.level in Level.values else self.level

    @property
    def language_labels(self) -> list[str]:
        from core.languages import LANGUAGE_NAMES

        return [str(LANGUAGE_NAMES.get(code, code)) for code in self.languages]

    @property
    def delivery_mode_labels(self) -> list[str]:
        labels = dict(DeliveryMode.choices)
        return [str(labels.get(code, code)) for code in self.delivery_modes]

    @property
    def audience_labels(self) -> list[str]:
        labels = dict(Audience.choices)
        return [str(labels.get(code, code)) for code in self.target_audience]


class ModulePage(SubmittedWithParentMixin, ConstantCostPageMixin, Page):
    summary = models.TextField(_("summary"), max_length=600, blank=True)
    body = StreamField(CourseBodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        SubmissionOutlinePanel(heading=_("Goes to moderation with this module")),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("module")

    def get_context(self, request, *args, **kwargs):
        from .. import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.module_detail(module=self))
        return context


class LessonPage(SubmittedWithParentMixin, ConstantCostPageMixin, Page):
    """E-learning: content authored in Wagtail (with quizzes), or an uploaded xAPI/cmi5
    package, or both."""

    summary = models.TextField(_("summary"), max_length=600, blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"), null=True, blank=True
    )
    body = StreamField(LessonBodyBlock(), verbose_name=_("content"), blank=True)
    package = models.ForeignKey(
        "elearning.LessonPackage",
        verbose_name=_("e-learning package"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="lessons",
        help_text=_("An xAPI (TinCan), cmi5 or SCORM package uploaded under E-learning packages."),
    )
    package_unit = models.CharField(
        _("unit of the package"),
        max_length=2048,
        blank=True,
        help_text=_(
            "For a package with several units (cmi5 assignable units, TinCan activities, SCORM "
            "SCOs): "
            "the one this lesson launches. Empty: the first. Make one lesson per unit to "
            "offer them all."
        ),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=80,
        validators=[MaxValueValidator(100)],
        help_text=_("Share of the lesson's quiz questions to answer correctly to pass."),
    )
    attempts_allowed = models.PositiveSmallIntegerField(
        _("quiz attempts allowed"), default=3, help_text=_("0 allows any number of attempts.")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("estimated_minutes"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("package"),
                FieldPanel("package_unit"),
                FieldPanel("pass_mark"),
                FieldPanel("attempts_allowed"),
            ],
            heading=_("E-learning"),
        ),
    ]
    base_form_class = LessonPageForm
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")

    @property
    def package_activity(self) -> dict | None:
        """The package unit this lesson launches (its chosen unit, or the package's first)."""
        if self.package is None:
            return None
        return self.package.unit(self.package_unit)

    @property
    def has_quiz(self) -> bool:
        return any(block.block_type == "quiz" for block in self.body)

    def get_context(self, request, *args, **kwargs):
        from .. import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.lesson_detail(lesson=self))
        # The apps above add theirs (e-learning: the lesson player).
        context.update(hooks.lesson_page_context.collect(request=request, lesson=self))
        return context
