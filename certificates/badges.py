"""Open Badges 3.0 credentials for PAN certificates, signed as VC-JWT with Ed25519, and the
revocation status list that goes with them.

Pure functions: no database, no models, no views. The callers hand in plain values
(`BadgeData`) and publish what comes back (JSON documents and compact JWS strings).

What the specifications say, and what this module does about it
---------------------------------------------------------------

Open Badges 3.0 (1EdTech, https://www.imsglobal.org/spec/ob/v3p0/, the data model is based on
the W3C Verifiable Credentials Data Model 2.0):

* ``@context`` is an ordered list: first ``https://www.w3.org/ns/credentials/v2``, then the OB
  context; the newest OB context file is ``context-3.0.3.json`` (the errata keep older ones
  resolvable but recommend the newest).
* Because the data model is VCDM 2.0, the dates are ``validFrom`` (required) and ``validUntil``
  (optional); ``issuanceDate``/``expirationDate`` belong to VCDM 1.1 credentials only.
  ``awardedDate`` keeps the original award date should ``validFrom`` change on a re-issue.
* ``credentialSubject`` needs either an ``id`` or at least one ``identifier`` (IdentityObject).
  The IdentityHash is ``"sha256$" + hex(sha256(utf8(identifier + salt)))``. The email goes in
  hashed and salted; the holder's name, if given, goes in as a plain IdentityObject of type
  "name" (the implementation guide's way of letting people who do not know the email see whose
  badge it is).
* ``credentialSchema`` points at the 1EdTech JSON schema with the type
  ``1EdTechJsonSchemaValidator2019``; ``credentialStatus`` needs an ``id`` (a URL) and a ``type``.

VC-JWT, "JSON Web Token Proof Format" of OB 3.0 (section 8.2):

* The JWT payload IS the OpenBadgeCredential JSON, with the registered claims added at its top
  level: ``iss`` = ``issuer.id``, ``jti`` = ``id``, ``sub`` = ``credentialSubject.id``,
  ``nbf`` = ``validFrom`` and ``exp`` = ``validUntil`` (only when there is one). There is no
  ``vc`` claim: that wrapper is the VCDM 1.1 way, which OB 3.0 verifiers only accept as a
  fallback. No ``iat`` either (not defined by OB; left out).
* JOSE header: ``alg`` (RS256 is the only algorithm OB *requires* verifiers to know; others are
  "permitted but limit interoperability", and we use EdDSA on Ed25519), ``kid`` (a URI that
  dereferences to the public JWK) and/or ``jwk`` (the public JWK itself), and ``typ``, which
  when present MUST be ``"JWT"``. No other header is allowed. The credentials carry all four;
  a status list JWT made without a key URL carries no ``kid``.
* The verifier checks that ``iss``, ``sub``, ``nbf`` and ``jti`` are present and equal to the
  credential's fields, and reads ``exp`` as ``validUntil``; `verify_jwt` does the same.
* ``sub`` is a required claim and must equal ``credentialSubject.id``, while the 1EdTech
  implementation guide suggests leaving ``credentialSubject.id`` out when the learner has no
  DID. To satisfy the normative rule without exposing anything personal, the subject gets a
  pseudonymous ``urn:uuid:`` derived from the credential's own id (see `subject_id`).

Bitstring Status List v1.0 (W3C Recommendation):

* The credential carries a ``BitstringStatusListEntry`` (``statusPurpose`` "revocation",
  ``statusListIndex`` as a base-10 string, ``statusListCredential`` the list's URL); the entry's
  own ``id``, if given, must not be the list's URL, so it is ``<list url>#<index>``.
* The list is a ``BitstringStatusListCredential`` whose subject is a ``BitstringStatusList``;
  ``encodedList`` is multibase base64url ("u" prefix, no padding) of the GZIP-compressed
  bitstring; index 0 is the left-most (most significant) bit of the first byte; the list holds
  at least 131,072 entries (16 KB) so that a holder hides in the crowd.
* The terms of the status list are part of the VCDM 2.0 context, so the list needs no other.
* The list should be secured the same way as the credentials pointing at it, so
  `status_list_jwt` produces the same VC-JWT form.

Note: the verification section of OB 3.0 only names the status type ``1EdTechRevocationList``;
an OB verifier that knows only that type will skip the Bitstring entry rather than reject the
credential.

Over 500 lines: the credential, its signature and the status list follow one specification
(Open Badges 3.0 with the Bitstring Status List) and are read together."""

from __future__ import annotations

