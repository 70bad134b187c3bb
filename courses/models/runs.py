"""Course runs, their country quotas and their sessions."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel

from core.languages import LANGUAGE_CHOICES

from .pages import CoursePage, ModulePage
from .vocabulary import DeliveryMode

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
