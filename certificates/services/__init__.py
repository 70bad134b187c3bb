"""Writes for certificates: issuing (automatic, manual, bulk), name corrections, revocation,
withdrawal on erasure, and the template preview.

Issuing is idempotent by construction: a certificate row is inserted with ON CONFLICT DO
NOTHING against the unique (person, run, kind, version) constraint, so a task delivered twice
or two workers racing insert one row; the loser's rendered file is deleted. A revoked
certificate is never issued again: its version 1 row still exists.

A package by concern (layouts, issuing, expiry, corrections, previews); callers use the
names re-exported here."""

from .corrections import (
    certificate_correct,
    certificate_revoke,
    personal_data_erase,
)
from .expiry import (
    expiry_digest_send,
    expiry_reminders_owe,
    holders_enrol_in_refresher,
)
from .issuing import (
    CHUNK,
    certificates_issue,
    changed,
    code_new,
    ended_runs_check,
    logger,
    person_check,
    run_certify,
    run_check,
)
from .previews import (
    template_preview_pdf,
    template_preview_response,
)

__all__ = [
    "CHUNK",
    "certificate_correct",
    "certificate_revoke",
    "certificates_issue",
    "changed",
    "code_new",
    "ended_runs_check",
    "expiry_digest_send",
    "expiry_reminders_owe",
    "holders_enrol_in_refresher",
    "logger",
    "person_check",
    "personal_data_erase",
    "run_certify",
    "run_check",
    "template_preview_pdf",
    "template_preview_response",
]
