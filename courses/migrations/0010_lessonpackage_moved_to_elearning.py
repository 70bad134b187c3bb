"""The e-learning package model is the elearning app's now (its table keeps its name; see
elearning 0003): lesson pages point at it there."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0009_package_kinds_scorm"),
        ("elearning", "0003_packages_and_progress_moved_here"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="lessonpage",
                    name="package",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="lessons",
                        to="elearning.lessonpackage",
                        verbose_name="e-learning package",
                        help_text="An xAPI (TinCan), cmi5 or SCORM package uploaded under "
                        "E-learning packages.",
                    ),
                ),
                migrations.DeleteModel(name="LessonPackage"),
            ],
        ),
    ]
