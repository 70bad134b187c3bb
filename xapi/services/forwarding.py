"""Forwarding to an external LRS through the outbox, in batches, with backoff."""

from __future__ import annotations

import json
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import (
    Attachment,
    OutboxEntry,
)

# Forwarding to an external LRS
# ---------------------------------------------------------------------------------------------

FORWARD_BATCH = 100
FORWARD_TIMEOUT = 10  # seconds, per request
FORWARD_MAX_DELAY = timedelta(hours=6)


def forward_backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... doubling, at most six hours: an LRS down for hours is tried a
    few times an hour, not every second."""
    return min(timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), FORWARD_MAX_DELAY)


def forward_body(statements: list[dict]) -> tuple[bytes, str]:
    """The POST body for a batch: JSON, or multipart/mixed when statements carry attachments
    whose content was sent with them (the receiving LRS needs the bytes too)."""
    import uuid

    digests = {
        item["sha2"].lower()
        for statement in statements
        for item in statement.get("attachments", [])
        if "fileUrl" not in item
    }
    statements_json = json.dumps(statements, ensure_ascii=False).encode("utf-8")
    if not digests:
        return statements_json, "application/json"
    boundary = uuid.uuid4().hex
    parts = [f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode() + statements_json]
    for attachment in Attachment.objects.filter(sha2__in=digests):
        parts.append(
            f"--{boundary}\r\nContent-Type: {attachment.content_type}\r\n"
            "Content-Transfer-Encoding: binary\r\n"
            f"X-Experience-API-Hash: {attachment.sha2}\r\n\r\n".encode()
            + bytes(attachment.content)
        )
    body = b"\r\n".join(parts) + f"\r\n--{boundary}--\r\n".encode()
    return body, f'multipart/mixed; boundary="{boundary}"'


# An answer about the batch's content: a smaller batch may be accepted. Other failures (down,
# overloaded, credentials refused, a timeout) concern every statement alike.
_CONTENT_REJECTED = {400, 409, 413, 422}


def _forward_send(entries) -> tuple[str, int | None]:
    """POST these entries' statements; ("", status) on success, else (error, status or None)."""
    import requests

    body, content_type = forward_body([entry.statement.data for entry in entries])
    try:
        response = requests.post(
            settings.XAPI_FORWARD_ENDPOINT.rstrip("/") + "/statements",
            data=body,
            auth=(settings.XAPI_FORWARD_KEY, settings.XAPI_FORWARD_SECRET),
            headers={"X-Experience-API-Version": "1.0.3", "Content-Type": content_type},
            timeout=FORWARD_TIMEOUT,
        )
    except requests.RequestException as exc:
        return f"{type(exc).__name__}: {exc}"[:1000], None
    if response.status_code in (200, 204):
        return "", response.status_code
    return f"HTTP {response.status_code}: {response.text[:500]}", response.status_code


def _forward_deliver(entries, *, now) -> int:
    """Deliver these entries; a batch refused for its content is split in halves, so that one
    statement the receiving LRS will not take does not hold back the others."""
    error, status = _forward_send(entries)
    if not error:
        OutboxEntry.objects.filter(pk__in=[entry.pk for entry in entries]).delete()
        # The LRS is answering again: what waits only because it was down is due now, not at
        # the end of its backoff (which may be hours away).
        OutboxEntry.objects.filter(refused=False, attempts__gt=0, next_attempt_at__gt=now).update(
            next_attempt_at=now
        )
        return len(entries)
    refused = status in _CONTENT_REJECTED
    if refused and len(entries) > 1:
        middle = len(entries) // 2
        return _forward_deliver(entries[:middle], now=now) + _forward_deliver(
            entries[middle:], now=now
        )
    for entry in entries:
        entry.attempts += 1
        entry.last_error = error
        entry.refused = refused
        entry.next_attempt_at = now + forward_backoff(entry.attempts)
    OutboxEntry.objects.bulk_update(
        entries, ["attempts", "last_error", "refused", "next_attempt_at"]
    )
    return 0


def forward_batch(*, now=None) -> int:
    """Send up to FORWARD_BATCH due statements to the external LRS in one POST, unchanged
    (as stored: the id travels with them, so a resend is recognised and not duplicated there).
    Returns how many were delivered. Entries stay until the LRS has accepted them."""
    if not getattr(settings, "XAPI_FORWARD_ENDPOINT", ""):
        return 0
    now = now or timezone.now()
    with transaction.atomic():
        entries = list(
            OutboxEntry.objects.select_for_update(skip_locked=True)
            .filter(next_attempt_at__lte=now)
            .select_related("statement")
            .order_by("next_attempt_at", "pk")[:FORWARD_BATCH]
        )
        if not entries:
            return 0
        return _forward_deliver(entries, now=now)


# ---------------------------------------------------------------------------------------------
