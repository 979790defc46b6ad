"""A relying party (a district system that logs people in through egov), run as its own
process by tests/accounts/test_oidc_login.py. Built with authlib's OAuth 2 client (PKCE)
and joserfc (the ID token's signature, checked with egov's published JWKS); no Django.

    python oidc_rp.py ISSUER CLIENT_ID CLIENT_SECRET PORT

It listens on 127.0.0.1:PORT and prints "ready" when it does:
  /login     sends the browser to egov's authorization endpoint (code flow, S256, nonce)
  /callback  exchanges the code, verifies the ID token, reads userinfo; answers JSON
  /check     asks egov about its access token again (userinfo, introspection); JSON
"""

from __future__ import annotations

import json
import secrets
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import requests
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt
from joserfc.jwk import KeySet

ISSUER, CLIENT_ID, CLIENT_SECRET, PORT = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
REDIRECT = f"http://127.0.0.1:{PORT}/callback"
SCOPE = "openid profile body roles"

provider = requests.get(f"{ISSUER}/.well-known/openid-configuration", timeout=10).json()
assert provider["issuer"] == ISSUER, provider["issuer"]
state: dict = {}


def session() -> OAuth2Session:
    return OAuth2Session(
        CLIENT_ID,
        CLIENT_SECRET,
        scope=SCOPE,
        redirect_uri=REDIRECT,
        code_challenge_method="S256",
    )


def verify_id_token(id_token: str) -> dict:
    keys = KeySet.import_key_set(requests.get(provider["jwks_uri"], timeout=10).json())
    token = jwt.decode(id_token, keys, algorithms=["RS256"])
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": ISSUER},
        aud={"essential": True, "value": CLIENT_ID},
        nonce={"essential": True, "value": state["nonce"]},
        exp={"essential": True},
        sub={"essential": True},
    ).validate(token.claims)
    return token.claims


def check() -> dict:
    access_token = state["token"]["access_token"]
    info = requests.get(
        provider["userinfo_endpoint"],
        headers={"Authorization": f"Bearer {access_token}"},
        timeout=10,
    )
    introspection = requests.post(
        # Not in OpenID Connect discovery: egov's introspection endpoint (RFC 7662).
        provider.get("introspection_endpoint", f"{ISSUER}/introspect/"),
        data={"token": access_token},
        auth=(CLIENT_ID, CLIENT_SECRET),
        timeout=10,
    )
    return {
        "userinfo_status": info.status_code,
        "introspection_status": introspection.status_code,
        "introspection": introspection.json(),
    }


class Handler(BaseHTTPRequestHandler):
    def _json(self, data: dict, status: int = 200) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 - the standard library's name
        url = urlparse(self.path)
        try:
            if url.path == "/login":
                state["verifier"] = secrets.token_urlsafe(48)
                state["nonce"] = secrets.token_urlsafe(16)
                uri, state["state"] = session().create_authorization_url(
                    provider["authorization_endpoint"],
                    code_verifier=state["verifier"],
                    nonce=state["nonce"],
                )
                self.send_response(302)
                self.send_header("Location", uri)
                self.end_headers()
            elif url.path == "/callback":
                query = parse_qs(url.query)
                if query.get("state") != [state["state"]]:
                    return self._json({"error": "state mismatch"}, 400)
                if "error" in query:
                    return self._json({"error": query["error"][0]}, 400)
                token = session().fetch_token(
                    provider["token_endpoint"],
                    authorization_response=f"http://127.0.0.1:{PORT}{self.path}",
                    code_verifier=state["verifier"],
                    state=state["state"],
                )
                state["token"] = token
                claims = verify_id_token(token["id_token"])
                self._json({"id_token": claims, **check()})
            elif url.path == "/check":
                self._json(check())
            else:
                self._json({"error": "not found"}, 404)
        except Exception as exc:  # noqa: BLE001 - reported to the test, which fails on it
            self._json({"error": f"{type(exc).__name__}: {exc}"}, 500)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
    print("ready", flush=True)
    server.serve_forever()
