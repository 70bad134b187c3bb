"""Reads for trainees, by concern (profiles, enrolment, learning); callers use the names
re-exported here."""

from .enrolment import (
    AttendanceSummary,
    attendance_export,
    attendance_summaries,
    attendance_table,
    certifiable_enrolments,
    enrolled_runs_of_course_lesson,
    enrolment_for,
    enrolment_queue,
    enrolment_queue_size,
    managed_run_list,
    my_learning,
    my_sessions,
    nominations,
    open_runs_for_nomination,
    places_left_annotations,
    register,
    run_detail,
    run_ids_of_person,
    trainer_runs,
)
from .learning import (
    check_in_count,
    enrolment_is_over,
    waitlist_positions,
    withdrawal_consequence,
)
from .profiles import (
    personal_data,
    profile_for,
    profile_is_complete,
)

__all__ = [
    "AttendanceSummary",
    "attendance_export",
    "attendance_summaries",
    "attendance_table",
    "certifiable_enrolments",
    "check_in_count",
    "enrolled_runs_of_course_lesson",
    "enrolment_for",
    "enrolment_is_over",
    "enrolment_queue",
    "enrolment_queue_size",
    "managed_run_list",
    "my_learning",
    "my_sessions",
    "nominations",
    "open_runs_for_nomination",
    "personal_data",
    "places_left_annotations",
    "profile_for",
    "profile_is_complete",
    "register",
    "run_detail",
    "run_ids_of_person",
    "trainer_runs",
    "waitlist_positions",
    "withdrawal_consequence",
]
