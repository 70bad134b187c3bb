"""E-learning's records: the packages lessons play (xAPI, cmi5, SCORM zips), where each person
stands in each lesson, and SCORM attempts (what a SCO has told the platform, per trainee,
lesson and attempt)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
        # Made by the courses app before e-learning had an app of its own; the table kept its
        # name when the model moved, so no data moved.
        db_table = "courses_lessonpackage"
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


class LessonProgress(models.Model):
    """Where a person stands in a lesson, derived from the statements their launches send
    (packages and authored lessons alike)."""

    class Status(models.TextChoices):
        VIEWED = "viewed", _("Started")
        COMPLETED = "completed", _("Completed")
        FAILED = "failed", _("Failed")
        PASSED = "passed", _("Passed")
        WAIVED = "waived", _("Waived")

    # Later statuses never give way to earlier ones (a failed attempt after a pass stays passed;
    # a waiver, granted by the academy, is final).
    RANK = {
        Status.VIEWED: 0,
        Status.COMPLETED: 1,
        Status.FAILED: 1,
        Status.PASSED: 2,
        Status.WAIVED: 3,
    }

    class WaiverReason(models.TextChoices):
        # The four reasons cmi5 defines for its "waived" verb (section 9.6.3.2).
        TESTED_OUT = "Tested Out", _("Tested out")
        EQUIVALENT_AU = "Equivalent AU", _("Completed an equivalent lesson")
        EQUIVALENT_OUTSIDE = "Equivalent Outside Activity", _("Equivalent training elsewhere")
        ADMINISTRATIVE = "Administrative", _("Administrative decision")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="progress"
    )
    registration = models.UUIDField()
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    completed = models.BooleanField(_("completed"), default=False)
    satisfied = models.BooleanField(_("satisfied (cmi5 move on)"), default=False)
    score = models.FloatField(_("best score (scaled)"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("quiz attempts"), default=0)
    waiver_reason = models.CharField(
        _("waiver reason"), max_length=32, blank=True, choices=WaiverReason.choices
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        # Made by the trainees app; the table kept its name when the model moved here.
        db_table = "trainees_lessonprogress"
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="one_progress_per_lesson")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.lesson_id}: {self.status}"


class ScormAttempt(models.Model):
    """One trainee's attempt at a lesson's SCO. ``cmi`` is the run-time data model as the SCO
    last committed it (suspend data and location included), restored at the next launch so the
    trainee resumes where they stopped, on any device. The token names the attempt in the
    package origin's addresses (that origin has no session of the platform's)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scorm_attempts"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="scorm_attempts"
    )
    package = models.ForeignKey(
        "elearning.LessonPackage", on_delete=models.CASCADE, related_name="scorm_attempts"
    )
    activity_id = models.CharField(_("activity IRI"), max_length=2048)
    registration = models.UUIDField(_("registration"))
    number = models.PositiveSmallIntegerField(_("attempt"), default=1)
    token = models.CharField(max_length=43, unique=True)
    cmi = models.JSONField(default=dict, blank=True)
    # The highest commit sequence landed per player window ([["k3J…", 17], …], the latest
    # last): a commit sent again (a retry, or one replayed from the browser's queue after the
    # connection came back) is known and changes nothing.
    sequences = models.JSONField(default=list, blank=True)
    commits = models.PositiveIntegerField(default=0)
    completion_status = models.CharField(max_length=16, blank=True)
    success_status = models.CharField(max_length=16, blank=True)
    score_scaled = models.FloatField(null=True, blank=True)
    total_seconds = models.FloatField(default=0)
    launches = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    terminated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("SCORM attempt")
        verbose_name_plural = _("SCORM attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson", "number"], name="one_scorm_attempt_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.lesson_id} · {self.number}"
