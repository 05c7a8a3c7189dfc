"""Validation of a table against its Table Schema with validata-table (the national Validata
engine), the schema and its custom checks from the files we ship, never from the network."""

from __future__ import annotations

import os
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

    @classmethod
    def vide(cls) -> Rapport:
        return cls(valide=True)

    @property
    def resume(self) -> str:
        """Say in one French sentence what the report found."""
        if self.valide:
            return _("Fichier valide.")
        return _("Fichier refusé : %(n)d erreur(s).") % {"n": len(self.erreurs)}

    def as_dict(self) -> dict[str, Any]:
        return {
            "valide": self.valide,
            "erreurs": [erreur.as_dict() for erreur in self.erreurs],
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
        for avertissement in self.avertissements:
            lines.append(_("Avertissement : %(a)s") % {"a": avertissement})
        return "\n".join(lines)


def table_validate(csv_text: str, schema: Schema) -> Rapport:
    """Validate UTF-8 CSV text against a shipped schema; return the French report."""
    from validata_core import validate

    # validata reads a path; the file lives only for the call.
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, deleted after
        "w", suffix=".csv", encoding="utf-8", delete=False, newline=""
    )
    try:
        handle.write(csv_text)
        handle.close()
        report = validate(handle.name, schema.descriptor)
    finally:
        os.unlink(handle.name)
    data = report.to_dict() if hasattr(report, "to_dict") else dict(report)
    erreurs = [
        Erreur(
            message=str(error.get("message", "")),
            titre=str(error.get("title", "")),
            ligne=error.get("rowNumber"),
            colonne=str(error.get("fieldName", "") or ""),
            valeur=str(error.get("cell", "") or "")[:200],
        )
        for error in data.get("errors", [])
    ]
    stats = data.get("stats", {}) or {}
    return Rapport(
        valide=bool(data.get("valid")) and not erreurs,
        erreurs=erreurs,
        avertissements=[str(w) for w in data.get("warnings", [])],
        lignes=int(stats.get("rows", 0) or 0),
    )
