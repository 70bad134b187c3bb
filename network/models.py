"""The network directory: people, countries, institutions, thematic areas and roles. (The site's
shared pages, the home page and each institution's page, are the website app's.)"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, BaseUserManager, Group
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Collection, TranslatableMixin
from wagtail.search import index

from core.languages import LANGUAGE_NAMES

from .forms import InstitutionForm

# ---------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """An account. The e-mail address is the login; there is no username."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email


# ---------------------------------------------------------------------------------------------
# Countries and thematic areas
# ---------------------------------------------------------------------------------------------


class Country(models.Model):
    class Status(models.TextChoices):
        PARTICIPATING = "participating", _("OSCE participating State")
        MEDITERRANEAN_PARTNER = "mediterranean_partner", _("Mediterranean Partner for Co-operation")
        ASIAN_PARTNER = "asian_partner", _("Asian Partner for Co-operation")

    class Region(models.TextChoices):
        NORTH_AMERICA = "north_america", _("North America")
        WESTERN_EUROPE = "western_europe", _("Western Europe")
        NORTHERN_EUROPE = "northern_europe", _("Northern Europe")
        CENTRAL_EUROPE = "central_europe", _("Central Europe")
        SOUTHERN_EUROPE = "southern_europe", _("Southern Europe")
        SOUTH_EASTERN_EUROPE = "south_eastern_europe", _("South-Eastern Europe")
        EASTERN_EUROPE = "eastern_europe", _("Eastern Europe")
        SOUTH_CAUCASUS = "south_caucasus", _("South Caucasus")
        CENTRAL_ASIA = "central_asia", _("Central Asia")
        MEDITERRANEAN = "mediterranean", _("Mediterranean")
        ASIA_PACIFIC = "asia_pacific", _("Asia and the Pacific")

    code = models.CharField(
        _("ISO 3166-1 alpha-2 code"),
        max_length=2,
        unique=True,
        help_text=_("Two capital letters, e.g. RS for Serbia."),
    )
    iso3 = models.CharField(_("ISO 3166-1 alpha-3 code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    status = models.CharField(_("status"), max_length=32, choices=Status.choices)
    region = models.CharField(_("region"), max_length=32, choices=Region.choices)

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]{2}$"), name="country_code_two_capitals"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The country's name in the visitor's language."""
        from .names import translated

        return translated(self.name)


class ThematicArea(TranslatableMixin, models.Model):
    """A Strategic Framework priority (PC.DEC/1049, section V(c)) or a cross-cutting area."""

    class Kind(models.TextChoices):
        PRIORITY = "priority", _("Strategic Framework priority")
        CROSS_CUTTING = "cross_cutting", _("Cross-cutting area")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        help_text=_("Used in catalogue filters; the same in every language."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("parent"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("thematic area")
        verbose_name_plural = _("thematic areas")
        ordering = ["sort_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "locale"], name="thematicarea_slug_per_locale"),
        ]

    def __str__(self) -> str:
        from .names import translated

        return translated(self.name)


# ---------------------------------------------------------------------------------------------
# Institutions and roles
# ---------------------------------------------------------------------------------------------


class Institution(index.Indexed, models.Model):
    """An academy or training centre, an OSCE executive structure or a partner organisation."""

    class Kind(models.TextChoices):
        ACADEMY = "academy", _("Police academy or training centre")
        OSCE = "osce", _("OSCE executive structure or field operation")
        PARTNER = "partner", _("Partner organisation")

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="institutions",
        help_text=_("Leave empty for international organisations."),
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    working_languages = models.JSONField(
        _("working languages"), default=list, blank=True, help_text=_("ISO 639-1 codes.")
    )
    description = models.TextField(_("description"), blank=True)
    collection = models.OneToOneField(
        Collection,
        verbose_name=_("media collection"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="institution",
    )
    editors_group = models.OneToOneField(
        Group,
        verbose_name=_("editors group"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="edited_institution",
    )
    # The institution's space in the page tree (the website app's institution page).
    page = models.OneToOneField(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="space_of",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    search_fields = [
        index.SearchField("name"),
        index.SearchField("short_name"),
        index.SearchField("city"),
        index.AutocompleteField("name"),
        index.FilterField("kind"),
    ]

    base_form_class = InstitutionForm
    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        MultiFieldPanel(
            [FieldPanel("country"), FieldPanel("city"), FieldPanel("website")],
            heading=_("Location"),
        ),
        FieldPanel("logo"),
        FieldPanel("working_languages"),
        FieldPanel("description"),
    ]

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        unknown = [code for code in self.working_languages or [] if code not in LANGUAGE_NAMES]
        if unknown:
            raise ValidationError(
                {
                    "working_languages": _("Unknown language code(s): %(codes)s.")
                    % {"codes": ", ".join(map(str, unknown))}
                }
            )

    @property
    def working_language_names(self) -> list[str]:
        return [str(LANGUAGE_NAMES.get(code, code)) for code in self.working_languages]


class Membership(models.Model):
    """A role a person holds: in an institution, for a country, or across the network."""

    class Role(models.TextChoices):
        EDITOR = "editor", _("Academy editor")
        COORDINATOR = "coordinator", _("Academy coordinator")
        TRAINER = "trainer", _("Trainer")
        FOCAL_POINT = "focal_point", _("National focal point")
        MODERATOR = "moderator", _("Network moderator")
        ORGANISER = "organiser", _("Network organiser")

    INSTITUTION_ROLES = {Role.EDITOR, Role.COORDINATOR, Role.TRAINER}
    COUNTRY_ROLES = {Role.FOCAL_POINT}

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    country = models.ForeignKey(
        Country,
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            # One membership per person, role and scope (partial indexes: portable, no NULLs).
            models.UniqueConstraint(
                fields=["user", "role", "institution"],
                condition=Q(institution__isnull=False),
                name="membership_unique_in_institution",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "country"],
                condition=Q(country__isnull=False),
                name="membership_unique_in_country",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(institution__isnull=True, country__isnull=True),
                name="membership_unique_network_wide",
            ),
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    Q(
                        role__in=["editor", "coordinator", "trainer"],
                        institution__isnull=False,
                        country__isnull=True,
                    )
                    | Q(role="focal_point", institution__isnull=True, country__isnull=False)
                    | Q(
                        role__in=["moderator", "organiser"],
                        institution__isnull=True,
                        country__isnull=True,
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        scope = self.institution or self.country or _("network")
        return f"{self.user} · {self.get_role_display()} · {scope}"


class ErasureRequest(models.Model):
    """A person's request to have their personal data erased, carried out after a cool-off
    period during which they may change their mind."""

    user = models.OneToOneField(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="erasure_request"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    due_at = models.DateTimeField(_("to be carried out at"))
    completed_at = models.DateTimeField(_("carried out at"), null=True, blank=True)

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        indexes = [models.Index(fields=["completed_at", "due_at"], name="erasure_due_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} due {self.due_at:%Y-%m-%d}"
