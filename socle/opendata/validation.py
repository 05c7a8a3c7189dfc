"""Validation of a table against its Table Schema with validata-table (the national Validata
engine), the schema and its custom checks from the files we ship, never from the network.

The report is French and cell by cell (row, column, value, message), as validata words it.
Beside each schema's own custom checks, we run the French checks its description asks for
but its descriptor does not declare (`CONTROLES_AJOUTES`: opening hours in OpenStreetMap's
syntax, coordinates in France and not swapped), with validata's own checks where it has one.
"""

from __future__ import annotations

import copy
import csv
import io
import os
import re
import tempfile
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from socle.opendata.schemas import Schema


@dataclass
class Erreur:
    """One problem, in French, located when it can be (row number counts the header as 1)."""

    message: str
    titre: str = ""
    ligne: int | None = None
    colonne: str = ""
    valeur: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "message": self.message,
            "titre": self.titre,
            "ligne": self.ligne,
            "colonne": self.colonne,
            "valeur": self.valeur,
        }


@dataclass
class Rapport:
    """What validation found: errors (any refuses the file) and warnings."""

    valide: bool
    erreurs: list[Erreur] = field(default_factory=list)
    avertissements: list[str] = field(default_factory=list)
    lignes: int = 0
    # Errors found beyond the ERREURS_MAX listed.
    erreurs_non_listees: int = 0

    @classmethod
    def vide(cls) -> Rapport:
        return cls(valide=True)

    @classmethod
    def refus(cls, messages: list[str], avertissements: list[str] | None = None) -> Rapport:
        """Return the report of a file refused before validation (unreadable, too big…)."""
        return cls(
            valide=False,
            erreurs=[Erreur(message=str(message)) for message in messages],
            avertissements=list(avertissements or []),
        )

    @property
    def nb_erreurs(self) -> int:
        """Return how many errors were found (listed or not)."""
        return len(self.erreurs) + self.erreurs_non_listees

    @property
    def resume(self) -> str:
        """Say in one French sentence what the report found."""
        if self.valide:
            return _("Fichier valide.")
        n = self.nb_erreurs
        if n == 1:
            return _("Fichier refusé : 1 erreur.")
        return _("Fichier refusé : %(n)d erreurs.") % {"n": n}

    def as_dict(self) -> dict[str, Any]:
        return {
            "valide": self.valide,
            "erreurs": [erreur.as_dict() for erreur in self.erreurs],
            "erreurs_non_listees": self.erreurs_non_listees,
            "avertissements": self.avertissements,
            "lignes": self.lignes,
        }

    def texte(self) -> str:
        """Return the report as French text, one problem a line (for the command line)."""
        lines = [self.resume]
        for erreur in self.erreurs:
            where = []
            if erreur.ligne:
                where.append(_("ligne %(n)d") % {"n": erreur.ligne})
            if erreur.colonne:
                where.append(_("colonne « %(c)s »") % {"c": erreur.colonne})
            prefix = f"[{', '.join(where)}] " if where else ""
            lines.append(
                f"- {prefix}{erreur.titre + ' : ' if erreur.titre else ''}{erreur.message}"
            )
        if self.erreurs_non_listees:
            lines.append(
                _("… et %(n)d autres erreurs non listées.") % {"n": self.erreurs_non_listees}
            )
        for avertissement in self.avertissements:
            lines.append(_("Avertissement : %(a)s") % {"a": avertissement})
        return "\n".join(lines)


# How many errors a report lists (a file wrong on every row would list a million).
ERREURS_MAX = 1000

# validata stops at 100,000 rows (a limit of its web service); our limit is the file's size
# (settings.OPENDATA_MAX_BYTES), checked before reading.
VALIDATA_MAX_ROWS = 10_000_000

# French checks that a schema's description asks for but its descriptor does not declare:
# custom checks of validata added to the descriptor we validate against.
CONTROLES_AJOUTES: dict[str, list[dict[str, Any]]] = {
    "scdl/equipements": [{"name": "opening-hours-value", "params": {"column": "EQUIP_OUVERTURE"}}],
    "lieux-mediation-numerique": [
        {"name": "opening-hours-value", "params": {"column": "horaires"}}
    ],
    "etalab/schema-irve-statique": [
        {"name": "french-gps-coordinates", "params": {"column": "coordonneesXY"}}
    ],
}
# Latitude and longitude in two columns (validata's GPS check reads one geopoint column):
# the point must fall in France (métropole and DROM), and not once swapped.
COORDONNEES: dict[str, tuple[str, str]] = {
    "scdl/equipements": ("EQUIP_LAT", "EQUIP_LONG"),
    "lieux-mediation-numerique": ("latitude", "longitude"),
}

# Warnings meant for a schema's authors, not for who uploads a file.
AVERTISSEMENTS_IGNORES = re.compile(r"custom check .* est déprécié", re.IGNORECASE)
MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")


def _clean(text: Any) -> str:
    """Return validata's message as one plain line (its Markdown links spelled out)."""
    text = MARKDOWN_LINK.sub(r"\1 (\2)", str(text or ""))
    return " ".join(text.split())


# validata leaves some frictionless constraint errors in English (its French locale misspells
# « minimum », and has no words for the exclusive bounds): we word them.
ENGLISH_CONSTRAINT = re.compile(r'constraint "(?P<constraint>\w+)" is "(?P<value>.*)"')


