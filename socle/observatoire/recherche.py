"""The observatory's search index: each project's French document, and (by database) the
full-text index that searches it."""

from __future__ import annotations

from socle.observatoire import text
from socle.observatoire.models import Projet
from socle.observatoire.themes import theme_label


def projet_document(projet: Projet) -> str:
    """Return the stemmed search document of a project (title, summary, description, themes,
    software, carrier and partners)."""
    parts = [
        projet.titre,
        projet.titre,  # the title counts twice
        projet.resume,
        projet.description,
        " ".join(theme_label(code) for code in projet.themes),
        " ".join(projet.savoir_faire),
        projet.resultats,
        projet.enseignements,
    ]
    if projet.pk:
        parts.append(" ".join(projet.logiciels.values_list("nom", flat=True)))
        parts.append(" ".join(projet.participations.values_list("acteur__nom", flat=True)))
    if projet.porteur is not None:
        parts.append(projet.porteur.nom)
    return text.document(*parts)


def projet_indexer(projet: Projet) -> None:
    """Write the project's search document (and its full-text index entry)."""
    projet.document = projet_document(projet)
    Projet.objects.filter(pk=projet.pk).update(document=projet.document)
