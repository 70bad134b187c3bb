"""A small OpenID Connect provider on loopback, for tests and for trying single sign-on locally.

It speaks the authorisation-code flow with PKCE: discovery, an authorisation endpoint that
signs in whichever identity the test has queued (no login form), a token endpoint that checks
the client secret, the code and the PKCE verifier and returns an RS256-signed ID token, userinfo
and the JSON Web Key Set.

Run on its own: `python -m tests.fake_oidc --port 8010`; it prints the PAN_OIDC_PROVIDERS value
to start the platform with.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CLIENT_ID = "pan-platform"
CLIENT_SECRET = "fake-provider-secret"


@dataclass
class Identity:
    sub: str
    email: str
    email_verified: bool = True
    given_name: str = ""
    family_name: str = ""

    def claims(self) -> dict:
        return {
            "sub": self.sub,
            "email": self.email,
            "email_verified": self.email_verified,
            "given_name": self.given_name,
            "family_name": self.family_name,
            "name": f"{self.given_name} {self.family_name}".strip(),
        }


@dataclass
class _Grant:
    identity: Identity
    client_id: str
    redirect_uri: str
    code_challenge: str
    nonce: str | None


@dataclass
class FakeOIDCProvider:
    host: str = "127.0.0.1"
    port: int = 0
    identity: Identity | None = None
    token_requests: int = 0
    _grants: dict[str, _Grant] = field(default_factory=dict)
    _tokens: dict[str, Identity] = field(default_factory=dict)

    def __post_init__(self):
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._kid = secrets.token_hex(4)
        self._server = ThreadingHTTPServer((self.host, self.port), self._handler_class())
        self.port = self._server.server_address[1]
        self._thread: threading.Thread | None = None

    @property
    def issuer(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> FakeOIDCProvider:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def app_settings(self, provider_id: str = "academy-idp", name: str = "Academy sign-in"):
        return {
            "provider_id": provider_id,
            "name": name,
            "client_id": CLIENT_ID,
            "secret": CLIENT_SECRET,
            "settings": {"server_url": self.issuer},
        }

    # -- protocol ------------------------------------------------------------------------------

    def _configuration(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
        }

    def _jwks(self) -> dict:
        jwk = json.loads(RSAAlgorithm.to_jwk(self._key.public_key()))
        jwk.update({"kid": self._kid, "use": "sig", "alg": "RS256"})
        return {"keys": [jwk]}

    def _authorize(self, query: dict) -> tuple[int, dict, bytes]:
        if self.identity is None or query.get("client_id") != CLIENT_ID:
            return 400, {}, b"no identity queued or unknown client"
        code = secrets.token_urlsafe(16)
        self._grants[code] = _Grant(
            identity=self.identity,
            client_id=query["client_id"],
            redirect_uri=query["redirect_uri"],
            code_challenge=query.get("code_challenge", ""),
            nonce=query.get("nonce"),
        )
        target = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
        return 302, {"Location": target}, b""

    def _token(self, form: dict) -> tuple[int, dict, bytes]:
        self.token_requests += 1
        grant = self._grants.pop(form.get("code", ""), None)
        if (
            grant is None
            or form.get("client_id") != CLIENT_ID
            or form.get("client_secret") != CLIENT_SECRET
            or form.get("redirect_uri") != grant.redirect_uri
        ):
            return 400, {}, json.dumps({"error": "invalid_grant"}).encode()
        if grant.code_challenge:
            verifier = form.get("code_verifier", "").encode()
            digest = hashlib.sha256(verifier).digest()
            challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if challenge != grant.code_challenge:
                return 400, {}, json.dumps({"error": "invalid_grant"}).encode()
        access_token = secrets.token_urlsafe(24)
        self._tokens[access_token] = grant.identity
        now = int(time.time())
        claims = {
            **grant.identity.claims(),
            "iss": self.issuer,
            "aud": grant.client_id,
            "iat": now,
            "exp": now + 300,
        }
        if grant.nonce:
            claims["nonce"] = grant.nonce
        id_token = jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": self._kid})
        body = {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        }
        return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()

    def _userinfo(self, authorization: str) -> tuple[int, dict, bytes]:
        identity = self._tokens.get(authorization.removeprefix("Bearer ").strip())
        if identity is None:
            return 401, {}, b""
        return 200, {"Content-Type": "application/json"}, json.dumps(identity.claims()).encode()

    def _handler_class(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _send(self, status, headers, body):
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _json(self, payload):
                self._send(200, {"Content-Type": "application/json"}, json.dumps(payload).encode())

            def do_GET(self):
                url = urlparse(self.path)
                query = {key: values[0] for key, values in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    self._json(provider._configuration())
                elif url.path == "/jwks":
                    self._json(provider._jwks())
                elif url.path == "/authorize":
                    self._send(*provider._authorize(query))
                elif url.path == "/userinfo":
                    self._send(*provider._userinfo(self.headers.get("Authorization", "")))
                else:
                    self._send(404, {}, b"")

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode())
                form = {key: values[0] for key, values in form.items()}
                if urlparse(self.path).path == "/token":
                    self._send(*provider._token(form))
                else:
                    self._send(404, {}, b"")

        return Handler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8010)
    parser.add_argument("--email", default="sso.officer@example.org")
    parser.add_argument("--unverified", action="store_true")
    args = parser.parse_args()
    provider = FakeOIDCProvider(port=args.port)
    provider.identity = Identity(
        sub="officer-1",
        email=args.email,
        email_verified=not args.unverified,
        given_name="Ana",
        family_name="Officer",
    )
    app = provider.app_settings()
    print("Start the platform with:")
    print(
        "PAN_OIDC_PROVIDERS='"
        + json.dumps(
            [{**{k: v for k, v in app.items() if k != "settings"}, "server_url": provider.issuer}]
        )
        + "' make run"
    )
    print(f"Signing in as {args.email} (verified: {not args.unverified}) on {provider.issuer}")
    provider._server.serve_forever()


if __name__ == "__main__":
    main()
