"""Certificates: the definition (an institution's template, a run's rules) kept apart from the
award (an issued certificate, immutable but for its status)."""

from __future__ import annotations

import re
import string

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, PreviewableMixin

from network.storage import get_private_storage

from .blocks import LogoBlock

LANGUAGE_CHOICES = settings.LANGUAGES
PLACEHOLDERS = {
    "name": _("the holder's name"),
    "name_latin": _("the holder's name in Latin letters"),
    "name_with_latin": _(
        "the holder's name, then in brackets its Latin spelling if that is not the same"
    ),
    "course": _("the course title"),
    "run": _("the course run's title"),
    "dates": _("the run's dates"),
    "hours": _("the course's hours"),
    "institution": _("the organising institution"),
    "country": _("the host country"),
    "kind": _("the kind of certificate"),
}
colour = RegexValidator(r"^#[0-9A-Fa-f]{6}$", _("Enter a colour as #RRGGBB, e.g. #1F3A5F."))


def placeholders_in(text: str) -> list[str]:
    """The {placeholder} names used in a text ({{ and }} are literal braces)."""
    try:
        return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError as error:
        raise ValidationError(
            _("Braces must come in pairs around a placeholder name, e.g. {name}: %(error)s")
            % {"error": error}
        ) from error


class _Values(dict):
    def __missing__(self, key):  # validated templates have no unknown placeholders
        return "{" + key + "}"


def placeholder_values(values: dict) -> dict:
    """Every placeholder's value: those given (the certificate's snapshot) and those derived
    from them."""
    from .rendering import name_with_latin

    return {
        **values,
        "name_with_latin": name_with_latin(values.get("name", ""), values.get("name_latin", "")),
    }


def fill_placeholders(text: str, values: dict) -> str:
    """A certificate text with its {placeholders} replaced; an unknown one is left as it is."""
    return string.Formatter().vformat(text, (), _Values(placeholder_values(values)))


def validate_placeholders(text: str) -> None:
    unknown = [name for name in placeholders_in(text) if name not in PLACEHOLDERS]
    if unknown:
        raise ValidationError(
            _("Unknown placeholder %(unknown)s. Use only: %(known)s.")
            % {
                "unknown": ", ".join(f"{{{name}}}" for name in unknown),
                "known": ", ".join(f"{{{name}}}" for name in PLACEHOLDERS),
            },
            code="unknown_placeholder",
        )


def validate_printable(text: str) -> None:
    from .rendering import missing_characters

    missing = missing_characters(text)
    if missing:
        raise ValidationError(
            _("The certificate fonts cannot print %(chars)s.") % {"chars": " ".join(missing)},
            code="unprintable",
        )


class Kind(models.TextChoices):
    PARTICIPATION = "participation", _("Certificate of participation")
    COMPLETION = "completion", _("Certificate of completion")
    TRAINER = "trainer", _("Trainer certificate")


