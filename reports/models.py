"""The network's figures: per-run tallies that dashboards and cascades add up, and the
follow-up questionnaire participants answer ninety days after a run."""

from __future__ import annotations

import secrets

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class RunTally(models.Model):
    """What one run counts for one gender and one country of its trainees: a fact row that
    reports add up instead of walking enrolments, registers and certificates. Recomputed from
    those tables (reports.services.tallies_refresh) whenever they change; never edited."""

    run = models.ForeignKey(
        "courses.CourseRun", on_delete=models.CASCADE, related_name="tallies", db_index=False
    )
    # The run's own facts, copied so that a report reads one table.
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    organiser = models.ForeignKey(
        "pan_network.Institution", on_delete=models.CASCADE, related_name="+"
    )
    host_country = models.ForeignKey(
        "pan_network.Country", null=True, on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(max_length=8, blank=True)
    start_month = models.DateField()
    end_month = models.DateField()
    is_tot = models.BooleanField(default=False)
    # Exactly one row of each run that is not cancelled has run_row set (a run with nobody
    # enrolled yet has that row alone, with zeros): counting runs is summing this column.
    run_row = models.BooleanField(default=False)
    # Who: the trainees' gender and their country when they enrolled.
    gender = models.CharField(max_length=16, blank=True)
    country = models.ForeignKey(
        "pan_network.Country", null=True, on_delete=models.CASCADE, related_name="+"
    )
    # What.
    enrolled = models.PositiveIntegerField(default=0)
    certified = models.PositiveIntegerField(default=0)  # people with a valid certificate
    participation = models.PositiveIntegerField(default=0)  # valid certificates by kind
    completion = models.PositiveIntegerField(default=0)
    trainer = models.PositiveIntegerField(default=0)
    attendance_lines = models.PositiveIntegerField(default=0)  # register lines kept
    attended = models.PositiveIntegerField(default=0)  # of which present or late
    followups_sent = models.PositiveIntegerField(default=0)
    followups_answered = models.PositiveIntegerField(default=0)
    applying = models.PositiveIntegerField(default=0)  # use what they learned, often or sometimes
    trained_others = models.PositiveIntegerField(default=0)
    people_trained = models.PositiveIntegerField(default=0)  # as the answers report it

    class Meta:
        verbose_name = _("run tally")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "gender", "country"],
                condition=models.Q(country__isnull=False),
                name="one_tally_per_run_gender_country",
            ),
            models.UniqueConstraint(
                fields=["run", "gender"],
                condition=models.Q(country__isnull=True),
                name="one_tally_per_run_gender_no_country",
            ),
        ]
        indexes = [
            # Cascades read a run's rows by run: all they need is in the index (PostgreSQL).
            models.Index(
                fields=["run"],
                include=[
                    "run_row",
                    "gender",
                    "country",
                    "host_country",
                    "language",
                    "end_month",
                    "enrolled",
                    "certified",
                    "attendance_lines",
                    "attended",
                    "followups_answered",
                    "applying",
                    "trained_others",
                    "people_trained",
                ],
                name="runtally_run_covering",
            ),  # fmt: skip
            models.Index(fields=["start_month"]),
            models.Index(fields=["organiser", "start_month"]),
            models.Index(fields=["country", "start_month"]),
        ]

    def __str__(self) -> str:
        return f"{self.run_id} · {self.gender or '-'} · {self.country_id or '-'}"


def _token() -> str:
    return secrets.token_urlsafe(24)


class FollowUp(models.Model):
    """The questionnaire a participant is sent ninety days after their run ends: do they use
    what they learned, and have they trained others? One per enrolment; answerable from the
    link in the e-mail, without signing in."""

    class Use(models.TextChoices):
        OFTEN = "often", _("Often")
        SOMETIMES = "sometimes", _("Sometimes")
        RARELY = "rarely", _("Rarely")
        NEVER = "never", _("Not at all")

    APPLYING = (Use.OFTEN, Use.SOMETIMES)

    enrolment = models.OneToOneField(
        "trainees.Enrolment", on_delete=models.CASCADE, related_name="followup"
    )
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    uses_learning = models.CharField(
        _("Do you use what you learned in your work?"),
        max_length=16,
        choices=Use.choices,
        blank=True,
    )
    trained_others = models.BooleanField(
        _("Have you trained colleagues in it since the course?"), null=True, blank=True
    )
    people_trained = models.PositiveIntegerField(
        _("About how many people?"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100_000)],
    )
    comment = models.TextField(_("Anything else you want to tell the organisers?"), blank=True)

    class Meta:
        verbose_name = _("follow-up questionnaire")
        verbose_name_plural = _("follow-up questionnaires")

    def __str__(self) -> str:
        return f"follow-up {self.enrolment_id}"
