"""E-learning package files move from the public media tree to the private storage, which has
no URL: only the sandboxed package view serves them."""

from django.core.files.storage import storages
from django.db import migrations


def _move(source: str, target: str) -> None:
    from network.storage import storage_move_tree

    storage_move_tree(source=storages[source], target=storages[target], folder="packages")


def forwards(apps, schema_editor):
    _move("default", "private")


def backwards(apps, schema_editor):
    _move("private", "default")


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0007_lesson_package_unit"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=True)]
