"""SCORM attempts: what a SCO has told the platform, per trainee, lesson and attempt."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
        "courses.LessonPackage", on_delete=models.CASCADE, related_name="scorm_attempts"
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
