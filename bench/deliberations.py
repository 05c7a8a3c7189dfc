"""A realistic, valid SCDL délibérations file (schema `scdl/deliberations` 2.1.5), for the
benchmarks; not a test.

Rows of the Bordeaux Métropole's communes and the Métropole itself, over ten years: Luhn-valid
SIRETs, identifiers unique per collectivité, ACTES codes with their matching « matière/sous-
matière » names, a budget year and name together or neither, the prefecture's date on or after
the deliberation's, votes that add up (réels = pour + contre + abstention <= effectif), and a link
to the document. Deterministic for a seed.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

COLUMNS = [
    "COLL_NOM",
    "COLL_SIRET",
    "DELIB_ID",
    "DELIB_DATE",
    "DELIB_MATIERE_CODE",
    "DELIB_MATIERE_NOM",
    "DELIB_OBJET",
    "BUDGET_ANNEE",
    "BUDGET_NOM",
    "PREF_ID",
    "PREF_DATE",
    "VOTE_EFFECTIF",
    "VOTE_REEL",
    "VOTE_POUR",
    "VOTE_CONTRE",
    "VOTE_ABSTENTION",
    "DELIB_URL",
]

# (name, SIREN without its check digit, council size, share of the rows, web site)
COLLECTIVITES = [
    ("Bordeaux Métropole", "24330031", 104, 30, "bordeaux-metropole.fr"),
    ("Ville de Bordeaux", "21330063", 65, 20, "bordeaux.fr"),
    ("Ville de Mérignac", "21330281", 49, 8, "merignac.com"),
    ("Ville de Pessac", "21330318", 45, 7, "pessac.fr"),
    ("Ville de Talence", "21330522", 39, 5, "talence.fr"),
    ("Ville de Villenave-d'Ornon", "21330550", 35, 4, "villenavedornon.fr"),
    ("Ville de Saint-Médard-en-Jalles", "21330449", 35, 4, "saint-medard-en-jalles.fr"),
    ("Ville de Bègles", "21330039", 35, 4, "mairie-begles.fr"),
    ("Ville de Gradignan", "21330200", 33, 3, "gradignan.fr"),
    ("Ville du Bouscat", "21330069", 33, 3, "mairie-le-bouscat.fr"),
    ("Ville de Cenon", "21330119", 35, 3, "ville-cenon.fr"),
    ("Ville de Lormont", "21330249", 35, 3, "ville-lormont.fr"),
    ("Ville d'Eysines", "21330162", 33, 2, "eysines.fr"),
    ("Ville de Blanquefort", "21330056", 33, 2, "ville-blanquefort.fr"),
    ("Ville de Floirac", "21330167", 33, 2, "ville-floirac33.fr"),
]

# ACTES nomenclature, level 2: code, « matière/sous-matière » (lower case, accented, no comma),
# weight.
MATIERES = [
    ("1.1", "commande publique/marchés publics", 8),
    ("1.2", "commande publique/délégation de service public", 2),
    ("1.4", "commande publique/autres types de contrats", 4),
    ("1.7", "commande publique/actes spéciaux et divers", 1),
    ("2.1", "urbanisme/documents d'urbanisme", 3),
    ("2.2", "urbanisme/actes relatifs au droit d'occupation ou d'utilisation des sols", 2),
    ("2.3", "urbanisme/droit de préemption urbain", 2),
    ("3.1", "domaine et patrimoine/acquisitions", 5),
    ("3.2", "domaine et patrimoine/aliénations", 4),
    ("3.3", "domaine et patrimoine/locations", 4),
    ("3.5", "domaine et patrimoine/actes de gestion du domaine public", 3),
    ("4.1", "fonction publique/personnels titulaires et stagiaires de la fpt", 5),
    ("4.2", "fonction publique/personnels contractuels", 3),
    ("4.5", "fonction publique/régime indemnitaire", 1),
    ("5.2", "institutions et vie politique/fonctionnement des assemblées", 3),
    ("5.3", "institutions et vie politique/désignation de représentants", 5),
    ("5.7", "institutions et vie politique/intercommunalité", 2),
    ("6.1", "libertés publiques et pouvoirs de police/police municipale", 1),
    ("7.1", "finances locales/décisions budgétaires", 8),
    ("7.2", "finances locales/fiscalité", 2),
    ("7.3", "finances locales/emprunts", 2),
    ("7.5", "finances locales/subventions", 10),
    ("7.10", "finances locales/divers", 3),
    ("8.1", "domaines de compétences par thèmes/enseignement", 3),
    ("8.2", "domaines de compétences par thèmes/aide sociale", 2),
    ("8.3", "domaines de compétences par thèmes/voirie", 4),
    ("8.4", "domaines de compétences par thèmes/aménagement du territoire", 3),
    ("8.5", "domaines de compétences par thèmes/politique de la ville-habitat-logement", 3),
    ("8.7", "domaines de compétences par thèmes/transports", 2),
    ("8.8", "domaines de compétences par thèmes/environnement", 3),
    ("8.9", "domaines de compétences par thèmes/culture", 4),
    ("9.1", "autres domaines de compétences/autres domaines de compétences des communes", 1),
    ("9.4", "autres domaines de compétences/vœux et motions", 1),
]

OBJETS = {
    "1": [
        "Attribution du marché de {travaux} — lot {n}",
        "Avenant n°{n} au marché de {travaux}",
        "Groupement de commandes pour {achat}",
    ],
    "2": [
        "Modification simplifiée n°{n} du plan local d'urbanisme",
        "Instauration du droit de préemption sur le secteur {lieu}",
        "Avis sur le permis d'aménager du quartier {lieu}",
    ],
    "3": [
        "Acquisition de la parcelle cadastrée {parcelle} rue {rue}",
        "Cession d'un terrain rue {rue} à {bailleur}",
        "Convention d'occupation temporaire du domaine public — {lieu}",
    ],
    "4": [
        "Création de {n} postes d'adjoint technique",
        "Mise à jour du tableau des effectifs",
        "Recrutement d'agents contractuels pour accroissement temporaire d'activité",
    ],
    "5": [
        "Désignation des représentants au conseil d'administration de {organisme}",
        "Modification du règlement intérieur du conseil",
        "Composition des commissions thématiques",
    ],
    "6": ["Règlement de la police du stationnement {lieu}"],
    "7": [
        "Décision modificative n°{n} du budget {budget}",
        "Subvention de fonctionnement à l'association {association}",
        "Garantie d'emprunt accordée à {bailleur} pour {n} logements",
        "Vote des taux de fiscalité directe locale",
        "Admission en non-valeur de créances irrécouvrables",
    ],
    "8": [
        "Programme de réfection de la voirie rue {rue}",
        "Aménagement des abords du groupe scolaire {ecole}",
        "Convention avec {organisme} pour la saison culturelle",
        "Plan climat : rénovation énergétique de {equipement}",
        "Extension du réseau de pistes cyclables {lieu}",
    ],
    "9": ["Motion de soutien aux {soutien}", "Vœu relatif à {voeu}"],
}
WORDS = {
    "travaux": ["réfection de toiture", "nettoyage des locaux", "éclairage public", "voirie"],
    "achat": ["fournitures scolaires", "énergie", "véhicules électriques", "papier"],
    "lieu": ["Centre-ville", "Bastide", "Chartrons", "Saint-Jean", "Bourg", "Le Lac", "Arago"],
    "parcelle": ["AB 112", "CK 45", "BZ 301", "AH 7", "DL 88"],
    "rue": ["Victor Hugo", "Jean Jaurès", "de la République", "des Écoles", "Pasteur"],
    "bailleur": ["Aquitanis", "Domofrance", "Gironde Habitat", "Mésolia"],
    "organisme": ["l'office de tourisme", "la mission locale", "du CCAS", "l'opéra"],
    "budget": ["principal", "annexe de l'eau", "annexe des transports", "annexe des déchets"],
    "association": ["Les Amis du Parc", "Sport pour tous", "Lire ensemble", "Solidarité Sud"],
    "ecole": ["Jules Ferry", "Condorcet", "Montesquieu", "Jean Moulin"],
    "equipement": ["la piscine municipale", "l'hôtel de ville", "la médiathèque", "du gymnase"],
    "soutien": ["agriculteurs", "personnels soignants", "sinistrés des inondations"],
    "voeu": ["la desserte ferroviaire", "la fermeture de classes", "la qualité de l'air"],
}
BUDGETS = ["Budget principal", "Budget annexe de l'eau", "Budget annexe des transports"]
FIRST_DAY = date(2015, 1, 1)
DAYS = 3650


def luhn_complete(digits: str) -> str:
    """Append the digit that makes `digits` pass the Luhn check."""
    for check in "0123456789":
        number = digits + check
        total = sum(
            (d if i % 2 == 0 else (2 * d - 9 if 2 * d > 9 else 2 * d))
            for i, d in enumerate(int(c) for c in reversed(number))
        )
        if total % 10 == 0:
            return number
    raise AssertionError("unreachable")


def siret(siren_stem: str) -> str:
    """Return the SIRET of a collectivité's head office (NIC 0001x) from its SIREN's 8 digits."""
    return luhn_complete(luhn_complete(siren_stem) + "0001")


def _fill(template: str, rng: random.Random) -> str:
    values = {key: rng.choice(words) for key, words in WORDS.items()}
    return template.format(n=rng.randint(1, 12), **values)


def rows(count: int, seed: int = 42) -> Iterator[list[str]]:
    """Yield `count` valid rows, in the schema's column order."""
    rng = random.Random(seed)
    collectivites = [(nom, siret(stem), size, site) for nom, stem, size, _, site in COLLECTIVITES]
    weights = [share for *_, share, _site in COLLECTIVITES]
    codes = [code for code, _, _ in MATIERES]
    matiere_weights = [weight for _, _, weight in MATIERES]
    names = {code: name for code, name, _ in MATIERES}
    sequences: dict[tuple[str, int], int] = {}
    for _ in range(count):
        nom, numero_siret, size, site = rng.choices(collectivites, weights)[0]
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        sequence = sequences[(nom, day.year)] = sequences.get((nom, day.year), 0) + 1
        delib_id = f"DEL{day.year}_{sequence:05d}"
        code = rng.choices(codes, matiere_weights)[0]
        objet = _fill(rng.choice(OBJETS[code.split(".")[0]]), rng)
        budget_annee = budget_nom = ""
        if code.startswith("7") and rng.random() < 0.8:
            budget_annee = str(day.year) if rng.random() < 0.85 else f"{day.year}/{day.year + 1}"
            budget_nom = rng.choice(BUDGETS)
        pref_id = pref_date = ""
        if rng.random() < 0.9:
            pref_id = "PREF033"
            pref_date = (day + timedelta(days=rng.randint(0, 15))).isoformat()
        votes = ["", "", "", "", ""]
        if rng.random() < 0.95:
            reel = rng.randint(size * 2 // 3, size)
            contre = rng.choices([0, rng.randint(1, max(1, reel // 4))], [70, 30])[0]
            abstention = rng.choices([0, rng.randint(1, max(1, reel // 6))], [75, 25])[0]
            pour = reel - contre - abstention
            votes = [str(v) for v in (size, reel, pour, contre, abstention)]
        url = f"https://www.{site}/deliberations/{day.year}/{delib_id}.pdf"
        yield [
            nom,
            numero_siret,
            delib_id,
            day.isoformat(),
            code,
            names[code],
            objet,
            budget_annee,
            budget_nom,
            pref_id,
            pref_date,
            *votes,
            url,
        ]


def csv_text(count: int, seed: int = 42) -> str:
    """Return a file of `count` rows as UTF-8 CSV text, header first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows(count, seed))
    return buffer.getvalue()


def write(path: Path, count: int, seed: int = 42) -> None:
    """Write a file of `count` rows at `path` (UTF-8 CSV), through a temporary file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows(count, seed))
    partial.replace(path)
