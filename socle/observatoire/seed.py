"""The observatory's starting content: the projects that public documents describe.

The data lives in `seed/*.json`, next to this module:

- `documents.json`: the source documents (file name in the shared seed folder → title, year);
- `acteurs.json`: the carriers and partners. Only what the documents state, plus the seat's
  approximate coordinates and the population's order of magnitude (public knowledge, each
  said so in the actor's `provenance`); no SIREN (no document gives one), no contact person;
- `logiciels.json`: the software and services the documents name (none is stated libre);
- `projets.json`: the projects, written only from the documents; each cites its `sources`
  (document and a verbatim quote), and `notes` says where an editorial choice was made.

`seed_load()` creates what is missing through the services, as the structure's own pages (or
the member's, when the carrier is a member), and publishes them; a project already there (by
slug) is left alone, so a second load changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from socle.observatoire import services
from socle.observatoire.models import Acteur, Logiciel, LogicielUsage, Projet
from socle.territoires.models import Collectivite

SEED_DIR = Path(__file__).with_name("seed")
SEED_FILES = ("documents", "acteurs", "logiciels", "projets")

# What an actor's entry may give acteur_create, besides kind, nom and description.
ACTOR_FIELDS = (
    "siren",
    "type_collectivite",
    "code_insee",
    "population",
    "departement_code",
    "region_code",
    "latitude",
    "longitude",
    "site_web",
    "email",
)


@cache
def seed_data() -> dict[str, Any]:
    """Return the seed's documents, actors, software and projects, as read from its files."""
    return {
        name: json.loads((SEED_DIR / f"{name}.json").read_text(encoding="utf-8"))
        for name in SEED_FILES
    }


def seed_sources(slug: str) -> list[dict[str, Any]]:
    """Return where a seeded project's facts come from: one {document, titre, annee, citation}
    per quote ([] for a project that is not from the seed)."""
    data = seed_data()
    spec = next((p for p in data["projets"] if p["slug"] == slug), None)
    if spec is None:
        return []
    return [
        {**data["documents"][source["document"]], **source} for source in spec.get("sources", [])
    ]


class _Loader:
    """Finds or creates the seed's actors and software once per load."""

    def __init__(self, data: dict[str, Any]):
        self.actor_specs = {spec["slug"]: spec for spec in data["acteurs"]}
        self.software_specs = {spec["nom"]: spec for spec in data["logiciels"]}
        self.actors: dict[str, Acteur] = {}
        self.software: dict[str, Logiciel] = {}

    def acteur(self, slug: str) -> Acteur:
        if slug not in self.actors:
            self.actors[slug] = self._acteur(self.actor_specs[slug])
        return self.actors[slug]

    @staticmethod
    def _acteur(spec: dict[str, Any]) -> Acteur:
        # A collectivité of the loaded territory is the territory's actor (and its member's).
        reference = spec.get("collectivite")
        if reference:
            collectivite = Collectivite.objects.filter(
                kind=reference["kind"], code=reference["code"]
            ).first()
            if collectivite is not None:
                return services.acteur_ensure_collectivite(collectivite=collectivite)
        acteur = Acteur.objects.filter(slug=spec["slug"]).first()
        if acteur is not None:
            return acteur
        return services.acteur_create(
            acting_user=None,
            kind=spec["kind"],
            nom=spec["nom"],
            description=spec.get("description", ""),
            slug=spec["slug"],
            **{name: spec[name] for name in ACTOR_FIELDS if name in spec},
        )

    def logiciel(self, nom: str) -> Logiciel:
        if nom not in self.software:
            spec = self.software_specs[nom]
            logiciel = services.logiciel_ensure(
                acting_user=None,
                nom=nom,
                description=spec.get("description", ""),
                editeur=spec.get("editeur", ""),
                site_web=spec.get("site_web", ""),
                libre=spec.get("libre", False),
                licence=spec.get("licence", ""),
            )
            for usage in spec.get("usages", []):
                acteur = self.acteur(usage["acteur"])
                # Set once: a referent or contact the structure chose later stays.
                if not LogicielUsage.objects.filter(logiciel=logiciel, acteur=acteur).exists():
                    services.logiciel_usage_set(
                        acting_user=None,
                        logiciel=logiciel,
                        acteur=acteur,
                        referent=usage.get("referent", False),
                    )
            self.software[nom] = logiciel
        return self.software[nom]


def _projet_load(loader: _Loader, spec: dict[str, Any]) -> Projet:
    """Create one project through the services, submit it and publish it."""
    porteur = loader.acteur(spec["porteur"])
    fields = {name: spec[name] for name in services.PROJECT_FIELDS if name in spec}
    fields.pop("titre", None)
    projet = services.projet_create(
        acting_user=None,
        # The member's own page when the carrier is a member, else the structure's.
        membre=porteur.membre,
        titre=spec["titre"],
        porteur=porteur,
        slug=spec["slug"],
        **fields,
    )
    participations = [(loader.acteur(slug), role) for slug, role in spec.get("participations", [])]
    if participations:
        services.projet_participations_set(
            acting_user=None, projet=projet, participations=participations
        )
    logiciels = [loader.logiciel(nom) for nom in spec.get("logiciels", [])]
    if logiciels:
        services.projet_logiciels_set(acting_user=None, projet=projet, logiciels=logiciels)
    services.projet_submit(acting_user=None, projet=projet)
    services.projet_publish(acting_user=None, projet=projet)
    return projet


def seed_load(*, log: Callable[[str], None] = lambda _: None) -> int:
    """Create and publish the seed's projects that are missing (with their actors and
    software); return how many projects were created (0 the second time)."""
    data = seed_data()
    slugs = [spec["slug"] for spec in data["projets"]]
    existing = set(Projet.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    software_slugs = {slugify(spec["nom"])[:80] for spec in data["logiciels"]}
    software_missing = software_slugs - set(
        Logiciel.objects.filter(slug__in=software_slugs).values_list("slug", flat=True)
    )
    if len(existing) == len(slugs) and not software_missing:
        return 0
    loader = _Loader(data)
    with transaction.atomic():
        # The whole registry, even software no seeded project uses (FranceConnect…).
        for nom in loader.software_specs:
            loader.logiciel(nom)
    created = 0
    for spec in data["projets"]:
        if spec["slug"] in existing:
            continue
        with transaction.atomic():
            _projet_load(loader, spec)
        created += 1
    if created:
        log(f"observatoire : {created} projets de départ publiés (sources : seed/*.json)")
    return created
