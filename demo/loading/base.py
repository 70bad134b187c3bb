"""What the loading steps share: the data, the counts of what was made or found, the default
locale and thematic areas, and small helpers for pages and profiles."""

from __future__ import annotations

from collections import Counter

from django.core.management.base import CommandError
from wagtail.models import Locale, Page

from demo.dataset import DemoData
from network.models import Institution, ThematicArea


class Loader:
    def __init__(self, data: DemoData, *, stdout, style):
        self.data = data
        self.stdout, self.style = stdout, style
        self.created: Counter = Counter()
        self.existing: Counter = Counter()
        self.locale = Locale.get_default()
        self.areas = {a.slug: a for a in ThematicArea.objects.filter(locale=self.locale)}
        self.institutions: dict[str, Institution] = {}

    def warn(self, message: str) -> None:
        self.stdout.write(self.style.WARNING(message))

    def thematic_areas(self, slugs) -> list[ThematicArea]:
        missing = [slug for slug in slugs if slug not in self.areas]
        if missing:
            raise CommandError(
                f"Unknown thematic area(s): {', '.join(missing)}. Has `migrate` been run?"
            )
        return [self.areas[slug] for slug in slugs]

    def child(self, parent: Page, slug: str, kind: str):
        """The existing child page with this slug, counted, or None."""
        page = parent.get_children().filter(slug=slug).specific().first()
        if page is not None:
            self.existing[kind] += 1
        else:
            self.created[kind] += 1
        return page

    def add(self, parent: Page, page: Page, areas: list[ThematicArea] | None = None) -> Page:
        page = parent.add_child(instance=page)
        if areas is not None:
            page.thematic_areas.set(areas)
        # Publishing from a revision fires page_published, which builds the catalogue's facets.
        page.save_revision().publish()
        return page

    def profile(self, user, values: dict) -> None:
        from trainees import selectors as trainee_selectors
        from trainees import services as trainee_services

        if not trainee_selectors.profile_is_complete(user=user):
            trainee_services.profile_save(user=user, **values)

    def users(self) -> dict:
        """The demo people by e-mail address."""
        from network.models import User

        return {u.email.lower(): u for u in User.objects.filter(email__endswith="@example.org")}
