"""Build a large synthetic network for load tests and demos:

    manage.py generate_network --courses 10000 [--institutions 200] [--seed 1]

Institutions are created through the directory's own service (page, media collection, editors
group and permissions included). Curricula and courses are inserted in bulk, the way Wagtail would
have stored them through `add_child` with `live=True`: tree path/depth/numchild/url_path, locale,
translation key, first/last publication dates, owning institution, thematic areas, search index
entries and reference index rows. The catalogue's facet rows are rebuilt at the end.

Synthetic institutions have slugs starting with "syn-". Running the command again tops the
network up to the requested sizes; it never deletes anything.

Over 500 lines: a bulk generator for benchmarks whose steps share one in-memory plan of the
network."""

from __future__ import annotations

import random
import time
import uuid
from collections import Counter, defaultdict
from contextlib import contextmanager
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Locale, Page, ReferenceIndex
from wagtail.search.backends import get_search_backends

from core.languages import LANGUAGE_NAMES
from courses import services as course_services
from courses.models import Audience, CoursePage, CurriculumPage, DeliveryMode, Level
from network import services as network_services
from network.models import Country, Institution, ThematicArea
from website import services as website_services

SLUG_PREFIX = "syn-"
CHUNK = 500

# ---------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------

# Main language(s) of each country's training content, as far as core.languages has them.
COUNTRY_LANGUAGES = {
    "AL": ["sq"], "AD": ["es", "fr"], "AM": ["hy", "ru"], "AT": ["de"], "AZ": ["az", "ru"],
    "BY": ["be", "ru"], "BE": ["fr", "de"], "BA": ["bs", "hr", "sr"], "BG": ["bg"],
    "CA": ["en", "fr"], "HR": ["hr"], "CY": ["el", "tr"], "CZ": ["cs"], "DK": ["en"],
    "EE": ["et", "ru"], "FI": ["en"], "FR": ["fr"], "GE": ["ka", "ru"], "DE": ["de"],
    "GR": ["el"], "VA": ["it"], "HU": ["hu"], "IS": ["en"], "IE": ["en"], "IT": ["it"],
    "KZ": ["kk", "ru"], "KG": ["ky", "ru"], "LV": ["lv", "ru"], "LI": ["de"], "LT": ["lt"],
    "LU": ["fr", "de"], "MT": ["en"], "MD": ["ro", "ru"], "MC": ["fr"], "MN": ["mn", "ru"],
    "ME": ["sr"], "NL": ["en"], "MK": ["mk", "sq"], "NO": ["en"], "PL": ["pl"], "PT": ["es"],
    "RO": ["ro"], "RU": ["ru"], "SM": ["it"], "RS": ["sr"], "SK": ["sk"], "SI": ["sl"],
    "ES": ["es"], "SE": ["en"], "CH": ["de", "fr", "it"], "TJ": ["tg", "ru"], "TR": ["tr"],
    "TM": ["tk", "ru"], "UA": ["uk"], "GB": ["en"], "US": ["en", "es"], "UZ": ["uz", "ru"],
    "DZ": ["ar", "fr"], "EG": ["ar"], "IL": ["he"], "JO": ["ar"], "MA": ["ar", "fr"],
    "TN": ["ar", "fr"], "AF": ["fa", "ps"], "AU": ["en"], "JP": ["en"], "KR": ["en"],
    "TH": ["en"],
}  # fmt: skip

ACADEMY_NAMES = [
    "National Police Academy of {country}",
    "Police College of {country}",
    "Border Police Training Centre of {country}",
    "Criminal Investigation Training Centre of {country}",
    "Academy of the Ministry of Internal Affairs of {country}",
    "Forensic Science Training Institute of {country}",
    "Gendarmerie School of {country}",
    "Customs and Border Guard Academy of {country}",
    "Institute for Police Leadership of {country}",
    "Cybercrime Training Centre of {country}",
    "Law Enforcement Training Centre of {country}",
    "Police Specialist Training School of {country}",
]
OSCE_NAMES = [
    "OSCE Mission to {country}",
    "OSCE Programme Office in {country}",
    "OSCE Project Co-ordinator in {country}",
]
CURRICULUM_NAMES = [
    "Basic police training",
    "Continuous professional development",
    "Specialised investigations",
    "Leadership and management",
    "Regional courses",
    "E-learning programme",
    "Training of trainers programme",
    "{area} programme",
    "{area}: specialist courses",
]

