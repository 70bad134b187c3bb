"""Reads from the network directory, shaped so that a page costs a constant number of queries."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from wagtail.models import Page

from .models import Institution


def network_figures() -> dict[str, int]:
    """Institutions and the countries they are in (one query); the home page adds the live
    courses (core.hooks.home_page_context)."""
    return Institution.objects.aggregate(
        institutions=Count("pk"), countries=Count("country", distinct=True)
    )


def institution_list_for_directory() -> QuerySet[Institution]:
    return (
        Institution.objects.select_related("country", "page")
        .filter(page__live=True)
        .order_by("country__name", "name")
    )


def institution_for_page(*, page: Page) -> Institution | None:
    """The institution of an institution page, or of its translation (one query)."""
    return (
        Institution.objects.select_related("country")
        .filter(page__translation_key=page.translation_key)
        .first()
    )


def institution_for_descendant(*, page: Page) -> Institution | None:
    """The institution whose space contains this page: the nearest InstitutionPage ancestor,
    or in another language's tree the one that ancestor translates (one query)."""
    ancestor_paths = [page.path[:i] for i in range(Page.steplen, len(page.path) + 1, Page.steplen)]
    keys = Page.objects.filter(path__in=ancestor_paths).values("translation_key")
    return (
        Institution.objects.select_related("country")
        .filter(page__translation_key__in=keys)
        .order_by("-page__depth")
        .first()
    )


def personal_data(*, user) -> dict:
    """The account, its e-mail addresses, roles and sign-in sessions (for the personal-data
    export)."""
    from allauth.account.models import EmailAddress
    from allauth.usersessions.models import UserSession

    from .models import Membership

    return {
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "is_active": user.is_active,
        },
        "email_addresses": list(
            EmailAddress.objects.filter(user=user).values("email", "verified", "primary")
        ),
        "roles": [
            {
                "role": m.get_role_display(),
                "institution": m.institution.name if m.institution else None,
                "country": m.country.name if m.country else None,
                "granted_at": m.granted_at,
            }
            for m in Membership.objects.filter(user=user).select_related("institution", "country")
        ],
        "sessions": list(
            UserSession.objects.filter(user=user).values(
                "ip", "user_agent", "created_at", "last_seen_at"
            )
        ),
    }


def area_names() -> dict[str, str]:
    """Thematic areas' names by slug, in the active language where translated (one query)."""
    from wagtail.models import Locale

    from network.models import ThematicArea

    from .names import translated

    active = Locale.get_active()
    names: dict[str, str] = {}
    own: set[str] = set()
    rows = ThematicArea.objects.order_by("sort_order", "name").values_list("slug", "name", "locale")
    for slug, name, locale_id in rows:
        if locale_id == active.pk:
            names[slug] = name  # translated by an editor in Wagtail
            own.add(slug)
        elif slug not in own:
            names[slug] = translated(name)
    return names
