"""A local OpenID Connect provider that behaves as the FranceConnect v2 documentation says.

Like FranceConnect's own « FranceConnect fictif », it shows a page where one picks a test
identity, and it answers as the real platform does:

- `GET  {issuer}/.well-known/openid-configuration`  the discovery document;
- `GET  {issuer}/authorize`   checks the request (registered client and redirect URI,
  `response_type=code`, `openid` scope, `state` and `nonce` of 32 characters at least,
  `acr_values`), then sends the browser to `{issuer}/interaction/<id>`, the identity page;
- `POST {issuer}/token`       client_secret_post; codes are single-use and live 60 seconds;
  a replayed code is refused and revokes what it gave; the id_token is signed (ES256 for
  FranceConnect, RS256 for the ProConnect flavour) and carries `acr`, `nonce`, `at_hash`;
- `GET  {issuer}/userinfo`    a signed JWT (`Content-Type: application/jwt`);
- `GET  {issuer}/jwks`        the public keys;
- `GET  {issuer}/session/end` checks `id_token_hint` and `post_logout_redirect_uri` and sends
  the browser back there with `state`.

It is plain Python (the standard library and joserfc), with no Django: `socle
fake_franceconnect --port 8001` serves it for the demo, and the tests start it in a thread
(`FakeProviderServer`). Tests make it misbehave through `provider.misbehave` (wrong `iss`,
`aud`, `nonce`, expired token, unsigned or wrongly signed userinfo, `alg=none`…) and rotate
its keys with `provider.rotate_keys()`.

Never expose it beyond loopback: anyone can pick any identity.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

from joserfc import jwt
from joserfc.jwk import ECKey, KeyParameters, RSAKey

from socle.demo.servers import LoopbackServer

CODE_LIFETIME = 60
TOKEN_LIFETIME = 60
DEMO_CLIENT_ID = "socle-demo"
DEMO_CLIENT_SECRET = "socle-demo-secret-not-for-production"  # noqa: S105 - local fake only


@dataclass(frozen=True)
class FakeIdentity:
    """A fictitious person the identity page offers."""

    key: str
    claims: dict[str, Any]

    @property
    def label(self) -> str:
        c = self.claims
        name = f"{c.get('given_name', '')} {c.get('family_name') or c.get('usual_name', '')}"
        extra = c.get("birthdate") or c.get("email") or ""
        return f"{name.strip()} — {extra}" if extra else name.strip()


# The identité pivot of a few fictitious citizens (birthplace and birthcountry are INSEE
# codes: 99100 is France; a person born abroad has no birthplace).
FRANCECONNECT_IDENTITIES = (
    FakeIdentity(
        "angela",
        {
            "given_name": "Angela Claire Louise",
            "family_name": "DUBOIS",
            "preferred_username": "",
            "birthdate": "1962-08-24",
            "birthplace": "75107",
            "birthcountry": "99100",
            "gender": "female",
            "email": "angela.dubois@example.fr",
        },
    ),
    FakeIdentity(
        "pierre",
        {
            "given_name": "Pierre",
            "family_name": "MERCIER",
            "preferred_username": "",
            "birthdate": "1969-03-17",
            "birthplace": "33063",
            "birthcountry": "99100",
            "gender": "male",
            "email": "pierre.mercier@example.fr",
        },
    ),
    FakeIdentity(
        # Same email as the demo's local citizen account: shows that FranceConnect's email
        # never opens an existing account.
        "camille",
        {
            "given_name": "Camille",
            "family_name": "CITOYENNE",
            "preferred_username": "",
            "birthdate": "1990-05-12",
            "birthplace": "33318",
            "birthcountry": "99100",
            "gender": "female",
            "email": "citoyen@example.fr",
        },
    ),
    FakeIdentity(
        "eric",
        {
            "given_name": "Eric",
            "family_name": "MARTIN",
            "preferred_username": "",
            "birthdate": "1985-11-02",
            "birthplace": "",
            "birthcountry": "99134",
            "gender": "male",
            "email": "eric.martin@example.fr",
        },
    ),
)

# Agents as ProConnect describes them (the SIRET numbers are fictitious).
PROCONNECT_IDENTITIES = (
    FakeIdentity(
        "anne",
        {
            "given_name": "Anne",
            "usual_name": "Agent",
            "email": "agent@pessac.socle.localhost",
            "siret": "21330318800015",
            "uid": "anne-agent",
        },
    ),
    FakeIdentity(
        "paul",
        {
            "given_name": "Paul",
            "usual_name": "Administrateur",
            "email": "admin@pessac.socle.localhost",
            "siret": "21330318800015",
            "uid": "paul-admin",
        },
    ),
    FakeIdentity(
        "inconnu",
        {
            "given_name": "Nadia",
            "usual_name": "Nouvelle",
            "email": "nadia.nouvelle@pessac.socle.localhost",
            "siret": "21330318800015",
            "uid": "nadia-nouvelle",
        },
    ),
)

# Which claims each scope opens, as FranceConnect v2 and ProConnect define them.
SCOPE_CLAIMS = {
    "given_name": ["given_name", "given_name_array"],
    "family_name": ["family_name"],
    "preferred_username": ["preferred_username"],
    "birthdate": ["birthdate"],
    "birthplace": ["birthplace"],
    "birthcountry": ["birthcountry"],
    "gender": ["gender"],
    "email": ["email"],
    "profile": ["given_name", "given_name_array", "family_name", "preferred_username"],
    "birth": ["birthdate", "birthplace", "birthcountry"],
    "identite_pivot": [
        "given_name",
        "given_name_array",
        "family_name",
        "birthdate",
        "birthplace",
        "birthcountry",
        "gender",
    ],
    "usual_name": ["usual_name"],
    "siret": ["siret"],
    "uid": ["uid"],
}


@dataclass
class Misbehaviour:
    """Ways to make the provider lie, for the tests of the relying party's checks."""

    id_token_iss: str | None = None
    id_token_aud: str | None = None
    id_token_nonce: str | None = None
    id_token_acr: str | None = None
    id_token_expired: bool = False
    id_token_alg: str | None = None  # "none" or "HS256" (signed with the public key)
    id_token_unknown_key: bool = False
    userinfo_unsigned: bool = False
    userinfo_unknown_key: bool = False
    userinfo_sub: str | None = None
    logout_state: str | None = None


