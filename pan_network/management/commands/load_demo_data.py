"""Load the demo network: institutions, curricula, courses with modules and lessons, and one
demo login per role. Safe to run again: whatever already exists (looked up by slug or e-mail) is
left as it is, except that demo passwords are put back to their documented values."""

from __future__ import annotations

import html
import time
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Locale, Page
from wagtail.rich_text import RichText

from courses.models import CoursePage, CurriculumPage, LessonPage, ModulePage
from pan_network import demo_data, services
from pan_network.models import Country, Institution, ThematicArea, User


def stream(items: list) -> list[tuple[str, object]]:
    """Turn demo_data's compact body format into StreamField (block name, value) pairs."""
    blocks: list[tuple[str, object]] = []
    for item in items:
        if isinstance(item, dict) and "outcomes" in item:
            blocks.append(("learning_outcomes", {"intro": item.get("intro", ""), **item}))
        elif isinstance(item, dict):
            blocks.append(
                (
                    "callout",
                    {
                        "style": item.get("style", "key_points"),
                        "title": item.get("title", ""),
                        "points": list(item["points"]),
                    },
                )
            )
        elif item.startswith("### "):
            blocks.append(("heading", {"text": item[4:], "level": "h3"}))
        elif item.startswith("## "):
            blocks.append(("heading", {"text": item[3:], "level": "h2"}))
        elif item.startswith("<"):
            blocks.append(("paragraph", RichText(item)))
        else:
            blocks.append(("paragraph", RichText(f"<p>{html.escape(item, quote=False)}</p>")))
    return blocks