# Per thematic area: course topics (used in titles) and key phrases (used in summaries).
THEMES: dict[str, tuple[list[str], list[str]]] = {
    "police-development-reform": (
        ["Police reform and strategic planning", "Managing change in police organisations",
         "Performance management in policing", "Democratic policing standards"],
        ["police reform", "strategic planning", "police accountability", "change management"],
    ),
    "community-policing": (
        ["Community policing in practice", "Neighbourhood policing and problem solving",
         "Police-public partnerships", "Policing diverse communities"],
        ["community policing", "problem-oriented policing", "police-public partnerships",
         "neighbourhood officers", "crime prevention", "youth engagement"],
    ),
    "police-training": (
        ["Designing police training", "Adult learning for police trainers",
         "E-learning course design for law enforcement", "Evaluating training impact"],
        ["curriculum design", "adult learning", "training needs analysis", "police trainers",
         "blended learning"],
    ),
    "victims-hate-crime": (
        ["Investigating hate crime", "Victim-centred policing", "Responding to hate incidents",
         "Supporting victims of crime"],
        ["hate crime", "bias indicators", "victim support", "victim-centred approach",
         "hate speech"],
    ),
    "gender-mainstreaming": (
        ["Gender mainstreaming in policing", "Multi-ethnic policing",
         "Women in law enforcement leadership", "Gender-sensitive police operations"],
        ["gender mainstreaming", "gender equality", "multi-ethnic policing", "inclusive policing"],
    ),
    "anti-corruption": (
        ["Investigating corruption", "Police integrity and ethics",
         "Internal affairs investigations", "Preventing corruption in public procurement"],
        ["anti-corruption", "police integrity", "bribery", "conflict of interest",
         "whistle-blower protection"],
    ),
    "organized-crime": (
        ["Investigating organized crime groups", "Witness protection",
         "Special investigative techniques", "Joint investigation teams"],
        ["organized crime", "covert surveillance", "undercover operations",
         "joint investigation teams", "money laundering", "firearms trafficking"],
    ),
    "terrorism": (
        ["Countering violent extremism and radicalization that lead to terrorism",
         "Terrorist financing investigations", "Protecting critical infrastructure",
         "Community approaches to preventing terrorism"],
        ["counter-terrorism", "violent extremism", "radicalization", "terrorist financing",
         "foreign terrorist fighters"],
    ),
    "illicit-drugs": (
        ["Drug trafficking investigations", "Chemical precursors control",
         "Synthetic drugs and clandestine laboratories", "Controlled deliveries"],
        ["drug trafficking", "chemical precursors", "synthetic drugs", "controlled delivery",
         "darknet drug markets"],
    ),
    "trafficking-human-beings": (
        ["Combating trafficking in human beings", "Identifying victims of trafficking",
         "Investigating labour exploitation", "Financial investigations into human trafficking"],
        ["human trafficking", "trafficking in human beings", "victim identification",
         "labour exploitation", "sexual exploitation", "migrant smuggling"],
    ),
    "cybercrime": (
        ["Cybercrime investigation", "Digital forensics for first responders",
         "Cryptocurrency investigations", "Open-source intelligence (OSINT)",
         "Investigating online child sexual exploitation", "Ransomware incident response"],
        ["cybercrime", "digital forensic evidence", "cryptocurrency tracing", "darknet",
         "ransomware", "electronic evidence", "online child sexual exploitation"],
    ),
    "intelligence-led-policing": (
        ["Intelligence-led policing", "Criminal intelligence analysis",
         "Strategic crime analysis", "Threat assessment"],
        ["intelligence-led policing", "criminal intelligence", "crime analysis",
         "risk assessment", "information exchange"],
    ),
    "gender-based-violence": (
        ["Responding to domestic violence", "Investigating sexual violence",
         "Gender-based violence risk assessment", "Protection orders and victim safety"],
        ["gender-based violence", "domestic violence", "sexual violence", "protection orders",
         "risk assessment"],
    ),
    "border-management": (
        ["Border security and management", "Document security and fraud detection",
         "Risk analysis at the border", "Green border surveillance"],
        ["border checks", "border security", "document fraud", "cross-border co-operation",
         "border surveillance", "customs co-operation"],
    ),
    "human-rights": (
        ["Human rights in policing", "Use of force and firearms",
         "Policing public assemblies", "Investigative interviewing"],
        ["human rights", "use of force", "public assemblies", "investigative interviewing",
         "police accountability", "prevention of torture"],
    ),
    "financial-investigations": (
        ["Financial investigations", "Asset recovery", "Anti-money laundering",
         "Parallel financial investigations"],
        ["financial investigations", "asset recovery", "money laundering",
         "beneficial ownership", "confiscation"],
    ),
}  # fmt: skip
GENERIC_THEME = (
    ["Policing in the OSCE region", "Police co-operation"],
    ["international police co-operation", "human rights", "forensic evidence"],
)
TITLE_SUFFIXES = [
    "", "", "", "", ": foundations", ": advanced practice", " for first-line officers",
    " for investigators", " for senior managers", " – regional course", " – national course",
]  # fmt: skip
CASE_SOURCES = [
    "Central Asia",
    "South-Eastern Europe",
    "the South Caucasus",
    "Eastern Europe",
    "the Mediterranean",
    "the Western Balkans",
    "the Baltic States",
    "the OSCE region",
]
OUTCOMES = [
    "Explain the legal framework for {kw}",
    "Apply good practice in {kw} in line with human rights standards",
    "Plan and lead an operation involving {kw}",
    "Secure, document and present forensic evidence related to {kw}",
    "Co-operate with partner agencies across borders on {kw}",
    "Assess risks and choose proportionate measures concerning {kw}",
]
LEVEL_WEIGHTS = [
    (Level.INTRODUCTORY, 35),
    (Level.INTERMEDIATE, 35),
    (Level.ADVANCED, 20),
    (Level.SPECIALIST, 10),
]
MODE_WEIGHTS = [
    (DeliveryMode.RESIDENTIAL, 50),
    (DeliveryMode.ONLINE, 20),
    (DeliveryMode.BLENDED, 20),
    (DeliveryMode.SELF_PACED, 15),
]
AUDIENCE_LABELS = dict(Audience.choices)


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _some(rng: random.Random, items: list, low: int, high: int) -> list:
    return rng.sample(items, min(len(items), rng.randint(low, high)))


