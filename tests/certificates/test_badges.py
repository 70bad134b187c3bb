"""Open Badges 3.0 credentials as VC-JWT (Ed25519) and the Bitstring revocation status list.

The checks decode with PyJWT from the published JWK only, and undo gzip and multibase by hand,
so they do not lean on the module's own helpers."""

import base64
import dataclasses
import gzip
import hashlib
import json
import time
from datetime import UTC, datetime, timedelta, timezone

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ImproperlyConfigured

from certificates import badges

# RFC 8037 appendix A: an Ed25519 seed ("d"), its public key ("x") and its RFC 7638 thumbprint.
RFC8037_D = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
RFC8037_X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
RFC8037_THUMBPRINT = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"

# The example BitstringStatusListCredential of the W3C Bitstring Status List v1.0: 16 KB of 0s.
W3C_EXAMPLE_LIST = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"

ISSUED = datetime(2025, 3, 14, 9, 26, 53, 589000, tzinfo=timezone(timedelta(hours=1)))
EXPIRES = datetime(2028, 3, 14, 9, 26, 53, tzinfo=UTC)
LIST_URL = "https://pan.example/badges/status/revocation/"
ISSUER_ID = "https://pan.example/badges/issuers/7/"


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def make_data(**changes) -> badges.BadgeData:
    data = badges.BadgeData(
        credential_id="https://pan.example/verify/K7Q2M9XRT4BNC/",
        name="Certificate of completion: Cybercrime investigation",
        description="Completed the course Cybercrime investigation.",
        issuer_id=ISSUER_ID,
        issuer_name="Police Academy of Serbia",
        issuer_url="https://www.kpu.edu.rs/",
        achievement_id="https://pan.example/badges/achievements/12/completion/",
        achievement_name="Cybercrime investigation",
        achievement_type=badges.ACHIEVEMENT_TYPE_COMPLETION,
        criteria="Attended every session and passed the final assessment.",
        holder_name="Jelena Petrovic",
        holder_email="Jelena.Petrovic@example.org",
        salt="q5Vd3kX0",
        issued_at=ISSUED,
        expires_at=EXPIRES,
        status_index=94567,
        status_list_url=LIST_URL,
        key_url="https://pan.example/badges/keys/abc.json",
    )
    return dataclasses.replace(data, **changes)


def decode_with_published_key(token: str, **options) -> dict:
    return jwt.decode(
        token, key=jwt.PyJWK(badges.public_jwk()), algorithms=["EdDSA"], options=options
    )


def bits_of(encoded_list: str) -> bytes:
    assert encoded_list.startswith("u")
    return gzip.decompress(b64url_decode(encoded_list[1:]))


