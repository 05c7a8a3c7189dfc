"""The OpenID Connect relying party for FranceConnect v2 (citizens) and ProConnect (agents).

One implementation of the authorization code flow serves both providers; what differs
between them (issuer, client, scopes, `acr_values`, signed userinfo) comes from
`settings.OIDC_PROVIDERS`. This module speaks the protocol and nothing else: it holds no
account logic (that is `services`) and renders nothing (that is `views`).

What is checked, and why (see docs/franceconnect.md):
- `state` and `nonce` are random, bound to the session, valid for a few minutes and used once;
- the provider's metadata is discovered from `<issuer>/.well-known/openid-configuration`
  and must name the configured issuer; endpoints must use HTTPS except on loopback;
- the id_token and the userinfo JWT are verified against the provider's JWKS with ES256 or
  RS256 only (so `alg=none` and HS256 signed with the public key are refused), then `iss`,
  `aud` (and `azp`), `exp`, `iat`, `nonce`, `acr` and, when present, `at_hash`;
- the userinfo `sub` must equal the id_token's;
- the JWKS is cached, and fetched again once when a signature does not verify with the
  cached keys, which is how the provider's key rotation is followed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

# The signature algorithms accepted, and the key type each one needs.
ALGORITHMS = {"ES256": "EC", "RS256": "RSA"}
# Session keys.
SESSION_PENDING = "oidc_pending"
SESSION_LOGIN = "oidc_login"
SESSION_LOGOUT = "oidc_logout"
# A pending login (or logout) is valid this long, and a session keeps at most this many.
PENDING_MAX_AGE = 600
PENDING_MAX_COUNT = 5
MAX_RESPONSE_BYTES = 1024 * 1024


class OIDCError(Exception):
    """A refused OpenID Connect response, or a provider that cannot be used.

    `reason` is a short stable code written to the security journal; `status` is the HTTP
    status of the page shown to the person.
    """

    def __init__(self, reason: str, *, status: int = 400, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.status = status
        self.detail = detail[:300]


@dataclass(frozen=True)
class Provider:
    """One configured OpenID provider."""

    name: str
    issuer: str
    client_id: str
    client_secret: str = field(repr=False)
    scopes: tuple[str, ...]
    acr_values: str = ""
    accepted_acr: frozenset[str] = frozenset()
    userinfo_signed: bool = True

    @property
    def configured(self) -> bool:
        return bool(self.issuer and self.client_id and self.client_secret)


@dataclass(frozen=True)
class PendingAuth:
    """What the session remembers between the authorization request and the callback."""

    provider: str
    state: str
    nonce: str
    intent: str  # "login" or "link"
    next_url: str
    user_id: int | None
    created: float


@dataclass(frozen=True)
class VerifiedIdentity:
    """An identity whose id_token and userinfo have passed every check."""

    provider: str
    sub: str
    acr: str
    claims: dict[str, Any]
    id_token: str


# --- Configuration --------------------------------------------------------------------------


def get_provider(name: str) -> Provider:
    """Return the provider called `name`, configured or not; unknown names raise OIDCError."""
    config = getattr(settings, "OIDC_PROVIDERS", {}).get(name)
    if config is None:
        raise OIDCError("unknown_provider", status=404, detail=name)
    scopes = config.get("SCOPES") or ["openid"]
    if isinstance(scopes, str):
        scopes = scopes.split()
    acr_values = (config.get("ACR_VALUES") or "").strip()
    accepted = config.get("ACCEPTED_ACR")
    if accepted is None:
        accepted = acr_values.split()
    elif isinstance(accepted, str):
        accepted = accepted.split()
    return Provider(
        name=name,
        issuer=(config.get("ISSUER") or "").rstrip("/"),
        client_id=config.get("CLIENT_ID") or "",
        client_secret=config.get("CLIENT_SECRET") or "",
        scopes=tuple(scopes),
        acr_values=acr_values,
        accepted_acr=frozenset(accepted),
        userinfo_signed=bool(config.get("USERINFO_SIGNED", True)),
    )


def configured_providers() -> dict[str, bool]:
    """Tell, for each known provider, whether it is configured (for the login page)."""
    names = getattr(settings, "OIDC_PROVIDERS", {})
    return {name: get_provider(name).configured for name in names}


def _http_timeout() -> float:
    return float(getattr(settings, "OIDC_HTTP_TIMEOUT", 10))


def _clock_skew() -> int:
    return int(getattr(settings, "OIDC_CLOCK_SKEW", 60))


# --- HTTP -----------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Provider endpoints answer directly: a redirect is an error, never followed."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _check_url(url: str) -> str:
    """Accept HTTPS URLs, and plain HTTP only on loopback (the local fake provider, tests)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and parts.hostname and _is_loopback(parts.hostname):
        return url
    raise OIDCError("insecure_endpoint", status=502, detail=url[:200])


