"""Signed statements (xAPI 1.0.3, 2.6): a JWS in a signature attachment whose payload is the
statement itself. The LRS checks the JWS's form and algorithm, verifies it with the certificate
it carries (x5c) when there is one, and refuses a payload that differs from the statement."""

from __future__ import annotations

import base64
import json

from .errors import XAPIError

ALGORITHMS = {"RS256", "RS384", "RS512"}
# What the LRS may add or the signer may leave out without changing what was signed.
IGNORED = {"id", "stored", "authority", "version", "attachments", "timestamp"}


def _b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def _comparable(statement: dict) -> dict:
    return {key: value for key, value in statement.items() if key not in IGNORED}


def verify(statement: dict, jws: bytes, where: str) -> None:
    import jwt
    from cryptography import x509

    try:
        text = jws.decode("ascii").strip()
        header_part, payload_part, _signature = text.split(".")
        header = json.loads(_b64(header_part))
        payload = json.loads(_b64(payload_part))
    except (UnicodeDecodeError, ValueError):
        raise XAPIError(400, f"{where}: the signature is not a JWS in compact form") from None
    if not isinstance(header, dict) or header.get("alg") not in ALGORITHMS:
        raise XAPIError(400, f"{where}: the signature must use RS256, RS384 or RS512")
    if not isinstance(payload, dict) or _comparable(payload) != _comparable(statement):
        raise XAPIError(400, f"{where}: the signed payload differs from the statement")
    signed_id = payload.get("id")
    if signed_id is not None and "id" in statement:
        same = isinstance(signed_id, str) and signed_id.lower() == statement["id"].lower()
        if not same:
            raise XAPIError(400, f"{where}: the signed payload has another id")
    chain = header.get("x5c")
    if chain:
        try:
            certificate = x509.load_der_x509_certificate(base64.b64decode(chain[0]))
            jwt.decode(
                text,
                certificate.public_key(),
                algorithms=[header["alg"]],
                options={"verify_aud": False, "verify_exp": False, "verify_iat": False},
            )
        except Exception:  # noqa: BLE001 - any failure to verify is the same refusal
            raise XAPIError(400, f"{where}: the signature does not verify") from None
