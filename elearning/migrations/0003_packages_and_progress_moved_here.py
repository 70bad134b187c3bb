"""E-learning packages (made by the courses app) and lesson progress (made by the trainees app)
become the elearning app's. Only Django's idea of which app holds them changes: the tables
keep their names and rows, and the content types (with the permissions that hang on them)
move to the new app label."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


MOVED = [("courses", "lessonpackage"), ("trainees", "lessonprogress")]


def _move_content_types(apps, moves) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    for source, target, model in moves:
        if not content_type.objects.filter(app_label=target, model=model).exists():
            content_type.objects.filter(app_label=source, model=model).update(app_label=target)


def _content_types_to_elearning(apps, schema_editor) -> None:
    _move_content_types(apps, [(label, "elearning", model) for label, model in MOVED])


def _content_types_back(apps, schema_editor) -> None:
    _move_content_types(apps, [("elearning", label, model) for label, model in MOVED])


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('courses', '0009_package_kinds_scorm'),
        ('trainees', '0008_notification_certificate_expiring'),
        ('elearning', '0002_commit_sequences_per_player'),
        ('pan_network', '0006_erasure_request'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
        migrations.CreateModel(
            name='LessonPackage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=255, verbose_name='title')),
                ('kind', models.CharField(choices=[('tincan', 'xAPI (TinCan)'), ('cmi5', 'cmi5'), ('scorm12', 'SCORM 1.2'), ('scorm2004', 'SCORM 2004')], editable=False, max_length=16, verbose_name='kind')),
                ('course_id', models.CharField(editable=False, max_length=2048, verbose_name='course IRI')),
                ('manifest', models.JSONField(default=dict, editable=False)),
                ('sha256', models.CharField(editable=False, max_length=64)),
                ('size', models.PositiveBigIntegerField(default=0, editable=False)),
                ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='uploaded at')),
                ('institution', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='packages', to='pan_network.institution', verbose_name='institution')),
                ('uploaded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'e-learning package',
                'verbose_name_plural': 'e-learning packages',
                'db_table': 'courses_lessonpackage',
            },
        ),
        migrations.AlterField(
            model_name='scormattempt',
            name='package',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='scorm_attempts', to='elearning.lessonpackage'),
        ),
        migrations.CreateModel(
            name='LessonProgress',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('registration', models.UUIDField()),
                ('status', models.CharField(choices=[('viewed', 'Started'), ('completed', 'Completed'), ('failed', 'Failed'), ('passed', 'Passed'), ('waived', 'Waived')], max_length=16, verbose_name='status')),
                ('completed', models.BooleanField(default=False, verbose_name='completed')),
                ('satisfied', models.BooleanField(default=False, verbose_name='satisfied (cmi5 move on)')),
                ('score', models.FloatField(blank=True, null=True, verbose_name='best score (scaled)')),
                ('attempts', models.PositiveIntegerField(default=0, verbose_name='quiz attempts')),
                ('waiver_reason', models.CharField(blank=True, choices=[('Tested Out', 'Tested out'), ('Equivalent AU', 'Completed an equivalent lesson'), ('Equivalent Outside Activity', 'Equivalent training elsewhere'), ('Administrative', 'Administrative decision')], max_length=32, verbose_name='waiver reason')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                ('lesson', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='progress', to='courses.lessonpage')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='lesson_progress', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'lesson progress',
                'verbose_name_plural': 'lesson progress',
                'db_table': 'trainees_lessonprogress',
                'constraints': [models.UniqueConstraint(fields=('user', 'lesson'), name='one_progress_per_lesson')],
            },
        ),
            ],
        ),
        migrations.RunPython(_content_types_to_elearning, _content_types_back),
    ]
