"""Certificate PDFs move from the public media tree to the private storage, which has no URL."""

from django.core.files.storage import storages
from django.db import migrations, models

import network.storage


def _move(source: str, target: str) -> None:
    from network.storage import storage_move_tree

    storage_move_tree(source=storages[source], target=storages[target], folder="certificates")


def forwards(apps, schema_editor):
    _move("default", "private")


def backwards(apps, schema_editor):
    _move("private", "default")


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="certificate",
            name="pdf",
            field=models.FileField(
                blank=True,
                storage=network.storage.get_private_storage,
                upload_to="certificates/",
                verbose_name="PDF",
            ),
        ),
        migrations.RunPython(forwards, backwards, elidable=True),
    ]