@dataclass
class _Grant:
    client_id: str
    redirect_uri: str
    scopes: list[str]
    nonce: str
    acr: str
    identity: FakeIdentity
    created: float
    access_tokens: list[str] = field(default_factory=list)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _at_hash(access_token: str) -> str:
    digest = hashlib.sha256(access_token.encode()).digest()
    return _b64(digest[: len(digest) // 2])


class FakeProvider:
    """The provider itself: a WSGI application mounted at `base_path`."""

    def __init__(
        self,
        *,
        issuer: str = "",
        flavour: str = "franceconnect",
        base_path: str = "/api/v2",
        clients: dict[str, str] | None = None,
        redirect_uris: list[str] | None = None,
        identities: tuple[FakeIdentity, ...] | list[FakeIdentity] | None = None,
        acr_values: tuple[str, ...] | None = None,
    ):
        self.flavour = flavour
        self.base_path = base_path.rstrip("/")
        self.issuer = issuer.rstrip("/")
        self.clients = dict(clients or {DEMO_CLIENT_ID: DEMO_CLIENT_SECRET})
        # None accepts any redirect URI on loopback (demo, tests); a list must match exactly.
        self.redirect_uris = redirect_uris
        if identities is None:
            identities = (
                PROCONNECT_IDENTITIES if flavour == "proconnect" else FRANCECONNECT_IDENTITIES
            )
        self.identities = {identity.key: identity for identity in identities}
        if acr_values is None:
            acr_values = ("eidas1",) if flavour == "franceconnect" else ("eidas1", "eidas2")
        self.acr_values = acr_values
        self.alg = "ES256" if flavour == "franceconnect" else "RS256"
        self.label = "FranceConnect" if flavour == "franceconnect" else "ProConnect"
        self.misbehave = Misbehaviour()
        self.requests: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._interactions: dict[str, dict[str, str]] = {}
        self._codes: dict[str, _Grant] = {}
        self._used_codes: dict[str, _Grant] = {}
        self._access_tokens: dict[str, tuple[_Grant, float]] = {}
        self._keys: list = []
        self._stranger_key = self._new_key()
        self.rotate_keys()

    # --- keys -----------------------------------------------------------------------------

    def _new_key(self):
        kid = secrets.token_hex(8)
        parameters: KeyParameters = {"kid": kid, "use": "sig", "alg": self.alg}
        if self.alg == "ES256":
            return ECKey.generate_key("P-256", parameters=parameters)
        return RSAKey.generate_key(2048, parameters=parameters)

    @property
    def signing_key(self):
        return self._keys[-1]

    def rotate_keys(self, *, keep_old: bool = False) -> None:
        """Sign with a new key (new `kid`) from now on; publish the old one too if asked."""
        with self._lock:
            self._keys = [*self._keys, self._new_key()] if keep_old else [self._new_key()]

    def jwks(self) -> dict[str, Any]:
        return {"keys": [key.as_dict(private=False) for key in self._keys]}

    def _sign(self, claims: dict[str, Any], *, unknown_key: bool = False, alg: str | None = None):
        if alg == "none":
            header = {"alg": "none", "typ": "JWT"}
            return f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}."
        if alg == "HS256":
            # The classic confusion attack: HMAC keyed with the public key's PEM.
            secret = self.signing_key.as_pem(private=False)
            header = {"alg": "HS256", "typ": "JWT", "kid": self.signing_key.kid}
            signing_input = (
                f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
            )
            signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
            return f"{signing_input}.{_b64(signature)}"
        key = self._stranger_key if unknown_key else self.signing_key
        header = {"alg": self.alg, "typ": "JWT", "kid": key.kid}
        return jwt.encode(header, claims, key)

    # --- identities -----------------------------------------------------------------------

    def add_identity(self, key: str, **claims: Any) -> FakeIdentity:
        """Offer one more fictitious person on the identity page."""
        identity = FakeIdentity(key, claims)
        self.identities[key] = identity
        return identity

    def sub_for(self, identity_key: str, client_id: str = DEMO_CLIENT_ID) -> str:
        """The subject this identity has for a client (pairwise, like FranceConnect's)."""
        digest = hashlib.sha256(f"{self.flavour}:{client_id}:{identity_key}".encode())
        return digest.hexdigest() + "v1"

    def _claims_for(self, grant: _Grant) -> dict[str, Any]:
        claims: dict[str, Any] = {"sub": self.sub_for(grant.identity.key, grant.client_id)}
        wanted = {name for scope in grant.scopes for name in SCOPE_CLAIMS.get(scope, [])}
        for name in wanted:
            if name == "given_name_array":
                claims[name] = str(grant.identity.claims.get("given_name", "")).split()
            elif name in grant.identity.claims:
                claims[name] = grant.identity.claims[name]
        if self.flavour == "proconnect" and "idp_id" not in claims:
            claims["idp_id"] = "fake-idp"
        return claims

    # --- WSGI -----------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        with self._lock:
            self.requests.append((method, path))
        route = path[len(self.base_path) :] if path.startswith(self.base_path) else None
        query = dict(urllib.parse.parse_qsl(environ.get("QUERY_STRING", "")))
        form = {}
        if method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(min(length, 100_000)).decode()
            form = dict(urllib.parse.parse_qsl(body))
        handlers = {
            ("GET", "/.well-known/openid-configuration"): self._discovery,
            ("GET", "/authorize"): self._authorize,
            ("POST", "/authorize"): self._authorize,
            ("POST", "/token"): self._token,
            ("GET", "/userinfo"): self._userinfo,
            ("GET", "/jwks"): self._jwks,
            ("GET", "/session/end"): self._session_end,
        }
        if route is not None and route.startswith("/interaction/"):
            response = self._interaction(route.split("/")[2], method, form)
        elif route is not None and (method, route) in handlers:
            params = form if method == "POST" else query
            response = handlers[(method, route)](params, environ)
        else:
            response = _html(404, "Page introuvable", "<p>Cette adresse n’existe pas.</p>")
        status, headers, body = response
        start_response(status, headers)
        return [body]

    def url(self, route: str) -> str:
        return self.issuer + route

    def _discovery(self, params, environ):
        return _json(
            200,
            {
                "issuer": self.issuer,
                "authorization_endpoint": self.url("/authorize"),
                "token_endpoint": self.url("/token"),
                "userinfo_endpoint": self.url("/userinfo"),
                "jwks_uri": self.url("/jwks"),
                "end_session_endpoint": self.url("/session/end"),
                "scopes_supported": ["openid", *SCOPE_CLAIMS],
                "response_types_supported": ["code"],
                "grant_types_supported": ["authorization_code"],
                "subject_types_supported": ["public"],
                "acr_values_supported": list(self.acr_values),
                "id_token_signing_alg_values_supported": [self.alg],
                "userinfo_signing_alg_values_supported": [self.alg],
                "token_endpoint_auth_methods_supported": ["client_secret_post"],
                "claims_supported": sorted({c for v in SCOPE_CLAIMS.values() for c in v}),
            },
        )

    def _jwks(self, params, environ):
        return _json(200, self.jwks())

    def _check_redirect_uri(self, uri: str) -> bool:
        if self.redirect_uris is not None:
            return uri in self.redirect_uris
        host = urllib.parse.urlsplit(uri).hostname or ""
        return host in {"127.0.0.1", "localhost", "::1", "testserver"}

    def _authorize(self, params, environ):
        client_id = params.get("client_id", "")
        redirect_uri = params.get("redirect_uri", "")
        if client_id not in self.clients:
            return _html(400, "Erreur Y000400", "<p>Fournisseur de service inconnu.</p>")
        if not self._check_redirect_uri(redirect_uri):
            return _html(400, "Erreur Y000400", "<p>Adresse de retour non déclarée.</p>")
        state = params.get("state", "")
        problems = []
        if params.get("response_type") != "code":
            problems.append("response_type doit valoir « code »")
        scopes = params.get("scope", "").split()
        if "openid" not in scopes:
            problems.append("le scope « openid » est obligatoire")
        if len(state) < 32:
            problems.append("state doit faire au moins 32 caractères")
        if len(params.get("nonce", "")) < 32:
            problems.append("nonce doit faire au moins 32 caractères")
        acr = params.get("acr_values", "").split()
        if self.flavour == "franceconnect" and not acr:
            problems.append("acr_values est obligatoire")
        if any(value not in self.acr_values for value in acr):
            problems.append("acr_values non pris en charge")
        if problems:
            if len(state) >= 1:
                return _redirect(
                    _add_query(
                        redirect_uri,
                        error="invalid_request",
                        error_description="; ".join(problems),
                        state=state,
                    )
                )
            return _html(400, "Erreur Y000400", f"<p>{html.escape('; '.join(problems))}</p>")
        interaction = secrets.token_urlsafe(16)
        with self._lock:
            self._interactions[interaction] = {
                "client_id": client_id,
                "redirect_uri": redirect_uri,
                "scope": " ".join(scopes),
                "state": state,
                "nonce": params["nonce"],
                "acr": acr[0] if acr else self.acr_values[0],
                "created": str(time.time()),
            }
        return _redirect(self.url(f"/interaction/{interaction}"))

    def _interaction(self, interaction_id: str, method: str, form: dict[str, str]):
        with self._lock:
            request = self._interactions.get(interaction_id)
        if request is None or float(request["created"]) < time.time() - 600:
            return _html(400, "Session expirée", "<p>Cette demande de connexion a expiré.</p>")
        if method == "GET":
            return self._identity_page(interaction_id)
        with self._lock:
            self._interactions.pop(interaction_id, None)
        if form.get("action") == "annuler" or form.get("identity") not in self.identities:
            return _redirect(
                _add_query(
                    request["redirect_uri"],
                    error="access_denied",
                    error_description="L’usager a annulé la connexion.",
                    state=request["state"],
                )
            )
        code = secrets.token_urlsafe(32)
        with self._lock:
            self._codes[code] = _Grant(
                client_id=request["client_id"],
                redirect_uri=request["redirect_uri"],
                scopes=request["scope"].split(),
                nonce=request["nonce"],
                acr=request["acr"],
                identity=self.identities[form["identity"]],
                created=time.time(),
            )
        return _redirect(_add_query(request["redirect_uri"], code=code, state=request["state"]))

    def _identity_page(self, interaction_id: str):
        choices = "\n".join(
            f'<li><input type="radio" name="identity" id="identite-{html.escape(key)}" '
            f'value="{html.escape(key)}"{" checked" if index == 0 else ""}>'
            f'<label for="identite-{html.escape(key)}">{html.escape(identity.label)}</label></li>'
            for index, (key, identity) in enumerate(self.identities.items())
        )
        body = f"""
<p class="bandeau">Environnement de démonstration : identités fictives, aucune donnée réelle.</p>
<form method="post" action="{html.escape(self.url(f"/interaction/{interaction_id}"))}">
  <fieldset>
    <legend>Choisissez l’identité de test avec laquelle vous connecter</legend>
    <ul>{choices}</ul>
  </fieldset>
  <p>
    <button type="submit" name="action" value="continuer">Continuer sur le service</button>
    <button type="submit" name="action" value="annuler" class="secondaire">Annuler</button>
  </p>
</form>"""
        return _html(200, f"{self.label} fictif", body)

    def _client_authenticated(self, params) -> str | None:
        client_id = params.get("client_id", "")
        secret = self.clients.get(client_id)
        given = params.get("client_secret", "")
        if secret is None or not hmac.compare_digest(secret.encode(), given.encode()):
            return None
        return client_id

    def _token(self, params, environ):
        client_id = self._client_authenticated(params)
        if client_id is None:
            return _json(401, {"error": "invalid_client"})
        if params.get("grant_type") != "authorization_code":
            return _json(400, {"error": "unsupported_grant_type"})
        code = params.get("code", "")
        with self._lock:
            grant = self._codes.pop(code, None)
            if grant is None:
                replayed = self._used_codes.get(code)
                if replayed is not None:
                    # RFC 6749 §4.1.2: a reused code revokes the tokens it gave.
                    for token in replayed.access_tokens:
                        self._access_tokens.pop(token, None)
                return _json(400, {"error": "invalid_grant", "error_description": "code"})
            self._used_codes[code] = grant
        if grant.client_id != client_id or grant.redirect_uri != params.get("redirect_uri"):
            return _json(400, {"error": "invalid_grant"})
        if grant.created < time.time() - CODE_LIFETIME:
            return _json(400, {"error": "invalid_grant", "error_description": "expired"})
        access_token = secrets.token_urlsafe(32)
        now = int(time.time())
        with self._lock:
            grant.access_tokens.append(access_token)
            self._access_tokens[access_token] = (grant, now + TOKEN_LIFETIME)
        m = self.misbehave
        iat = now - 3600 if m.id_token_expired else now
        claims = {
            "iss": m.id_token_iss or self.issuer,
            "sub": self.sub_for(grant.identity.key, client_id),
            "aud": m.id_token_aud or client_id,
            "exp": iat + TOKEN_LIFETIME,
            "iat": iat,
            "auth_time": iat,
            "nonce": m.id_token_nonce or grant.nonce,
            "acr": m.id_token_acr or grant.acr,
            "amr": ["pwd"],
            "at_hash": _at_hash(access_token),
        }
        id_token = self._sign(claims, unknown_key=m.id_token_unknown_key, alg=m.id_token_alg)
        return _json(
            200,
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": TOKEN_LIFETIME,
                "id_token": id_token,
                "scope": " ".join(grant.scopes),
            },
        )

    def _userinfo(self, params, environ):
        authorization = environ.get("HTTP_AUTHORIZATION", "")
        token = authorization[7:] if authorization.startswith("Bearer ") else ""
        with self._lock:
            found = self._access_tokens.get(token)
        if found is None or found[1] < time.time():
            return (
                "401 Unauthorized",
                [
                    ("Content-Type", "application/json"),
                    ("WWW-Authenticate", 'Bearer error="invalid_token"'),
                ],
                b'{"error":"invalid_token"}',
            )
        grant = found[0]
        claims = self._claims_for(grant)
        m = self.misbehave
        if m.userinfo_sub:
            claims["sub"] = m.userinfo_sub
        if m.userinfo_unsigned:
            return _json(200, claims)
        now = int(time.time())
        claims |= {"iss": self.issuer, "aud": grant.client_id, "iat": now, "exp": now + 60}
        body = self._sign(claims, unknown_key=m.userinfo_unknown_key).encode()
        return "200 OK", [("Content-Type", "application/jwt; charset=utf-8")], body

    def _session_end(self, params, environ):
        hint = params.get("id_token_hint", "")
        redirect_uri = params.get("post_logout_redirect_uri", "")
        try:
            claims = jwt.decode(hint, self.signing_key, algorithms=[self.alg]).claims
        except Exception:  # noqa: BLE001 - any malformed or foreign hint is refused
            claims = None
        if claims is None or claims.get("aud") not in self.clients:
            return _html(400, "Erreur de déconnexion", "<p>id_token_hint invalide.</p>")
        if not self._check_redirect_uri(redirect_uri):
            return _html(400, "Erreur de déconnexion", "<p>Adresse de retour non déclarée.</p>")
        state = self.misbehave.logout_state or params.get("state", "")
        return _redirect(_add_query(redirect_uri, state=state))


