"""The observatory's part of the OpenAPI document (under /observatoire), declared by the
registry entry."""

from __future__ import annotations

from typing import Any

from socle.api.openapi import CORS_HEADER, error_response, method_error_response
from socle.observatoire import api
from socle.observatoire.models import Projet, ProjetActeur
from socle.observatoire.public_search import FACETTES
from socle.observatoire.themes import THEMES, TRANCHES


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "description": description,
        "headers": CORS_HEADER,
        "content": {"application/json": {"schema": schema}},
    }


def _query(name: str, description: str, schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
        **extra,
    }


def _projets() -> dict[str, Any]:
    themes = {"type": "string", "enum": list(THEMES)}
    statuts = {"type": "string", "enum": list(Projet.Statut.values)}
    return {
        "get": {
            "operationId": "observatoire_projets",
            "summary": "Rechercher parmi les projets publiés de l'observatoire.",
            "description": (
                "Recherche en français (accents, pluriels et mots de la même famille) dans le "
                "titre, le résumé, la description, les thèmes, les logiciels et les acteurs ; "
                "un projet qui contient plus de mots de la recherche vient avant. Les filtres "
                "se cumulent ; `theme` et `statut` se répètent (l'un ou l'autre). `facettes` "
                "donne, pour chaque filtre, le nombre de projets par valeur, compté sans ce "
                "filtre-là. Seuls les projets publiés sont lus, et aucune donnée personnelle "
                "n'est donnée (les personnes à contacter figurent sur les pages du site)."
            ),
            "parameters": [
                _query(
                    "q",
                    "Mots à chercher.",
                    {"type": "string", "maxLength": api.MAX_QUERY},
                    examples={"voirie": {"value": "signalement voirie application"}},
                ),
                _query(
                    "theme",
                    "Thème (répétable).",
                    {"type": "array", "items": themes},
                    style="form",
                    explode=True,
                ),
                _query(
                    "statut",
                    "Statut (répétable).",
                    {"type": "array", "items": statuts},
                    style="form",
                    explode=True,
                ),
                _query(
                    "departement",
                    "Code du département du porteur.",
                    {"type": "string", "examples": ["33", "2A"]},
                ),
                _query(
                    "region",
                    "Code de la région du porteur.",
                    {"type": "string", "examples": ["75"]},
                ),
                _query(
                    "tranche",
                    "Taille de la collectivité porteuse (population).",
                    {"type": "string", "enum": [code for code, _l, _a, _b in TRANCHES]},
                ),
                _query(
                    "logiciel",
                    "Adresse (slug) d'un logiciel utilisé.",
                    {"type": "string", "examples": ["publik"]},
                ),
                _query(
                    "page",
                    "Numéro de page, à partir de 1.",
                    {"type": "integer", "minimum": 1, "default": 1},
                ),
                _query(
                    "page_size",
                    "Projets par page.",
                    {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": api.MAX_PAGE_SIZE,
                        "default": api.DEFAULT_PAGE_SIZE,
                    },
                ),
            ],
            "responses": {
                "200": _json(
                    {"$ref": "#/components/schemas/ObservatoireProjets"},
                    "Une page de projets et le décompte par valeur de chaque filtre.",
                ),
                "400": error_response(
                    "Paramètre inconnu, donné deux fois, valeur hors de sa liste ou nombre "
                    "hors de ses bornes.",
                    {
                        api.PARAMETRE_INVALIDE: (
                            "Valeur inconnue pour « theme » : « voirie ». Valeurs possibles : "
                            "strategie, services-usagers…"
                        )
                    },
                ),
                "405": method_error_response(),
            },
        }
    }


def _projet() -> dict[str, Any]:
    return {
        "get": {
            "operationId": "observatoire_projet",
            "summary": "Un projet publié de l'observatoire, en entier.",
            "parameters": [
                {
                    "name": "slug",
                    "in": "path",
                    "required": True,
                    "description": "Adresse du projet.",
                    "schema": {"type": "string"},
                }
            ],
            "responses": {
                "200": _json(
                    {"$ref": "#/components/schemas/ObservatoireProjet"},
                    "Tout ce que la page publique du projet montre, sauf les personnes à "
                    "contacter.",
                ),
                "404": error_response(
                    "Projet inconnu, pas encore publié ou retiré.",
                    {api.PROJET_INCONNU: "Aucun projet publié à l’adresse « mon-projet »."},
                ),
                "405": method_error_response(),
            },
        }
    }


