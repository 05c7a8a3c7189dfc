"""What the observatory publishes as data: a published project as a JSON record (the exports
and the read API) or as a flat row (the CSV export and the open data dataset).

No personal data: no contact person (even one who consented: they agreed to be shown on the
pages, not copied into files), nobody who wrote, reviewed or created anything; drafts never.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.urls import reverse

from socle.core.tableur import csv_safe
from socle.observatoire.models import Acteur, Projet, ProjetActeur
from socle.observatoire.themes import theme_label

ROWS_PER_CHUNK = 200

# --- Records ----------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def projet_url(projet: Projet) -> str:
    """Return the public page of a project, absolute."""
    return _absolute(reverse("observatoire-site:projet", kwargs={"slug": projet.slug}))


def montant(value: Decimal | str | None) -> float | None:
    """Return an amount in euros as a number (None when not given)."""
    if value in (None, ""):
        return None
    try:
        return float(Decimal(str(value)))
    except InvalidOperation:
        return None


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _acteur(acteur: Acteur) -> dict[str, Any]:
    return {
        "nom": acteur.nom,
        "slug": acteur.slug,
        "type": acteur.kind,
        "code_insee": acteur.code_insee,
        "page": _absolute(reverse("observatoire-site:acteur", kwargs={"slug": acteur.slug})),
    }


def _participations(projet: Projet) -> tuple[list[Acteur], list[ProjetActeur]]:
    rows = list(projet.participations.all())
    concernees = [p.acteur for p in rows if p.role == ProjetActeur.Role.CONCERNEE]
    return concernees, [p for p in rows if p.role != ProjetActeur.Role.CONCERNEE]


def projet_resume(projet: Projet) -> dict[str, Any]:
    """Return what a list of projects says of one (the API's search results)."""
    return {
        "slug": projet.slug,
        "titre": projet.titre,
        "resume": projet.resume,
        "themes": list(projet.themes or []),
        "statut": projet.statut,
        "porteur": projet.porteur.nom if projet.porteur is not None else None,
        "departement": projet.departement_code,
        "region": projet.region_code,
        "url": projet_url(projet),
    }


def projet_record(projet: Projet) -> dict[str, Any]:
    """Return everything public about a published project, JSON-ready."""
    concernees, partenaires = _participations(projet)
    return {
        "slug": projet.slug,
        "titre": projet.titre,
        "resume": projet.resume,
        "description": projet.description,
        "themes": [{"code": code, "libelle": theme_label(code)} for code in projet.themes or []],
        "statut": projet.statut,
        "statut_libelle": str(Projet.Statut(projet.statut).label),
        "date_debut": _date(projet.date_debut),
        "date_fin": _date(projet.date_fin),
        "avancement": projet.avancement,
        "budget": {
            "investissement": montant(projet.budget_investissement),
            "fonctionnement_annuel": montant(projet.budget_fonctionnement),
            "financements": [
                {"source": str(row.get("source", "")), "montant": montant(row.get("montant"))}
                for row in projet.financements or []
            ],
        },
        "savoir_faire": list(projet.savoir_faire or []),
        "resultats": projet.resultats,
        "enseignements": projet.enseignements,
        "reutilisation": {
            "open_source": projet.open_source,
            "specifications_partageables": projet.specifications_partageables,
            "texte": projet.reutilisation,
            "depot_code": projet.depot_code,
        },
        "site_web": projet.site_web,
        "porteur": _acteur(projet.porteur) if projet.porteur is not None else None,
        "collectivites_concernees": [_acteur(acteur) for acteur in concernees],
        "partenaires": [
            {**_acteur(p.acteur), "role": p.role, "role_libelle": str(p.get_role_display())}
            for p in partenaires
        ],
        "logiciels": [
            {"nom": logiciel.nom, "slug": logiciel.slug, "libre": logiciel.libre}
            for logiciel in projet.logiciels.all()
        ],
        "territoire": {
            "type_collectivite": projet.type_collectivite,
            "population": projet.population,
            "departement": projet.departement_code,
            "region": projet.region_code,
            "latitude": projet.latitude,
            "longitude": projet.longitude,
        },
        "publie_le": _date(projet.publie_le),
        "modifie_le": _date(projet.modifie_le),
        "url": projet_url(projet),
    }


COLONNES = [
    "slug",
    "titre",
    "resume",
    "description",
    "themes",
    "statut",
    "date_debut",
    "date_fin",
    "avancement",
    "budget_investissement",
    "budget_fonctionnement_annuel",
    "financements",
    "savoir_faire",
    "resultats",
    "enseignements",
    "open_source",
    "specifications_partageables",
    "reutilisation",
    "depot_code",
    "site_web",
    "porteur",
    "porteur_type",
    "porteur_code_insee",
    "collectivites_concernees",
    "partenaires",
    "logiciels",
    "type_collectivite",
    "population",
    "departement",
    "region",
    "latitude",
    "longitude",
    "publie_le",
    "modifie_le",
    "url",
]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".") if value % 1 else str(int(value))
    return str(value)


