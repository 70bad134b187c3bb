"""E-learning: packages uploaded and stored, lessons launched (TinCan, cmi5 and the authored
lesson player), quizzes graded on the server, and each person's progress in each lesson derived
from the statements the learning record store receives.

It sits above the course pages (courses), the LRS (xapi) and enrolment (trainees): it uses
them, and they learn of e-learning only through the events it subscribes to
(`receivers.py`).

A package by concern (uploads, launch, progress, scorm_attempts); callers use the names
re-exported here."""

from .launch import (
    lesson_launch,
    lesson_player,
    quiz_submit,
)
from .progress import (
    lesson_progress_start,
    lesson_waive,
    progress_record,
)
from .scorm_attempts import (
    MAX_REPLAYED_COMMITS,
    SCORM_PROFILE_CATEGORY,
    package_origin,
    scorm_commit,
    scorm_launch,
    scorm_replay,
    scorm_runtime,
)
from .uploads import (
    package_upload,
)

__all__ = [
    "MAX_REPLAYED_COMMITS",
    "SCORM_PROFILE_CATEGORY",
    "lesson_launch",
    "lesson_player",
    "lesson_progress_start",
    "lesson_waive",
    "package_origin",
    "package_upload",
    "progress_record",
    "quiz_submit",
    "scorm_commit",
    "scorm_launch",
    "scorm_replay",
    "scorm_runtime",
]
