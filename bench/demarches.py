"""Benchmark the démarches module on 100,000 dossiers over 50 procedures; not a test.

    .venv/bin/python bench/demarches.py [--dossiers 100000] [--refill] [--seconds 8]
        [--warm-up 3] [--rounds 2] [--workers 3] [--clients 3] [--receipts 30] [--seed 42]

On a PostgreSQL cluster on loopback kept in var/pg-bench-demarches (reused between runs: the
fill is skipped when the table already holds the dossiers; `--refill` starts over):
1. migrate, import the Gironde, create the demo members (Pessac, Bordeaux, Bordeaux Métropole:
   bench/benchkit.py, as bench/signalements.py);
2. publish 50 procedures of those members (Demarche + DemarcheVersion rows, a canteen-like
   form, `workflow.default_workflow()`, routed to the member's service for their competence);
3. fill `demarches_dossier` with N filed dossiers by COPY: filed over two years, mostly closed
   (accepted, some refused or closed), recent ones still « déposé » or « en instruction »,
   spread over the procedures by their popularity, ~60 % assigned to an agent of the member,
   answers of a real canteen inscription (1–3 children, address, file answers), by ~N/4
   citizens whose names follow French surname frequencies;
4. serve the project under gunicorn --preload (production settings, DEBUG=0) with the floor,
   a bare Django JSON view (bench/signalements_settings.py, bench/signalements_urls.py);
5. load it with closed-loop clients (bench/loadgen.py, one process each), rounds interleaved:
   - the instruction queue, /gestion/pessac/demarches/dossiers/, as the Éducation service's
     agent (session cookie): default tab, a status, a procedure, assigned to me, a reference,
     an applicant's name; then as Pessac's administrator (whole member, informative);
   - filing: POST of the summary page's « Déposer » form (CSRF token, one-time jeton), each
     client filing its own drafts, prepared before each round through `depot.dossier_start`
     and `depot.dossier_draft_save` page by page (a justificatif uploaded), sized from a pilot;
6. generate receipts in-process (`documents.document_generate`, the task's work): documents
   per second and the share of the template, WeasyPrint, pyHanko and encryption, against
   rendering a bare HTML template to a string (the floor, for scale).

Prints p50, p99, throughput and its ratio to the floor, then the targets (queue p99 < 100 ms;
filing >= 1/4 of the floor's throughput), MISSED when missed. Always exits 0. The drafts and
filed dossiers of the run, their files, mails and tasks, and the receipts are removed at the
end (the fill stays).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import secrets
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from benchkit import (  # noqa: E402 - the cluster, server and report shared with other benches
    FLOOR_PATH,
    cluster_up,
    command_line,
    free_port,
    line,
    prepare_database,
    serve,
    server_environment,
    session_open,
    shutdown,
    since,
    stop,
    verdict_p99,
    verdict_share,
)
from loadgen import Request, Result, fetch, measure  # noqa: E402

CLUSTER = ROOT / "var" / "pg-bench-demarches"
DATA_DIR = ROOT / "var" / "bench-demarches"
AGENT_EMAIL = "scolaire@pessac.socle.localhost"  # the demo's Sophie, Pessac's Éducation service
ADMIN_EMAIL = "admin@pessac.socle.localhost"  # the demo's Paul, Pessac's administrator
QUEUE_PATH = "/gestion/pessac/demarches/dossiers/"
# The fill's citizens, and the citizens who file during the run (removed with their dossiers).
FILL_DOMAIN = "usagers.bench-demarches.example.org"
DEPOT_DOMAIN = "deposants.bench-demarches.example.org"
QUEUE_P99_TARGET_MS = 100.0
FILING_FLOOR_SHARE = 0.25
RETENTION_MONTHS = 36
WIDTH = 52

FLOOR = "floor: bare Django JSON view"
Q_DEFAULT = "queue, agent: default tab (à traiter)"
Q_STATUS = "queue, agent: a status"
Q_PROCEDURE = "queue, agent: a procedure"
Q_MINE = "queue, agent: assigned to me"
Q_REFERENCE = "queue, agent: search by reference"
Q_NAME = "queue, agent: search by name"
Q_ADMIN = "queue, administrator: default tab (informative)"
Q_ADMIN_NAME = "queue, administrator: search by name (informative)"
FILING = "filing: POST « Déposer » (302)"
QUEUE_LOADS = (Q_DEFAULT, Q_STATUS, Q_PROCEDURE, Q_MINE, Q_REFERENCE, Q_NAME)

# ---- The procedures -----------------------------------------------------------------------------
# member slug, slug, title, competence, popularity (share of the dossiers, relative).
PROCEDURES: list[tuple[str, str, str, str, int]] = [
    ("pessac", "restauration-2024", "Inscription à la restauration scolaire 2024-2025",
     "restauration-scolaire", 60),
    ("pessac", "restauration-2025", "Inscription à la restauration scolaire 2025-2026",
     "restauration-scolaire", 60),
    ("pessac", "regime-cantine", "Changement de régime alimentaire à la cantine",
     "restauration-scolaire", 6),
    ("pessac", "pai-cantine", "Accueil à la cantine avec un PAI", "restauration-scolaire", 4),
    ("pessac", "loisirs-hiver", "Accueil de loisirs — vacances d’hiver", "periscolaire", 15),
    ("pessac", "loisirs-printemps", "Accueil de loisirs — vacances de printemps",
     "periscolaire", 15),
    ("pessac", "loisirs-ete", "Accueil de loisirs — vacances d’été", "periscolaire", 30),
    ("pessac", "loisirs-toussaint", "Accueil de loisirs — vacances de la Toussaint",
     "periscolaire", 12),
    ("pessac", "loisirs-mercredis", "Accueil de loisirs du mercredi", "periscolaire", 20),
    ("pessac", "periscolaire-2024", "Accueil périscolaire 2024-2025", "periscolaire", 25),
    ("pessac", "periscolaire-2025", "Accueil périscolaire 2025-2026", "periscolaire", 25),
    ("pessac", "etudes-surveillees", "Inscription aux études surveillées", "periscolaire", 8),
    ("pessac", "acte-naissance", "Demande d’acte de naissance", "etat-civil", 30),
    ("pessac", "acte-mariage", "Demande d’acte de mariage", "etat-civil", 10),
    ("pessac", "acte-deces", "Demande d’acte de décès", "etat-civil", 8),
    ("pessac", "recensement", "Recensement citoyen obligatoire", "etat-civil", 6),
    ("pessac", "composteur", "Demande de composteur individuel", "proprete", 5),
    ("pessac", "jardins-familiaux", "Parcelle aux jardins familiaux", "espaces-verts", 3),
    ("pessac", "occupation-domaine-public", "Occupation temporaire du domaine public",
     "mobilier-urbain", 4),
    ("pessac", "branchement-manifestation", "Branchement électrique pour une manifestation",
     "eclairage-public", 2),
    ("bordeaux", "acte-naissance", "Demande d’acte de naissance", "etat-civil", 60),
    ("bordeaux", "acte-mariage", "Demande d’acte de mariage", "etat-civil", 25),
    ("bordeaux", "acte-deces", "Demande d’acte de décès", "etat-civil", 20),
    ("bordeaux", "livret-famille", "Duplicata du livret de famille", "etat-civil", 8),
    ("bordeaux", "pacs", "Enregistrement d’un PACS", "etat-civil", 10),
    ("bordeaux", "recensement", "Recensement citoyen obligatoire", "etat-civil", 12),
    ("bordeaux", "changement-prenom", "Demande de changement de prénom", "etat-civil", 2),
    ("bordeaux", "parrainage-civil", "Demande de parrainage civil", "etat-civil", 2),
    ("bordeaux", "jardins-partages", "Parcelle dans un jardin partagé", "espaces-verts", 4),
    ("bordeaux", "permis-vegetaliser", "Permis de végétaliser", "espaces-verts", 6),
    ("bordeaux", "kiosque", "Réservation d’un kiosque dans un parc", "espaces-verts", 3),
    ("bordeaux", "arbre-naissance", "Un arbre, une naissance", "espaces-verts", 3),
    ("bordeaux", "tags-facade", "Enlèvement de tags sur une façade privée", "proprete", 5),
    ("bordeaux", "nettoyage-citoyen", "Prêt de matériel pour un nettoyage citoyen",
     "proprete", 2),
    ("bordeaux", "nettoyage-manifestation", "Nettoyage après une manifestation", "proprete", 2),
    ("bordeaux", "terrasse", "Autorisation de terrasse", "mobilier-urbain", 8),
    ("bordeaux", "echafaudage", "Occupation du domaine public pour un chantier",
     "mobilier-urbain", 6),
    ("bordeaux", "mobilier-evenement", "Prêt de mobilier pour un événement",
     "eclairage-public", 2),
    ("bordeaux-metropole", "abonnement-eau", "Abonnement au service de l’eau potable",
     "eau-potable", 25),
    ("bordeaux-metropole", "resiliation-eau", "Résiliation de l’abonnement à l’eau",
     "eau-potable", 20),
    ("bordeaux-metropole", "releve-compteur", "Relevé contradictoire du compteur d’eau",
     "eau-potable", 4),
    ("bordeaux-metropole", "controle-spanc", "Contrôle d’assainissement non collectif",
     "assainissement", 5),
    ("bordeaux-metropole", "branchement-egout", "Branchement au réseau d’assainissement",
     "assainissement", 4),
    ("bordeaux-metropole", "bac-dechets", "Demande ou échange de bac à déchets", "dechets", 20),
    ("bordeaux-metropole", "encombrants", "Enlèvement des encombrants", "dechets", 25),
    ("bordeaux-metropole", "badge-decheterie", "Badge d’accès aux déchetteries", "dechets", 15),
    ("bordeaux-metropole", "composteur-collectif", "Composteur collectif en résidence",
     "dechets", 3),
    ("bordeaux-metropole", "permis-stationnement", "Permis de stationnement (déménagement)",
     "voirie", 12),
    ("bordeaux-metropole", "arrete-circulation", "Arrêté de circulation pour travaux",
     "voirie", 5),
    ("bordeaux-metropole", "bateau-trottoir", "Abaissement de trottoir (bateau)", "voirie", 3),
]  # fmt: skip

# A canteen inscription, as the structure's template has it (three pages, a repeated block,
# conditions, files).
_SCHOOLS = [
    ("ecole_aubarede", "École Aubarède"),
    ("ecole_pape_clement", "École Pape-Clément"),
    ("ecole_joliot_curie", "École Joliot-Curie"),
    ("ecole_magonty", "École Magonty"),
]
_CLASSES = ["ps", "ms", "gs", "cp", "ce1", "ce2", "cm1", "cm2"]
_DIETS = ["standard", "sans_porc", "sans_viande", "sans_viande_ni_poisson"]
_DAYS = ["lundi", "mardi", "jeudi", "vendredi"]


def _choices(values: list, labels: list | None = None) -> list[dict[str, str]]:
    return [
        {"valeur": v, "libelle": (labels or values)[i].capitalize()} for i, v in enumerate(values)
    ]


def _file_field(cle: str, libelle: str, **extra: Any) -> dict[str, Any]:
    return {
        "cle": cle,
        "type": "fichier",
        "libelle": libelle,
        "obligatoire": True,
        "formats": ["pdf", "jpeg", "png"],
        "taille_max_mo": 10,
        **extra,
    }


SCHEMA: dict[str, Any] = {
    "pages": [
        {
            "titre": "Le responsable légal",
            "texte": "La personne qui inscrit les enfants et reçoit les factures.",
            "champs": [
                {"cle": "nom", "type": "texte", "libelle": "Nom", "obligatoire": True,
                 "prerempli": "usager.nom", "longueur_max": 100},
                {"cle": "prenom", "type": "texte", "libelle": "Prénom", "obligatoire": True,
                 "prerempli": "usager.prenom", "longueur_max": 100},
                {"cle": "email", "type": "email", "libelle": "Adresse électronique",
                 "obligatoire": True, "prerempli": "usager.email"},
                {"cle": "telephone", "type": "telephone", "libelle": "Téléphone",
                 "obligatoire": True, "prerempli": "usager.telephone"},
                {"cle": "adresse", "type": "adresse", "libelle": "Adresse du domicile",
                 "obligatoire": True, "prerempli": "adresse.principale"},
            ],
        },
        {
            "titre": "Les enfants",
            "texte": "",
            "champs": [
                {
                    "cle": "enfants", "type": "bloc", "libelle": "Enfants à inscrire",
                    "obligatoire": True, "prerempli": "foyer.enfants",
                    "libelle_element": "Enfant", "min_repetitions": 1, "max_repetitions": 8,
                    "champs": [
                        {"cle": "prenom", "type": "texte", "libelle": "Prénom",
                         "obligatoire": True, "prerempli": "proche.prenom"},
                        {"cle": "nom", "type": "texte", "libelle": "Nom", "obligatoire": True,
                         "prerempli": "proche.nom"},
                        {"cle": "date_naissance", "type": "date", "libelle": "Date de naissance",
                         "obligatoire": True, "prerempli": "proche.date_naissance",
                         "max": "aujourdhui"},
                        {"cle": "ecole", "type": "liste", "libelle": "École", "obligatoire": True,
                         "choix": [{"valeur": v, "libelle": n} for v, n in _SCHOOLS]},
                        {"cle": "classe", "type": "liste", "libelle": "Classe à la rentrée",
                         "obligatoire": True, "choix": _choices(_CLASSES)},
                        {"cle": "regime", "type": "liste", "libelle": "Régime alimentaire",
                         "obligatoire": True, "choix": _choices(_DIETS)},
                        {"cle": "pai", "type": "oui_non", "obligatoire": True,
                         "libelle": "Votre enfant a-t-il un projet d’accueil individualisé ?"},
                        _file_field("pai_document", "Le PAI signé",
                                    condition={"champ": "pai", "valeur": "oui"}),
                        {"cle": "jours", "type": "choix_multiple", "obligatoire": True,
                         "libelle": "Jours de présence", "choix": _choices(_DAYS), "min_choix": 1},
                    ],
                }
            ],
        },
        {
            "titre": "Tarif et justificatifs",
            "texte": "",
            "champs": [
                {"cle": "tarifs", "type": "texte_explicatif", "libelle": "",
                 "texte": "**Le prix du repas dépend de votre quotient familial.**"},
                {"cle": "tarif_qf", "type": "oui_non", "obligatoire": True,
                 "libelle": "Souhaitez-vous un tarif selon votre quotient familial ?"},
                {"cle": "quotient_familial", "type": "nombre", "libelle": "Quotient familial",
                 "min": 0, "max": 10000, "condition": {"champ": "tarif_qf", "valeur": "oui"}},
                _file_field("attestation_caf", "Attestation de quotient familial",
                            piece_type="attestation_caf",
                            condition={"champ": "tarif_qf", "valeur": "oui"}),
                _file_field("justificatif_domicile", "Justificatif de domicile",
                            piece_type="justificatif_domicile"),
            ],
        },
    ]
}  # fmt: skip

# Surnames by frequency in France (relative weights), and first names.
SURNAMES = {
    "Martin": 24, "Bernard": 12, "Thomas": 10, "Petit": 10, "Robert": 10, "Richard": 9,
    "Durand": 9, "Dubois": 9, "Moreau": 9, "Laurent": 8, "Simon": 8, "Michel": 8, "Lefebvre": 8,
    "Leroy": 7, "Roux": 7, "David": 7, "Bertrand": 7, "Morel": 7, "Fournier": 7, "Girard": 6,
    "Bonnet": 6, "Dupont": 6, "Lambert": 6, "Fontaine": 6, "Rousseau": 6, "Vincent": 6,
    "Muller": 5, "Lefevre": 5, "Faure": 5, "André": 5, "Mercier": 5, "Blanc": 5, "Guérin": 5,
    "Boyer": 5, "Garnier": 5, "Chevalier": 5, "François": 5, "Legrand": 5, "Gauthier": 5,
    "Garcia": 5, "Perrin": 5, "Robin": 4, "Clément": 4, "Morin": 4, "Nicolas": 4, "Henry": 4,
    "Roussel": 4, "Mathieu": 4, "Gautier": 4, "Masson": 4, "Marchand": 4, "Duval": 4,
    "Denis": 4, "Dumont": 4, "Marie": 4, "Lemaire": 4, "Noël": 4, "Meyer": 4, "Dufour": 4,
    "Meunier": 4, "Brun": 4, "Blanchard": 4, "Giraud": 4, "Joly": 4, "Rivière": 4, "Lucas": 4,
    "Brunet": 4, "Gaillard": 4, "Barbier": 4, "Arnaud": 4, "Martinez": 4, "Gérard": 4,
    "Roche": 3, "Renard": 3, "Schmitt": 3, "Roy": 3, "Leroux": 3, "Colin": 3, "Vidal": 3,
    "Caron": 3, "Picard": 3, "Roger": 3, "Fabre": 3, "Aubert": 3, "Lemoine": 3, "Renaud": 3,
    "Dumas": 3, "Lacroix": 3, "Olivier": 3, "Philippe": 3, "Bourgeois": 3, "Pierre": 3,
    "Benoît": 3, "Rey": 3, "Leclerc": 3, "Payet": 3, "Rolland": 3, "Leclercq": 3, "Guillaume": 3,
    "Lecomte": 3, "Lopez": 3, "Jean": 3, "Dupuy": 3, "Guillot": 3, "Hubert": 3, "Berger": 3,
    "Carpentier": 3, "Sanchez": 3, "Dupuis": 3, "Moulin": 3, "Louis": 3, "Deschamps": 3,
    "Huet": 3, "Vasseur": 3, "Perez": 3, "Boucher": 3, "Fleury": 3, "Royer": 3, "Klein": 3,
    "Jacquet": 3, "Adam": 3, "Paris": 3, "Poirier": 3, "Marty": 3, "Aubry": 3, "Guyot": 3,
    "Carré": 3, "Charles": 3, "Renault": 3, "Charpentier": 3, "Ménard": 3, "Maillard": 3,
    "Baron": 3, "Bertin": 3, "Bailly": 3, "Hervé": 3, "Schneider": 3, "Fernandez": 3,
    "Le Gall": 3, "Collet": 3, "Léger": 3, "Bouvier": 3, "Julien": 3, "Prévost": 3,
    "Millet": 3, "Perrot": 3, "Daniel": 3, "Le Roux": 3, "Cousin": 3, "Germain": 3,
    "Breton": 3, "Besson": 3, "Langlois": 3, "Rémy": 3, "Le Goff": 3, "Pelletier": 3,
    "Lévêque": 3, "Perrier": 3, "Leblanc": 3, "Barré": 3, "Lebrun": 3, "Marchal": 3,
    "Weber": 3, "Mallet": 3, "Hamon": 3, "Boulanger": 3, "Jacob": 3, "Monnier": 3,
    "Michaud": 3, "Rodriguez": 3, "Guichard": 3, "Gillet": 3, "Étienne": 3, "Grondin": 3,
    "Poulain": 3, "Tessier": 3, "Chevallier": 3, "Collin": 3, "Chauvin": 3, "Da Silva": 3,
    "Bouchet": 3, "Gay": 3, "Lemaître": 3, "Bénard": 3, "Maréchal": 3, "Humbert": 3,
    "Reynaud": 3, "Antoine": 3, "Hoarau": 3, "Perret": 3, "Barthélemy": 3, "Cordier": 3,
}  # fmt: skip
FIRST_NAMES = [
    "Camille", "Léa", "Manon", "Chloé", "Emma", "Inès", "Sarah", "Julie", "Laura", "Marie",
    "Pauline", "Céline", "Nathalie", "Sandrine", "Isabelle", "Sophie", "Aurélie", "Émilie",
    "Élodie", "Claire", "Anne", "Hélène", "Caroline", "Virginie", "Stéphanie", "Audrey",
    "Thomas", "Nicolas", "Julien", "Maxime", "Alexandre", "Antoine", "Kevin", "Romain",
    "Sébastien", "Guillaume", "Pierre", "Jérôme", "David", "Christophe", "Frédéric", "Olivier",
    "Laurent", "Stéphane", "Mathieu", "Vincent", "François", "Mehdi", "Karim", "Yacine",
]  # fmt: skip
CHILD_NAMES = [
    "Louise", "Jade", "Ambre", "Alice", "Rose", "Anna", "Lina", "Mila", "Romy", "Iris",
    "Gabriel", "Léo", "Raphaël", "Louis", "Arthur", "Jules", "Adam", "Maël", "Noah", "Sacha",
]  # fmt: skip
STREETS = [
    "avenue Jean Jaurès", "rue de la République", "avenue du Général Leclerc", "rue Victor Hugo",
    "allée des Acacias", "rue des Écoles", "chemin du Bourgailh", "avenue Pasteur",
    "rue Gambetta", "cours de la Libération", "rue Paul Doumer", "avenue de Canéjan",
]  # fmt: skip
MOTIFS = {
    "refuse": [
        "Le dossier est incomplet : le justificatif de domicile manque.",
        "Votre domicile n’est pas dans la commune.",
        "Les places de cette période sont toutes attribuées.",
    ],
    "sans_suite": ["Demande en double.", "Annulée à la demande de l’usager."],
}
# A justificatif the citizen uploads: a PDF of a scanned page's size.
PDF_CONTENT = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    + b"%" + b"justificatif " * 2400 + b"\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)  # fmt: skip


# ---- Set-up: procedures and citizens ------------------------------------------------------------
@dataclass
class Territory:
    """The bench's procedures and where their applicants live."""

    procedures: list  # Demarche, in PROCEDURES' order
    weights: list[int]
    versions: dict[int, Any]  # demarche pk -> DemarcheVersion
    places: dict[str, list[dict]]  # member slug -> addresses of its applicants
    assignees: dict[int | None, list[int]]  # service pk -> user pks who may be assigned