def projet_ligne(projet: Projet) -> dict[str, str]:
    """Return a published project as one flat row of text (lists joined by « ; »)."""
    concernees, partenaires = _participations(projet)
    porteur = projet.porteur
    values: dict[str, Any] = {
        "slug": projet.slug,
        "titre": projet.titre,
        "resume": projet.resume,
        "description": projet.description,
        "themes": ";".join(projet.themes or []),
        "statut": projet.statut,
        "date_debut": _date(projet.date_debut),
        "date_fin": _date(projet.date_fin),
        "avancement": projet.avancement,
        "budget_investissement": projet.budget_investissement,
        "budget_fonctionnement_annuel": projet.budget_fonctionnement,
        "financements": ";".join(
            f"{row.get('source', '')} : {row.get('montant', '')}"
            for row in projet.financements or []
        ),
        "savoir_faire": ";".join(projet.savoir_faire or []),
        "resultats": projet.resultats,
        "enseignements": projet.enseignements,
        "open_source": projet.open_source,
        "specifications_partageables": projet.specifications_partageables,
        "reutilisation": projet.reutilisation,
        "depot_code": projet.depot_code,
        "site_web": projet.site_web,
        "porteur": porteur.nom if porteur is not None else "",
        "porteur_type": porteur.kind if porteur is not None else "",
        "porteur_code_insee": porteur.code_insee if porteur is not None else "",
        "collectivites_concernees": ";".join(acteur.nom for acteur in concernees),
        "partenaires": ";".join(p.acteur.nom for p in partenaires),
        "logiciels": ";".join(logiciel.nom for logiciel in projet.logiciels.all()),
        "type_collectivite": projet.type_collectivite,
        "population": projet.population,
        "departement": projet.departement_code,
        "region": projet.region_code,
        "latitude": projet.latitude,
        "longitude": projet.longitude,
        "publie_le": _date(projet.publie_le),
        "modifie_le": _date(projet.modifie_le),
        "url": projet_url(projet),
    }
    return {name: _text(values[name]) for name in COLONNES}


# --- Streams ----------------------------------------------------------------------------------


def _chunks(parts: Iterable[str]) -> Iterator[bytes]:
    batch: list[str] = []
    for part in parts:
        batch.append(part)
        if len(batch) >= ROWS_PER_CHUNK:
            yield "".join(batch).encode("utf-8")
            batch = []
    if batch:
        yield "".join(batch).encode("utf-8")


def json_stream(projets: Iterable[Projet]) -> Iterator[bytes]:
    """Stream the projects as a JSON array of records, UTF-8."""

    def parts() -> Iterator[str]:
        yield "["
        for index, projet in enumerate(projets):
            record = json.dumps(projet_record(projet), ensure_ascii=False)
            yield ("," if index else "") + "\n" + record
        yield "\n]\n"

    return _chunks(parts())


def csv_stream(projets: Iterable[Projet]) -> Iterator[bytes]:
    """Stream the projects as CSV (UTF-8, comma, header first, CRLF), formula-safe."""

    def parts() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(COLONNES)
        yield buffer.getvalue()
        for projet in projets:
            buffer.seek(0)
            buffer.truncate()
            ligne = projet_ligne(projet)
            writer.writerow([csv_safe(ligne[name]) for name in COLONNES])
            yield buffer.getvalue()

    return _chunks(parts())
