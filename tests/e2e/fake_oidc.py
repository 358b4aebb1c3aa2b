"""A tiny OpenID Connect provider on 127.0.0.1, for driving st.login end to end in a browser.

It speaks just enough of the protocol for Authlib (which Streamlit uses): discovery, an
authorization endpoint that shows a one-field "who are you" form and redirects back with a code,
a token endpoint that checks the client secret and returns an RS256-signed ID token with the
nonce it was given, and the JWKS to verify it. Test use only: anyone may be anyone here.
"""
from __future__ import annotations

import base64
import html
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

from authlib.jose import JsonWebKey, jwt

CLIENT_ID = "clusterboard"
CLIENT_SECRET = "test-only-client-secret"


class FakeProvider:
    def __init__(self) -> None:
        self.key = JsonWebKey.generate_key("RSA", 2048, is_private=True)
        self.kid = "test-key"
        self.codes: dict[str, dict] = {}  # code -> {email, nonce}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def __enter__(self) -> "FakeProvider":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def metadata(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        }

    def id_token(self, email: str, nonce: str | None) -> str:
        now = int(time.time())
        claims = {"iss": self.issuer, "sub": email, "aud": CLIENT_ID, "iat": now, "exp": now + 600,
                  "email": email, "email_verified": True, "name": email.split("@")[0]}
        if nonce:
            claims["nonce"] = nonce
        return jwt.encode({"alg": "RS256", "kid": self.kid}, claims, self.key).decode()

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep the test output quiet
                pass

            def _send(self, status: int, body: str, content_type: str = "application/json", headers=None) -> None:
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    self._send(200, json.dumps(provider.metadata()))
                elif url.path == "/jwks":
                    public = provider.key.as_dict(is_private=False) | {"kid": provider.kid, "use": "sig", "alg": "RS256"}
                    self._send(200, json.dumps({"keys": [public]}))
                elif url.path == "/authorize":
                    hidden = "".join(f"<input type='hidden' name='{html.escape(k)}' value='{html.escape(v)}'>"
                                     for k, v in query.items())
                    self._send(200, "<html><body><h1>Test identity provider</h1><form method='post' action='/login'>"
                                    f"{hidden}<label>E-mail <input name='email' aria-label='E-mail'></label>"
                                    "<button type='submit'>Continue</button></form></body></html>", "text/html")
                else:
                    self._send(404, "{}")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if self.path == "/login":
                    code = secrets.token_urlsafe(16)
                    provider.codes[code] = {"email": form["email"], "nonce": form.get("nonce")}
                    target = form["redirect_uri"] + "?" + urlencode({"code": code, "state": form.get("state", "")})
                    self._send(302, "", "text/plain", {"Location": target})
                elif self.path == "/token":
                    if not self._client_ok(form):
                        self._send(401, json.dumps({"error": "invalid_client"}))
                        return
                    grant = provider.codes.pop(form.get("code", ""), None)
                    if grant is None:
                        self._send(400, json.dumps({"error": "invalid_grant"}))
                        return
                    self._send(200, json.dumps({"access_token": secrets.token_urlsafe(16), "token_type": "Bearer",
                                                "expires_in": 600,
                                                "id_token": provider.id_token(grant["email"], grant["nonce"])}))
                else:
                    self._send(404, "{}")

            def _client_ok(self, form: dict) -> bool:
                auth = self.headers.get("Authorization", "")
                if auth.startswith("Basic "):
                    user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
                    return (user, password) == (CLIENT_ID, CLIENT_SECRET)
                return (form.get("client_id"), form.get("client_secret")) == (CLIENT_ID, CLIENT_SECRET)

        return Handler