def _address(rng: random.Random, place: dict) -> dict[str, Any]:
    return {
        "label": "",
        "voie": f"{rng.randint(1, 180)} {rng.choice(STREETS)}",
        "complement": rng.choice(["", "", "", "Appartement 12", "Résidence Les Pins, bât. B"]),
        "code_postal": place["code_postal"],
        "commune": place["commune"],
        "commune_code": place["commune_code"],
        "lat": round(place["lat"] + rng.uniform(-0.002, 0.002), 6),
        "lon": round(place["lon"] + rng.uniform(-0.002, 0.002), 6),
    }


def _places() -> dict[str, list[dict]]:
    """Where each member's applicants live: the mairies of its communes (the Métropole: all
    of them), as points to jitter."""
    from socle.territoires.models import Collectivite

    def place(c) -> dict:
        postcode = re.search(r"\b(33\d{3})\b", c.adresse or "")
        return {
            "commune": c.nom,
            "commune_code": c.code,
            "code_postal": postcode.group(1) if postcode else "33000",
            "lat": c.latitude,
            "lon": c.longitude,
        }

    communes = Collectivite.objects.filter(kind=Collectivite.Kind.COMMUNE, latitude__isnull=False)
    return {
        "pessac": [place(c) for c in communes.filter(code="33318")],
        "bordeaux": [place(c) for c in communes.filter(code="33063")],
        "bordeaux-metropole": [place(c) for c in communes.filter(epci__code="243300316")],
    }


