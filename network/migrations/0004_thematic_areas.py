"""Thematic areas: the priorities of the Strategic Framework for Police-Related Activities
(PC.DEC/1049, section V(c)) and the cross-cutting areas of the network's work."""

import uuid

from django.conf import settings
from django.db import migrations

# (slug, name, kind, parent slug)
AREAS = [
    ("police-development-reform", "General police development and reform", "priority", None),
    ("community-policing", "Community policing and police-public partnerships", "priority",
     "police-development-reform"),
    ("police-training", "Police education and training", "priority", "police-development-reform"),
    ("victims-hate-crime", "Victims of crime and hate crime", "priority",
     "police-development-reform"),
    ("gender-mainstreaming", "Gender mainstreaming and multi-ethnic policing", "priority",
     "police-development-reform"),
    ("anti-corruption", "Anti-corruption", "priority", "police-development-reform"),
    ("organized-crime", "Organized crime", "priority", None),
    ("terrorism", "Terrorism and violent extremism", "priority", None),
    ("illicit-drugs", "Illicit drugs and chemical precursors", "priority", None),
    ("trafficking-human-beings", "Trafficking in human beings", "priority", None),
    ("cybercrime", "Cybercrime", "priority", None),
    ("intelligence-led-policing", "Intelligence-led policing", "cross_cutting", None),
    ("gender-based-violence", "Gender-based violence", "cross_cutting", None),
    ("border-management", "Border security and management", "cross_cutting", None),
    ("human-rights", "Human rights and police accountability", "cross_cutting", None),
    ("financial-investigations", "Financial investigations and asset recovery", "cross_cutting",
     None),
]  # fmt: skip


def load(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    ThematicArea = apps.get_model("pan_network", "ThematicArea")
    locale, _created = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    by_slug = {}
    for order, (slug, name, kind, parent) in enumerate(AREAS):
        area, _created = ThematicArea.objects.get_or_create(
            slug=slug,
            locale=locale,
            defaults={
                "name": name,
                "kind": kind,
                "sort_order": order * 10,
                "translation_key": uuid.uuid4(),
                "parent": by_slug.get(parent),
            },
        )
        by_slug[slug] = area


def unload(apps, schema_editor):
    apps.get_model("pan_network", "ThematicArea").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pan_network", "0003_countries"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]
    operations = [migrations.RunPython(load, unload)]