def bit(bitstring: bytes, index: int) -> int:
    return (bitstring[index // 8] >> (7 - index % 8)) & 1


# --- keys ---------------------------------------------------------------------------------


def test_key_is_derived_from_secret_key_and_stable(settings):
    settings.PAN_BADGE_SIGNING_KEY = ""
    first = badges.public_jwk()
    assert badges.public_jwk() == first
    assert first["kty"] == "OKP" and first["crv"] == "Ed25519"
    assert first["use"] == "sig" and first["alg"] == "EdDSA"
    assert first["kid"] == badges.key_id()
    assert "d" not in first
    assert len(b64url_decode(first["x"])) == 32
    assert badges.jwks() == {"keys": [first]}

    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789-abcdefghij"
    assert badges.public_jwk()["x"] != first["x"]


def test_configured_seed_is_used(settings):
    settings.PAN_BADGE_SIGNING_KEY = ""
    derived_kid = badges.key_id()

    settings.PAN_BADGE_SIGNING_KEY = RFC8037_D
    assert badges.public_jwk()["x"] == RFC8037_X
    assert badges.key_id() == RFC8037_THUMBPRINT
    assert badges.key_id() != derived_kid

    # What is signed now verifies with the configured key, not with the derived one.
    token = badges.credential_jwt(make_data())
    assert jwt.get_unverified_header(token)["jwk"]["x"] == RFC8037_X
    decode_with_published_key(token)
    settings.PAN_BADGE_SIGNING_KEY = ""
    with pytest.raises(jwt.InvalidSignatureError):
        decode_with_published_key(token)


def test_thumbprint_follows_rfc7638():
    members = {"kty": "OKP", "crv": "Ed25519", "x": RFC8037_X}
    canonical = '{"crv":"Ed25519","kty":"OKP","x":"' + RFC8037_X + '"}'
    assert b64url_encode(hashlib.sha256(canonical.encode()).digest()) == RFC8037_THUMBPRINT
    assert badges.jwk_thumbprint({**members, "kid": "ignored", "use": "sig"}) == RFC8037_THUMBPRINT


@pytest.mark.parametrize("value", ["not base64!", b64url_encode(b"\x01" * 31)])
def test_bad_configured_seed_is_refused(settings, value):
    settings.PAN_BADGE_SIGNING_KEY = value
    with pytest.raises(ImproperlyConfigured):
        badges.signing_key()


# --- the credential -----------------------------------------------------------------------


def test_credential_fields():
    doc = badges.credential(make_data())
    assert doc["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert doc["id"] == "https://pan.example/verify/K7Q2M9XRT4BNC/"
    assert doc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert doc["issuer"] == {
        "id": ISSUER_ID,
        "type": ["Profile"],
        "name": "Police Academy of Serbia",
        "url": "https://www.kpu.edu.rs/",
    }
    # VCDM 2.0 dates, in UTC to the second.
    assert doc["validFrom"] == "2025-03-14T08:26:53Z"
    assert doc["validUntil"] == "2028-03-14T09:26:53Z"
    assert "issuanceDate" not in doc and "expirationDate" not in doc
    assert doc["name"] == "Certificate of completion: Cybercrime investigation"

    subject = doc["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["id"].startswith("urn:uuid:")
    email, name = subject["identifier"]
    # Salted SHA-256 of the address (stripped, lower-cased) followed by the salt.
    expected = hashlib.sha256(b"jelena.petrovic@example.orgq5Vd3kX0").hexdigest()
    assert email == {
        "type": "IdentityObject",
        "identityType": "emailAddress",
        "hashed": True,
        "identityHash": f"sha256${expected}",
        "salt": "q5Vd3kX0",
    }
    assert "jelena.petrovic@example.org" not in json.dumps(doc).lower()
    assert name == {
        "type": "IdentityObject",
        "identityType": "name",
        "hashed": False,
        "identityHash": "Jelena Petrovic",
    }
    nameless = badges.credential(make_data(holder_name=""))
    assert [i["identityType"] for i in nameless["credentialSubject"]["identifier"]] == [
        "emailAddress"
    ]

    achievement = subject["achievement"]
    assert achievement == {
        "id": "https://pan.example/badges/achievements/12/completion/",
        "type": ["Achievement"],
        "achievementType": "CertificateOfCompletion",
        "name": "Cybercrime investigation",
        "description": "Completed the course Cybercrime investigation.",
        "criteria": {"narrative": "Attended every session and passed the final assessment."},
    }
    assert doc["credentialStatus"] == {
        "id": f"{LIST_URL}#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": LIST_URL,
    }
    assert doc["credentialSchema"] == [
        {
            "id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
            "ob_v3p0_achievementcredential_schema.json",
            "type": "1EdTechJsonSchemaValidator2019",
        }
    ]


def test_credential_without_expiry_and_trainer_type():
    doc = badges.credential(
        make_data(expires_at=None, achievement_type=badges.ACHIEVEMENT_TYPE_TRAINER)
    )
    assert "validUntil" not in doc
    assert doc["credentialSubject"]["achievement"]["achievementType"] == "Certification"


@pytest.mark.parametrize(
    "changes",
    [
        {"issued_at": datetime(2025, 3, 14, 9, 0)},  # naive
        {"achievement_type": "Participation"},  # not in the OB vocabulary
        {"salt": ""},
        {"status_index": -1},
    ],
)
def test_bad_data_is_refused(changes):
    with pytest.raises(ValueError):
        badges.credential(make_data(**changes))


def test_extension_achievement_type_is_accepted():
    doc = badges.credential(make_data(achievement_type="ext:TrainerOfTrainers"))
    assert doc["credentialSubject"]["achievement"]["achievementType"] == "ext:TrainerOfTrainers"


# --- VC-JWT -------------------------------------------------------------------------------


def test_jwt_verifies_with_published_jwk_and_has_the_ob_header():
    data = make_data()
    token = badges.credential_jwt(data)
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "EdDSA"
    assert header["typ"] == "JWT"
    assert header["kid"] == data.key_url
    assert header["jwk"] == badges.public_jwk()
    assert "d" not in header["jwk"]
    assert set(header) <= {"alg", "kid", "jwk", "typ"}  # OB 3.0 allows no other header

    payload = decode_with_published_key(token)
    doc = badges.credential(data)
    assert payload["iss"] == doc["issuer"]["id"] == ISSUER_ID
    assert payload["jti"] == doc["id"]
    assert payload["sub"] == doc["credentialSubject"]["id"]
    assert payload["nbf"] == int(datetime(2025, 3, 14, 8, 26, 53, tzinfo=UTC).timestamp())
    assert payload["exp"] == int(EXPIRES.timestamp())
    assert datetime.fromtimestamp(payload["nbf"], UTC) == datetime.fromisoformat(doc["validFrom"])
    # The payload is the credential itself (no "vc" wrapper), plus the claims.
    assert "vc" not in payload
    claims = {"iss", "jti", "sub", "nbf", "exp"}
    assert {k: v for k, v in payload.items() if k not in claims} == doc


def test_jwt_is_deterministic_and_verify_jwt_returns_payload():
    data = make_data()
    token = badges.credential_jwt(data)
    assert badges.credential_jwt(data) == token
    assert badges.verify_jwt(token) == decode_with_published_key(token)


def test_tampered_payload_does_not_verify():
    token = badges.credential_jwt(make_data())
    header, payload, signature = token.split(".")
    claims = json.loads(b64url_decode(payload))
    claims["credentialSubject"]["achievement"]["name"] = "Cybercrime investigatioN"
    forged = ".".join([header, b64url_encode(json.dumps(claims).encode()), signature])
    with pytest.raises(jwt.InvalidSignatureError):
        decode_with_published_key(forged)
    with pytest.raises(jwt.InvalidSignatureError):
        badges.verify_jwt(forged)

    # One character of the encoded payload changed.
    position = len(payload) // 2
    replacement = "A" if payload[position] != "A" else "B"
    flipped = payload[:position] + replacement + payload[position + 1 :]
    with pytest.raises(jwt.InvalidTokenError):
        decode_with_published_key(".".join([header, flipped, signature]))


def test_key_from_another_seed_does_not_verify():
    token = badges.credential_jwt(make_data())
    other = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"another seed").digest())
    raw = other.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    other_jwk = {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(raw), "alg": "EdDSA"}
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(token, key=jwt.PyJWK(other_jwk), algorithms=["EdDSA"])

    # And a token that other key signed is refused by verify_jwt.
    payload = decode_with_published_key(token)
    foreign = jwt.encode(payload, other, algorithm="EdDSA")
    with pytest.raises(jwt.InvalidSignatureError):
        badges.verify_jwt(foreign)


def test_verify_jwt_checks_claims_against_the_credential():
    payload = decode_with_published_key(badges.credential_jwt(make_data()))
    payload["jti"] = "https://pan.example/verify/SOMETHINGELSE/"
    token = jwt.encode(payload, badges.signing_key(), algorithm="EdDSA")
    with pytest.raises(jwt.InvalidTokenError, match="jti"):
        badges.verify_jwt(token)

    del payload["iss"]
    token = jwt.encode(payload, badges.signing_key(), algorithm="EdDSA")
    with pytest.raises(jwt.MissingRequiredClaimError):
        badges.verify_jwt(token)


def test_verify_jwt_and_expiry():
    data = make_data(
        issued_at=datetime(2020, 1, 1, tzinfo=UTC), expires_at=datetime(2021, 1, 1, tzinfo=UTC)
    )
    token = badges.credential_jwt(data)
    with pytest.raises(jwt.ExpiredSignatureError):
        badges.verify_jwt(token)
    assert badges.verify_jwt(token, verify_dates=False)["validUntil"] == "2021-01-01T00:00:00Z"


def test_issuer_profile():
    key_url = f"https://pan.example/badges/keys/{badges.key_id()}.json"
    profile = badges.issuer_profile(
        issuer_id=ISSUER_ID,
        name="Police Academy of Serbia",
        url="https://www.kpu.edu.rs/",
        key_url=key_url,
        email="info@example.org",
    )
    assert profile["@context"][:2] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert profile["id"] == ISSUER_ID
    assert profile["type"] == ["Profile"]
    assert profile["name"] == "Police Academy of Serbia"
    assert profile["url"] == "https://www.kpu.edu.rs/"
    assert profile["email"] == "info@example.org"
    (method,) = profile["verificationMethod"]
    assert method["id"] == key_url and method["controller"] == ISSUER_ID
    assert method["publicKeyJwk"] == badges.public_jwk()
    assert profile["assertionMethod"] == [key_url]
    no_email = badges.issuer_profile(issuer_id=ISSUER_ID, name="X", url="", key_url=key_url)
    assert "email" not in no_email and "url" not in no_email


# --- the revocation status list -----------------------------------------------------------


def test_status_list_credential_shape_and_bits():
    revoked = [0, 7, 8, 94567, 131_071]
    doc = badges.status_list_credential(
        list_url=LIST_URL, issuer_id=ISSUER_ID, revoked=revoked, issued_at=ISSUED
    )
    assert doc["@context"] == ["https://www.w3.org/ns/credentials/v2"]
    assert doc["id"] == LIST_URL
    assert doc["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert doc["issuer"] == ISSUER_ID
    assert doc["validFrom"] == "2025-03-14T08:26:53Z"
    subject = doc["credentialSubject"]
    assert subject["type"] == "BitstringStatusList"
    assert subject["statusPurpose"] == "revocation"
    assert subject["id"] != LIST_URL

    # Decoded independently: multibase "u" + base64url without padding, then gzip.
    encoded = subject["encodedList"]
    assert "=" not in encoded
    bitstring = bits_of(encoded)
    assert len(bitstring) * 8 == 131_072
    # Index 0 is the left-most bit of the first byte.
    assert bitstring[0] == 0b1000_0001 and bitstring[1] == 0b1000_0000
    assert {i for i in range(len(bitstring) * 8) if bit(bitstring, i)} == set(revoked)

    for index in revoked:
        assert badges.is_revoked(doc, index)
    for index in (1, 6, 9, 94566, 94568, 131_070):
        assert not badges.is_revoked(doc, index)
    with pytest.raises(IndexError):
        badges.is_revoked(doc, 131_072)


def test_status_list_minimum_size_and_growth():
    empty = badges.status_list_credential(
        list_url=LIST_URL, issuer_id=ISSUER_ID, revoked=[], issued_at=ISSUED
    )
    assert bits_of(empty["credentialSubject"]["encodedList"]) == bytes(16 * 1024)

    small = badges.status_list_credential(
        list_url=LIST_URL, issuer_id=ISSUER_ID, revoked=[3], size=1000, issued_at=ISSUED
    )
    assert len(bits_of(small["credentialSubject"]["encodedList"])) * 8 == 131_072

    large = badges.status_list_credential(
        list_url=LIST_URL, issuer_id=ISSUER_ID, revoked=[5, 300_000], issued_at=ISSUED
    )
    bitstring = bits_of(large["credentialSubject"]["encodedList"])
    assert len(bitstring) * 8 == 3 * 131_072  # grows in whole steps of the minimum
    assert bit(bitstring, 300_000) == 1
    assert badges.is_revoked(large, 300_000) and not badges.is_revoked(large, 299_999)

    sized = badges.status_list_credential(
        list_url=LIST_URL, issuer_id=ISSUER_ID, revoked=[250_000], size=200_000, issued_at=ISSUED
    )
    bitstring = bits_of(sized["credentialSubject"]["encodedList"])
    assert len(bitstring) * 8 >= 250_001
    assert badges.is_revoked(sized, 250_000)


def test_status_list_is_deterministic_and_fast():
    revoked = list(range(0, 200_000, 97))
    kwargs = {"list_url": LIST_URL, "issuer_id": ISSUER_ID, "issued_at": ISSUED}
    started = time.perf_counter()
    doc = badges.status_list_credential(revoked=revoked, size=200_000, **kwargs)
    elapsed = time.perf_counter() - started
    assert elapsed < 0.25, f"building the list took {elapsed * 1000:.1f} ms"
    assert badges.status_list_credential(revoked=iter(revoked), size=200_000, **kwargs) == doc


def test_is_revoked_reads_the_jwt_form():
    token = badges.status_list_jwt(
        list_url=LIST_URL,
        issuer_id=ISSUER_ID,
        revoked=[42, 94567],
        issued_at=ISSUED,
        key_url="https://pan.example/badges/keys/abc.json",
    )
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "EdDSA" and header["kid"] == "https://pan.example/badges/keys/abc.json"
    payload = decode_with_published_key(token)
    assert payload["iss"] == ISSUER_ID and payload["jti"] == LIST_URL
    assert payload["sub"] == payload["credentialSubject"]["id"]
    assert badges.is_revoked(token, 42)
    assert badges.is_revoked(token, 94567)
    assert not badges.is_revoked(token, 43)

    # Without a key URL the header carries the public key itself.
    bare = badges.status_list_jwt(
        list_url=LIST_URL, issuer_id=ISSUER_ID, revoked=[1], issued_at=ISSUED
    )
    assert "kid" not in jwt.get_unverified_header(bare)
    assert badges.is_revoked(bare, 1)

    header_part, payload_part, signature = token.split(".")
    claims = json.loads(b64url_decode(payload_part))
    claims["credentialSubject"]["encodedList"] = badges.status_list_credential(
        list_url=LIST_URL, issuer_id=ISSUER_ID, revoked=[], issued_at=ISSUED
    )["credentialSubject"]["encodedList"]
    forged = ".".join([header_part, b64url_encode(json.dumps(claims).encode()), signature])
    with pytest.raises(jwt.InvalidSignatureError):
        badges.is_revoked(forged, 42)


def test_is_revoked_reads_the_w3c_example_and_refuses_bad_lists():
    example = {"type": "BitstringStatusList", "statusPurpose": "revocation"}
    assert bits_of(W3C_EXAMPLE_LIST) == bytes(16 * 1024)
    assert not badges.is_revoked({**example, "encodedList": W3C_EXAMPLE_LIST}, 94567)

    short = "u" + b64url_encode(gzip.compress(bytes(1024)))
    with pytest.raises(ValueError):
        badges.is_revoked({**example, "encodedList": short}, 0)
    with pytest.raises(ValueError):
        badges.is_revoked({**example, "encodedList": W3C_EXAMPLE_LIST[1:]}, 0)
    with pytest.raises(ValueError):
        badges.is_revoked(
            {**example, "statusPurpose": "suspension", "encodedList": W3C_EXAMPLE_LIST}, 0
        )


@pytest.mark.parametrize(
    "native",
    ["محمد نوری\u200cزاده", "יוסף בן־דוד", "山田花子", "김민준", "สมชาย ใจดี", "ნინო კაპანაძე"],
)
def test_the_signed_credential_carries_the_name_in_its_own_script_unchanged(native):
    token = badges.credential_jwt(
        make_data(holder_name="Latin Spelling", holder_name_native=native)
    )
    names = [
        i["identityHash"]
        for i in decode_with_published_key(token, verify_exp=False)["credentialSubject"][
            "identifier"
        ]
        if i["identityType"] == "name"
    ]
    assert names == [native, "Latin Spelling"]  # byte for byte, joiners included


def test_a_name_written_in_latin_letters_is_given_once():
    doc = badges.credential(
        make_data(holder_name="Şükrü Öztürk", holder_name_native="Şükrü Öztürk")
    )
    names = [i for i in doc["credentialSubject"]["identifier"] if i["identityType"] == "name"]
    assert len(names) == 1