def setup_procedures() -> Territory:
    """Publish the 50 procedures where missing (the same rows every run)."""
    from django.utils import timezone

    from socle.demarches.models import Demarche, DemarcheVersion
    from socle.demarches.workflow import default_workflow
    from socle.membres.models import Membre, Role, Service
    from socle.territoires.models import Competence

    members = {m.slug: m for m in Membre.objects.filter(slug__in={p[0] for p in PROCEDURES})}
    competences = {c.code: c for c in Competence.objects.all()}
    workflow = default_workflow()
    procedures, weights, versions = [], [], {}
    publication = timezone.now() - timedelta(days=800)
    for slug_membre, slug, titre, competence, weight in PROCEDURES:
        membre = members[slug_membre]
        demarche = Demarche.objects.filter(membre=membre, slug=slug).first()
        if demarche is None:
            service = (
                Service.objects.filter(membre=membre, competences__code=competence)
                .order_by("pk")
                .first()
            )
            demarche = Demarche.objects.create(
                membre=membre,
                slug=slug,
                titre=titre,
                resume=f"{titre}, en ligne.",
                description="Préparez votre justificatif de domicile de moins de trois mois.",
                competence=competences[competence],
                service=service,
                formulaire=SCHEMA,
                workflow=workflow,
                retention_mois=RETENTION_MONTHS,
                etat=Demarche.Etat.PUBLIEE,
                version=1,
                publiee_le=publication,
                cree_le=publication,
                modifie_le=publication,
            )
            DemarcheVersion.objects.create(
                demarche=demarche,
                numero=1,
                titre=titre,
                formulaire=SCHEMA,
                workflow=workflow,
                publiee_le=publication,
            )
        procedures.append(demarche)
        weights.append(weight)
        versions[demarche.pk] = DemarcheVersion.objects.get(demarche=demarche, numero=1)
    assignees: dict[int | None, list[int]] = {}
    for membre in members.values():
        roles = Role.objects.filter(
            membre=membre,
            ended_at__isnull=True,
            kind__in=[Role.Kind.AGENT, Role.Kind.ADMINISTRATEUR],
        )
        admins = [r.user_id for r in roles if r.kind == Role.Kind.ADMINISTRATEUR]
        for service in Service.objects.filter(membre=membre):
            agents = [r.user_id for r in roles if r.service_id == service.pk]
            # Mostly the service's agents; the administrator takes some.
            assignees[service.pk] = agents * 4 + admins if agents else admins
    return Territory(procedures, weights, versions, _places(), assignees)


