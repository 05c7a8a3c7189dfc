"""The OpenAPI 3.1 document of /api/v1/, assembled from every module's part.

A module's registry entry names a provider (`Module.openapi`: a callable or its dotted path)
that returns ``{"paths": {...}, "schemas": {...}}``; its paths are put under the module's
mount (none for routage, `/jardins` for the toy module). This module adds what every part
shares: the `Error` schema, whose `code` enum is every code an operation documents, the
`ApiKey` security schemes (with the scopes modules declare) and the CORS header. Parts build
their error responses with `error_response`, `method_error_response` and
`keyed_error_responses`, so each response lists the codes it can carry as its examples.
"""

from __future__ import annotations

from typing import Any

from django.utils.module_loading import import_string

from socle.api import http
from socle.api.scopes import api_scopes
from socle.core.modules import registered_modules

ERROR_REF = "#/components/schemas/Error"
CORS_HEADER = {"Access-Control-Allow-Origin": {"$ref": "#/components/headers/CORS"}}


def error_response(description: str, examples: dict[str, str]) -> dict[str, Any]:
    """An error response: the `Error` schema, and one example per code ({code: message})."""
    return {
        "description": description,
        "headers": CORS_HEADER,
        "content": {
            "application/json": {
                "schema": {"$ref": ERROR_REF},
                "examples": {
                    code: {"value": {"error": {"code": code, "message": message, "details": {}}}}
                    for code, message in examples.items()
                },
            }
        },
    }


def method_error_response() -> dict[str, Any]:
    """The 405 of every endpoint (socle.api.http.public_endpoint)."""
    return error_response(
        "Méthode autre que GET, HEAD ou OPTIONS.",
        {
            http.METHODE_NON_AUTORISEE: (
                "Méthode « POST » non autorisée : cette API ne répond qu'à GET."
            )
        },
    )


def keyed_error_responses() -> dict[str, Any]:
    """The 401, 403, 405 and 429 of an endpoint behind `keyed_endpoint(scope)`."""
    too_many = error_response(
        "Trop de requêtes pour cette clé ; l'en-tête Retry-After dit combien de secondes attendre.",
        {
            http.TROP_DE_REQUETES: (
                "Trop de requêtes : cette clé est limitée à 60 requêtes par minute. "
                "Réessayez dans 12 s."
            )
        },
    )
    too_many["headers"] = {
        **CORS_HEADER,
        "Retry-After": {
            "description": "Secondes à attendre avant la prochaine requête.",
            "schema": {"type": "integer", "minimum": 1},
        },
    }
    return {
        "401": error_response(
            "Clé absente (cle_manquante), mal formée ou inconnue (cle_invalide), ou révoquée "
            "(cle_revoquee).",
            {
                http.CLE_MANQUANTE: "Clé d'API manquante.",
                http.CLE_INVALIDE: "Clé d'API invalide.",
                http.CLE_REVOQUEE: "Cette clé d'API a été révoquée.",
            },
        ),
        "403": error_response(
            "La clé n'a pas la portée de l'opération (portee_insuffisante), ou elle est celle "
            "d'un autre membre (membre_non_autorise).",
            {
                http.PORTEE_INSUFFISANTE: "Cette clé d'API n'a pas la portée demandée.",
                http.MEMBRE_NON_AUTORISE: (
                    "Cette clé d'API ne donne accès qu'aux données de son membre."
                ),
            },
        ),
        "405": method_error_response(),
        "429": too_many,
    }


def keyed_security(scope: str) -> list[dict[str, list[str]]]:
    """The security requirement of an operation behind `keyed_endpoint(scope)`."""
    return [{"ApiKey": [scope]}, {"ApiKeyHeader": [scope]}]


def _error_schema(codes: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "description": "Toute erreur de l'API.",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message", "details"],
                "properties": {
                    "code": {"type": "string", "enum": codes},
                    "message": {"type": "string", "description": "Message en français."},
                    "details": {
                        "type": "object",
                        "description": "Précisions selon le code (voir chaque opération).",
                        "additionalProperties": True,
                    },
                },
            }
        },
    }


def documented_error_codes(paths: dict[str, Any]) -> dict[tuple[str, str, str], set[str]]:
    """Return {(path, method, status): error codes} as the operations document them."""
    found: dict[tuple[str, str, str], set[str]] = {}
    for path, item in paths.items():
        for method, operation in item.items():
            for status, response in operation.get("responses", {}).items():
                media = response.get("content", {}).get("application/json", {})
                if media.get("schema", {}).get("$ref") != ERROR_REF:
                    continue
                codes = {
                    example["value"]["error"]["code"]
                    for example in media.get("examples", {}).values()
                }
                found[(path, method, status)] = codes
    return found


def _own_paths() -> dict[str, Any]:
    return {
        "/openapi.json": {
            "get": {
                "operationId": "openapi",
                "summary": "Ce document.",
                "responses": {
                    "200": {
                        "description": "La description OpenAPI 3.1 de l'API.",
                        "headers": CORS_HEADER,
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "405": method_error_response(),
                },
            }
        }
    }


def module_parts() -> list[tuple[str, dict[str, Any]]]:
    """Return (path prefix, part) for every module that declares an OpenAPI provider."""
    parts = []
    for module in registered_modules():
        if module.openapi is None:
            continue
        provider = (
            import_string(module.openapi) if isinstance(module.openapi, str) else module.openapi
        )
        prefix = "/" + module.prefix.rstrip("/") if module.prefix else ""
        parts.append((prefix, provider()))
    return parts


def openapi_document() -> dict[str, Any]:
    """Return the OpenAPI 3.1 document of the whole API, every module's part included."""
    paths: dict[str, Any] = _own_paths()
    schemas: dict[str, Any] = {}
    for prefix, part in module_parts():
        for path, item in part.get("paths", {}).items():
            if prefix + path in paths:
                raise ValueError(f"OpenAPI path {prefix + path!r} is declared twice")
            paths[prefix + path] = item
        for name, schema in part.get("schemas", {}).items():
            if name in schemas and schemas[name] != schema or name == "Error":
                raise ValueError(f"OpenAPI schema {name!r} is declared twice")
            schemas[name] = schema
    codes = sorted(set().union(*documented_error_codes(paths).values()))
    scopes = {code: str(label) for code, label in api_scopes().items()}
    scopes_text = "; ".join(f"{code} : {label}" for code, label in scopes.items())
    key_description = (
        "Clé d'API créée par un administrateur du membre (gestion › Clés d'API) ou par "
        "l'opérateur. Chaque clé a des portées et une limite de requêtes par minute ; une clé "
        f"de membre ne lit que les données de ce membre. Portées : {scopes_text}."
    )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Socle — API",
            "version": "1.0.0",
            "description": (
                "Le routage (qui traite une compétence en un point de France) est ouvert, sans "
                "authentification ; les données d'un membre se lisent avec une clé d'API. "
                "Réponses JSON, CORS ouvert à toute origine, erreurs dans un seul format."
            ),
            "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
        },
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {
            "schemas": {"Error": _error_schema(codes), **schemas},
            "headers": {
                "CORS": {
                    "description": "Toujours « * » : l'API est ouverte à toute origine.",
                    "schema": {"type": "string", "const": "*"},
                }
            },
            "securitySchemes": {
                "ApiKey": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": key_description,
                    "x-scopes": scopes,
                },
                "ApiKeyHeader": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "X-Api-Key",
                    "description": "La même clé, dans l'en-tête X-Api-Key.",
                    "x-scopes": scopes,
                },
            },
        },
    }
