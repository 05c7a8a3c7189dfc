"""The open data part of the OpenAPI document (under /donnees), declared by the registry entry."""

from __future__ import annotations

from typing import Any

from socle.api.openapi import CORS_HEADER, error_response, method_error_response
from socle.opendata import api
from socle.opendata.models import Jeu


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "description": description,
        "headers": CORS_HEADER,
        "content": {"application/json": {"schema": schema}},
    }


def _query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def _lignes() -> dict[str, Any]:
    return {
        "get": {
            "operationId": "donnees_lignes",
            "summary": "Les lignes d'un jeu de données publié, paginées, filtrées et triées.",
            "description": (
                "Lit la dernière version du jeu (ou `version`). Filtrer par colonne : "
                "`?<colonne>=valeur` (égalité exacte) ou `?<colonne>__contient=valeur` (contient, "
                "sans tenir compte de la casse) ; plusieurs filtres se cumulent. Trier : "
                "`?tri=<colonne>` ou `?tri=-<colonne>` (ordre du texte, puis ordre du fichier). "
                "Tout autre paramètre est une colonne inconnue (400). `count` n'est donné que "
                "sans filtre ; `next` dit s'il y a une page suivante. Les noms `page`, "
                "`page_size`, `version` et `tri` sont réservés : une colonne de ce nom ne se "
                "filtre pas."
            ),
            "parameters": [
                {
                    "name": "slug",
                    "in": "path",
                    "required": True,
                    "description": (
                        "Adresse de la collectivité membre, ou « structure » pour les jeux de "
                        "la structure elle-même."
                    ),
                    "schema": {"type": "string"},
                },
                {
                    "name": "jeu",
                    "in": "path",
                    "required": True,
                    "description": "Adresse du jeu de données.",
                    "schema": {"type": "string"},
                },
                _query(
                    "page",
                    "Numéro de page, à partir de 1.",
                    {"type": "integer", "minimum": 1, "default": 1},
                ),
                _query(
                    "page_size",
                    "Lignes par page.",
                    {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": api.MAX_PAGE_SIZE,
                        "default": api.DEFAULT_PAGE_SIZE,
                    },
                ),
                _query(
                    "version",
                    "Numéro de la version à lire (par défaut la dernière).",
                    {"type": "integer", "minimum": 1},
                ),
                _query(
                    "tri",
                    "Colonne de tri ; précédée de « - » pour l'ordre décroissant.",
                    {"type": "string", "examples": ["montant", "-dateConvention"]},
                ),
                {
                    "name": "filtres",
                    "in": "query",
                    "required": False,
                    "description": (
                        "Filtres par colonne : `<colonne>=valeur` (égal) et "
                        "`<colonne>__contient=valeur` (contient)."
                    ),
                    "style": "form",
                    "explode": True,
                    "schema": {
                        "type": "object",
                        "additionalProperties": {"type": "string"},
                        "examples": [{"nomBeneficiaire__contient": "association"}],
                    },
                },
            ],
            "responses": {
                "200": {
                    **_json(
                        {"$ref": "#/components/schemas/DonneesLignes"},
                        "Une page de lignes (chaque ligne : ses colonnes, dans l'ordre du "
                        "fichier, en texte).",
                    ),
                    "headers": {
                        **CORS_HEADER,
                        "Last-Modified": {
                            "description": "Date de publication de la version lue.",
                            "schema": {"type": "string"},
                        },
                    },
                },
                "400": error_response(
                    "Paramètre invalide (page, page_size, version : entiers dans leurs bornes ; "
                    "un paramètre donné deux fois) ou colonne inconnue (filtre ou tri).",
                    {
                        api.PARAMETRE_INVALIDE: (
                            "Le paramètre « page_size » doit être un entier entre 1 et 1000 "
                            "(reçu : « 5000 »)."
                        ),
                        api.COLONNE_INCONNUE: (
                            "Colonne inconnue : « montnat ». Colonnes de ce jeu : nomAttribuant, "
                            "montant…"
                        ),
                    },
                ),
                "404": error_response(
                    "Jeu de données inconnu, pas encore publié, d'une collectivité qui ne "
                    "publie pas de données ouvertes ; ou version inconnue.",
                    {
                        api.JEU_INCONNU: (
                            "Aucun jeu de données publié « subventions » pour « pessac »."
                        ),
                        api.VERSION_INCONNUE: "Ce jeu de données n'a pas de version 7.",
                    },
                ),
                "405": method_error_response(),
            },
        }
    }