def citizens_ensure(count: int, rng: random.Random) -> list[tuple[int, str, str]]:
    """Create the fill's citizens where missing; return (pk, full name, email) of each."""
    from django.contrib.auth.hashers import make_password

    from socle.comptes.models import User

    present = User.objects.filter(email__endswith="@" + FILL_DOMAIN).count()
    if present < count:
        surnames, weights = list(SURNAMES), list(SURNAMES.values())
        batch = []
        for number in range(present, count):
            batch.append(
                User(
                    email=f"usager{number}@{FILL_DOMAIN}",
                    first_name=rng.choice(FIRST_NAMES),
                    last_name=rng.choices(surnames, weights)[0],
                    password=make_password(None),
                    email_verified_at=None,
                )
            )
        User.objects.bulk_create(batch, batch_size=5000)
    return [
        (pk, f"{first} {last}".strip(), email)
        for pk, first, last, email in User.objects.filter(email__endswith="@" + FILL_DOMAIN)
        .order_by("pk")
        .values_list("pk", "first_name", "last_name", "email")[:count]
    ]


# ---- The answers --------------------------------------------------------------------------------
def answers(
    rng: random.Random, *, nom: str, prenom: str, email: str, place: dict, files: bool
) -> dict[str, Any]:
    """A canteen inscription's answers as stored (saisie.answers_clean's output); with `files`,
    the file answers name PieceJointe rows that the fill does not write."""
    piece = iter(range(10**9, 10**10))

    def fichier(nom_fichier: str) -> dict[str, Any]:
        return {
            "piece_jointe": next(piece),
            "nom": nom_fichier,
            "taille": rng.randint(90_000, 2_000_000),
        }

    children = []
    for _ in range(rng.choices([1, 2, 3], [55, 35, 10])[0]):
        child: dict[str, Any] = {
            "prenom": rng.choice(CHILD_NAMES),
            "nom": nom,
            "date_naissance": f"{rng.randint(2014, 2022)}-{rng.randint(1, 12):02d}-"
            f"{rng.randint(1, 28):02d}",
            "ecole": rng.choice(_SCHOOLS)[0],
            "classe": rng.choice(_CLASSES),
            "regime": rng.choices(_DIETS, [70, 12, 15, 3])[0],
            "pai": files and rng.random() < 0.05,
            "jours": sorted(rng.sample(_DAYS, rng.choice([4, 4, 4, 3, 2])), key=_DAYS.index),
        }
        if child["pai"]:
            child["pai_document"] = fichier("pai.pdf")
        children.append(child)
    donnees: dict[str, Any] = {
        "nom": nom,
        "prenom": prenom,
        "email": email,
        # Mobile numbers of metropolitan France (06 39 and 06 9x are overseas or unassigned).
        "telephone": f"+336{rng.randint(10_000_000, 38_999_999)}",
        "adresse": _address(rng, place),
        "enfants": children,
        "tarif_qf": rng.random() < 0.6,
    }
    donnees["adresse"]["label"] = (
        f"{donnees['adresse']['voie']}, {place['code_postal']} {place['commune']}"
    )
    if donnees["tarif_qf"]:
        donnees["quotient_familial"] = rng.randint(150, 2500)
        if files:
            donnees["attestation_caf"] = fichier("attestation-caf.pdf")
    if files:
        donnees["justificatif_domicile"] = fichier("justificatif-domicile.pdf")
    return donnees