@dataclass
class _Response:
    status: int
    content_type: str
    body: bytes

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError as error:
            raise OIDCError("malformed_response", status=502, detail=str(error)) from error


def _http(method: str, url: str, *, data: dict | None = None, headers: dict | None = None):
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked by _check_url
        _check_url(url),
        data=urllib.parse.urlencode(data).encode() if data is not None else None,
        headers={"Accept": "application/json, application/jwt", **(headers or {})},
        method=method,
    )
    if data is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        response = _opener.open(request, timeout=_http_timeout())
    except urllib.error.HTTPError as error:
        response = error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise OIDCError("provider_unreachable", status=502, detail=str(error)) from error
    with response:
        body = response.read(MAX_RESPONSE_BYTES + 1)
        if len(body) > MAX_RESPONSE_BYTES:
            raise OIDCError("response_too_large", status=502)
        content_type = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        return _Response(status=response.status, content_type=content_type, body=body)


# --- Discovery and keys ---------------------------------------------------------------------


def _cache_key(kind: str, issuer: str) -> str:
    return f"oidc:{kind}:{hashlib.sha256(issuer.encode()).hexdigest()[:40]}"


def provider_metadata(provider: Provider, *, refresh: bool = False) -> dict[str, Any]:
    """Return the provider's discovery document, from the cache when possible."""
    if not provider.configured:
        raise OIDCError("not_configured", status=503, detail=provider.name)
    key = _cache_key("metadata", provider.issuer)
    metadata = None if refresh else cache.get(key)
    if metadata is not None:
        return metadata
    response = _http("GET", provider.issuer + "/.well-known/openid-configuration")
    if response.status != 200:
        raise OIDCError("discovery_failed", status=502, detail=f"HTTP {response.status}")
    metadata = response.json()
    if not isinstance(metadata, dict) or metadata.get("issuer", "").rstrip("/") != provider.issuer:
        raise OIDCError("discovery_issuer_mismatch", status=502)
    for name in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(metadata.get(name), str):
            raise OIDCError("discovery_incomplete", status=502, detail=name)
        _check_url(metadata[name])
    cache.set(key, metadata, int(getattr(settings, "OIDC_METADATA_CACHE_SECONDS", 3600)))
    return metadata


def provider_keys(provider: Provider, *, refresh: bool = False) -> tuple[KeySet, bool]:
    """Return the provider's signing keys and whether they were just fetched."""
    key = _cache_key("jwks", provider.issuer)
    cached = None if refresh else cache.get(key)
    if cached is not None:
        return KeySet.import_key_set(cached), False
    response = _http("GET", provider_metadata(provider)["jwks_uri"])
    if response.status != 200:
        raise OIDCError("jwks_failed", status=502, detail=f"HTTP {response.status}")
    document = response.json()
    try:
        keys = KeySet.import_key_set(
            {"keys": [k for k in document.get("keys", []) if k.get("kty") in ("EC", "RSA")]}
        )
    except (JoseError, ValueError, TypeError, AttributeError) as error:
        raise OIDCError("jwks_malformed", status=502, detail=str(error)) from error
    cache.set(key, keys.as_dict(), int(getattr(settings, "OIDC_JWKS_CACHE_SECONDS", 3600)))
    return keys, True