def _catalogue() -> dict[str, Any]:
    return {
        "get": {
            "operationId": "donnees_catalogue",
            "summary": "Les jeux de données publiés sur la plateforme.",
            "parameters": [
                _query(
                    "membre",
                    "Seulement les jeux d'une collectivité (son adresse), ou « structure ».",
                    {"type": "string"},
                ),
                _query(
                    "schema",
                    "Seulement les jeux d'un schéma national.",
                    {"type": "string", "examples": ["scdl/subventions"]},
                ),
            ],
            "responses": {
                "200": _json(
                    {
                        "type": "object",
                        "required": ["count", "results"],
                        "properties": {
                            "count": {"type": "integer"},
                            "results": {
                                "type": "array",
                                "items": {"$ref": "#/components/schemas/DonneesJeu"},
                            },
                        },
                    },
                    "Les jeux publiés, par collectivité puis par titre.",
                ),
                "400": error_response(
                    "Paramètre inconnu.",
                    {api.PARAMETRE_INVALIDE: "Paramètre inconnu : « page »."},
                ),
                "404": error_response(
                    "Collectivité inconnue, ou qui ne publie pas de données ouvertes.",
                    {
                        api.MEMBRE_INCONNU: (
                            "Aucune collectivité « inconnue » ne publie de données ouvertes ici."
                        )
                    },
                ),
                "405": method_error_response(),
            },
        }
    }


def _schemas() -> dict[str, Any]:
    nullable_string = {"type": ["string", "null"]}
    urls = {"type": "string", "format": "uri"}
    return {
        "DonneesLignes": {
            "type": "object",
            "required": ["version", "page", "page_size", "results", "next"],
            "properties": {
                "count": {
                    "type": "integer",
                    "description": "Nombre de lignes de la version ; absent quand on filtre.",
                },
                "version": {"type": "integer"},
                "page": {"type": "integer"},
                "page_size": {"type": "integer"},
                "results": {
                    "type": "array",
                    "items": {"type": "object", "additionalProperties": {"type": "string"}},
                },
                "next": {
                    "type": ["string", "null"],
                    "description": "Adresse de la page suivante, ou null.",
                },
            },
        },
        "DonneesJeu": {
            "type": "object",
            "required": ["slug", "titre", "licence", "modifie_le", "page", "lignes"],
            "properties": {
                "membre": {
                    **nullable_string,
                    "description": "Adresse de la collectivité ; null pour la structure.",
                },
                "collectivite": nullable_string,
                "slug": {"type": "string"},
                "titre": {"type": "string"},
                "description": {"type": "string"},
                "licence": {"type": "string", "enum": list(Jeu.Licence.values)},
                "licence_url": urls,
                "schema": {
                    "type": ["object", "null"],
                    "properties": {
                        "nom": {"type": "string"},
                        "version": {"type": "string"},
                        "url": urls,
                    },
                },
                "frequence": {"type": "string", "enum": list(Jeu.Frequence.values)},
                "geographique": {"type": "boolean"},
                "mots_cles": {"type": "array", "items": {"type": "string"}},
                "modifie_le": {"type": ["string", "null"], "format": "date-time"},
                "version": {"type": ["integer", "null"]},
                "nb_lignes": {"type": ["integer", "null"]},
                "page": urls,
                "lignes": urls,
                "telechargements": {
                    "type": "object",
                    "description": "Dernière version : csv, json et, données localisées, geojson.",
                    "additionalProperties": urls,
                },
            },
        },
    }


def openapi_part() -> dict[str, Any]:
    return {
        "paths": {"/catalogue": _catalogue(), "/{slug}/{jeu}/lignes": _lignes()},
        "schemas": _schemas(),
    }