import base64
import binascii
import functools
import gzip
import hashlib
import hmac
import json
import operator
import uuid
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
# Controlled Identifiers v1.0 (W3C): the terms for publishing keys (verificationMethod,
# JsonWebKey, publicKeyJwk, assertionMethod) in the issuer profile.
CID_CONTEXT = "https://www.w3.org/ns/cid/v1"
OB_CREDENTIAL_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
OB_SCHEMA_VALIDATOR = "1EdTechJsonSchemaValidator2019"

JWT_ALGORITHM = "EdDSA"
JWT_TYPE = "JWT"  # OB 3.0: "typ", if present, MUST be "JWT"

# Bitstring Status List v1.0: 131,072 entries (16 KB uncompressed) at the least.
STATUS_LIST_MIN_BITS = 131_072
# A verifier reading someone's list refuses to inflate more than this (a gzip bomb guard).
STATUS_LIST_MAX_BYTES = 16 * 1024 * 1024

# The OB 3.0 achievementType vocabulary (AchievementType enumeration). It is extensible: other
# terms must start with "ext:".
ACHIEVEMENT_TYPES = frozenset(
    {
        "Achievement",
        "ApprenticeshipCertificate",
        "Assessment",
        "Assignment",
        "AssociateDegree",
        "Award",
        "Badge",
        "BachelorDegree",
        "Certificate",
        "CertificateOfCompletion",
        "Certification",
        "CommunityService",
        "Competency",
        "Course",
        "CoCurricular",
        "Degree",
        "Diploma",
        "DoctoralDegree",
        "Fieldwork",
        "GeneralEducationDevelopment",
        "JourneymanCertificate",
        "LearningProgram",
        "License",
        "Membership",
        "ProfessionalDoctorate",
        "QualityAssuranceCredential",
        "MasterCertificate",
        "MasterDegree",
        "MicroCredential",
        "ResearchDoctorate",
        "SecondarySchoolDiploma",
    }
)
# Participation and completion certificates: "credential that acknowledges completion of an
# assignment, training or other activity".
ACHIEVEMENT_TYPE_COMPLETION = "CertificateOfCompletion"
# Trainer certification: "time-limited, revocable, renewable credential awarded by an
# authoritative body for demonstrating the knowledge, skills, and abilities to perform specific
# tasks or an occupation". Not "License", which is a legal authority granted by a government
# agency, and not "Certificate", which designates the knowledge of a whole occupation/programme.
ACHIEVEMENT_TYPE_TRAINER = "Certification"

_KEY_DERIVATION_LABEL = b"pan-training-platform/certificates/badges/ed25519-signing-key/v1"


@dataclass(frozen=True)
class BadgeData:
    credential_id: str  # stable URL of this credential, e.g. "https://pan.example/verify/K7Q2…/"
    name: str  # e.g. "Certificate of completion: Cybercrime investigation"
    description: str  # the achievement's description, also shown as the credential's
    issuer_id: str  # stable URL of the issuer profile, e.g. ".../badges/issuers/7/"
    issuer_name: str  # e.g. "Police Academy of Serbia"
    issuer_url: str  # the institution's public page
    achievement_id: str  # stable URL, e.g. ".../badges/achievements/12/completion/"
    achievement_name: str
    # From the OB 3.0 vocabulary (ACHIEVEMENT_TYPES): ACHIEVEMENT_TYPE_COMPLETION
    # ("CertificateOfCompletion") for participation/completion certificates,
    # ACHIEVEMENT_TYPE_TRAINER ("Certification") for a trainer certification.
    achievement_type: str
    criteria: str  # narrative of the rules met
    holder_name: str  # Latin transliteration; an unhashed "name" identifier when not empty
    holder_email: str  # hashed into the subject's identifier (salted sha256), never in clear
    salt: str
    issued_at: datetime  # aware
    expires_at: datetime | None
    status_index: int  # position in the revocation status list
    status_list_url: str  # e.g. "https://pan.example/badges/status/revocation/"
    key_url: str  # where the public key is published (the JWT `kid`)
    # The name in the holder's own script, exactly as on the certificate ("محمد نوری‌زاده",
    # "김민준"); a second "name" identifier, first, when it differs from the Latin spelling.
    holder_name_native: str = ""


# --- keys ---------------------------------------------------------------------------------


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    text = text.strip()
    return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)


