"""Curricula, courses, modules and lessons as Wagtail pages, the catalogue page, and the
catalogue's facet rows."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from rest_framework import serializers
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Page
from wagtail.search import index

from core import hooks
from core.languages import LANGUAGE_CHOICES
from pan_network.pages import ConstantCostPageMixin

from .blocks import CourseBodyBlock, LessonBodyBlock
from .forms import CoursePageForm, LessonPageForm


class Level(models.TextChoices):
    INTRODUCTORY = "introductory", _("Introductory")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")
    SPECIALIST = "specialist", _("Specialist")


class DeliveryMode(models.TextChoices):
    RESIDENTIAL = "residential", _("Residential")
    ONLINE = "online", _("Online (live)")
    BLENDED = "blended", _("Blended")
    SELF_PACED = "self_paced", _("Self-paced e-learning")


class Audience(models.TextChoices):
    POLICE = "police", _("Police officers")
    INVESTIGATORS = "investigators", _("Criminal investigators")
    BORDER_GUARDS = "border_guards", _("Border guards")
    CUSTOMS = "customs", _("Customs officers")
    PROSECUTORS = "prosecutors", _("Prosecutors")
    JUDGES = "judges", _("Judges")
    ANALYSTS = "analysts", _("Criminal intelligence analysts")
    FORENSIC = "forensic", _("Forensic specialists")
    TRAINERS = "trainers", _("Police trainers")
    MANAGERS = "managers", _("Senior police managers")
    CIVIL_SOCIETY = "civil_society", _("Civil society and victim support")


LANGUAGE_VALUES = {code for code, _label in LANGUAGE_CHOICES}


def _check_codes(value: list, allowed: set[str], field: str, errors: dict) -> None:
    if not isinstance(value, list):
        errors[field] = _("Must be a list of codes.")
        return
    unknown = [str(v) for v in value if v not in allowed]
    if unknown:
        errors[field] = _("Unknown value(s): %(values)s.") % {"values": ", ".join(unknown)}


class CatalogueIndexPage(ConstantCostPageMixin, Page):
    """The public catalogue at /courses/: search, filters with counts, pagination."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["pan_network.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from . import selectors
        from .catalogue import parse_catalogue_query

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
    parent_page_types = ["pan_network.InstitutionPage"]
    subpage_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("curriculum")
        verbose_name_plural = _("curricula")

    def get_context(self, request, *args, **kwargs):
        from . import selectors

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
            from pan_network import selectors as network_selectors

            owner = network_selectors.institution_for_descendant(page=self)
            self.institution = owner
        return super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from pan_network import permissions

        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        # What the page shows to everyone is read only when its fragments are not cached; the
        # runs (places left) and what this person may do are read fresh.
        context["detail"] = SimpleLazyObject(lambda: selectors.course_detail(course=self))
        context["runs"] = selectors.upcoming_runs(course=self)
        context["can_adapt"] = permissions.can_adapt_course(request.user, self)
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


class ModulePage(ConstantCostPageMixin, Page):
    summary = models.TextField(_("summary"), max_length=600, blank=True)
    body = StreamField(CourseBodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("module")

    def get_context(self, request, *args, **kwargs):
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.module_detail(module=self))
        return context


class LessonPage(ConstantCostPageMixin, Page):
    """E-learning: content authored in Wagtail (with quizzes), or an uploaded xAPI/cmi5
    package, or both."""

    summary = models.TextField(_("summary"), max_length=600, blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"), null=True, blank=True
    )
    body = StreamField(LessonBodyBlock(), verbose_name=_("content"), blank=True)
    package = models.ForeignKey(
        "courses.LessonPackage",
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
        from . import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.lesson_detail(lesson=self))
        # The apps above add theirs (e-learning: the lesson player).
        context.update(hooks.lesson_page_context.collect(request=request, lesson=self))
        return context


class CourseFacet(models.Model):
    """One filterable value of a live course (its country, a language, a thematic area...).

    Kept in step with the live course on publish; the catalogue counts and filters on these rows
    so that every facet costs one grouped query together, whatever their number.
    """

    class Facet(models.TextChoices):
        THEME = "theme", _("Thematic area")
        COUNTRY = "country", _("Country")
        INSTITUTION = "institution", _("Institution")
        LANGUAGE = "language", _("Language")
        MODE = "mode", _("Delivery mode")
        LEVEL = "level", _("Level")
        TOT = "tot", _("Training of trainers")
        AUDIENCE = "audience", _("Target audience")

    page = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="facets")
    facet = models.CharField(max_length=16, choices=Facet.choices)
    value = models.CharField(max_length=80)
    label = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("course facet")
        constraints = [
            models.UniqueConstraint(fields=["page", "facet", "value"], name="coursefacet_unique"),
        ]
        indexes = [models.Index(fields=["facet", "value", "page"], name="coursefacet_lookup")]

    def __str__(self) -> str:
        return f"{self.facet}={self.value}"