class Command(BaseCommand):
    help = (
        "Load the demo network (institutions, curricula, courses, demo logins). "
        "Idempotent: run it as often as you like."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        self.created: Counter = Counter()
        self.existing: Counter = Counter()
        with transaction.atomic():
            services.site_ensure()
            self.locale = Locale.get_default()
            self.areas = {a.slug: a for a in ThematicArea.objects.filter(locale=self.locale)}
            institutions = self.load_institutions()
            for curriculum in demo_data.CURRICULA:
                self.load_curriculum(institutions[curriculum["institution"]], curriculum)
            self.load_users(institutions)
        elapsed = time.monotonic() - started

        self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {elapsed:.1f} s."))
        for kind, plural in [
            ("institution", "institutions"),
            ("curriculum", "curricula"),
            ("course", "courses"),
            ("module", "modules"),
            ("lesson", "lessons"),
            ("user", "demo users"),
        ]:
            self.stdout.write(
                f"  {plural:<13} {self.created[kind]:>4} created, "
                f"{self.existing[kind]:>4} already there"
            )
        self.stdout.write("")
        self.stdout.write("Demo logins (the same table is in pan_network/demo_data.py):")
        self.stdout.write(demo_data.demo_logins_markdown())
        self.stdout.write(
            "Staff logins ask for a two-factor code after the password: add the secret "
            f"{demo_data.DEMO_TOTP_SECRET} to an authenticator app, or run "
            "`.venv/bin/python manage.py demo_totp_code`."
        )

    # -----------------------------------------------------------------------------------------

    def load_institutions(self) -> dict[str, Institution]:
        countries = {c.code: c for c in Country.objects.all()}
        result = {}
        for data in demo_data.INSTITUTIONS:
            institution = (
                Institution.objects.filter(slug=data["slug"]).first()
                or Institution.objects.filter(name=data["name"]).first()
            )
            if institution is not None:
                self.existing["institution"] += 1
                if institution.page_id is None:
                    services.institution_provision(institution=institution)
            else:
                code = data.get("country")
                if code and code not in countries:
                    raise CommandError(f"Institution {data['slug']}: unknown country {code}.")
                institution = services.institution_create(
                    name=data["name"],
                    kind=data["kind"],
                    country=countries[code] if code else None,
                    slug=data["slug"],
                    short_name=data["short_name"],
                    city=data["city"],
                    website=data["website"],
                    working_languages=data["working_languages"],
                    description=data["description"],
                )
                self.created["institution"] += 1
            result[data["slug"]] = institution
        return result

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

    # -----------------------------------------------------------------------------------------

    def load_curriculum(self, institution: Institution, data: dict) -> None:
        parent = institution.page
        slug = data.get("slug") or slugify(data["title"])
        curriculum = self.child(parent, slug, "curriculum")
        if curriculum is None:
            area_slugs = list(
                dict.fromkeys(s for course in data["courses"] for s in course["thematic_areas"])
            )
            curriculum = self.add(
                parent,
                CurriculumPage(
                    title=data["title"],
                    slug=slug,
                    summary=data["summary"],
                    body=stream(data.get("body", [])),
                ),
                self.thematic_areas(area_slugs),
            )
        for course in data["courses"]:
            self.load_course(curriculum, course)

    def load_course(self, curriculum: CurriculumPage, data: dict) -> None:
        slug = data.get("slug") or slugify(data["title"])
        course = self.child(curriculum, slug, "course")
        if course is None:
            page = CoursePage(
                title=data["title"],
                slug=slug,
                summary=data["summary"],
                body=stream(data.get("body", [])),
                target_audience=data["target_audience"],
                level=data["level"],
                languages=data["languages"],
                duration_hours=data["duration_hours"],
                delivery_modes=data["delivery_modes"],
                is_training_of_trainers=data.get("is_training_of_trainers", False),
                prerequisites=data.get("prerequisites", ""),
                learning_outcomes=[("outcome", text) for text in data["learning_outcomes"]],
            )
            course = self.add(curriculum, page, self.thematic_areas(data["thematic_areas"]))
        for module in data["modules"]:
            self.load_module(course, module)

    def load_module(self, course: CoursePage, data: dict) -> None:
        slug = data.get("slug") or slugify(data["title"])
        module = self.child(course, slug, "module")
        if module is None:
            module = self.add(
                course,
                ModulePage(
                    title=data["title"],
                    slug=slug,
                    summary=data["summary"],
                    body=stream(data.get("body", [])),
                ),
            )
        for lesson in data["lessons"]:
            slug = lesson.get("slug") or slugify(lesson["title"])
            if self.child(module, slug, "lesson") is None:
                self.add(
                    module,
                    LessonPage(
                        title=lesson["title"],
                        slug=slug,
                        summary=lesson["summary"],
                        estimated_minutes=lesson["minutes"],
                        body=stream(lesson["body"]),
                    ),
                )

    # -----------------------------------------------------------------------------------------

    def load_users(self, institutions: dict[str, Institution]) -> None:
        from allauth.account.models import EmailAddress

        for data in demo_data.DEMO_USERS:
            email, password = data["email"], data["password"]
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                create = (
                    User.objects.create_superuser
                    if data["role"] == demo_data.SUPERUSER
                    else User.objects.create_user
                )
                user = create(
                    email=email,
                    password=password,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                )
                self.created["user"] += 1
            else:
                self.existing["user"] += 1
                if not user.check_password(password) or not user.is_active:
                    # The documented logins must always work: put the password back, loudly.
                    user.set_password(password)
                    user.is_active = True
                    user.save(update_fields=["password", "is_active"])
                    self.stdout.write(
                        self.style.WARNING(
                            f"{email}: password reset to the documented demo password."
                        )
                    )
                if data["role"] == demo_data.SUPERUSER and not user.is_superuser:
                    user.is_staff = user.is_superuser = True
                    user.save(update_fields=["is_staff", "is_superuser"])

            # allauth asks for a verified address before it lets anyone log in.
            address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
            if address is None:
                EmailAddress.objects.create(
                    user=user, email=user.email, verified=True, primary=True
                )
            elif not address.verified:
                address.verified = True
                address.save(update_fields=["verified"])

            if data["role"] is not None:
                # Staff sign in with a second factor; demo staff share one documented secret.
                from allauth.mfa.totp.internal.auth import TOTP
                from allauth.mfa.utils import is_mfa_enabled

                if not is_mfa_enabled(user):
                    TOTP.activate(user, demo_data.DEMO_TOTP_SECRET)

            if data["role"] not in (None, demo_data.SUPERUSER):
                country = None
                if data.get("country"):
                    country = Country.objects.get(code=data["country"])
                services.membership_grant(
                    user=user,
                    role=data["role"],
                    institution=institutions[data["institution"]]
                    if data.get("institution")
                    else None,
                    country=country,
                )
