"""The catalogue's facet rows: a live course's filterable values, and their counts."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .pages import CoursePage


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