def answers_check_sample(donnees: list[dict[str, Any]]) -> None:
    """Validate a few generated answers as filing would: the fill must look like real ones."""
    from socle.demarches import saisie

    for each in donnees:
        data = saisie.FormData(saisie.answers_as_data(SCHEMA, each))
        cleaned, errors = saisie.answers_clean(SCHEMA, data, page=None, existing=each)
        if errors or cleaned != each:
            raise SystemExit(f"generated answers do not validate: {errors or cleaned}")


# ---- The fill -----------------------------------------------------------------------------------
def dossier_life(rng: random.Random, now: datetime) -> dict[str, Any]:
    """Draw a dossier's life: filed over two years, then instructed and mostly decided."""
    from socle.core.dates import months_shift

    age = timedelta(seconds=rng.uniform(0, 730 * 86400))
    depose_le = now - age
    days = age.total_seconds() / 86400
    open_share = 0.7 if days < 14 else 0.3 if days < 60 else 0.06 if days < 180 else 0.01
    values: dict[str, Any] = {
        "cree_le": depose_le - timedelta(minutes=rng.uniform(4, 3 * 24 * 60)),
        "depose_le": depose_le,
        "modifie_le": depose_le,
        # Its receipt, mails and webhooks were made by the worker a moment after.
        "depot_traite_le": depose_le + timedelta(seconds=rng.uniform(0.2, 3)),
    }
    if rng.random() < open_share:
        values["statut"] = rng.choices(["depose", "en_instruction"], [40, 60])[0]
        if values["statut"] == "en_instruction":
            values["modifie_le"] = min(now, depose_le + timedelta(days=rng.expovariate(1 / 3)))
        return values
    statut = rng.choices(["accepte", "refuse", "sans_suite"], [85, 8, 7])[0]
    decided = min(now, depose_le + timedelta(days=rng.expovariate(1 / 10)))
    values.update(statut=statut, decide_le=decided, modifie_le=decided)
    values["conserver_jusqu_au"] = months_shift(decided.date(), RETENTION_MONTHS)
    if statut in MOTIFS:
        values["motif"] = rng.choice(MOTIFS[statut])
    return values


def _reference(rng: random.Random, alphabet: str) -> str:
    chars = "".join(rng.choices(alphabet, k=8))
    return f"D-{chars[:4]}-{chars[4:]}"