def _constraint_french(constraint: str, value: str) -> tuple[str, str]:
    if constraint == "minimum":
        return _("Valeur trop petite"), _("La valeur doit être au moins égale à %(v)s") % {
            "v": value
        }
    if constraint == "maximum":
        return _("Valeur trop grande"), _("La valeur doit être au plus égale à %(v)s") % {
            "v": value
        }
    if constraint == "exclusiveMinimum":
        return _("Valeur trop petite"), _("La valeur doit être strictement supérieure à %(v)s") % {
            "v": value
        }
    if constraint == "exclusiveMaximum":
        return _("Valeur trop grande"), _("La valeur doit être strictement inférieure à %(v)s") % {
            "v": value
        }
    return _("Valeur non conforme"), _(
        "La valeur ne respecte pas la contrainte « %(c)s » (%(v)s) du schéma."
    ) % {"c": constraint, "v": value}


def _erreur(error: dict[str, Any]) -> Erreur:
    """Return one of validata's errors as ours, in French."""
    titre, message = _clean(error.get("title", "")), _clean(error.get("message", ""))
    english = ENGLISH_CONSTRAINT.search(message)
    if error.get("type") == "constraint-error" and english:
        titre, message = _constraint_french(english["constraint"], english["value"])
    return Erreur(
        message=message,
        titre=titre,
        ligne=error.get("rowNumber"),
        colonne=str(error.get("fieldName", "") or ""),
        valeur=str(error.get("cell", "") or "")[:200],
    )


def _descriptor(schema: Schema) -> dict[str, Any]:
    added = CONTROLES_AJOUTES.get(schema.name)
    if not added:
        return schema.descriptor
    descriptor = copy.deepcopy(schema.descriptor)
    names = set(schema.fields)
    descriptor["custom_checks"] = list(descriptor.get("custom_checks") or []) + [
        check for check in added if check["params"]["column"] in names
    ]
    return descriptor


def table_validate(csv_text: str, schema: Schema) -> Rapport:
    """Validate UTF-8 CSV text against a shipped schema; return the French report."""
    from validata_core import validate
    from validata_core.domain import validation_features

    validation_features.VALIDATA_MAX_ROWS = VALIDATA_MAX_ROWS  # type: ignore[attr-defined]
    # validata reads a path; the file lives only for the call.
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, deleted after
        "w", suffix=".csv", encoding="utf-8", delete=False, newline=""
    )
    try:
        handle.write(csv_text)
        handle.close()
        report = validate(handle.name, _descriptor(schema))
    finally:
        os.unlink(handle.name)
    data = report.to_dict() if hasattr(report, "to_dict") else dict(report)
    erreurs = [_erreur(error) for error in data.get("errors", [])]
    erreurs.extend(_coordonnees_check(csv_text, schema))
    erreurs.sort(key=lambda erreur: (erreur.ligne or 0, schema_order(schema, erreur.colonne)))
    stats = data.get("stats", {}) or {}
    return Rapport(
        valide=bool(data.get("valid")) and not erreurs,
        erreurs=erreurs[:ERREURS_MAX],
        erreurs_non_listees=max(0, len(erreurs) - ERREURS_MAX),
        avertissements=[
            _clean(w) for w in data.get("warnings", []) if not AVERTISSEMENTS_IGNORES.search(str(w))
        ],
        lignes=int(stats.get("rows", 0) or 0),
    )


def schema_order(schema: Schema, colonne: str) -> int:
    """Return a column's rank in the schema (unknown columns last), to sort a report."""
    try:
        return schema.fields.index(colonne)
    except ValueError:
        return len(schema.fields)


def _number(text: str) -> float | None:
    try:
        return float(text.strip())
    except ValueError:
        return None


def _coordonnees_check(csv_text: str, schema: Schema) -> list[Erreur]:
    """Return the rows whose latitude and longitude are swapped or fall outside France."""
    columns = COORDONNEES.get(schema.name)
    if columns is None:
        return []
    from validata_core.custom_checks.french_gps_coordinates import is_point_in_france

    lat_name, lon_name = columns
    reader = csv.reader(io.StringIO(csv_text, newline=""))
    header = next(reader, [])
    if lat_name not in header or lon_name not in header:
        return []
    lat_index, lon_index = header.index(lat_name), header.index(lon_name)
    found = []
    for number, row in enumerate(reader, start=2):
        if max(lat_index, lon_index) >= len(row):
            continue
        lat, lon = _number(row[lat_index]), _number(row[lon_index])
        if lat is None or lon is None:
            continue  # empty or not a number: the schema's own checks say so
        if is_point_in_france([lon, lat]):
            continue
        value = f"{row[lat_index]}, {row[lon_index]}"
        if is_point_in_france([lat, lon]):
            found.append(
                Erreur(
                    titre=_("Coordonnées GPS inversées"),
                    message=_(
                        "La latitude et la longitude semblent inversées : interverties, "
                        "elles tombent en France (« %(lat)s » doit être la latitude)."
                    )
                    % {"lat": lat_name},
                    ligne=number,
                    colonne=lat_name,
                    valeur=value,
                )
            )
        else:
            found.append(
                Erreur(
                    titre=_("Coordonnées GPS hors de France"),
                    message=_(
                        "Ces coordonnées (latitude, longitude en degrés décimaux WGS 84) ne "
                        "tombent pas en France."
                    ),
                    ligne=number,
                    colonne=lat_name,
                    valeur=value,
                )
            )
    return found