class CertificateTemplate(PreviewableMixin, ClusterableModel):
    """How an institution's certificates look and read, in each language it issues them in.
    A template of no institution is the network's: every institution may use it, and the
    network's organisers keep it."""

    institution = models.ForeignKey(
        "pan_network.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="certificate_templates",
        help_text=_("Empty: a network template, which every institution may use."),
    )
    name = models.CharField(_("name"), max_length=120)
    orientation = models.CharField(
        _("orientation"),
        max_length=10,
        choices=[("landscape", _("Landscape")), ("portrait", _("Portrait"))],
        default="landscape",
    )
    primary_colour = models.CharField(
        _("main colour"), max_length=7, default="#1F3A5F", validators=[colour]
    )
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default="#B08D57", validators=[colour]
    )
    background = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("background image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    logos = StreamField([("logo", LogoBlock())], blank=True, verbose_name=_("logos"))
    sample_name = models.CharField(
        _("sample name for the preview"),
        max_length=200,
        blank=True,
        validators=[validate_printable],
        help_text=_(
            "Try a holder's name in any script: the preview shows it, and a name the "
            "certificate fonts cannot print is refused here rather than found on paper."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    panels = [
        FieldRowPanel([FieldPanel("institution"), FieldPanel("name")]),
        FieldRowPanel(
            [FieldPanel("orientation"), FieldPanel("primary_colour"), FieldPanel("accent_colour")]
        ),
        FieldPanel("background"),
        FieldPanel("logos"),
        InlinePanel("texts", label=_("Texts per language"), min_num=1),
        InlinePanel("signatories", label=_("Signatories"), max_num=4),
        FieldPanel("sample_name"),
    ]

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        constraints = [
            models.UniqueConstraint(fields=["institution", "name"], name="template_name_unique"),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(institution__isnull=True),
                name="network_template_name_unique",
            ),
        ]

    def __str__(self) -> str:
        owner = self.institution if self.institution_id else _("network template")
        return f"{self.name} ({owner})"

    # Wagtail preview: a sample certificate as a PDF, in each language the template has.
    @property
    def preview_modes(self):
        return [(language, name) for language, name in LANGUAGE_CHOICES]

    @property
    def default_preview_mode(self):
        return settings.LANGUAGE_CODE

    def serve_preview(self, request, mode_name):
        from . import services

        return services.template_preview_response(template=self, language=mode_name)


class CertificateText(Orderable):
    template = ParentalKey(CertificateTemplate, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES)
    participation_title = models.CharField(
        _("title: participation"), max_length=200, default="Certificate of participation"
    )
    completion_title = models.CharField(
        _("title: completion"), max_length=200, default="Certificate of completion"
    )
    trainer_title = models.CharField(
        _("title: trainer"), max_length=200, default="Trainer certificate"
    )
    body = models.TextField(
        _("body"),
        help_text=_(
            "Placeholders: {name}, {name_latin}, {name_with_latin} (the name, then the Latin "
            "spelling in brackets if it differs), {course}, {run}, {dates}, {hours}, "
            "{institution}, {country}, {kind}. A blank line starts a new paragraph."
        ),
        validators=[validate_placeholders],
    )

    panels = [
        FieldPanel("language"),
        FieldRowPanel(
            [
                FieldPanel("participation_title"),
                FieldPanel("completion_title"),
                FieldPanel("trainer_title"),
            ]
        ),
        FieldPanel("body"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("certificate text")
        constraints = [
            models.UniqueConstraint(fields=["template", "language"], name="one_text_per_language")
        ]

    def clean(self):
        errors = {}
        for field in ("participation_title", "completion_title", "trainer_title", "body"):
            value = getattr(self, field) or ""
            if field != "body" and re.search(r"[{}]", value):
                try:
                    validate_placeholders(value)
                except ValidationError as error:
                    errors[field] = error.messages
                    continue
            try:
                validate_printable(value)
            except ValidationError as error:
                errors.setdefault(field, []).extend(error.messages)
        if errors:
            raise ValidationError(errors)

    def title_for(self, kind: str) -> str:
        return getattr(self, f"{kind}_title")


class Signatory(Orderable):
    template = ParentalKey(
        CertificateTemplate, on_delete=models.CASCADE, related_name="signatories"
    )
    name = models.CharField(_("name"), max_length=120, validators=[validate_printable])
    position = models.CharField(_("position"), max_length=160, validators=[validate_printable])
    signature = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("signature image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("position")]), FieldPanel("signature")]

    class Meta(Orderable.Meta):
        verbose_name = _("signatory")


class CertificateRule(models.Model):
    """When a run's participants earn a certificate of one kind."""

    run = ParentalKey(
        "courses.CourseRun", on_delete=models.CASCADE, related_name="certificate_rules"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    template = models.ForeignKey(
        CertificateTemplate,
        verbose_name=_("template"),
        on_delete=models.PROTECT,
        related_name="rules",
    )
    min_attendance = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"),
        default=80,
        validators=[MaxValueValidator(100)],
        help_text=_("Share of the run's sessions attended (present or late)."),
    )
    lessons_required = models.BooleanField(
        _("all lessons met"),
        default=False,
        help_text=_("Every lesson of the course completed, passed or waived."),
    )
    min_score = models.PositiveSmallIntegerField(
        _("minimum assessment score (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Best score in each of the course's scored lessons. Empty: no minimum."),
    )
    valid_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty: the certificate does not expire."),
    )
    automatic = models.BooleanField(
        _("issue automatically"),
        default=True,
        help_text=_("Issue as soon as a participant meets the rule."),
    )

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("template")]),
        FieldRowPanel(
            [FieldPanel("min_attendance"), FieldPanel("lessons_required"), FieldPanel("min_score")]
        ),
        FieldRowPanel([FieldPanel("valid_months"), FieldPanel("automatic")]),
    ]

    class Meta:
        verbose_name = _("certificate rule")
        constraints = [
            models.UniqueConstraint(fields=["run", "kind"], name="one_rule_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.run_id}"

    def clean(self):
        run = getattr(self, "run", None)
        if run is not None:
            errors = rule_errors(
                kind=self.kind,
                template=self.template if self.template_id else None,
                organiser_id=run.organiser_id,
                is_training_of_trainers=run.is_training_of_trainers,
            )
            if errors:
                raise ValidationError(errors)


def rule_errors(*, kind, template, organiser_id, is_training_of_trainers) -> dict:
    """What is wrong with a rule on a run, by field (also used by the run's admin form, where
    the rules are checked before the run is saved)."""
    errors = {}
    if kind == Kind.TRAINER and not is_training_of_trainers:
        errors["kind"] = _("Trainer certificates are issued by training-of-trainers runs.")
    if (
        template is not None
        and organiser_id is not None
        and template.institution_id is not None
        and template.institution_id != organiser_id
    ):
        errors["template"] = _(
            "Choose a template of the organising institution or a network template."
        )
    return errors


class Certificate(models.Model):
    """One award to one person for one run. Immutable but for its status: a name correction
    supersedes it with a new version; a revocation records who, when and why."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        SUPERSEDED = "superseded", _("Superseded")
        REVOKED = "revoked", _("Revoked")

    code = models.CharField(_("verification code"), max_length=13, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    run = models.ForeignKey(
        "courses.CourseRun", on_delete=models.PROTECT, related_name="certificates"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.VALID
    )
    # What it certifies, as it was when issued: names, course, dates, hours, institution.
    snapshot = models.JSONField(_("snapshot"), default=dict)
    language = models.CharField(_("language"), max_length=8)
    # In the private storage: served only to the holder and the staff who manage it.
    pdf = models.FileField(
        _("PDF"), upload_to="certificates/", blank=True, storage=get_private_storage
    )
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, db_index=True)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when issued automatically."),
    )
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revocation_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            # A task delivered twice, or two racing workers, insert the same first version:
            # the second insert fails here instead of making a second certificate.
            models.UniqueConstraint(
                fields=["user", "run", "kind", "version"], name="one_certificate_version"
            ),
            models.UniqueConstraint(
                fields=["user", "run", "kind"],
                condition=models.Q(status="valid"),
                name="one_valid_certificate",
            ),
            models.CheckConstraint(
                name="revocation_has_reason",
                condition=~models.Q(status="revoked") | ~models.Q(revocation_reason=""),
            ),
        ]
        indexes = [models.Index(fields=["run", "kind", "status"])]

    def __str__(self) -> str:
        return f"{self.code} ({self.get_kind_display()}, v{self.version})"

    @property
    def holder_name(self) -> str:
        return self.snapshot.get("name", "")

    @property
    def holder_name_latin(self) -> str:
        return self.snapshot.get("name_latin", "")

    @property
    def holder_latin_shown(self) -> str:
        """The Latin spelling when it differs from the name ("Nino Beridze"), else empty."""
        from .rendering import same_name

        latin = self.holder_name_latin
        return "" if not latin or same_name(self.holder_name, latin) else latin

    @property
    def holder_name_with_latin(self) -> str:
        """ "ნინო ბერიძე (Nino Beridze)"; a name whose Latin spelling is the same, once."""
        from .rendering import name_with_latin

        return name_with_latin(self.holder_name, self.holder_name_latin)


class ExpiryReminder(models.Model):
    """A reminder owed before a certificate expires, one per certificate and lead time (the
    settings' PAN_CERTIFICATE_EXPIRY_REMINDER_DAYS): the holder's e-mail goes out once, and the
    issuing institution's coordinators hear of it in one digest."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="expiry_reminders"
    )
    days_before = models.PositiveSmallIntegerField(_("days before expiry"))
    created_at = models.DateTimeField(auto_now_add=True)
    coordinators_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("expiry reminder")
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "days_before"], name="one_expiry_reminder"
            )
        ]
        indexes = [models.Index(fields=["coordinators_notified_at"])]

    def __str__(self) -> str:
        return f"{self.certificate_id}: {self.days_before} days"
