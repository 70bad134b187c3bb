"""The site's pages are the website app's now (their tables keep their names; see website
0001). An institution's page is any page of the tree to this app: the foreign key points at
Wagtail's page table, whose ids are the same."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("pan_network", "0006_erasure_request"),
        ("website", "0001_pages_moved_here"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AlterField(
            model_name="institution",
            name="page",
            field=models.OneToOneField(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="space_of",
                to="wagtailcore.page",
                verbose_name="page",
            ),
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="HomePage"),
                migrations.DeleteModel(name="InstitutionIndexPage"),
                migrations.DeleteModel(name="InstitutionPage"),
            ],
        ),
    ]
