"""Writes for trainees, keyword-only and atomic, by concern: profiles, enrolment, notifications,
attendance, bulk enrolment from a spreadsheet, and the platform's own statements. Callers use
the names re-exported here (``services.enrolment_request``)."""

from .attendance import (
    CHECK_IN_EARLY,
    check_in,
    check_in_token,
    check_in_window,
    register_save,
)
from .bulk import (
    BULK_COLUMNS,
    BULK_MAX_ROWS,
    BulkImportError,
    enrolment_file_rows,
    enrolments_import,
)
from .enrolment import (
    TRANSITIONS,
    Kind,
    State,
    enrolment_approve,
    enrolment_nominate,
    enrolment_reject,
    enrolment_request,
    enrolment_withdraw,
    notifications_owe,
    offer_accept,
    offers_expire,
    places,
    reminders_send,
    run_cancelled,
    sessions_changed,
    trainers_sync,
    waitlist_promote,
)
from .notifications import (
    notification_send,
    notifications_owed,
)
from .profiles import (
    ERASED,
    LATIN_FIELDS,
    NAME_FIELDS,
    personal_data_erase,
    preferred_language_set,
    profile_save,
)
from .statements import (
    statement_registered,
    statements_attended,
)

__all__ = [
    "BULK_COLUMNS",
    "BULK_MAX_ROWS",
    "BulkImportError",
    "CHECK_IN_EARLY",
    "ERASED",
    "Kind",
    "LATIN_FIELDS",
    "NAME_FIELDS",
    "State",
    "TRANSITIONS",
    "check_in",
    "check_in_token",
    "check_in_window",
    "enrolment_approve",
    "enrolment_file_rows",
    "enrolment_nominate",
    "enrolment_reject",
    "enrolment_request",
    "enrolment_withdraw",
    "enrolments_import",
    "notification_send",
    "notifications_owe",
    "notifications_owed",
    "offer_accept",
    "offers_expire",
    "personal_data_erase",
    "places",
    "preferred_language_set",
    "profile_save",
    "register_save",
    "reminders_send",
    "run_cancelled",
    "sessions_changed",
    "statement_registered",
    "statements_attended",
    "trainers_sync",
    "waitlist_promote",
]
