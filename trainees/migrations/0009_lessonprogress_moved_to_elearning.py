"""Lesson progress is the elearning app's now (its table keeps its name; see elearning 0003)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("trainees", "0008_notification_certificate_expiring"),
        ("elearning", "0003_packages_and_progress_moved_here"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="LessonProgress")],
        ),
    ]