def _add_query(url: str, **params: str) -> str:
    parts = urllib.parse.urlsplit(url)
    query = urllib.parse.parse_qsl(parts.query) + list(params.items())
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def _json(status: int, payload) -> tuple[str, list, bytes]:
    reason = {200: "OK", 400: "Bad Request", 401: "Unauthorized"}.get(status, "Error")
    headers = [("Content-Type", "application/json; charset=utf-8"), ("Cache-Control", "no-store")]
    return f"{status} {reason}", headers, json.dumps(payload).encode()


def _redirect(location: str) -> tuple[str, list, bytes]:
    return "303 See Other", [("Location", location), ("Content-Type", "text/plain")], b""


PAGE_STYLE = """
body{font-family:system-ui,sans-serif;margin:0;color:#161616;background:#f6f6f6}
header{background:#000091;color:#fff;padding:1rem 1.5rem}
header p{margin:0;font-weight:700;font-size:1.25rem}
main{max-width:40rem;margin:2rem auto;background:#fff;padding:1.5rem 2rem;border:1px solid #ddd}
.bandeau{background:#fff4e5;border-left:4px solid #b34000;padding:.5rem 1rem}
fieldset{border:0;padding:0}legend{font-weight:700;margin-bottom:.5rem}
ul{list-style:none;padding:0}li{margin:.5rem 0}label{margin-left:.5rem}
button{font:inherit;padding:.6rem 1.2rem;border:0;background:#000091;color:#fff;cursor:pointer}
button.secondaire{background:#fff;color:#000091;border:1px solid #000091;margin-left:1rem}
button:focus-visible,input:focus-visible{outline:3px solid #0a76f6;outline-offset:2px}
"""


