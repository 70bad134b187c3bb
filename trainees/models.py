"""Trainee profiles: how a person's name must appear on certificates, and the facts the
network's figures are disaggregated by."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TraineeProfile(models.Model):
    class Gender(models.TextChoices):
        WOMAN = "woman", _("Woman")
        MAN = "man", _("Man")
        ANOTHER = "another", _("Another gender")
        UNDISCLOSED = "undisclosed", _("Prefer not to say")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="trainee_profile",
    )
    given_name = models.CharField(
        _("given name"),
        max_length=150,
        help_text=_("As it must appear on certificates, in your own script."),
    )
    family_name = models.CharField(_("family name"), max_length=150)
    given_name_latin = models.CharField(
        _("given name in Latin letters"),
        max_length=150,
        help_text=_("The transliteration used in your passport, e.g. Aleksandr."),
    )
    family_name_latin = models.CharField(_("family name in Latin letters"), max_length=150)
    gender = models.CharField(
        _("gender"),
        max_length=16,
        choices=Gender.choices,
        help_text=_("Used only for gender-disaggregated statistics."),
    )
    country = models.ForeignKey(
        "pan_network.Country",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="trainees",
    )
    institution = models.ForeignKey(
        "pan_network.Institution",
        verbose_name=_("institution or agency"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainees",
    )
    institution_other = models.CharField(
        _("institution or agency (not listed)"), max_length=200, blank=True
    )
    rank_or_position = models.CharField(_("rank or position"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("trainee profile")
        verbose_name_plural = _("trainee profiles")
        constraints = [
            models.CheckConstraint(
                name="profile_names_not_empty",
                condition=~models.Q(given_name="")
                & ~models.Q(family_name="")
                & ~models.Q(given_name_latin="")
                & ~models.Q(family_name_latin=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def latin_name(self) -> str:
        return f"{self.given_name_latin} {self.family_name_latin}"


class NameChange(models.Model):
    """A change to a name as it appears on certificates: who changed it, when, from what."""

    profile = models.ForeignKey(
        TraineeProfile, on_delete=models.CASCADE, related_name="name_changes"
    )
    field = models.CharField(_("field"), max_length=32)
    old_value = models.CharField(_("old value"), max_length=150)
    new_value = models.CharField(_("new value"), max_length=150)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("name change")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.field}: {self.old_value} → {self.new_value}"