def _seed() -> bytes:
    configured = getattr(settings, "PAN_BADGE_SIGNING_KEY", "") or ""
    if configured:
        try:
            seed = _b64url_decode(configured)
        except (binascii.Error, ValueError):
            raise ImproperlyConfigured("PAN_BADGE_SIGNING_KEY is not base64url") from None
        if len(seed) != 32:
            raise ImproperlyConfigured(
                "PAN_BADGE_SIGNING_KEY must be the base64url of a 32-byte Ed25519 seed"
            )
        return seed
    secret = settings.SECRET_KEY
    if not secret:
        raise ImproperlyConfigured("SECRET_KEY is empty: no badge signing key can be derived")
    if isinstance(secret, str):
        secret = secret.encode("utf-8")
    return hmac.new(secret, _KEY_DERIVATION_LABEL, hashlib.sha256).digest()


@functools.lru_cache(maxsize=8)
def _key_from_seed(seed: bytes) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(seed)


def signing_key() -> Ed25519PrivateKey:
    """The issuing key: the seed in ``settings.PAN_BADGE_SIGNING_KEY`` (base64url, 32 bytes)
    when set, otherwise one derived from SECRET_KEY (HMAC-SHA256 over a fixed label), so a
    development machine needs no extra secret and the key survives restarts."""
    return _key_from_seed(_seed())


def _public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _okp_members(key: Ed25519PublicKey) -> dict:
    return {"kty": "OKP", "crv": "Ed25519", "x": _b64url(_public_bytes(key))}