def fill(count: int, seed: int, territory: Territory) -> None:
    """Write `count` filed dossiers with COPY, in one transaction, then VACUUM ANALYZE."""
    import psycopg
    from django.conf import settings
    from django.utils import timezone

    from socle.demarches.codes import ALPHABET as REFERENCE_ALPHABET
    from socle.demarches.models import Dossier

    rng = random.Random(seed)
    started = time.perf_counter()
    citizens = citizens_ensure(max(1000, count // 4), rng)
    print(f"  {len(citizens)} citizens ready in {since(started)}", flush=True)
    fields = [f for f in Dossier._meta.concrete_fields if not f.primary_key]
    defaults = {}
    for f in fields:
        value = f.get_default()
        defaults[f.attname] = json.dumps(value) if isinstance(value, dict | list) else value
    now = timezone.now()
    references: set[str] = set()
    database = settings.DATABASES["default"]
    url = (
        f"host={database['HOST']} port={database['PORT']} dbname={database['NAME']} "
        f"user={database['USER']}"
    )
    table = Dossier._meta.db_table
    samples: list[dict[str, Any]] = []
    with psycopg.connect(url) as connection:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {table} CASCADE")
            copy_sql = f"COPY {table} ({', '.join(str(f.column) for f in fields)}) FROM STDIN"
            with cursor.copy(copy_sql) as copy:
                for number in range(count):
                    demarche = rng.choices(territory.procedures, territory.weights)[0]
                    usager, nom_complet, email = rng.choice(citizens)
                    prenom, _, nom = nom_complet.partition(" ")
                    while (reference := _reference(rng, REFERENCE_ALPHABET)) in references:
                        pass
                    references.add(reference)
                    place = rng.choice(territory.places[demarche.membre.slug])
                    donnees = answers(
                        rng, nom=nom, prenom=prenom, email=email, place=place, files=True
                    )
                    if len(samples) < 5:
                        samples.append(donnees)
                        if len(samples) == 5:  # before the COPY commits
                            answers_check_sample(samples)
                    row = dict(defaults)
                    row.update(dossier_life(rng, now))
                    assignable = territory.assignees.get(demarche.service_id) or []
                    is_open = row["statut"] in ("depose", "en_instruction")
                    assigned = assignable and rng.random() < (0.4 if is_open else 0.75)
                    row.update(
                        reference=reference,
                        demarche_id=demarche.pk,
                        version_id=territory.versions[demarche.pk].pk,
                        membre_id=demarche.membre_id,
                        service_id=demarche.service_id,
                        usager_id=usager,
                        usager_nom=nom_complet,
                        donnees=json.dumps(donnees, ensure_ascii=False),
                        preremplis=json.dumps(["nom", "prenom", "email"]),
                        page=2,
                        assigne_a_id=rng.choice(assignable) if assigned else None,
                        jeton_depot=secrets.token_urlsafe(32),
                    )
                    copy.write_row([row[f.attname] for f in fields])
                    if (number + 1) % 25_000 == 0:
                        print(f"  {number + 1} dossiers written ({since(started)})", flush=True)
        connection.commit()
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"VACUUM (ANALYZE) {table}")
    print(f"Filled {count} dossiers in {since(started)} (COPY, then VACUUM ANALYZE)")


def fill_if_needed(count: int, refill: bool, seed: int, territory: Territory) -> None:
    """Fill the table unless it already holds exactly `count` filled dossiers."""
    from socle.demarches.models import Dossier

    present = Dossier.objects.count()
    if present == count and not refill:
        print(f"Fill skipped: the table already holds {present} dossiers (--refill to redo it)")
        return
    print(f"Filling {count} dossiers (the table held {present})…", flush=True)
    fill(count, seed, territory)


def run_cleanup() -> int:
    """Remove what a run wrote: the drafts and dossiers filed by the bench's citizens, with their
    files, mails and tasks, and the receipts generated in-process; return the dossiers removed."""
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from socle.citoyen.chiffrement import fichier_delete
    from socle.citoyen.models import FichierChiffre
    from socle.core.models import OutboxMessage
    from socle.demarches.models import Document, Dossier, Envoi, Evenement, PieceJointe

    with transaction.atomic():
        dossiers = Dossier.objects.filter(usager__email__endswith="@" + DEPOT_DOMAIN)
        # The fill writes no documents nor history: every one is the bench's.
        documents = Document.objects.all()
        fichier_ids = set(
            PieceJointe.objects.filter(dossier__in=dossiers).values_list("fichier_id", flat=True)
        ) | set(documents.exclude(fichier=None).values_list("fichier_id", flat=True))
        outbox = list(Envoi.objects.filter(dossier__in=dossiers).values_list("message", flat=True))
        documents.delete()
        Evenement.objects.filter(kind=Evenement.Kind.DOCUMENT).delete()
        removed = dossiers.delete()[1].get("demarches.Dossier", 0)
        OutboxMessage.objects.filter(pk__in=outbox).delete()
        # Nothing runs tasks here: every queued receipt or mail is the bench's.
        DBTaskResult.objects.filter(
            task_path__regex=r"(document_generate_run|outbox_email_send|dossier_filing_complete_run)$"
        ).delete()
        for fichier in FichierChiffre.objects.filter(pk__in=fichier_ids):
            fichier_delete(fichier)
    return removed


# ---- Drafts to file -----------------------------------------------------------------------------
@dataclass
class Depositor:
    """A citizen of the bench who files: the procedures not used yet, and the session."""

    user: Any
    cookie: str
    free: list  # Demarche


class Drafts:
    """Prepare drafts the way a citizen makes them; hand them out as each client's POSTs."""

    def __init__(self, territory: Territory, rng: random.Random):
        self.territory = territory
        self.rng = rng
        self.depositors: list[Depositor] = []
        self.made = 0
        self.seconds = 0.0

    def _depositor(self, client: int, number: int) -> Depositor:
        from django.contrib.auth.hashers import make_password

        from socle.comptes.models import User

        email = f"deposant-{client}-{number}@{DEPOT_DOMAIN}"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create(
                email=email,
                first_name=self.rng.choice(FIRST_NAMES),
                last_name=self.rng.choices(list(SURNAMES), list(SURNAMES.values()))[0],
                password=make_password(None),
            )
        csrf = secrets.token_hex(16)
        cookie = f"sessionid={session_open(email)}; csrftoken={csrf}"
        free = list(self.territory.procedures)
        self.rng.shuffle(free)
        return Depositor(user=user, cookie=cookie, free=free)

    def draft(self, depositor: Depositor) -> Request:
        """Start a draft, fill its three pages (a justificatif uploaded), return its POST."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        from socle.demarches import depot, saisie

        demarche = depositor.free.pop()
        user = depositor.user
        dossier = depot.dossier_start(usager=user, demarche=demarche)
        place = self.rng.choice(self.territory.places[demarche.membre.slug])
        donnees = answers(
            self.rng,
            nom=user.last_name,
            prenom=user.first_name,
            email=user.email,
            place=place,
            files=False,
        )
        # Without files: the draft's own uploads replace them.
        for child in donnees["enfants"]:
            child["pai"] = False
        donnees["tarif_qf"] = False
        donnees.pop("quotient_familial", None)
        data = saisie.FormData(saisie.answers_as_data(SCHEMA, donnees))
        for page in range(3):
            files = None
            if page == 2:
                upload = SimpleUploadedFile(
                    "justificatif-domicile.pdf", PDF_CONTENT, "application/pdf"
                )
                files = {saisie.field_name("justificatif_domicile"): upload}
            saved = depot.dossier_draft_save(
                usager=user, dossier=dossier, page=page, data=data, files=files
            )
            if saved.errors:
                raise SystemExit(f"a draft does not validate: {saved.errors}")
            dossier = saved.dossier
        csrf = depositor.cookie.rsplit("csrftoken=", 1)[1]
        body = urlencode({"csrfmiddlewaretoken": csrf, "jeton": depot.token_new()}).encode()
        return (
            "POST",
            f"/demarches/dossiers/{dossier.reference}/recapitulatif/",
            body,
            {"Cookie": depositor.cookie, "Content-Type": "application/x-www-form-urlencoded"},
        )

    def prepare(self, clients: int, per_client: int) -> list[list[Request]]:
        """Return `per_client` fresh drafts' POSTs for each client, each client its own
        citizens."""
        from django.db import connections

        started = time.perf_counter()
        lists: list[list[Request]] = []
        for client in range(clients):
            requests: list[Request] = []
            mine = [d for d in self.depositors if d.user.email.startswith(f"deposant-{client}-")]
            while len(requests) < per_client:
                depositor = next((d for d in mine if d.free), None)
                if depositor is None:
                    depositor = self._depositor(client, len(mine))
                    self.depositors.append(depositor)
                    mine.append(depositor)
                requests.append(self.draft(depositor))
            lists.append(requests)
        self.made += clients * per_client
        self.seconds += time.perf_counter() - started
        connections.close_all()  # the clients are forked: no connection shared with them
        return lists


# ---- The queue's requests -----------------------------------------------------------------------
def queue_requests(territory: Territory) -> dict[str, list[Request]]:
    """The queue's typical filters, for the Éducation agent and Pessac's administrator."""
    from socle.comptes.models import User
    from socle.demarches.models import BROUILLON, Dossier
    from socle.membres.models import Membre
    from socle.membres.selectors import service_ids_for_user

    pessac = Membre.objects.get(slug="pessac")
    agent = User.objects.get(email=AGENT_EMAIL)
    services: list[int] = list(service_ids_for_user(user=agent, membre=pessac) or [])
    scope = Dossier.objects.filter(membre=pessac, service_id__in=services).exclude(statut=BROUILLON)
    agent_cookie = {"Cookie": f"sessionid={session_open(AGENT_EMAIL)}"}
    admin_cookie = {"Cookie": f"sessionid={session_open(ADMIN_EMAIL)}"}
    procedures = [
        d.pk
        for d in territory.procedures
        if d.membre_id == pessac.pk and d.service_id in set(services)
    ]
    references = list(scope.order_by("?").values_list("reference", flat=True)[:300])
    # What agents type: a surname (common or not), lower case, or a full name.
    rng = random.Random(7)
    names = list(
        scope.order_by("?").values_list("usager_nom", flat=True)[:60]
    )  # full names, typed as they are or only the surname, in lower case
    searches = [n if i % 3 == 0 else n.split(" ", 1)[-1].lower() for i, n in enumerate(names)]
    rng.shuffle(searches)

    def get(query: dict | None, cookie: dict[str, str]) -> Request:
        return ("GET", QUEUE_PATH + (f"?{urlencode(query)}" if query else ""), None, cookie)

    return {
        Q_DEFAULT: [get(None, agent_cookie)],
        Q_STATUS: [
            get({"statut": s}, agent_cookie)
            for s in ("accepte", "en_instruction", "refuse", "depose", "sans_suite", "")
        ],
        Q_PROCEDURE: [get({"demarche": pk}, agent_cookie) for pk in procedures],
        Q_MINE: [get({"assigne": "moi"}, agent_cookie)],
        Q_REFERENCE: [get({"q": ref}, agent_cookie) for ref in references],
        Q_NAME: [get({"q": text}, agent_cookie) for text in searches],
        Q_ADMIN: [get(None, admin_cookie)],
        Q_ADMIN_NAME: [get({"q": text}, admin_cookie) for text in searches],
    }


def queue_sizes() -> str:
    """Describe the agent's and the member's queues."""
    from socle.comptes.models import User
    from socle.demarches.models import BROUILLON, Dossier
    from socle.membres.models import Membre
    from socle.membres.selectors import service_ids_for_user

    pessac = Membre.objects.get(slug="pessac")
    agent = User.objects.get(email=AGENT_EMAIL)
    services: list[int] = list(service_ids_for_user(user=agent, membre=pessac) or [])
    member = Dossier.objects.filter(membre=pessac).exclude(statut=BROUILLON)
    scope = member.filter(service_id__in=services)
    open_ = scope.filter(statut__in=["depose", "en_instruction"])
    return (
        f"Pessac holds {member.count()} dossiers; the Éducation agent's queue {scope.count()} "
        f"({open_.count()} to handle, {scope.filter(assigne_a=agent).count()} assigned to her)"
    )


# ---- Receipts, in-process -----------------------------------------------------------------------
@contextmanager
def timed(owner: Any, name: str, totals: dict[str, float], label: str) -> Iterator[None]:
    """Add the time spent in owner.name (a function or method) to totals[label]."""
    original = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            totals[label] = totals.get(label, 0.0) + time.perf_counter() - started

    setattr(owner, name, wrapper)
    try:
        yield
    finally:
        setattr(owner, name, original)


def floor_render(seconds: float = 1.0) -> float:
    """Render a bare HTML template to a string as often as possible; return renders a second."""
    from django.template import engines

    template = engines["django"].from_string(
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{{ titre }}'
        "</title></head><body><h1>{{ titre }}</h1><p>{{ texte }}</p></body></html>"
    )
    context = {"titre": "Récépissé", "texte": "Dossier D-7K3M-Q9TZ déposé."}
    count, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        template.render(context)
        count += 1
    return count / (time.perf_counter() - started)


def receipts(count: int) -> dict[str, Any]:
    """Generate `count` receipts of filled dossiers as the task does (after two unmeasured);
    return per second, the median, and the share of each step."""
    import weasyprint
    from django.db import transaction

    from socle.demarches import documents
    from socle.demarches.models import Document, Dossier

    documents._weasyprint()
    dossiers = list(
        Dossier.objects.filter(membre__slug="pessac", statut="accepte", documents__isnull=True)
        .exclude(usager=None)
        .order_by("-depose_le")[: count + 2]
    )
    with transaction.atomic():
        made = [documents.document_request(dossier=d, kind="recepisse") for d in dossiers]
    for document in made[:2]:  # fonts, signer, templates loaded
        documents.document_generate(document)
    totals: dict[str, float] = {}
    each: list[float] = []
    sizes: list[int] = []
    with (
        timed(documents, "render_to_string", totals, "HTML template"),
        timed(weasyprint.HTML, "write_pdf", totals, "WeasyPrint (PDF/A)"),
        timed(documents, "pdf_sign", totals, "signing (pyHanko)"),
        timed(documents, "fichier_store", totals, "encryption and write"),
    ):
        for document in made[2:]:
            started = time.perf_counter()
            documents.document_generate(document)
            each.append(time.perf_counter() - started)
    for document in Document.objects.filter(pk__in=[d.pk for d in made[2:]]).select_related(
        "fichier"
    ):
        sizes.append(document.fichier.taille if document.fichier else 0)
    total = sum(each)
    shares = {label: seconds / total for label, seconds in totals.items()}
    shares["the rest (context, QR code, database, history)"] = 1 - sum(shares.values())
    return {
        "count": len(each),
        "per_second": len(each) / total if total else math.nan,
        "median_ms": statistics.median(each) * 1000 if each else math.nan,
        "shares": shares,
        "size_kb": statistics.median(sizes) / 1024 if sizes else 0,
    }


# ---- The run ------------------------------------------------------------------------------------
def filing_pilot(port: int, drafts: Drafts, clients: int) -> float:
    """File a few drafts per client (unmeasured) and return the filings a second the clients
    reached (from their latencies), to size each round's drafts."""
    from socle.demarches.models import Dossier

    lists = drafts.prepare(clients, 15)
    result = measure(
        port, [], clients=clients, seconds=2.0, warm_up=0.0, per_client=lists, ok={302}
    )
    filed = Dossier.objects.filter(
        usager__email__endswith="@" + DEPOT_DOMAIN, statut="depose"
    ).count()
    print(
        f"  pilot: {result.count} POSTs, {filed} dossiers filed, statuses {dict(result.statuses)}",
        flush=True,
    )
    for sample in result.unexpected[:2]:
        print(f"    unexpected: {sample}")
    if not result.latencies_ms or filed < result.count:
        return 0.0
    return clients * 1000 / statistics.mean(result.latencies_ms)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--refill", action="store_true", help="fill again even if already filled")
    parser.add_argument("--seconds", type=float, default=8.0, help="measured seconds per load")
    parser.add_argument("--warm-up", type=float, default=3.0, help="unmeasured seconds first")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--clients", type=int, default=0, help="concurrent clients (workers)")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds of loads")
    parser.add_argument("--receipts", type=int, default=30, help="receipts generated")
    parser.add_argument("--seed", type=int, default=42)
    options = parser.parse_args()
    clients = options.clients or options.workers
    results: dict[str, Result] = {}
    missing: dict[str, str] = {}
    receipt: dict[str, Any] = {}
    floor_renders = 0.0
    filed_total = 0

    url = cluster_up(CLUSTER)
    server = None
    try:
        port = free_port()
        environment = server_environment(url, port, data_dir=DATA_DIR)
        os.environ.update(environment)
        import django

        django.setup()
        from django.db import connections

        prepare_database()
        removed = run_cleanup()
        if removed:
            print(f"(removed {removed} dossiers an earlier run filed)")
        territory = setup_procedures()
        fill_if_needed(options.dossiers, options.refill, options.seed, territory)
        print(queue_sizes())
        rng = random.Random(options.seed + 1)
        queue = queue_requests(territory)
        drafts = Drafts(territory, rng)
        scenarios: list[tuple[str, list[Request]]] = [
            (FLOOR, [("GET", FLOOR_PATH, None, {})]),
            *((label, queue[label]) for label in (*QUEUE_LOADS, Q_ADMIN, Q_ADMIN_NAME)),
        ]
        connections.close_all()

        started = time.perf_counter()
        server = serve(environment, port, options.workers, data_dir=DATA_DIR)
        print(f"gunicorn --preload, {options.workers} sync workers, up in {since(started)}")
        print(
            f"Load: {clients} closed-loop clients; {options.rounds} round(s) of every load, "
            f"each {options.warm_up:.0f} s warm-up then {options.seconds:.0f} s measured; "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs",
            flush=True,
        )
        available = []
        for label, requests in scenarios:
            status, body = fetch(port, requests[0])
            if status == 404:
                missing[label] = f"{requests[0][1].split('?')[0]} answers 404 (not there yet)"
                continue
            if status != 200:
                print(f"  {label}: first answer {status}: {body[:200]!r}")
            available.append((label, requests))
        rate = filing_pilot(port, drafts, clients)
        if rate <= 0:
            missing[FILING] = "the pilot's POSTs did not file (see above)"
        for number in range(options.rounds):
            figures = []
            for label, requests in available:
                result = measure(
                    port,
                    requests,
                    clients=clients,
                    seconds=options.seconds,
                    warm_up=options.warm_up,
                    seed=options.seed + number,
                )
                results.setdefault(label, Result()).add(result)
                figures.append(f"{label.split(':')[-1].strip()[:14]} {result.throughput:.0f}/s")
            if rate > 0:
                # Enough drafts for the rate seen so far, and a wide margin (a client that runs
                # out only makes the figure a lower bound, but twice faster is not rare).
                need = math.ceil(rate / clients * (options.warm_up + options.seconds) * 3) + 10
                print(f"  preparing {need * clients} drafts…", flush=True)
                lists = drafts.prepare(clients, need)
                result = measure(
                    port,
                    [],
                    clients=clients,
                    seconds=options.seconds,
                    warm_up=options.warm_up,
                    seed=options.seed + number,
                    per_client=lists,
                    ok={302},
                )
                results.setdefault(FILING, Result(ok=frozenset({302}))).add(result)
                if result.latencies_ms:  # the next round's drafts: the rate just seen
                    rate = clients * 1000 / statistics.mean(result.latencies_ms)
                figures.append(f"filing {result.throughput:.0f}/s")
            print(f"  round {number + 1}: " + ", ".join(figures), flush=True)
        print(
            f"  {drafts.made} drafts prepared in {drafts.seconds:.0f} s "
            f"({drafts.seconds / max(drafts.made, 1) * 1000:.0f} ms each, in-process)"
        )
        shutdown(server)
        server = None

        from socle.demarches.models import Dossier

        filed_total = Dossier.objects.filter(
            usager__email__endswith="@" + DEPOT_DOMAIN, statut="depose"
        ).count()
        floor_renders = floor_render()
        if options.receipts > 0:
            print(f"Generating {options.receipts} receipts in-process…", flush=True)
            receipt = receipts(options.receipts)
    finally:
        if server is not None:
            shutdown(server)
        try:
            removed = run_cleanup()
            print(f"\n(removed the {removed} dossiers the run filed or drafted, and the receipts)")
        except Exception as exc:  # noqa: BLE001 - the cluster must still stop
            print(f"could not remove what the run wrote: {exc}")
        finally:
            from django.db import connections

            connections.close_all()
            stop(CLUSTER)

    print()
    floor = results[FLOOR]
    for label, _requests in [*scenarios, (FILING, [])]:
        line(
            label,
            results.get(label),
            None if label == FLOOR else floor,
            missing.get(label, ""),
            width=WIDTH,
        )
    filing = results.get(FILING)
    if filing is not None:
        print(f"  ({filed_total} dossiers filed in all, pilot and warm-ups included)")
        if filing.exhausted:
            print(
                f"  ({filing.exhausted} client rounds ran out of drafts: the filing throughput "
                "is a lower bound)"
            )
    if receipt:
        print(
            f"{'receipts: document_generate, in-process':<{WIDTH}} "
            f"median {receipt['median_ms']:7.1f} ms  {receipt['per_second']:8.1f} documents/s "
            f"(1 process; {receipt['count']} documents, PDF {receipt['size_kb']:.0f} KB)"
        )
        print(
            "  time: "
            + ", ".join(
                f"{label} {share * 100:.0f} %"
                for label, share in sorted(receipt["shares"].items(), key=lambda kv: -kv[1])
            )
        )
    print(
        f"{'floor: bare HTML template to a string':<{WIDTH}} "
        f"{floor_renders:,.0f} renders/s (1 process, for scale)"
    )
    print()
    for label in QUEUE_LOADS:
        short = label.removeprefix("queue, agent: ")[:26]
        verdict_p99(f"{short}:", results.get(label), QUEUE_P99_TARGET_MS)
    verdict_share("filing throughput >= 1/4 floor", filing, floor, FILING_FLOOR_SHARE, p99=True)
    command_line("demarches.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