def _html(status: int, title: str, body: str) -> tuple[str, list, bytes]:
    reason = {200: "OK", 400: "Bad Request", 404: "Not Found"}.get(status, "Error")
    page = f"""<!doctype html>
<html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title><style>{PAGE_STYLE}</style></head>
<body><header><p>{html.escape(title)}</p></header>
<main><h1>{html.escape(title)}</h1>{body}</main></body></html>"""
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")]
    return f"{status} {reason}", headers, page.encode()


class FakeIdentityServer:
    """A WSGI app serving several fake providers side by side, each under its own path."""

    def __init__(self, providers: list[FakeProvider]):
        self.providers = sorted(providers, key=lambda p: len(p.base_path), reverse=True)

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        for provider in self.providers:
            if path.startswith(provider.base_path + "/"):
                return provider(environ, start_response)
        status, headers, body = _html(
            200,
            "Fournisseurs d’identité fictifs",
            "<ul>"
            + "".join(
                f"<li>{html.escape(p.label)} : <code>{html.escape(p.issuer)}</code></li>"
                for p in self.providers
            )
            + "</ul>",
        )
        start_response(status, headers)
        return [body]


class FakeProviderServer(LoopbackServer):
    """Serve fake providers on loopback in a background thread (a context manager).

    >>> with FakeProviderServer() as server:
    ...     server.franceconnect.issuer  # http://127.0.0.1:<port>/api/v2
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        verbose: bool = False,
        clients: dict[str, str] | None = None,
        franceconnect_identities=None,
        proconnect_identities=None,
    ):
        self.franceconnect = FakeProvider(
            flavour="franceconnect",
            base_path="/api/v2",
            clients=clients,
            identities=franceconnect_identities,
        )
        self.proconnect = FakeProvider(
            flavour="proconnect",
            base_path="/proconnect/api/v2",
            clients=clients,
            identities=proconnect_identities,
        )
        app = FakeIdentityServer([self.franceconnect, self.proconnect])
        super().__init__(app, host=host, port=port, verbose=verbose)
        for provider in (self.franceconnect, self.proconnect):
            provider.issuer = self.url + provider.base_path


# --- A scripted user agent, for tests that do not drive a browser -------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def pick_identity(authorize_url: str, identity: str, *, cancel: bool = False) -> str:
    """Do what a person does on the provider's pages; return where the provider sends back.

    Follows the authorization URL to the identity page over real HTTP, submits the choice,
    and returns the `Location` of the provider's final redirect (the relying party's
    callback, with `code` and `state`, or with `error`).
    """
    opener = urllib.request.build_opener(_NoRedirect)
    cookies = SimpleCookie()

    def call(url: str, data: dict | None = None):
        request = urllib.request.Request(  # noqa: S310 - loopback URLs of the fake provider
            url, data=urllib.parse.urlencode(data).encode() if data is not None else None
        )
        if cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v.value}" for k, v in cookies.items()))
        try:
            response = opener.open(request, timeout=10)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                cookies.load(header)
            return response.status, response.headers.get("Location")

    status, location = call(authorize_url)
    if status != 303 or not location:
        raise AssertionError(f"the provider refused the authorization request ({status})")
    if "/interaction/" not in location:
        return location  # an error redirect straight back to the relying party
    status, _ = call(location)
    if status != 200:
        raise AssertionError(f"the identity page answered {status}")
    status, back = call(
        location, {"identity": identity, "action": "annuler" if cancel else "continuer"}
    )
    if status != 303 or not back:
        raise AssertionError(f"the provider did not send the browser back ({status})")
    return back