class FacetCount(models.Model):
    """How many live courses of a locale carry each facet value: the unfiltered catalogue's
    counts, recomputed whenever a course is published, unpublished or moved, so that the
    catalogue's landing page does not aggregate every facet row on every request."""

    locale = models.ForeignKey("wagtailcore.Locale", on_delete=models.CASCADE, related_name="+")
    facet = models.CharField(max_length=16, choices=CourseFacet.Facet.choices)
    value = models.CharField(max_length=80)
    label = models.CharField(max_length=200)
    count = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("facet count")
        constraints = [
            models.UniqueConstraint(fields=["locale", "facet", "value"], name="facetcount_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.facet}={self.value}: {self.count}"


# ---------------------------------------------------------------------------------------------
# Course runs and their sessions
# ---------------------------------------------------------------------------------------------


def _valid_time_zone(value: str) -> None:
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("“%(value)s” is not a time zone name such as Europe/Belgrade."),
            params={"value": value},
        ) from None


class CourseRun(ClusterableModel):
    """One scheduled delivery of a course: who organises it, where and when, who may enrol."""

    class Policy(models.TextChoices):
        OPEN = "open", _("Open: anyone eligible is enrolled at once")
        APPROVAL = "approval", _("Approval: requests wait for a coordinator")
        NOMINATION = "nomination", _("Nomination only: national focal points nominate")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    course = models.ForeignKey(
        CoursePage, verbose_name=_("course"), on_delete=models.PROTECT, related_name="runs"
    )
    title = models.CharField(
        _("title of this run"),
        max_length=200,
        blank=True,
        help_text=_("Optional, e.g. “Belgrade, spring 2027”. The course title is used if empty."),
    )
    organiser = models.ForeignKey(
        "pan_network.Institution",
        verbose_name=_("organiser institution"),
        on_delete=models.PROTECT,
        related_name="runs",
    )
    host_country = models.ForeignKey(
        "pan_network.Country",
        verbose_name=_("host country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_runs",
        help_text=_("Empty for runs held online."),
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    delivery_mode = models.CharField(
        _("delivery mode"), max_length=16, choices=DeliveryMode.choices
    )
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[_valid_time_zone]
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    enrolment_opens_at = models.DateTimeField(_("enrolment opens"), null=True, blank=True)
    enrolment_closes_at = models.DateTimeField(_("enrolment closes"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(1)])
    enrolment_policy = models.CharField(
        _("who may enrol"), max_length=16, choices=Policy.choices, default=Policy.APPROVAL
    )
    attendance_threshold = models.PositiveSmallIntegerField(
        _("attendance threshold (%)"),
        default=80,
        validators=[MaxValueValidator(100)],
        help_text=_("Share of sessions a participant must attend (present or late)."),
    )
    is_training_of_trainers = models.BooleanField(_("training of trainers"), default=False)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainers"),
        blank=True,
        related_name="runs_as_trainer",
    )
    offer_hours = models.PositiveSmallIntegerField(
        _("hours to accept a waitlist offer"),
        default=48,
        help_text=_("0 enrols the next person on the waitlist at once, without an offer."),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder days before the first session"), default=3
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED
    )
    cancellation_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    panels = [
        FieldPanel("course"),
        FieldPanel("title"),
        FieldRowPanel(
            [FieldPanel("organiser"), FieldPanel("delivery_mode"), FieldPanel("language")]
        ),
        FieldRowPanel([FieldPanel("host_country"), FieldPanel("venue")]),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date"), FieldPanel("time_zone")]),
        FieldRowPanel([FieldPanel("enrolment_opens_at"), FieldPanel("enrolment_closes_at")]),
        FieldRowPanel(
            [FieldPanel("capacity"), FieldPanel("enrolment_policy"), FieldPanel("offer_hours")]
        ),
        FieldRowPanel(
            [
                FieldPanel("attendance_threshold"),
                FieldPanel("is_training_of_trainers"),
                FieldPanel("reminder_days"),
            ]
        ),
        FieldPanel("trainers"),
        InlinePanel("quotas", label=_("Places per country (optional)")),
        InlinePanel("sessions", label=_("Sessions")),
        InlinePanel(
            "certificate_rules",
            label=_("Certificate rules"),
            help_text=_(
                "Who earns which certificate: attendance, lessons met, assessment score. "
                "Trainer certificates are for training-of-trainers runs."
            ),
        ),
        MultiFieldPanel(
            [FieldPanel("status"), FieldPanel("cancellation_reason")], heading=_("Status")
        ),
    ]

    class Meta:
        verbose_name = _("course run")
        verbose_name_plural = _("course runs")
        ordering = ["start_date", "pk"]
        indexes = [models.Index(fields=["course", "status", "start_date"])]
        constraints = [
            models.CheckConstraint(
                name="run_ends_after_it_starts", condition=Q(end_date__gte=F("start_date"))
            ),
            models.CheckConstraint(name="run_has_places", condition=Q(capacity__gte=1)),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or f"{self.course.title} ({self.start_date:%d.%m.%Y})"

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def tz(self):
        import zoneinfo

        return zoneinfo.ZoneInfo(self.time_zone)

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The run cannot end before it starts.")
        if (
            self.enrolment_opens_at
            and self.enrolment_closes_at
            and self.enrolment_closes_at <= self.enrolment_opens_at
        ):
            errors["enrolment_closes_at"] = _("Enrolment must close after it opens.")
        if self.status == self.Status.CANCELLED and not self.cancellation_reason:
            errors["cancellation_reason"] = _("Say why the run is cancelled; trainees are told.")
        in_person = self.delivery_mode in (DeliveryMode.RESIDENTIAL, DeliveryMode.BLENDED)
        if in_person and not self.host_country_id:
            errors["host_country"] = _("A run held in person needs a host country.")
        if errors:
            raise ValidationError(errors)


class RunQuota(models.Model):
    """At most `places` participants from one country in a run."""

    run = ParentalKey(CourseRun, on_delete=models.CASCADE, related_name="quotas")
    country = models.ForeignKey(
        "pan_network.Country", verbose_name=_("country"), on_delete=models.PROTECT
    )
    places = models.PositiveIntegerField(_("places"))

    panels = [FieldRowPanel([FieldPanel("country"), FieldPanel("places")])]

    class Meta:
        verbose_name = _("country quota")
        constraints = [
            models.UniqueConstraint(fields=["run", "country"], name="one_quota_per_country")
        ]

    def __str__(self) -> str:
        return f"{self.country}: {self.places}"


class Session(models.Model):
    """One meeting of a run, in the run's time zone; `starts_at`/`ends_at` are stored in UTC."""

    run = ParentalKey(CourseRun, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), default=90, validators=[MinValueValidator(5)]
    )
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    module = models.ForeignKey(
        ModulePage,
        verbose_name=_("module"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    meeting_url = models.URLField(_("meeting link"), blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    starts_at = models.DateTimeField(editable=False, db_index=True)
    ends_at = models.DateTimeField(editable=False)

    panels = [
        FieldRowPanel(
            [FieldPanel("date"), FieldPanel("start_time"), FieldPanel("duration_minutes")]
        ),
        FieldRowPanel([FieldPanel("topic"), FieldPanel("module")]),
        FieldRowPanel([FieldPanel("place"), FieldPanel("meeting_url")]),
        FieldPanel("cancelled"),
    ]

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.start_time:%H:%M} {self.topic}".strip()

    def save(self, *args, **kwargs):
        self.compute_times()
        return super().save(*args, **kwargs)

    def compute_times(self) -> None:
        from datetime import datetime, timedelta

        local = datetime.combine(self.date, self.start_time, tzinfo=self.run.tz)
        self.starts_at = local
        self.ends_at = local + timedelta(minutes=self.duration_minutes)

    @property
    def label(self) -> str:
        return self.topic or (self.module.title if self.module_id else "")


# ---------------------------------------------------------------------------------------------
# E-learning packages
# ---------------------------------------------------------------------------------------------


class LessonPackage(models.Model):
    """An xAPI (TinCan), cmi5 or SCORM zip, validated and extracted under `packages/<id>/`."""

    class Kind(models.TextChoices):
        TINCAN = "tincan", _("xAPI (TinCan)")
        CMI5 = "cmi5", _("cmi5")
        SCORM12 = "scorm12", _("SCORM 1.2")
        SCORM2004 = "scorm2004", _("SCORM 2004")

    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, editable=False)
    institution = models.ForeignKey(
        "pan_network.Institution",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="packages",
    )
    course_id = models.CharField(_("course IRI"), max_length=2048, editable=False)
    manifest = models.JSONField(default=dict, editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    size = models.PositiveBigIntegerField(default=0, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("e-learning package")
        verbose_name_plural = _("e-learning packages")

    def __str__(self) -> str:
        return f"{self.title} ({self.get_kind_display()})"

    @property
    def activities(self) -> list[dict]:
        return self.manifest.get("activities", [])

    def unit(self, activity_id: str = "") -> dict | None:
        """The unit with this activity id, the first unit for an empty id, None if unknown."""
        if not activity_id:
            return self.activities[0] if self.activities else None
        return next((a for a in self.activities if a["activity_id"] == activity_id), None)

    def file_path(self, name: str) -> str:
        return f"packages/{self.pk}/{name}"

    @property
    def is_scorm(self) -> bool:
        return self.kind in (self.Kind.SCORM12, self.Kind.SCORM2004)
