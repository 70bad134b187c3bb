"""E-learning packages (xAPI, cmi5, SCORM zips) stored for lessons to play."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

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