def forget_provider_cache(provider: Provider) -> None:
    """Drop the cached metadata and keys of a provider."""
    cache.delete_many(
        [_cache_key("metadata", provider.issuer), _cache_key("jwks", provider.issuer)]
    )


# --- Signed JWTs ----------------------------------------------------------------------------


def _token_header(token: str) -> dict[str, Any]:
    try:
        return dict(jws.extract_compact(token.encode()).headers())
    except (JoseError, ValueError, TypeError) as error:
        raise OIDCError("malformed_token", detail=str(error)) from error


def _select_key(keys: KeySet, header: dict[str, Any]):
    """Pick the key the header names: right type, meant for signing, same `kid`."""
    alg = header["alg"]
    candidates = [
        k
        for k in keys
        if k.key_type == ALGORITHMS[alg]
        and k.get("use") in (None, "sig")
        and k.get("alg") in (None, alg)
    ]
    kid = header.get("kid")
    if kid is not None:
        candidates = [k for k in candidates if k.kid == kid]
    return candidates[0] if len(candidates) == 1 else None


def _decode_with(keys: KeySet, token: str, header: dict[str, Any]) -> dict[str, Any] | None:
    key = _select_key(keys, header)
    if key is None:
        return None
    try:
        return dict(jwt.decode(token, key, algorithms=[header["alg"]]).claims)
    except (JoseError, ValueError, TypeError):
        return None


def verify_signed_jwt(provider: Provider, token: str, *, what: str) -> dict[str, Any]:
    """Verify a JWT signed by the provider and return its claims.

    Only ES256 and RS256 are accepted. When the cached keys do not verify the signature, the
    JWKS is fetched again, once, before giving up (the provider may have rotated its keys).
    """
    header = _token_header(token)
    alg = header.get("alg")
    if alg not in ALGORITHMS:
        raise OIDCError(f"{what}_alg_refused", detail=str(alg)[:20])
    keys, fresh = provider_keys(provider)
    claims = _decode_with(keys, token, header)
    if claims is None and not fresh:
        keys, _ = provider_keys(provider, refresh=True)
        claims = _decode_with(keys, token, header)
    if claims is None:
        raise OIDCError(f"{what}_bad_signature", detail=f"kid={header.get('kid')}")
    return claims


