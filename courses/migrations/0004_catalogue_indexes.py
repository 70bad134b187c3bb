"""Indexes the catalogue's queries need on tables that belong to Wagtail.

- Listing by title stops after one page of results instead of sorting every live page.
- On PostgreSQL, full-text search matches `title || body` of Wagtail's search index entries;
  an expression index on exactly that lets the match use an index instead of scanning.
"""

from django.db import migrations

TITLE_INDEX = "pan_page_title_id_idx"
SEARCH_INDEX = "pan_indexentry_title_body_gin"


def create(apps, schema_editor):
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TITLE_INDEX} ON wagtailcore_page (title, id)"
    )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {SEARCH_INDEX} ON wagtailsearch_indexentry "
            "USING gin ((title || body))"
        )


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {TITLE_INDEX}")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {SEARCH_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_facet_counts"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]
    operations = [migrations.RunPython(create, drop)]
