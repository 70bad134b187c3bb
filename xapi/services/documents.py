"""State, activity profile and agent profile documents (with ETags)."""

from __future__ import annotations

import hashlib
import json

from django.db import transaction
from django.utils import timezone

from ..errors import XAPIError
from ..models import (
    Document,
)

# Documents
# ---------------------------------------------------------------------------------------------


def etag_of(content: bytes) -> str:
    return hashlib.sha1(content).hexdigest()  # noqa: S324 (an ETag, not a security digest)


def _is_json_object(content: bytes) -> dict | None:
    try:
        value = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


@transaction.atomic
def document_save(
    *,
    scope: dict,
    content: bytes,
    content_type: str,
    merge: bool,
    if_match: str | None = None,
    if_none_match: str | None = None,
    require_precondition: bool = False,
) -> Document:
    """PUT (replace) or POST (merge JSON objects) one document, honouring ETag preconditions."""
    existing = Document.objects.select_for_update().filter(**scope).first()
    if if_match is not None:
        tags = {tag.strip().strip('"') for tag in if_match.split(",")}
        if existing is None or ("*" not in tags and existing.etag not in tags):
            raise XAPIError(412, "If-Match does not match the document's current ETag")
    if if_none_match is not None and existing is not None and if_none_match.strip() == "*":
        raise XAPIError(412, "If-None-Match: * but the document exists")
    if require_precondition and if_match is None and if_none_match is None:
        if existing is not None:
            raise XAPIError(
                409, "the document exists: send If-Match with its ETag (or If-None-Match: *)"
            )
        raise XAPIError(400, "PUT needs If-Match or If-None-Match (If-None-Match: * to create)")
    if merge and existing is not None:
        old = _is_json_object(bytes(existing.content))
        new = _is_json_object(content)
        if old is None or new is None or not existing.content_type.startswith("application/json"):
            raise XAPIError(400, "POST merges JSON objects only: send a JSON object, or use PUT")
        content = json.dumps({**old, **new}).encode()
        content_type = "application/json"
    elif merge and _is_json_object(content) is None and content_type.startswith("application/json"):
        raise XAPIError(400, "POST of a JSON document needs a JSON object")
    now = timezone.now()
    if existing is None:
        existing = Document(**scope)
    existing.content = content
    existing.content_type = content_type or "application/octet-stream"
    existing.etag = etag_of(content)
    existing.updated = now
    existing.save()
    return existing


@transaction.atomic
def documents_delete(*, scope: dict, if_match: str | None = None) -> int:
    documents = Document.objects.select_for_update().filter(**scope)
    if if_match is not None:
        tags = {tag.strip().strip('"') for tag in if_match.split(",")}
        first = documents.first()
        if first is None or ("*" not in tags and first.etag not in tags):
            raise XAPIError(412, "If-Match does not match the document's current ETag")
    count, _detail = documents.delete()
    return count


# ---------------------------------------------------------------------------------------------
