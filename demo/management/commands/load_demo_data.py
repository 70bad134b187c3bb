"""Load the demo network: institutions, curricula, courses with modules and lessons, and one
demo login per role. Safe to run again: whatever already exists (looked up by slug or e-mail) is
left as it is, except that demo passwords are put back to their documented values.

Over 500 lines: the demo's pages, runs, registers and certificates are made in the order
they depend on each other, each step short; splitting it is still to do."""

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
from demo import data as demo_data
from network import services
from network.models import Country, Institution, ThematicArea, User
from website import services as website_services


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
            website_services.site_ensure()
            self.locale = Locale.get_default()
            self.areas = {a.slug: a for a in ThematicArea.objects.filter(locale=self.locale)}
            institutions = self.load_institutions()
            for curriculum in demo_data.CURRICULA:
                self.load_curriculum(institutions[curriculum["institution"]], curriculum)
            self.load_users(institutions)
            self.load_submission(institutions)
            self.load_officers()
            self.load_runs(institutions)
            self.load_elearning(institutions)
            self.load_certificates(institutions)
            self.load_cascade(institutions)
            self.load_followups()
            self.load_translations()
            from reports import services as report_services

            # The figures of dashboards and cascades, from everything loaded above.
            report_services.tallies_rebuild()
        elapsed = time.monotonic() - started

        self.stdout.write(self.style.SUCCESS(f"Demo data loaded in {elapsed:.1f} s."))
        for kind, plural in [
            ("institution", "institutions"),
            ("curriculum", "curricula"),
            ("course", "courses"),
            ("module", "modules"),
            ("lesson", "lessons"),
            ("user", "demo users"),
            ("run", "course runs"),
            ("package", "e-learning packages"),
            ("enrolment", "enrolments"),
            ("certificate template", "certificate templates"),
            ("certificate", "certificates"),
            ("follow-up", "follow-ups"),
            ("translation", "translations"),
        ]:
            self.stdout.write(
                f"  {plural:<13} {self.created[kind]:>4} created, "
                f"{self.existing[kind]:>4} already there"
            )
        self.stdout.write("")
        self.stdout.write("Demo logins (the same table is in network/demo_data.py):")
        self.stdout.write(demo_data.demo_logins_markdown())
        self.stdout.write(
            "Other trainees, already enrolled in the demo runs: "
            + ", ".join(o["email"] for o in demo_data.DEMO_OFFICERS)
            + f" (password {demo_data.DEMO_OFFICER_PASSWORD})."
        )
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

    def load_submission(self, institutions: dict[str, Institution]) -> None:
        """A course written by an academy editor, with a module and a lesson, never published
        and submitted once for moderation, as they would in the admin."""
        data = demo_data.DEMO_SUBMISSION
        curriculum = (
            institutions[data["institution"]]
            .page.get_children()
            .filter(slug=data["curriculum"])
            .first()
        )
        if curriculum is None:
            raise CommandError(f"The demo submission's curriculum {data['curriculum']} is missing.")
        fields = dict(data["course"])
        if self.child(curriculum, fields["slug"], "course") is not None:
            return
        editor = User.objects.get(email__iexact=data["editor"])
        areas = self.thematic_areas(fields.pop("thematic_areas"))
        course = curriculum.add_child(instance=CoursePage(**fields, owner=editor, live=False))
        course.thematic_areas.set(areas)
        course.save_revision(user=editor)
        module = course.add_child(instance=ModulePage(**data["module"], owner=editor, live=False))
        module.save_revision(user=editor)
        lesson = dict(data["lesson"])
        module.add_child(
            instance=LessonPage(
                title=lesson["title"],
                slug=lesson["slug"],
                summary=lesson["summary"],
                estimated_minutes=lesson["minutes"],
                owner=editor,
                live=False,
            )
        ).save_revision(user=editor)
        self.created["module"] += 1
        self.created["lesson"] += 1
        course = CoursePage.objects.get(pk=course.pk)
        course.get_workflow().start(course, editor)

    def load_translations(self) -> None:
        """Courses translated as an editor would in the admin (Translate): a copy of the course
        page in the other locale, its fields rewritten, published; then its modules."""
        for code, courses in demo_data.DEMO_TRANSLATIONS.items():
            locale = Locale.objects.get(language_code=code)
            for slug, data in courses.items():
                course = CoursePage.objects.get(locale=self.locale, slug=slug)
                if CoursePage.objects.filter(
                    locale=locale, translation_key=course.translation_key
                ).exists():
                    self.existing["translation"] += 1
                    continue
                self.created["translation"] += 1
                page = course.copy_for_translation(locale, copy_parents=True)
                page.title = data["title"]
                page.summary = data["summary"]
                page.learning_outcomes = [("outcome", text) for text in data["learning_outcomes"]]
                page.save_revision().publish()
                for module in ModulePage.objects.child_of(course):
                    if module.slug not in data["modules"]:
                        continue
                    translated = module.copy_for_translation(locale)
                    translated.title, translated.summary = data["modules"][module.slug]
                    translated.save_revision().publish()

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

            if data["email"] in demo_data.DEMO_PROFILES:
                self.profile(user, demo_data.DEMO_PROFILES[data["email"]])

    def profile(self, user, values: dict) -> None:
        from trainees import selectors as trainee_selectors
        from trainees import services as trainee_services

        if not trainee_selectors.profile_is_complete(user=user):
            trainee_services.profile_save(user=user, **values)

    def load_officers(self) -> None:
        from allauth.account.models import EmailAddress

        for data in demo_data.DEMO_OFFICERS:
            values = dict(data)
            email = values.pop("email")
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                user = User.objects.create_user(
                    email=email,
                    password=demo_data.DEMO_OFFICER_PASSWORD,
                    first_name=values["given_name_latin"],
                    last_name=values["family_name_latin"],
                )
                EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
                self.created["user"] += 1
            else:
                self.existing["user"] += 1
            values.setdefault("institution_other", "National police")
            values.setdefault("rank_or_position", "Inspector")
            values.setdefault("preferred_language", "en")
            self.profile(user, values)

    def load_runs(self, institutions: dict[str, Institution]) -> None:
        import datetime as dt

        from django.utils import timezone

        from courses import services as course_services
        from courses.models import CourseRun
        from trainees import services as trainee_services
        from trainees.models import Enrolment, Notification

        today = timezone.localdate()
        users = {u.email.lower(): u for u in User.objects.filter(email__endswith="@example.org")}
        countries = {c.code: c for c in Country.objects.all()}
        for data in demo_data.DEMO_RUNS:
            organiser = institutions[data["organiser"]]
            course = CoursePage.objects.filter(locale=self.locale, slug=data["course"]).first()
            if course is None:
                raise CommandError(f"Demo run {data['title']}: no course {data['course']}.")
            run = CourseRun.objects.filter(title=data["title"]).first()
            start = today + dt.timedelta(days=data["start"])
            if data.get("live_today"):
                import zoneinfo

                start = timezone.localdate(timezone.now(), zoneinfo.ZoneInfo(data["time_zone"]))
            if run is None:
                run = course_services.run_create(
                    course=course,
                    organiser=organiser,
                    title=data["title"],
                    delivery_mode="residential",
                    language=data["language"],
                    host_country=organiser.country,
                    venue=data["venue"],
                    time_zone=data["time_zone"],
                    start_date=start,
                    end_date=start + dt.timedelta(days=data["days"] - 1),
                    capacity=data["capacity"],
                    enrolment_policy=data["policy"],
                    is_training_of_trainers=data.get("tot", False),
                    quotas={countries[c]: n for c, n in data.get("quotas", {}).items()},
                    trainers=[users[e] for e in data.get("trainers", [])],
                    sessions=[
                        {
                            "date": start + dt.timedelta(days=day),
                            "start_time": dt.time(9, 0),
                            "duration_minutes": 240,
                            "topic": f"Day {day + 1}",
                        }
                        for day in range(data["days"])
                    ],
                )
                self.created["run"] += 1
            else:
                self.existing["run"] += 1
            if data.get("live_today"):
                # Keep the demo's check-in session on the day the demo is run, in the run's
                # own time zone.
                self.move_to_today(run, timezone.localdate(timezone.now(), run.tz))
            for email in data.get("enrolled", []):
                user = users[email]
                if Enrolment.objects.filter(run=run, user=user).exists():
                    self.existing["enrolment"] += 1
                    continue
                if run.enrolment_policy == CourseRun.Policy.OPEN and run.end_date >= today:
                    trainee_services.enrolment_request(run=run, user=user)
                else:
                    trainee_services.enrolments_import(run=run, rows=[{"email": email}], actor=None)
                self.created["enrolment"] += 1
            if data.get("register"):
                self.fill_register(run, data["register"])
        # The demo people are fictional: nobody is mailed about what the loader did.
        Notification.objects.filter(
            sent_at=None, enrolment__run__title__in=[r["title"] for r in demo_data.DEMO_RUNS]
        ).update(sent_at=timezone.now())

    def move_to_today(self, run, today) -> None:
        """Put the run's first session on `today`, lasting the whole local day, so that QR
        check-in can be tried whenever the demo is started; the other sessions follow it."""
        import datetime as dt

        sessions = list(run.sessions.order_by("date", "pk"))
        shift = today - sessions[0].date
        for session in sessions:
            session.date += shift
            session.save()
        first = sessions[0]
        first.start_time, first.duration_minutes = dt.time(0, 0), 1439
        first.topic = "Day 1 (open all day for trying QR check-in)"
        first.save()
        if shift:
            run.start_date += shift
            run.end_date += shift
            run.save(update_fields=["start_date", "end_date"])

    def fill_register(self, run, statuses: list[str]) -> None:
        from trainees import services as trainee_services
        from trainees.models import Attendance, Enrolment

        enrolments = list(
            Enrolment.objects.filter(run=run, role="trainee", state="enrolled").order_by("pk")
        )
        for index, session in enumerate(run.sessions.order_by("starts_at")):
            if Attendance.objects.filter(session=session).exists():
                continue
            entries = {
                e.pk: (statuses[(i + index) % len(statuses)] if index else "present", "")
                for i, e in enumerate(enrolments)
            }
            trainee_services.register_save(session=session, entries=entries, actor=None)

    def load_elearning(self, institutions: dict[str, Institution]) -> None:
        """The two sample packages (samples/elearning/) on the first lessons of two courses,
        and a quiz in a lesson of the first responders' course."""
        import hashlib
        import io
        import zipfile
        from pathlib import Path

        from django.conf import settings

        from elearning import services as elearning_services
        from elearning.models import LessonPackage

        samples = Path(settings.BASE_DIR) / "samples" / "elearning"
        targets = [
            ("tincan-sample", "digital-evidence-for-first-responders", "ptc-belgrade"),
            ("cmi5-sample", "cybercrime-investigation-tot", "osce-mission-to-serbia"),
        ]
        for folder, course_slug, owner in targets:
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in sorted((samples / folder).rglob("*")):
                    if path.is_file():
                        archive.write(path, path.relative_to(samples / folder).as_posix())
            content = buffer.getvalue()
            digest = hashlib.sha256(content).hexdigest()
            package = LessonPackage.objects.filter(sha256=digest).first()
            if package is None:
                package = elearning_services.package_upload(
                    content=content, filename=f"{folder}.zip", institution=institutions[owner]
                )
                self.created["package"] += 1
            else:
                self.existing["package"] += 1
            course = CoursePage.objects.filter(locale=self.locale, slug=course_slug).first()
            lesson = LessonPage.objects.descendant_of(course).order_by("path").first()
            if lesson is not None and lesson.package_id != package.pk:
                lesson.package = package
                lesson.save_revision().publish()

        course = CoursePage.objects.filter(
            locale=self.locale, slug="digital-evidence-for-first-responders"
        ).first()
        lessons = list(LessonPage.objects.descendant_of(course).order_by("path")[:2])
        if len(lessons) == 2 and not any(b.block_type == "quiz" for b in lessons[1].body):
            lesson = lessons[1]
            lesson.body.append(("quiz", demo_data.DEMO_QUIZ))
            lesson.pass_mark = 50
            lesson.save_revision().publish()

    def load_certificates(self, institutions: dict[str, Institution]) -> None:
        """Certificate templates, rules on two runs, a self-paced run for the demo trainee, and
        the certificates the rules already owe (issued as the periodic check would)."""
        import datetime as dt

        from django.utils import timezone

        from certificates import services as certificate_services
        from certificates.models import (
            Certificate,
            CertificateRule,
            CertificateTemplate,
            Signatory,
        )
        from courses import services as course_services
        from courses.models import CourseRun
        from trainees import services as trainee_services
        from trainees.models import Enrolment, Notification

        templates = {}
        for data in demo_data.DEMO_CERTIFICATE_TEMPLATES:
            institution = institutions[data["institution"]] if data["institution"] else None
            template = CertificateTemplate.objects.filter(
                institution=institution, name=data["name"]
            ).first()
            if template is None:
                template = CertificateTemplate.objects.create(
                    institution=institution,
                    name=data["name"],
                    primary_colour=data["colours"][0],
                    accent_colour=data["colours"][1],
                )
                self.template_texts(template)
                for order, (name, position) in enumerate(data["signatories"]):
                    Signatory.objects.create(
                        template=template, name=name, position=position, sort_order=order
                    )
                self.created["certificate template"] += 1
            else:
                self.existing["certificate template"] += 1
            templates[data["institution"]] = template

        users = {u.email.lower(): u for u in User.objects.filter(email__endswith="@example.org")}
        plan = [
            (CourseRun.objects.filter(title=run["title"]).first(), run)
            for run in demo_data.DEMO_RUNS
            if run.get("certificates")
        ]
        data = demo_data.DEMO_SELF_PACED_RUN
        run = CourseRun.objects.filter(title=data["title"]).first()
        if run is None:
            today = timezone.localdate()
            run = course_services.run_create(
                course=CoursePage.objects.get(locale=self.locale, slug=data["course"]),
                organiser=institutions[data["organiser"]],
                title=data["title"],
                delivery_mode="self_paced",
                language=data["language"],
                host_country=None,
                venue="",
                time_zone="UTC",
                start_date=today - dt.timedelta(days=7),
                end_date=today + dt.timedelta(days=90),
                capacity=200,
                enrolment_policy="open",
                sessions=[],
            )
            self.created["run"] += 1
        else:
            self.existing["run"] += 1
        for email in data["enrolled"]:
            if not Enrolment.objects.filter(run=run, user=users[email]).exists():
                trainee_services.enrolment_request(run=run, user=users[email])
                self.created["enrolment"] += 1
        plan.append((run, data))

        for run, data in plan:
            for rule in data["certificates"]:
                CertificateRule.objects.get_or_create(
                    run=run,
                    kind=rule["kind"],
                    defaults={
                        "template": templates[data["organiser"]],
                        "min_attendance": rule.get("min_attendance", 80),
                        "lessons_required": rule.get("lessons_required", False),
                    },
                )
            issued = 0
            for rule in run.certificate_rules.all():
                issued += len(certificate_services.certificates_issue(run=run, kind=rule.kind))
            self.created["certificate"] += issued
            self.existing["certificate"] += Certificate.objects.filter(run=run).count() - issued
        # The demo people are fictional: nobody is mailed about what the loader did.
        Notification.objects.filter(sent_at=None, enrolment__run__in=[r for r, _d in plan]).update(
            sent_at=timezone.now()
        )

    def cascade_person(self, code: str, number: int) -> User:
        """The `number`th generated officer of country `code` (alternately a woman and a man),
        with a complete profile in the country's script."""
        from allauth.account.models import EmailAddress

        email = f"cascade.{code.lower()}.{number}@example.org"
        user = User.objects.filter(email=email).first()
        if user is not None:
            return user
        pool = demo_data.CASCADE_NAMES[code]
        woman = (number + ord(code[0])) % 2 == 0  # mixed from the first person on
        given = (pool["women"] if woman else pool["men"])[(number // 2) % 3]
        family = pool["family"][(number // 6) % 3][1 if woman else 0]
        user = User.objects.create_user(
            email=email,
            password=demo_data.DEMO_OFFICER_PASSWORD,
            first_name=given[1],
            last_name=family[1],
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        self.created["user"] += 1
        self.profile(
            user,
            {
                "given_name": given[0],
                "family_name": family[0],
                "given_name_latin": given[1],
                "family_name_latin": family[1],
                "gender": "woman" if woman else "man",
                "country_code": code,
                "institution_other": "National police",
                "rank_or_position": "Inspector",
                "preferred_language": "ru" if code in ("KZ", "AM", "GE") else "en",
            },
        )
        return user

    def template_texts(self, template) -> None:
        """The demo's English and Russian certificate texts on a new template."""
        from certificates.models import CertificateText

        for language, body in demo_data.DEMO_CERTIFICATE_BODY.items():
            titles = demo_data.DEMO_CERTIFICATE_TITLES[language]
            CertificateText.objects.create(
                template=template,
                language=language,
                participation_title=titles[0],
                completion_title=titles[1],
                trainer_title=titles[2],
                body=body,
            )

    def cascade_template(self, institution):
        from certificates.models import CertificateTemplate

        template = CertificateTemplate.objects.filter(institution=institution).first()
        if template is None:
            template = CertificateTemplate.objects.create(
                institution=institution, name=f"{institution.short_name or institution.name}"
            )
            self.template_texts(template)
            self.created["certificate template"] += 1
        return template

    def load_followups(self) -> None:
        """Answers to the ninety-day questionnaire from about three in four participants of
        the demo runs that ended long enough ago (the same answers on every load)."""
        import datetime as dt

        from django.utils import timezone

        from reports import services as report_services
        from reports.models import FollowUp
        from trainees.models import Enrolment

        ended = timezone.localdate() - dt.timedelta(days=90)
        enrolments = Enrolment.objects.filter(
            role=Enrolment.Role.TRAINEE, state=Enrolment.State.ENROLLED, run__end_date__lte=ended
        ).order_by("pk")
        uses = ["often", "sometimes", "often", "rarely", "sometimes", "never", "often"]
        for index, enrolment in enumerate(enrolments):
            followup, created = FollowUp.objects.get_or_create(enrolment=enrolment)
            self.created["follow-up"] += created
            if followup.answered_at is not None or index % 4 == 3:
                continue
            trained = index % 3 == 0
            report_services.followup_answer(
                followup=followup,
                uses_learning=uses[index % len(uses)],
                trained_others=trained,
                people_trained=(index % 5 + 1) * 4 if trained else None,
            )

    def load_cascade(self, institutions: dict[str, Institution]) -> None:
        """Last year's cybercrime ToT and the three generations of runs that grew from it, in
        six countries and five languages (each run linked by its trainer's certificate)."""
        import datetime as dt
        from collections import Counter, defaultdict

        from django.utils import timezone

        from certificates import services as certificate_services
        from certificates.models import Certificate, CertificateRule
        from courses import services as course_services
        from courses.models import CourseRun
        from trainees import services as trainee_services
        from trainees.models import Notification

        course = CoursePage.objects.get(locale=self.locale, slug=demo_data.CASCADE_COURSE)
        countries = {c.code: c for c in Country.objects.all()}
        today = timezone.localdate()
        numbers: Counter = Counter()
        certified: dict[str, dict[str, list]] = {}
        runs = []
        for spec in demo_data.DEMO_CASCADE:
            if "trainers" in spec:
                trainers = list(User.objects.filter(email__in=spec["trainers"]))
            else:
                key, code = spec["parent"].split(":")
                trainers = certified[key][code][:1]
            run = CourseRun.objects.filter(title=spec["title"]).first()
            if run is None:
                start = today + dt.timedelta(days=spec["start"])
                run = course_services.run_create(
                    course=course,
                    organiser=institutions[spec["organiser"]],
                    title=spec["title"],
                    delivery_mode="residential",
                    language=spec["language"],
                    host_country=countries[spec["country"]],
                    venue=spec["title"].rsplit(", ", 1)[-1],
                    time_zone="UTC",
                    start_date=start,
                    end_date=start + dt.timedelta(days=spec["days"] - 1),
                    capacity=30,
                    enrolment_policy="approval",
                    is_training_of_trainers=spec["certify"] > 0,
                    trainers=trainers,
                    sessions=[
                        {
                            "date": start + dt.timedelta(days=day),
                            "start_time": dt.time(9, 0),
                            "duration_minutes": 360,
                            "topic": f"Day {day + 1}",
                        }
                        for day in range(spec["days"])
                    ],
                )
                self.created["run"] += 1
                people = []
                for item in spec["participants"]:
                    code, count = item.split(":")
                    for _ in range(int(count)):
                        numbers[code] += 1
                        people.append(self.cascade_person(code, numbers[code]))
                enrolments = trainee_services.enrolments_import(
                    run=run, rows=[{"email": p.email} for p in people], actor=None
                )
                self.created["enrolment"] += len(enrolments)
                # Those to be certified as trainers attend every day; the others miss the last.
                for index, session in enumerate(run.sessions.order_by("starts_at")):
                    entries = {
                        e.pk: ("present" if i < spec["certify"] or index == 0 else "absent", "")
                        for i, e in enumerate(enrolments)
                    }
                    trainee_services.register_save(session=session, entries=entries, actor=None)
                template = self.cascade_template(institutions[spec["organiser"]])
                kinds = [("participation", 50)] + ([("trainer", 100)] if spec["certify"] else [])
                for kind, minimum in kinds:
                    CertificateRule.objects.get_or_create(
                        run=run,
                        kind=kind,
                        defaults={"template": template, "min_attendance": minimum},
                    )
                    issued = certificate_services.certificates_issue(run=run, kind=kind)
                    self.created["certificate"] += len(issued)
            else:
                self.existing["run"] += 1
            runs.append(run)
            holders = defaultdict(list)
            for certificate in (
                Certificate.objects.filter(run=run, kind="trainer", status="valid")
                .select_related("user__trainee_profile__country")
                .order_by("pk")
            ):
                holders[certificate.user.trainee_profile.country.code].append(certificate.user)
            certified[spec["key"]] = holders
        Notification.objects.filter(sent_at=None, enrolment__run__in=runs).update(
            sent_at=timezone.now()
        )
