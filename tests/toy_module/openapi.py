"""The toy module's part of the OpenAPI document, declared by its registry entry."""

from socle.api.openapi import error_response, keyed_error_responses, keyed_security


def openapi_part() -> dict:
    return {
        "paths": {
            "/{slug}/parcelles": {
                "get": {
                    "operationId": "jardins_parcelles",
                    "summary": "Les parcelles de jardin d'un membre.",
                    "security": keyed_security("jardins.lire"),
                    "parameters": [
                        {
                            "name": "slug",
                            "in": "path",
                            "required": True,
                            "description": "Adresse du membre.",
                            "schema": {"type": "string"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "Les parcelles.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["results"],
                                        "properties": {
                                            "results": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/Parcelle"},
                                            }
                                        },
                                    }
                                }
                            },
                        },
                        **keyed_error_responses(),
                        "404": error_response(
                            "Membre inconnu, ou sans le module.",
                            {"membre_inconnu": "Membre inconnu."},
                        ),
                    },
                }
            }
        },
        "schemas": {
            "Parcelle": {
                "type": "object",
                "required": ["id", "nom"],
                "properties": {"id": {"type": "integer"}, "nom": {"type": "string"}},
            }
        },
    }
