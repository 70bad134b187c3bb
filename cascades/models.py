"""Training-of-trainers cascades: which runs grew from which ToT run, through which trainer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExternalTraining(models.Model):
    """A training of trainers held before the platform, to which later runs can be attached."""

    title = models.CharField(_("title"), max_length=200)
    organiser = models.CharField(_("organiser"), max_length=200)
    country = models.ForeignKey(
        "pan_network.Country", verbose_name=_("country"), on_delete=models.PROTECT
    )
    year = models.PositiveSmallIntegerField(_("year"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("external training of trainers")
        verbose_name_plural = _("external trainings of trainers")

    def __str__(self) -> str:
        return f"{self.title} ({self.organiser}, {self.year})"


class CascadeLink(models.Model):
    """`run` was delivered by a trainer certified by `parent_run` (or attached by an organiser
    to a parent run or an external ToT). A run with several trainers may have several parents."""

    class Source(models.TextChoices):
        CERTIFICATE = "certificate", _("Trainer certificate")
        MANUAL = "manual", _("Attached by an organiser")

    run = models.ForeignKey(
        "courses.CourseRun", on_delete=models.CASCADE, related_name="cascade_parents"
    )
    parent_run = models.ForeignKey(
        "courses.CourseRun",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="cascade_children",
    )
    external = models.ForeignKey(
        ExternalTraining, null=True, blank=True, on_delete=models.CASCADE, related_name="links"
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=16, choices=Source.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cascade link")
        constraints = [
            models.CheckConstraint(
                name="cascade_link_one_parent",
                condition=(
                    models.Q(parent_run__isnull=False, external__isnull=True)
                    | models.Q(parent_run__isnull=True, external__isnull=False)
                ),
            ),
            models.CheckConstraint(
                name="cascade_link_not_to_itself", condition=~models.Q(run=models.F("parent_run"))
            ),
            models.UniqueConstraint(
                fields=["run", "parent_run", "trainer"],
                condition=models.Q(source="certificate"),
                name="cascade_link_unique_trainer_parent",
            ),
            models.UniqueConstraint(
                fields=["run", "parent_run"],
                condition=models.Q(source="manual", parent_run__isnull=False),
                name="cascade_link_unique_manual_parent",
            ),
            models.UniqueConstraint(
                fields=["run", "external"],
                condition=models.Q(external__isnull=False),
                name="cascade_link_unique_external",
            ),
        ]
        # The tree is walked from parents to children, reading each link's trainer: the index
        # alone answers that step.
        indexes = [models.Index(fields=["parent_run", "run", "trainer"], name="cascade_link_walk")]

    def __str__(self) -> str:
        return f"{self.parent_run_id or self.external_id} → {self.run_id}"


class TrainerListing(models.Model):
    """A certified trainer's entry in the trainer registry: whether institutions other than
    their own may find them, and the languages they train in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trainer_listing"
    )
    listed = models.BooleanField(
        _("other institutions may see me in the trainer registry"),
        default=False,
        help_text=_(
            "Your own institution, the network's organisers and your country's focal point "
            "always see you; with this, coordinators elsewhere can find you too."
        ),
    )
    languages = models.JSONField(_("languages I train in"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("trainer registry entry")
        verbose_name_plural = _("trainer registry entries")

    def __str__(self) -> str:
        return f"{self.user} ({'listed' if self.listed else 'not listed'})"