# ---------------------------------------------------------------------------------------------
# Bulk page creation
# ---------------------------------------------------------------------------------------------


def _next_child_position(parent: Page) -> int:
    if parent.numchild == 0:
        return 1
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    return Page._str2int(last[-Page.steplen :]) + 1 if last else 1


def bulk_add_children(items: list[tuple[Page, Page]], *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Insert live pages of one specific model under their parents, as `add_child` would.

    `items` are (parent, unsaved specific page) pairs; the pages must have title, slug (unique
    under the parent), first_published_at and their own fields set. Many-to-many fields are left
    to the caller; parents' `numchild` is updated.
    """
    if not items:
        return
    model = type(items[0][1])
    connection = connections[using]
    if not connection.features.can_return_rows_from_bulk_insert:
        raise CommandError("The database must return ids from bulk inserts (PostgreSQL, SQLite).")

    next_position: dict[int, int] = {}
    added = Counter()
    parents = {}
    for parent, page in items:
        parents[parent.pk] = parent
        position = next_position.get(parent.pk) or _next_child_position(parent)
        next_position[parent.pk] = position + 1
        added[parent.pk] += 1
        page.depth = parent.depth + 1
        page.path = Page._get_path(parent.path, page.depth, position)
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.numchild = 0
        page.locale_id = parent.locale_id
        page.draft_title = page.title
        page.live = True
        page.has_unpublished_changes = False
        page.last_published_at = page.last_published_at or page.first_published_at
        if not page.translation_key:
            page.translation_key = uuid.uuid4()

    base_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    rows = [Page(**{f.attname: getattr(page, f.attname) for f in base_fields}) for _, page in items]
    Page.objects.using(using).bulk_create(rows, batch_size=CHUNK)

    pages = []
    for row, (_parent, page) in zip(rows, items, strict=True):
        page.id = page.page_ptr_id = row.pk
        page._state.adding = False
        page._state.db = using
        pages.append(page)

    # Django refuses bulk_create for multi-table models; insert the specific rows ourselves the
    # way Model.save() does it for one object.
    fields = model._meta.local_concrete_fields
    batch = max(1, min(CHUNK, connection.ops.bulk_batch_size(fields, pages)))
    for start in range(0, len(pages), batch):
        model._base_manager.using(using)._insert(
            pages[start : start + batch], fields=fields, using=using
        )

    for parent_pk, n in added.items():
        Page.objects.using(using).filter(pk=parent_pk).update(numchild=F("numchild") + n)
        parents[parent_pk].numchild += n


def bulk_set_m2m(model, field_name: str, links: dict[int, list[int]]) -> None:
    """Bulk-insert many-to-many links {page pk: [target pks]}."""
    field = model._meta.get_field(field_name)
    through = field.remote_field.through
    source = field.m2m_field_name() + "_id"
    target = field.m2m_reverse_field_name() + "_id"
    through.objects.bulk_create(
        [through(**{source: pk, target: t}) for pk, targets in links.items() for t in targets],
        batch_size=2000,
    )


def index_pages(model, pks: list[int], *, areas: dict[int, list[ThematicArea]]) -> None:
    """What the save signals would have done: search index entries and reference index rows.

    `areas` are the pages' thematic areas: modelcluster's ParentalManyToManyField ignores
    prefetching, so the indexer would otherwise run several queries per page to read them.
    """
    backends = list(get_search_backends(with_auto_update=True))
    for start in range(0, len(pks), CHUNK):
        chunk = pks[start : start + CHUNK]
        objects = list(model.get_indexed_objects().filter(pk__in=chunk).order_by("pk"))
        for obj in objects:
            # In-memory value of the relation (what a bound admin form would hold); not saved.
            obj.thematic_areas = areas.get(obj.pk, [])
        for backend in backends:
            backend.add_bulk(model, objects)
        if ReferenceIndex.is_indexed(model):
            for obj in objects:
                ReferenceIndex.create_or_update_for_object(obj)


# ---------------------------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------------------------


class Command(BaseCommand):
    help = "Build (or top up) a large synthetic network of institutions, curricula and courses."

    def add_arguments(self, parser):
        parser.add_argument("--courses", type=int, required=True, help="Live courses wanted.")
        parser.add_argument(
            "--institutions",
            type=int,
            default=None,
            help="Institutions wanted (default: courses // 50, at least 10).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")

    @contextmanager
    def _phase(self, label: str):
        start = time.perf_counter()
        yield
        elapsed = time.perf_counter() - start
        self.timings.append((label, elapsed))
        self.stdout.write(f"  {label}: {elapsed:.1f}s")

    def handle(self, *args, courses: int, institutions: int | None, seed: int, **options):
        if courses < 1:
            raise CommandError("--courses must be at least 1.")
        institutions = institutions if institutions is not None else max(10, courses // 50)
        if institutions < 1:
            raise CommandError("--institutions must be at least 1.")
        self.timings: list[tuple[str, float]] = []
        started = time.perf_counter()

        with self._phase("site skeleton"):
            self.home = website_services.site_ensure()
            self.locale = self.home.locale or Locale.get_default()
            self.areas = list(ThematicArea.objects.filter(locale=self.locale).order_by("pk"))
            self.countries = list(Country.objects.order_by("code"))
        if not self.countries:
            raise CommandError("No countries: run the migrations first.")
        if not self.areas:
            raise CommandError("No thematic areas in the default locale: run the migrations first.")

        existing_institutions = Institution.objects.filter(slug__startswith=SLUG_PREFIX).count()
        existing_courses = CoursePage.objects.filter(
            institution__slug__startswith=SLUG_PREFIX
        ).count()
        if existing_institutions or existing_courses:
            if existing_institutions >= institutions and existing_courses >= courses:
                self.stdout.write(
                    f"Synthetic network already present: {existing_institutions} institutions, "
                    f"{existing_courses} courses (asked for {institutions} and {courses}). "
                    "Nothing to do."
                )
                return
            self.stdout.write(
                f"Synthetic network found: {existing_institutions} institutions, "
                f"{existing_courses} courses. Topping up to "
                f"{max(institutions, existing_institutions)} institutions and "
                f"{max(courses, existing_courses)} courses."
            )
        self.rng = random.Random(f"{seed}:{existing_institutions}:{existing_courses}")

        new_institutions = max(0, institutions - existing_institutions)
        new_courses = max(0, courses - existing_courses)
        self.stdout.write(
            f"Generating {new_institutions} institutions and {new_courses} courses "
            f"(seed {seed}) on {connections[DEFAULT_DB_ALIAS].vendor}..."
        )
        with self._phase(f"{new_institutions} institutions (through the directory service)"):
            created = self._create_institutions(new_institutions, start=existing_institutions)
        with transaction.atomic():
            with self._phase("curricula"):
                curricula = self._create_curricula(created)
            all_curricula = self._synthetic_curricula(curricula)
            if new_courses and not all_curricula:
                raise CommandError("No synthetic curriculum to put courses in.")
            with self._phase(f"{new_courses} courses"):
                course_links = self._create_courses(new_courses, all_curricula)
            with self._phase("search and reference index"):
                areas_by_pk = {a.pk: a for a in self.areas}
                index_pages(
                    CurriculumPage,
                    [c.pk for c, _weight in curricula],
                    areas={c.pk: [areas_by_pk[a] for a in c._areas] for c, _weight in curricula},
                )
                index_pages(
                    CoursePage,
                    list(course_links),
                    areas={pk: [areas_by_pk[a] for a in v] for pk, v in course_links.items()},
                )
            with self._phase("catalogue facet rows (catalogue_rebuild)"):
                facet_rows = course_services.catalogue_rebuild()

        total = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {total:.1f}s: "
                f"{Institution.objects.filter(slug__startswith=SLUG_PREFIX).count()} synthetic "
                f"institutions, {CoursePage.objects.live().count()} live courses in all, "
                f"{facet_rows} facet rows."
            )
        )

    # -- institutions ----------------------------------------------------------------------

    def _create_institutions(self, n: int, *, start: int) -> list[tuple[Institution, float]]:
        rng = self.rng
        countries = self.countries[:]
        rng.shuffle(countries)
        taken_names = set(Institution.objects.values_list("name", flat=True))
        osce_countries = set()
        created = []
        for i in range(n):
            number = start + i + 1
            # Every country gets an institution before any gets a second one.
            country = countries[i % len(countries)] if i < len(countries) else rng.choice(countries)
            is_osce = country.code not in osce_countries and rng.random() < 0.08
            if is_osce:
                osce_countries.add(country.code)
                kind = Institution.Kind.OSCE
                template = rng.choice(OSCE_NAMES)
            else:
                kind = Institution.Kind.ACADEMY
                template = rng.choice(ACADEMY_NAMES)
            base_name = template.format(country=country.name)
            name, k = base_name, 2
            while name in taken_names:
                name, k = f"{base_name} ({k})", k + 1
            taken_names.add(name)
            local = COUNTRY_LANGUAGES.get(country.code, ["en"])
            working = [code for code in dict.fromkeys([*local, "en"]) if code in LANGUAGE_NAMES]
            institution = network_services.institution_create(
                name=name[:200],
                kind=kind,
                country=country,
                slug=f"{SLUG_PREFIX}{number:05d}-{country.code.lower()}",
                short_name="".join(w[0] for w in name.split() if w[0].isupper())[:40],
                working_languages=working,
                description=(
                    f"Synthetic institution generated for load tests ({country.name}). "
                    "Trains police officers, investigators and border guards."
                ),
            )
            # Some institutions publish far more than others.
            created.append((institution, min(rng.paretovariate(1.3), 20.0)))
        return created

    # -- curricula -------------------------------------------------------------------------

    def _create_curricula(self, created: list[tuple[Institution, float]]):
        rng = self.rng
        now = timezone.now()
        items, weights, links = [], [], {}
        for institution, weight in created:
            parent = institution.page
            count = rng.randint(2, 5)
            slugs: set[str] = set()
            own_areas = _some(rng, self.areas, count, count + 2)
            for j in range(count):
                area = own_areas[j % len(own_areas)]
                title = rng.choice(CURRICULUM_NAMES).format(area=area.name)
                slug, k = slugify(title)[:240], 2
                while slug in slugs:
                    slug, k = f"{slugify(title)[:240]}-{k}", k + 1
                slugs.add(slug)
                page = CurriculumPage(
                    title=title,
                    slug=slug,
                    summary=f"Courses of {institution.name} on {area.name.lower()}.",
                    first_published_at=now - timedelta(days=rng.randint(400, 2000)),
                    show_in_menus=False,
                )
                extra = [a.pk for a in _some(rng, self.areas, 0, 1)]
                page._areas = list(dict.fromkeys([area.pk, *extra]))
                items.append((parent, page))
                weights.append(weight * rng.uniform(0.5, 1.5))
        bulk_add_children(items)
        for _parent, page in items:
            links[page.pk] = page._areas
        bulk_set_m2m(CurriculumPage, "thematic_areas", links)
        return [(page, w) for (_parent, page), w in zip(items, weights, strict=True)]

    def _synthetic_curricula(self, fresh: list[tuple[CurriculumPage, float]]):
        """Every synthetic curriculum (older ones too, when topping up) with a weight."""
        rng = self.rng
        fresh_pks = {page.pk for page, _weight in fresh}
        result = list(fresh)
        institution_paths = dict(
            Institution.objects.filter(
                slug__startswith=SLUG_PREFIX, page__isnull=False
            ).values_list("page__path", "pk")
        )
        if not institution_paths:
            return result
        depth = len(next(iter(institution_paths))) // Page.steplen + 1
        older = CurriculumPage.objects.filter(depth=depth).exclude(pk__in=fresh_pks)
        for page in older.prefetch_related("thematic_areas"):
            if page.path[: -Page.steplen] in institution_paths:
                page._areas = [a.pk for a in page.thematic_areas.all()]
                result.append((page, rng.uniform(0.5, 3.0)))
        for page, _weight in result:
            page._institution_id = institution_paths.get(page.path[: -Page.steplen])
        return result

    # -- courses ---------------------------------------------------------------------------

    def _create_courses(self, n: int, curricula) -> dict[int, list[int]]:
        """Returns {course pk: thematic area pks}."""
        if n <= 0:
            return {}
        rng = self.rng
        now = timezone.now()
        institutions = {i.pk: i for i in Institution.objects.filter(slug__startswith=SLUG_PREFIX)}
        areas_by_pk = {a.pk: a for a in self.areas}
        pages, weights = zip(*curricula, strict=True)
        chosen = rng.choices(range(len(pages)), weights=weights, k=n)
        used_slugs: dict[int, set[str]] = defaultdict(set)
        for idx in set(chosen):
            curriculum = pages[idx]
            if curriculum.numchild:
                used_slugs[curriculum.pk] = set(
                    Page.objects.filter(
                        path__startswith=curriculum.path, depth=curriculum.depth + 1
                    ).values_list("slug", flat=True)
                )

        items, links = [], {}
        for idx in chosen:
            curriculum = pages[idx]
            institution = institutions[curriculum._institution_id]
            page, area_pks = self._course(curriculum, institution, areas_by_pk, now)
            base, k = page.slug, 2
            while page.slug in used_slugs[curriculum.pk]:
                page.slug, k = f"{base}-{k}", k + 1
            used_slugs[curriculum.pk].add(page.slug)
            page._areas = area_pks
            items.append((curriculum, page))

        for start in range(0, len(items), 2000):
            bulk_add_children(items[start : start + 2000])
        for _parent, page in items:
            links[page.pk] = page._areas
        bulk_set_m2m(CoursePage, "thematic_areas", links)
        return links

    def _course(self, curriculum, institution, areas_by_pk, now):
        rng = self.rng
        area_pks = list(getattr(curriculum, "_areas", []) or [])
        main = areas_by_pk.get(area_pks[0]) if area_pks and rng.random() < 0.8 else None
        main = main or rng.choice(self.areas)
        areas = [main, *_some(rng, [a for a in self.areas if a != main], 0, 2)]
        topics, keywords = THEMES.get(main.slug, GENERIC_THEME)
        extra_keywords = THEMES.get(areas[-1].slug, GENERIC_THEME)[1]

        level = _weighted(rng, LEVEL_WEIGHTS)
        modes = list(
            dict.fromkeys(_weighted(rng, MODE_WEIGHTS) for _ in range(rng.choice([1, 1, 2])))
        )
        tot = rng.random() < 0.12
        audiences = _some(rng, list(Audience.values), 1, 3)
        if tot and Audience.TRAINERS not in audiences:
            audiences.append(Audience.TRAINERS)
        working = [c for c in institution.working_languages if c in LANGUAGE_NAMES] or ["en"]
        languages = [working[0]] if rng.random() < 0.75 else []
        if "en" not in languages and rng.random() < 0.4:
            languages.append("en")
        if rng.random() < 0.15:
            languages.append(rng.choice(["ru", "fr", "de", *working]))
        languages = list(dict.fromkeys(languages or ["en"]))
        if modes == [DeliveryMode.SELF_PACED]:
            hours = rng.randint(2, 24)
        else:
            hours = rng.choice([8, 16, 24, 32, 40, 40, 60, 80, 120, 160])

        title = rng.choice(topics) + rng.choice(TITLE_SUFFIXES)
        if tot:
            title += " – training of trainers"
        chosen = _some(rng, keywords, 2, 3)
        audience_text = " and ".join(str(AUDIENCE_LABELS[a]).lower() for a in audiences[:2])
        summary = (
            f"{Level(level).label} {hours}-hour course on {chosen[0]} for {audience_text}. "
            f"It covers {', '.join(chosen[1:])} and {rng.choice(extra_keywords)}, "
            f"with case studies from {rng.choice(CASE_SOURCES)}."
        )[:600]
        outcomes = [
            {"type": "outcome", "value": rng.choice(OUTCOMES).format(kw=kw)}
            for kw in _some(rng, keywords, 2, 4)
        ]
        body = [
            {
                "type": "paragraph",
                "value": (
                    f"<p>{institution.name} runs this course on {main.name.lower()} "
                    f"for {audience_text}. Participants work on realistic scenarios involving "
                    f"{' and '.join(_some(rng, keywords, 2, 2))}, and share practice with "
                    "colleagues from other academies of the network.</p>"
                ),
            }
        ]
        published = now - timedelta(days=rng.randint(0, 1500), seconds=rng.randint(0, 86400))
        page = CoursePage(
            title=title[:255],
            slug=slugify(title)[:240] or "course",
            summary=summary,
            body=body,
            learning_outcomes=outcomes,
            institution_id=institution.pk,
            target_audience=audiences,
            level=level,
            languages=languages,
            duration_hours=hours,
            delivery_modes=modes,
            is_training_of_trainers=tot,
            prerequisites=(
                "<p>Serving law enforcement officers.</p>" if level != Level.INTRODUCTORY else ""
            ),
            first_published_at=published,
            last_published_at=min(now, published + timedelta(days=rng.choice([0, 0, 30, 200]))),
            show_in_menus=False,
        )
        return page, [a.pk for a in areas]
