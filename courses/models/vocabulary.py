"""The words a course is described with: levels, delivery modes, audiences, languages."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.languages import LANGUAGE_CHOICES


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