def jwk_thumbprint(jwk: dict) -> str:
    """RFC 7638 thumbprint of an OKP public JWK (RFC 8037 section 2: members crv, kty, x)."""
    required = {name: jwk[name] for name in ("crv", "kty", "x")}
    canonical = json.dumps(required, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return _b64url(hashlib.sha256(canonical.encode("utf-8")).digest())


def key_id() -> str:
    """RFC 7638 JWK thumbprint (base64url) of the public key."""
    return jwk_thumbprint(_okp_members(signing_key().public_key()))


def public_jwk() -> dict:
    """The public key as a JWK (never with "d")."""
    members = _okp_members(signing_key().public_key())
    return {**members, "kid": jwk_thumbprint(members), "use": "sig", "alg": JWT_ALGORITHM}


def jwks() -> dict:
    return {"keys": [public_jwk()]}


# --- the credential -----------------------------------------------------------------------


def _utc_seconds(value: datetime, field: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{field} must be an aware datetime")
    return value.astimezone(UTC).replace(microsecond=0)


def _datetime_z(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def identity_hash(email: str, salt: str) -> str:
    """OB IdentityHash of an email address: "sha256$" + hex sha256 of email + salt (UTF-8).
    The address is stripped and lower-cased first, so a verifier must do the same."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode("utf-8")).hexdigest()
    return f"sha256${digest}"


def subject_id(credential_id: str) -> str:
    """The pseudonymous ``credentialSubject.id`` (and JWT ``sub``) of a credential: a name-based
    UUID of the credential's id, so it says nothing about the holder and is stable."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{credential_id}#subject").urn


def _status_index(value: int) -> int:
    index = operator.index(value)
    if index < 0:
        raise ValueError("a status list index is 0 or more")
    return index


def credential(data: BadgeData) -> dict:
    """The OpenBadgeCredential (unsigned) for one certificate."""
    if data.achievement_type not in ACHIEVEMENT_TYPES and not data.achievement_type.startswith(
        "ext:"
    ):
        raise ValueError(f"not an OB 3.0 achievementType: {data.achievement_type!r}")
    if not data.salt:
        raise ValueError("an email identity hash without a salt is too easy to reverse")
    index = _status_index(data.status_index)
    valid_from = _datetime_z(_utc_seconds(data.issued_at, "issued_at"))

    identifiers = [
        {
            "type": "IdentityObject",
            "identityType": "emailAddress",
            "hashed": True,
            "identityHash": identity_hash(data.holder_email, data.salt),
            "salt": data.salt,
        }
    ]
    # Shown by displayers to whoever the holder shares the badge with, as on the paper
    # certificate (the implementation guide's "name identifier" practice). Not hashed.
    names = [data.holder_name_native, data.holder_name]
    for name in dict.fromkeys(n for n in names if n):
        identifiers.append(
            {
                "type": "IdentityObject",
                "identityType": "name",
                "hashed": False,
                "identityHash": name,
            }
        )

    issuer = {"id": data.issuer_id, "type": ["Profile"], "name": data.issuer_name}
    if data.issuer_url:
        issuer["url"] = data.issuer_url

    doc: dict = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": data.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer,
        "validFrom": valid_from,
    }
    if data.expires_at is not None:
        doc["validUntil"] = _datetime_z(_utc_seconds(data.expires_at, "expires_at"))
    doc.update(
        {
            "awardedDate": valid_from,
            "name": data.name,
            "description": data.description,
            "credentialSubject": {
                "id": subject_id(data.credential_id),
                "type": ["AchievementSubject"],
                "identifier": identifiers,
                "achievement": {
                    "id": data.achievement_id,
                    "type": ["Achievement"],
                    "achievementType": data.achievement_type,
                    "name": data.achievement_name,
                    "description": data.description,
                    "criteria": {"narrative": data.criteria},
                },
            },
            "credentialStatus": {
                "id": f"{data.status_list_url}#{index}",
                "type": "BitstringStatusListEntry",
                "statusPurpose": "revocation",
                "statusListIndex": str(index),
                "statusListCredential": data.status_list_url,
            },
            "credentialSchema": [{"id": OB_CREDENTIAL_SCHEMA, "type": OB_SCHEMA_VALIDATOR}],
        }
    )
    return doc


# --- VC-JWT -------------------------------------------------------------------------------


def _parse_z(text: str) -> int:
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


def _issuer_id(doc: dict) -> str:
    issuer = doc["issuer"]
    return issuer["id"] if isinstance(issuer, dict) else issuer


def _claims(doc: dict) -> dict:
    """The credential with the OB 3.0 JWT claims added at its top level."""
    claims = {
        **doc,
        "iss": _issuer_id(doc),
        "jti": doc["id"],
        "sub": doc["credentialSubject"]["id"],
        "nbf": _parse_z(doc["validFrom"]),
    }
    if "validUntil" in doc:
        claims["exp"] = _parse_z(doc["validUntil"])
    return claims


def _sign(doc: dict, key_url: str | None) -> str:
    headers: dict = {"typ": JWT_TYPE, "jwk": public_jwk()}
    if key_url:
        headers["kid"] = key_url
    return jwt.encode(_claims(doc), signing_key(), algorithm=JWT_ALGORITHM, headers=headers)


def credential_jwt(data: BadgeData) -> str:
    """The credential as a compact VC-JWT (JWS, EdDSA over Ed25519)."""
    return _sign(credential(data), data.key_url)


def _check_mapping(payload: dict) -> None:
    """OB 3.0 section 8.2.4.1: the claims must agree with the credential they wrap."""
    if "credentialSubject" not in payload:
        return
    mismatches = []
    if payload.get("iss") != _issuer_id(payload):
        mismatches.append("iss")
    if payload.get("jti") != payload.get("id"):
        mismatches.append("jti")
    if payload.get("sub") != payload["credentialSubject"].get("id"):
        mismatches.append("sub")
    if "validFrom" not in payload or payload.get("nbf") != _parse_z(payload["validFrom"]):
        mismatches.append("nbf")
    if "exp" in payload and (
        "validUntil" not in payload or payload["exp"] != _parse_z(payload["validUntil"])
    ):
        mismatches.append("exp")
    if mismatches:
        raise jwt.InvalidTokenError("claims do not match the credential: " + ", ".join(mismatches))


def verify_jwt(token: str, *, verify_dates: bool = True, leeway: int = 0) -> dict:
    """Verify a VC-JWT made here with our public key and return its payload (the credential
    plus its claims). Raises a ``jwt.InvalidTokenError`` (``jwt.InvalidSignatureError`` for a
    bad signature; ``jwt.ExpiredSignatureError`` past ``exp`` unless ``verify_dates`` is
    false; a plain ``InvalidTokenError`` when the claims disagree with the credential)."""
    payload = jwt.decode(
        token,
        key=signing_key().public_key(),
        algorithms=[JWT_ALGORITHM],
        options={
            "require": ["iss", "jti", "sub", "nbf"],
            "verify_exp": verify_dates,
            "verify_nbf": verify_dates,
        },
        leeway=leeway,
    )
    try:
        _check_mapping(payload)
    except (AttributeError, KeyError, TypeError, ValueError):
        raise jwt.InvalidTokenError("the credential in the token is malformed") from None
    return payload


# --- issuer profile -----------------------------------------------------------------------


def issuer_profile(*, issuer_id: str, name: str, url: str, key_url: str, email: str = "") -> dict:
    """The OB 3.0 Profile to publish at ``issuer_id``, with the public key as a JsonWebKey
    verification method (Controlled Identifiers v1.0) whose id is the JWT ``kid``."""
    profile: dict = {
        "@context": [VC_CONTEXT, OB_CONTEXT, CID_CONTEXT],
        "id": issuer_id,
        "type": ["Profile"],
        "name": name,
    }
    if url:
        profile["url"] = url
    if email:
        profile["email"] = email
    profile["verificationMethod"] = [
        {
            "id": key_url,
            "type": "JsonWebKey",
            "controller": issuer_id,
            "publicKeyJwk": public_jwk(),
        }
    ]
    profile["assertionMethod"] = [key_url]
    return profile


# --- the revocation status list -----------------------------------------------------------


def _bitstring(revoked: Iterable[int], size: int | None) -> bytes:
    indexes = [_status_index(i) for i in revoked]
    needed = max(indexes, default=-1) + 1
    if size is None:
        # Grow in steps of the minimum, so the list's length says little about how many
        # certificates were issued.
        bits = max(STATUS_LIST_MIN_BITS, -(-needed // STATUS_LIST_MIN_BITS) * STATUS_LIST_MIN_BITS)
    else:
        bits = max(STATUS_LIST_MIN_BITS, operator.index(size), needed)
    buffer = bytearray((bits + 7) // 8)
    for index in indexes:
        buffer[index >> 3] |= 0x80 >> (index & 7)  # index 0 = left-most bit of byte 0
    return bytes(buffer)


def encode_bitstring(bitstring: bytes) -> str:
    """Multibase base64url (prefix "u", no padding) of the GZIP-compressed bitstring. The gzip
    header's time is 0, so the same list always gives the same text."""
    return "u" + _b64url(gzip.compress(bitstring, compresslevel=9, mtime=0))


def decode_bitstring(encoded: str) -> bytes:
    """The inverse of `encode_bitstring`, refusing anything that inflates past
    STATUS_LIST_MAX_BYTES."""
    if not encoded.startswith("u"):
        raise ValueError("encodedList is not multibase base64url (no 'u' prefix)")
    try:
        compressed = _b64url_decode(encoded[1:])
    except (binascii.Error, ValueError):
        raise ValueError("encodedList is not valid base64url") from None
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # gzip framing
    try:
        bitstring = inflater.decompress(compressed, STATUS_LIST_MAX_BYTES)
    except zlib.error:
        raise ValueError("encodedList is not GZIP data") from None
    if inflater.unconsumed_tail:
        raise ValueError("status list too large")
    return bitstring


def status_list_credential(
    *,
    list_url: str,
    issuer_id: str,
    revoked: Iterable[int],
    size: int | None = None,
    issued_at: datetime,
) -> dict:
    """The BitstringStatusListCredential with the given indexes set. ``size`` is the number of
    entries; it is raised to 131,072 and to whatever covers the largest index. Without it the
    list grows in whole steps of 131,072 entries."""
    return {
        "@context": [VC_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": _datetime_z(_utc_seconds(issued_at, "issued_at")),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bitstring(_bitstring(revoked, size)),
        },
    }


def status_list_jwt(
    *,
    list_url: str,
    issuer_id: str,
    revoked: Iterable[int],
    size: int | None = None,
    issued_at: datetime,
    key_url: str | None = None,
) -> str:
    """The status list credential as a VC-JWT in the same form as the credentials (the status
    list spec asks for the same securing mechanism). Without ``key_url`` the header carries
    only the ``jwk``, which OB 3.0 allows."""
    doc = status_list_credential(
        list_url=list_url, issuer_id=issuer_id, revoked=revoked, size=size, issued_at=issued_at
    )
    return _sign(doc, key_url)


def is_revoked(status_list: dict | str, index: int) -> bool:
    """Read the bit at ``index`` of a revocation status list: the credential (or its
    ``credentialSubject``) as a dict, or its VC-JWT, which is verified with our key first.
    Raises ValueError for a list that is not a revocation list, too short or malformed, and
    IndexError for an index past its end."""
    if isinstance(status_list, str):
        status_list = verify_jwt(status_list, verify_dates=False)
    subject = status_list.get("credentialSubject", status_list)
    purposes = subject.get("statusPurpose")
    if isinstance(purposes, str):
        purposes = [purposes]
    if "revocation" not in (purposes or []):
        raise ValueError("not a revocation status list")
    bitstring = decode_bitstring(subject["encodedList"])
    if len(bitstring) * 8 < STATUS_LIST_MIN_BITS:
        raise ValueError("status list shorter than 131,072 entries")
    position = _status_index(index)
    if position >= len(bitstring) * 8:
        raise IndexError("status list index out of range")
    return bool(bitstring[position >> 3] & (0x80 >> (position & 7)))
