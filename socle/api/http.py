"""The API's HTTP conventions, shared by every module: one error shape, open read-only
endpoints (`public_endpoint`) and endpoints that need an API key (`keyed_endpoint(scope)`).

Errors always read ``{"error": {"code": "...", "message": "<en français>", "details": {}}}``;
the codes of the platform's own checks are the constants below; a module documents its own
codes in its OpenAPI part (socle.api.openapi.error_response).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from socle.api.services import (
    KeyRejected,
    api_key_authenticate,
    api_key_rate_hit,
)

ALLOWED_METHODS = ("GET", "HEAD", "OPTIONS")

# The error codes of the platform's own checks (methods, keys, scopes, rate limit).
METHODE_NON_AUTORISEE = "methode_non_autorisee"
CLE_MANQUANTE = "cle_manquante"
CLE_INVALIDE = "cle_invalide"
CLE_REVOQUEE = "cle_revoquee"
PORTEE_INSUFFISANTE = "portee_insuffisante"
MEMBRE_NON_AUTORISE = "membre_non_autorise"
TROP_DE_REQUETES = "trop_de_requetes"


def json_response(data: dict[str, Any], status: int = 200) -> JsonResponse:
    """Return JSON as the API writes it (UTF-8, accents unescaped)."""
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


def api_error(
    status: int, code: str, message: str, details: dict[str, Any] | None = None
) -> JsonResponse:
    """Return an error in the API's documented shape."""
    return json_response(
        {"error": {"code": code, "message": message, "details": details or {}}}, status
    )


def public_endpoint(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a read-only endpoint to any origin; other methods get a JSON 405."""
    return _endpoint(view, ALLOWED_METHODS)


def _endpoint(
    view: Callable[..., HttpResponse], methods: tuple[str, ...]
) -> Callable[..., HttpResponse]:
    """Serve an endpoint to any origin for these methods (plus OPTIONS); others get a 405."""
    allowed = (*methods, "OPTIONS") if "OPTIONS" not in methods else methods
    listed = ", ".join(m for m in allowed if m not in {"HEAD", "OPTIONS"})

    # An API has no session to protect, and a POST must get its 405, not a 403.
    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = ", ".join(allowed)
            response["Access-Control-Allow-Headers"] = "Authorization, X-Api-Key" + (
                ", Content-Type" if "POST" in allowed else ""
            )
            response["Access-Control-Max-Age"] = "86400"
        elif request.method not in allowed:
            response = api_error(
                405,
                METHODE_NON_AUTORISEE,
                _("Méthode « %(method)s » non autorisée : cette API ne répond qu'à %(listed)s.")
                % {"method": request.method, "listed": listed},
                {"methodes_autorisees": list(allowed)},
            )
        else:
            response = view(request, *args, **kwargs)
        response["Allow"] = ", ".join(allowed)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


def _presented_key(request: HttpRequest) -> str | None:
    """Return the key of `Authorization: Bearer <key>` or `X-Api-Key: <key>`; "" if malformed,
    None if neither header is there."""
    authorization = request.headers.get("Authorization")
    if authorization is not None:
        scheme, _sep, token = authorization.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or " " in token:
            return ""
        return token
    header = request.headers.get("X-Api-Key")
    if header is not None:
        return header.strip()
    return None


def _unauthorized(code: str, message: str) -> HttpResponse:
    response = api_error(401, code, message)
    response["WWW-Authenticate"] = 'Bearer realm="socle"'
    return response


def keyed_endpoint(
    scope: str, *, methods: tuple[str, ...] = ALLOWED_METHODS
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Serve an endpoint to the holders of an API key with this scope (read-only unless
    `methods` says otherwise, e.g. ("POST",) for a decision).

    In this order: no key is a 401 (cle_manquante); a malformed, unknown or revoked key a 401
    (cle_invalide, cle_revoquee); past the key's rate a 429 with Retry-After
    (trop_de_requetes); a key without the scope, or scoped to another member than the URL's
    `slug`, or of a suspended member, a 403 (portee_insuffisante, membre_non_autorise). The
    view gets the key as `request.api_key`. CORS is that of `public_endpoint`.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            presented = _presented_key(request)
            if presented is None:
                return _unauthorized(
                    CLE_MANQUANTE,
                    _(
                        "Clé d'API manquante : envoyez-la dans l'en-tête "
                        "« Authorization: Bearer <clé> »."
                    ),
                )
            try:
                key = api_key_authenticate(presented)
            except KeyRejected as rejected:
                if rejected.revoked:
                    return _unauthorized(CLE_REVOQUEE, _("Cette clé d'API a été révoquée."))
                return _unauthorized(CLE_INVALIDE, _("Clé d'API invalide."))
            retry_after = api_key_rate_hit(key)
            if retry_after is not None:
                response = api_error(
                    429,
                    TROP_DE_REQUETES,
                    _(
                        "Trop de requêtes : cette clé est limitée à %(rate)s requêtes par "
                        "minute. Réessayez dans %(seconds)s s."
                    )
                    % {"rate": key.rate_per_minute, "seconds": math.ceil(retry_after)},
                    {"limite_par_minute": key.rate_per_minute},
                )
                response["Retry-After"] = str(max(1, math.ceil(retry_after)))
                return response
            if scope not in key.scopes:
                return api_error(
                    403,
                    PORTEE_INSUFFISANTE,
                    _("Cette clé d'API n'a pas la portée « %(scope)s ».") % {"scope": scope},
                    {"portee_requise": scope},
                )
            slug = kwargs.get("slug")
            if key.membre is not None and (slug is None or key.membre.slug != slug):
                return api_error(
                    403,
                    MEMBRE_NON_AUTORISE,
                    _("Cette clé d'API ne donne accès qu'aux données de son membre."),
                )
            if key.membre is not None and not key.membre.active:
                # A suspended member's keys stop with it, whatever each endpoint checks.
                return api_error(
                    403,
                    MEMBRE_NON_AUTORISE,
                    _("Ce membre est suspendu : ses clés d'API ne donnent plus accès."),
                )
            request.api_key = key  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        endpoint = _endpoint(wrapper, methods)
        endpoint.api_scope = scope  # type: ignore[attr-defined]
        return endpoint

    return decorator
