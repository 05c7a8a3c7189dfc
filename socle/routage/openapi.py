"""Routing's part of the OpenAPI document (/api/v1/openapi.json, assembled by socle.api).

Declared by its registry entry (`openapi="socle.routage.openapi.openapi_part"`); the enums are
the code's own constants, so the document cannot drift from what the endpoints answer.
"""

from typing import Any

from socle.api.openapi import error_response, method_error_response
from socle.routage.routing import inputs, results
from socle.territoires.competences import CATALOGUE


def _ref(name: str, nullable: bool = False) -> dict[str, Any]:
    ref = {"$ref": f"#/components/schemas/{name}"}
    return {"oneOf": [ref, {"type": "null"}]} if nullable else ref


COLLECTIVITE_KINDS = ["commune", "epci", "departement", "region"]
REASONS = results.REASONS
SERVICE_REASONS = results.SERVICE_REASONS
SCHEMAS: dict[str, Any] = {
    "Competence": {
        "type": "object",
        "required": ["code", "nom"],
        "properties": {"code": {"type": "string"}, "nom": {"type": "string"}},
    },
    "CompetenceDetail": {
        "type": "object",
        "required": ["code", "nom", "description", "niveau_par_defaut", "types_epci"],
        "properties": {
            "code": {"type": "string"},
            "nom": {"type": "string"},
            "description": {"type": "string"},
            "niveau_par_defaut": {"type": "string", "enum": COLLECTIVITE_KINDS},
            "types_epci": {
                "type": "array",
                "description": "Types d'intercommunalité qui l'exercent de droit.",
                "items": {"type": "string", "enum": ["CC", "CA", "CU", "METRO", "MET69"]},
            },
        },
    },
    "Commune": {
        "type": "object",
        "required": ["code", "nom"],
        "properties": {
            "code": {"type": "string", "description": "Code INSEE."},
            "nom": {"type": "string"},
        },
    },
    "Collectivite": {
        "type": "object",
        "required": ["kind", "code", "nom"],
        "properties": {
            "kind": {"type": "string", "enum": COLLECTIVITE_KINDS},
            "code": {"type": "string", "description": "Code INSEE, ou SIREN d'un EPCI."},
            "nom": {"type": "string"},
        },
    },
    "Holder": {
        "type": "object",
        "required": ["collectivite", "reason", "explication"],
        "properties": {
            "collectivite": {
                "allOf": [
                    {"$ref": "#/components/schemas/Collectivite"},
                    {
                        "type": "object",
                        "required": ["member"],
                        "properties": {
                            "member": {"type": "boolean"},
                            "slug": {
                                "type": "string",
                                "description": "Adresse du membre (seulement pour un membre).",
                            },
                        },
                    },
                ]
            },
            "reason": {
                "type": "string",
                "enum": REASONS,
                "description": (
                    "override : exception définie pour la commune ; transfert : décision de "
                    "l'intercommunalité ; loi : exercée de droit par ce type d'EPCI ; "
                    "defaut : niveau par défaut de la compétence."
                ),
            },
            "explication": {"type": "string"},
        },
    },
    "Service": {
        "type": "object",
        "required": ["id", "nom", "email", "telephone", "secteur"],
        "properties": {
            "id": {"type": "integer"},
            "nom": {"type": "string"},
            "email": {"type": "string"},
            "telephone": {"type": "string"},
            "secteur": {"type": ["string", "null"]},
        },
    },
    "Contact": {
        "type": "object",
        "description": (
            "Contact public quand aucun service de la plateforme ne traite la demande "
            "(titulaire non membre, ou membre sans service pour cette compétence) : sa mairie, "
            "ou pour une "
            "intercommunalité, un département ou une région, la mairie de la commune du "
            "point comme point d'entrée (point_entree)."
        ),
        "required": [
            "collectivite",
            "point_entree",
            "adresse",
            "telephone",
            "email",
            "site_web",
            "horaires",
        ],
        "properties": {
            "collectivite": {"$ref": "#/components/schemas/Collectivite"},
            "point_entree": {"type": "boolean"},
            "adresse": {"type": "string"},
            "telephone": {"type": "string"},
            "email": {"type": "string"},
            "site_web": {"type": "string"},
            "horaires": {
                "type": "array",
                "description": "[[premier_jour, dernier_jour, [[ouverture, fermeture], ...]], ...]",
                "items": {"type": "array"},
            },
        },
    },
    "Nearest": {
        "type": "object",
        "required": ["code", "nom", "distance_km"],
        "properties": {
            "code": {"type": "string"},
            "nom": {"type": "string"},
            "distance_km": {"type": "number"},
        },
    },
    "Routage": {
        "type": "object",
        "required": [
            "status",
            "query",
            "commune",
            "competence",
            "holder",
            "service",
            "service_reason",
            "contact",
        ],
        "properties": {
            "status": {"type": "string", "const": "ok"},
            "query": {
                "type": "object",
                "properties": {
                    "lat": {"type": "number"},
                    "lon": {"type": "number"},
                    "competence": {"type": "string"},
                },
            },
            "commune": {"$ref": "#/components/schemas/Commune"},
            "competence": {"$ref": "#/components/schemas/Competence"},
            "holder": {"$ref": "#/components/schemas/Holder"},
            "service": _ref("Service", nullable=True),
            "service_reason": {"type": "string", "enum": SERVICE_REASONS},
            "contact": _ref("Contact", nullable=True),
        },
    },
}