def _schemas() -> dict[str, Any]:
    text = {"type": "string"}
    nullable_text = {"type": ["string", "null"]}
    url = {"type": "string", "format": "uri"}
    amount = {"type": ["number", "null"], "description": "En euros."}
    date = {"type": ["string", "null"], "format": "date"}
    acteur: dict[str, Any] = {
        "type": "object",
        "required": ["nom", "slug", "type", "page"],
        "properties": {
            "nom": text,
            "slug": text,
            "type": {"type": "string", "description": "collectivite, structure, public…"},
            "code_insee": text,
            "page": url,
        },
    }
    counts = {"type": "object", "additionalProperties": {"type": "integer"}}
    return {
        "ObservatoireProjetResume": {
            "type": "object",
            "required": ["slug", "titre", "resume", "themes", "statut", "url"],
            "properties": {
                "slug": text,
                "titre": text,
                "resume": text,
                "themes": {"type": "array", "items": {"type": "string", "enum": list(THEMES)}},
                "statut": {"type": "string", "enum": list(Projet.Statut.values)},
                "porteur": nullable_text,
                "departement": text,
                "region": text,
                "url": url,
            },
        },
        "ObservatoireProjets": {
            "type": "object",
            "required": ["count", "page", "page_size", "results", "facettes", "next", "previous"],
            "properties": {
                "count": {"type": "integer"},
                "page": {"type": "integer"},
                "page_size": {"type": "integer"},
                "results": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/ObservatoireProjetResume"},
                },
                "facettes": {
                    "type": "object",
                    "description": "Pour chaque filtre, {valeur: nombre de projets}.",
                    "properties": dict.fromkeys(FACETTES, counts),
                },
                "next": {"type": ["string", "null"], "description": "Page suivante, ou null."},
                "previous": {
                    "type": ["string", "null"],
                    "description": "Page précédente, ou null.",
                },
            },
        },
        "ObservatoireProjet": {
            "type": "object",
            "required": ["slug", "titre", "themes", "statut", "budget", "url"],
            "properties": {
                "slug": text,
                "titre": text,
                "resume": text,
                "description": {"type": "string", "description": "En Markdown."},
                "themes": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "code": {"type": "string", "enum": list(THEMES)},
                            "libelle": text,
                        },
                    },
                },
                "statut": {"type": "string", "enum": list(Projet.Statut.values)},
                "statut_libelle": text,
                "date_debut": date,
                "date_fin": date,
                "avancement": {"type": "integer", "minimum": 0, "maximum": 100},
                "budget": {
                    "type": "object",
                    "properties": {
                        "investissement": amount,
                        "fonctionnement_annuel": amount,
                        "financements": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {"source": text, "montant": amount},
                            },
                        },
                    },
                },
                "savoir_faire": {"type": "array", "items": text},
                "resultats": text,
                "enseignements": text,
                "reutilisation": {
                    "type": "object",
                    "properties": {
                        "open_source": {"type": "boolean"},
                        "specifications_partageables": {"type": "boolean"},
                        "texte": text,
                        "depot_code": text,
                    },
                },
                "site_web": text,
                "porteur": {"oneOf": [acteur, {"type": "null"}]},
                "collectivites_concernees": {"type": "array", "items": acteur},
                "partenaires": {
                    "type": "array",
                    "items": {
                        **acteur,
                        "properties": {
                            **acteur["properties"],
                            "role": {
                                "type": "string",
                                "enum": [
                                    role
                                    for role in ProjetActeur.Role.values
                                    if role != ProjetActeur.Role.CONCERNEE
                                ],
                            },
                            "role_libelle": text,
                        },
                    },
                },
                "logiciels": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"nom": text, "slug": text, "libre": {"type": "boolean"}},
                    },
                },
                "territoire": {
                    "type": "object",
                    "description": "Lieu et taille du porteur.",
                    "properties": {
                        "type_collectivite": text,
                        "population": {"type": ["integer", "null"]},
                        "departement": text,
                        "region": text,
                        "latitude": {"type": ["number", "null"]},
                        "longitude": {"type": ["number", "null"]},
                    },
                },
                "publie_le": {"type": ["string", "null"], "format": "date-time"},
                "modifie_le": {"type": ["string", "null"], "format": "date-time"},
                "url": url,
            },
        },
    }


def openapi_part() -> dict[str, Any]:
    """Return the observatory's paths and schemas."""
    return {
        "paths": {"/projets": _projets(), "/projets/{slug}": _projet()},
        "schemas": _schemas(),
    }
