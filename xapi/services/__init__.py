"""Writes to the learning record store: statements (with voiding, attachments and signature
checks), documents, activity definitions and the forwarding outbox. Keyword-only, atomic.

A package by concern (statements, documents, forwarding, launches); callers use the names
re-exported here."""

from .documents import (
    document_save,
    documents_delete,
    etag_of,
)
from .forwarding import (
    FORWARD_BATCH,
    FORWARD_MAX_DELAY,
    FORWARD_TIMEOUT,
    forward_backoff,
    forward_batch,
    forward_body,
)
from .launches import (
    CMI5_CATEGORY,
    CMI5_MOVEON,
    CMI5_REASON,
    CMI5_SESSION,
    LAUNCH_HOURS,
    VERBS,
    activity_credentials,
    cmi5_fetch,
    cmi5_statement,
    launch_credentials,
    launch_token_issue,
    launch_tokens_purge,
    lesson_credentials,
    platform_credentials,
    platform_statement,
    platform_statement_data,
)
from .statements import (
    LRS_SET,
    Credentials,
    learner_agent,
    platform_authority,
    sent_hash,
    statements_store,
)

__all__ = [
    "CMI5_CATEGORY",
    "CMI5_MOVEON",
    "CMI5_REASON",
    "CMI5_SESSION",
    "Credentials",
    "FORWARD_BATCH",
    "FORWARD_MAX_DELAY",
    "FORWARD_TIMEOUT",
    "LAUNCH_HOURS",
    "LRS_SET",
    "VERBS",
    "activity_credentials",
    "cmi5_fetch",
    "cmi5_statement",
    "document_save",
    "documents_delete",
    "etag_of",
    "forward_backoff",
    "forward_batch",
    "forward_body",
    "launch_credentials",
    "launch_token_issue",
    "launch_tokens_purge",
    "learner_agent",
    "lesson_credentials",
    "platform_authority",
    "platform_credentials",
    "platform_statement",
    "platform_statement_data",
    "sent_hash",
    "statements_store",
]
