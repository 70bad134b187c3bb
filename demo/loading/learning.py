"""The sample e-learning packages (samples/elearning/) on the first lessons of courses, and a
quiz in a lesson."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

from django.conf import settings

from courses.models import CoursePage, LessonPage

from .base import Loader


def load_elearning(loader: Loader) -> None:
    from elearning import services as elearning_services
    from elearning.models import LessonPackage

    samples = Path(settings.BASE_DIR) / "samples" / "elearning"
    for target in loader.data.packages:
        buffer = io.BytesIO()
        folder = samples / target["folder"]
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(folder).as_posix())
        content = buffer.getvalue()
        digest = hashlib.sha256(content).hexdigest()
        package = LessonPackage.objects.filter(sha256=digest).first()
        if package is None:
            package = elearning_services.package_upload(
                content=content,
                filename=f"{target['folder']}.zip",
                institution=loader.institutions[target["institution"]],
            )
            loader.created["package"] += 1
        else:
            loader.existing["package"] += 1
        course = CoursePage.objects.filter(locale=loader.locale, slug=target["course"]).first()
        lesson = LessonPage.objects.descendant_of(course).order_by("path").first()
        if lesson is not None and lesson.package_id != package.pk:
            lesson.package = package
            lesson.save_revision().publish()

    quiz = loader.data.quiz
    course = CoursePage.objects.filter(locale=loader.locale, slug=quiz["course"]).first()
    lessons = list(LessonPage.objects.descendant_of(course).order_by("path")[: quiz["lesson"]])
    if len(lessons) == quiz["lesson"]:
        lesson = lessons[-1]
        if not any(block.block_type == "quiz" for block in lesson.body):
            lesson.body.append(("quiz", quiz["block"]))
            lesson.pass_mark = quiz["pass_mark"]
            lesson.save_revision().publish()