COORDINATE_DESCRIPTION = "Nombre décimal avec un point (WGS 84)."


def openapi_part() -> dict[str, Any]:
    """Return routing's paths and schemas for the API's OpenAPI document."""
    return {
        "paths": {
            "/routage": {
                "get": {
                    "operationId": "routage",
                    "summary": "Qui traite cette compétence en ce point ?",
                    "parameters": [
                        {
                            "name": "lat",
                            "in": "query",
                            "required": True,
                            "description": f"Latitude, de -90 à 90. {COORDINATE_DESCRIPTION}",
                            "schema": {"type": "number", "minimum": -90, "maximum": 90},
                            "example": 44.8378,
                        },
                        {
                            "name": "lon",
                            "in": "query",
                            "required": True,
                            "description": f"Longitude, de -180 à 180. {COORDINATE_DESCRIPTION}",
                            "schema": {"type": "number", "minimum": -180, "maximum": 180},
                            "example": -0.5792,
                        },
                        {
                            "name": "competence",
                            "in": "query",
                            "required": True,
                            "description": "Code d'une compétence (voir /competences).",
                            "schema": {
                                "type": "string",
                                "examples": [row[0] for row in CATALOGUE],
                            },
                            "example": "voirie",
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "Le point est dans une commune.",
                            "headers": {
                                "Access-Control-Allow-Origin": {"$ref": "#/components/headers/CORS"}
                            },
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Routage"}
                                }
                            },
                        },
                        "400": error_response(
                            "Paramètre manquant (parametre_manquant), coordonnées qui ne sont "
                            "pas des nombres ou hors limites (coordonnees_invalides), ou "
                            "compétence inconnue (competence_inconnue, details."
                            "competences_valides en donne la liste).",
                            {
                                inputs.MissingParameter.code: (
                                    "La compétence (paramètre « competence ») est obligatoire."
                                ),
                                inputs.InvalidCoordinates.code: (
                                    "La latitude doit être un nombre entre -90 et 90."
                                ),
                                inputs.UnknownCompetence.code: "Compétence inconnue : « x ».",
                            },
                        ),
                        "404": error_response(
                            "Point hors de France (hors_france), ou en France mais dans "
                            "aucune commune (hors_commune, en mer ou à l'étranger ; "
                            "details.commune_proche donne la commune la plus proche à moins "
                            "de 20 km, sinon null).",
                            {
                                results.HORS_FRANCE: "Ce point est hors de France.",
                                results.HORS_COMMUNE: (
                                    "Ce point n'est dans aucune commune (en mer ou à l'étranger)."
                                ),
                            },
                        ),
                        "405": method_error_response(),
                    },
                }
            },
            "/competences": {
                "get": {
                    "operationId": "competences",
                    "summary": "Le catalogue des compétences.",
                    "responses": {
                        "200": {
                            "description": "Les compétences, par code.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["competences"],
                                        "properties": {
                                            "competences": {
                                                "type": "array",
                                                "items": {
                                                    "$ref": "#/components/schemas/CompetenceDetail"
                                                },
                                            }
                                        },
                                    }
                                }
                            },
                        },
                        "405": method_error_response(),
                    },
                }
            },
        },
        "schemas": SCHEMAS,
    }
