"""xAPI's multipart/mixed bodies (statements with attachments, section 2.1.11 of the
specification's communication part): read from a request, written for a response."""

from __future__ import annotations

import hashlib
import re
import uuid

from .errors import XAPIError


def parse(content_type: str, body: bytes) -> tuple[bytes, dict[str, tuple[str, bytes]]]:
    """Split a multipart/mixed body: the statements part, and attachments by their hash
    (each part's hash checked against its content)."""
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if not match:
        raise XAPIError(400, "Content-Type: multipart/mixed needs a boundary")
    boundary = b"--" + match.group(1).encode()
    chunks = body.split(boundary)
    parts = []
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break
        chunk = chunk[2:] if chunk.startswith(b"\r\n") else chunk.lstrip(b"\n")
        head, separator, body = chunk.partition(b"\r\n\r\n")
        if not separator:
            head, separator, body = chunk.partition(b"\n\n")
        if body.endswith(b"\r\n"):
            body = body[:-2]
        elif body.endswith(b"\n"):
            body = body[:-1]
        headers = {}
        for line in head.decode("utf-8", "replace").splitlines():
            name, _colon, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        parts.append((headers, body))
    if not parts:
        raise XAPIError(400, "multipart/mixed: no parts")
    first_headers, first_body = parts[0]
    if not first_headers.get("content-type", "").startswith("application/json"):
        raise XAPIError(400, "multipart/mixed: the first part must be application/json")
    attachments = {}
    for headers, body in parts[1:]:
        digest = headers.get("x-experience-api-hash")
        if not digest:
            raise XAPIError(
                400, "multipart/mixed: every attachment part needs X-Experience-API-Hash"
            )
        if headers.get("content-transfer-encoding", "binary").lower() != "binary":
            raise XAPIError(400, "multipart/mixed: Content-Transfer-Encoding must be binary")
        actual = {
            56: hashlib.sha224,
            64: hashlib.sha256,
            96: hashlib.sha384,
            128: hashlib.sha512,
        }.get(len(digest), hashlib.sha256)(body).hexdigest()
        if actual != digest.lower():
            raise XAPIError(400, "multipart/mixed: an attachment does not match its hash")
        attachments[digest.lower()] = (headers.get("content-type", ""), body)
    return first_body, attachments


def compose(statements: bytes, attachments: list[tuple[str, str, bytes]]) -> tuple[str, bytes]:
    """A multipart/mixed body: the statements (JSON) first, then each attachment (its hash,
    content type and content). Returns the Content-Type and the body."""
    boundary = uuid.uuid4().hex
    parts = [f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode() + statements]
    for digest, content_type, content in attachments:
        parts.append(
            f"--{boundary}\r\nContent-Type: {content_type}\r\n"
            f"Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {digest}\r\n\r\n".encode()
            + content
        )
    payload = b"\r\n".join(parts) + f"\r\n--{boundary}--".encode()
    return f'multipart/mixed; boundary="{boundary}"', payload