def _at_hash(access_token: str) -> str:
    digest = hashlib.sha256(access_token.encode()).digest()
    return base64.urlsafe_b64encode(digest[: len(digest) // 2]).rstrip(b"=").decode()


def _check_audience(provider: Provider, claims: dict[str, Any], *, what: str) -> None:
    aud = claims.get("aud")
    audiences = aud if isinstance(aud, list) else [aud]
    if provider.client_id not in audiences:
        raise OIDCError(f"{what}_wrong_audience", detail=str(aud)[:100])
    if len(audiences) > 1 and claims.get("azp") != provider.client_id:
        raise OIDCError(f"{what}_wrong_azp", detail=str(claims.get("azp"))[:100])


def validate_id_token_claims(
    provider: Provider, claims: dict[str, Any], *, nonce: str, access_token: str = ""
) -> None:
    """Check the id_token's claims (its signature is already verified)."""
    now = time.time()
    skew = _clock_skew()
    if claims.get("iss") != provider.issuer:
        raise OIDCError("id_token_wrong_issuer", detail=str(claims.get("iss"))[:200])
    _check_audience(provider, claims, what="id_token")
    exp, iat = claims.get("exp"), claims.get("iat")
    if not isinstance(exp, int | float) or exp + skew < now:
        raise OIDCError("id_token_expired", detail=f"exp={exp}")
    max_age = int(getattr(settings, "OIDC_ID_TOKEN_MAX_AGE", 600))
    if not isinstance(iat, int | float) or iat > now + skew or iat < now - max_age - skew:
        raise OIDCError("id_token_bad_iat", detail=f"iat={iat}")
    if not isinstance(claims.get("nonce"), str) or not hmac.compare_digest(
        claims["nonce"].encode(), nonce.encode()
    ):
        raise OIDCError("id_token_wrong_nonce")
    if provider.accepted_acr and claims.get("acr") not in provider.accepted_acr:
        raise OIDCError("id_token_wrong_acr", detail=str(claims.get("acr"))[:50])
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise OIDCError("id_token_no_sub")
    if access_token and "at_hash" in claims and claims["at_hash"] != _at_hash(access_token):
        raise OIDCError("id_token_wrong_at_hash")


# --- The flow -------------------------------------------------------------------------------


def new_secret() -> str:
    """A random value for `state` and `nonce` (43 characters, 256 bits)."""
    return secrets.token_urlsafe(32)


def pending_begin(
    session, *, provider: str, intent: str, next_url: str = "", user_id: int | None = None
) -> PendingAuth:
    """Remember a new authorization request in the session and return it."""
    pending = PendingAuth(
        provider=provider,
        state=new_secret(),
        nonce=new_secret(),
        intent=intent,
        next_url=next_url,
        user_id=user_id,
        created=time.time(),
    )
    entries = {
        state: entry
        for state, entry in (session.get(SESSION_PENDING) or {}).items()
        if entry.get("created", 0) > time.time() - PENDING_MAX_AGE
    }
    entries[pending.state] = {
        "provider": provider,
        "nonce": pending.nonce,
        "intent": intent,
        "next": next_url,
        "user_id": user_id,
        "created": pending.created,
    }
    # Keep the newest few: one per open tab is plenty.
    newest = sorted(entries.items(), key=lambda item: item[1]["created"])[-PENDING_MAX_COUNT:]
    session[SESSION_PENDING] = dict(newest)
    return pending


def pending_consume(session, *, provider: str, state: str | None) -> PendingAuth:
    """Take the pending request that `state` names out of the session (once) or refuse."""
    entries = session.get(SESSION_PENDING) or {}
    entry = None
    if state:
        for known in list(entries):
            if hmac.compare_digest(known.encode(), state.encode()):
                entry = entries.pop(known)
                break
    if entry is None:
        # A forged or replayed state: drop every pending request of this session.
        session.pop(SESSION_PENDING, None)
        raise OIDCError("state_mismatch")
    session[SESSION_PENDING] = entries
    if entry["provider"] != provider:
        raise OIDCError("state_wrong_provider")
    if entry["created"] < time.time() - PENDING_MAX_AGE:
        raise OIDCError("state_expired")
    return PendingAuth(
        provider=entry["provider"],
        state=state or "",
        nonce=entry["nonce"],
        intent=entry["intent"],
        next_url=entry.get("next") or "",
        user_id=entry.get("user_id"),
        created=entry["created"],
    )


def authorization_url(provider: Provider, *, pending: PendingAuth, redirect_uri: str) -> str:
    """Return the URL of the provider's authorization endpoint for this request."""
    endpoint = provider_metadata(provider)["authorization_endpoint"]
    params = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": redirect_uri,
        "scope": " ".join(provider.scopes),
        "state": pending.state,
        "nonce": pending.nonce,
    }
    if provider.acr_values:
        params["acr_values"] = provider.acr_values
    separator = "&" if urllib.parse.urlsplit(endpoint).query else "?"
    return endpoint + separator + urllib.parse.urlencode(params, quote_via=urllib.parse.quote)


def exchange_code(provider: Provider, *, code: str, redirect_uri: str) -> dict[str, Any]:
    """Trade the authorization code for tokens (client_secret_post, as FranceConnect wants)."""
    response = _http(
        "POST",
        provider_metadata(provider)["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": provider.client_id,
            "client_secret": provider.client_secret,
        },
    )
    if response.status != 200:
        error = ""
        if response.content_type == "application/json":
            body = response.json()
            error = str(body.get("error", "")) if isinstance(body, dict) else ""
        raise OIDCError("token_refused", detail=f"HTTP {response.status} {error}".strip())
    tokens = response.json()
    if (
        not isinstance(tokens, dict)
        or not isinstance(tokens.get("id_token"), str)
        or not isinstance(tokens.get("access_token"), str)
        or str(tokens.get("token_type", "")).lower() != "bearer"
    ):
        raise OIDCError("token_malformed")
    return tokens


def fetch_userinfo(provider: Provider, *, access_token: str, sub: str) -> dict[str, Any]:
    """Fetch the userinfo; FranceConnect v2 signs it (application/jwt): verify it as a JWT."""
    metadata = provider_metadata(provider)
    endpoint = metadata.get("userinfo_endpoint")
    if not isinstance(endpoint, str):
        raise OIDCError("userinfo_no_endpoint", status=502)
    response = _http("GET", endpoint, headers={"Authorization": f"Bearer {access_token}"})
    if response.status != 200:
        raise OIDCError("userinfo_refused", detail=f"HTTP {response.status}")
    if response.content_type == "application/jwt":
        claims = verify_signed_jwt(
            provider, response.body.decode("ascii", "replace"), what="userinfo"
        )
        if "iss" in claims and claims["iss"] != provider.issuer:
            raise OIDCError("userinfo_wrong_issuer", detail=str(claims["iss"])[:200])
        if "aud" in claims:
            _check_audience(provider, claims, what="userinfo")
    elif provider.userinfo_signed:
        raise OIDCError("userinfo_not_signed", detail=response.content_type)
    elif response.content_type == "application/json":
        claims = response.json()
        if not isinstance(claims, dict):
            raise OIDCError("userinfo_malformed")
    else:
        raise OIDCError("userinfo_malformed", detail=response.content_type)
    if claims.get("sub") != sub:
        raise OIDCError("userinfo_wrong_sub")
    return claims


def authenticate(
    provider: Provider, *, code: str, redirect_uri: str, nonce: str
) -> VerifiedIdentity:
    """Run the back-channel half of the flow and return the verified identity."""
    tokens = exchange_code(provider, code=code, redirect_uri=redirect_uri)
    id_token = tokens["id_token"]
    id_claims = verify_signed_jwt(provider, id_token, what="id_token")
    validate_id_token_claims(provider, id_claims, nonce=nonce, access_token=tokens["access_token"])
    userinfo = fetch_userinfo(provider, access_token=tokens["access_token"], sub=id_claims["sub"])
    claims = {k: v for k, v in id_claims.items() if k not in REGISTERED_CLAIMS} | userinfo
    return VerifiedIdentity(
        provider=provider.name,
        sub=id_claims["sub"],
        acr=str(id_claims.get("acr") or ""),
        claims=claims,
        id_token=id_token,
    )


# Claims about the token itself rather than the person.
REGISTERED_CLAIMS = {
    "iss",
    "aud",
    "exp",
    "iat",
    "nbf",
    "nonce",
    "at_hash",
    "c_hash",
    "azp",
    "auth_time",
    "amr",
    "acr",
    "jti",
    "sid",
}


def end_session_url(
    provider: Provider, *, id_token: str, state: str, post_logout_redirect_uri: str
) -> str | None:
    """Return the provider's logout URL, or None when it offers no end_session_endpoint."""
    endpoint = provider_metadata(provider).get("end_session_endpoint")
    if not isinstance(endpoint, str):
        return None
    _check_url(endpoint)
    params = {
        "id_token_hint": id_token,
        "state": state,
        "post_logout_redirect_uri": post_logout_redirect_uri,
    }
    separator = "&" if urllib.parse.urlsplit(endpoint).query else "?"
    return endpoint + separator + urllib.parse.urlencode(params, quote_via=urllib.parse.quote)
