"""The catalogue of competences Socle knows, with who holds each by default."""

BY_LAW_INTEGRATED = ["CU", "METRO", "MET69"]  # communautés urbaines and métropoles
ALL_EPCI = ["CC", "CA", "CU", "METRO", "MET69"]

# code, name, default level, EPCI types that hold it for their communes by default, description
CATALOGUE = [
    ("voirie", "Voirie", "commune", BY_LAW_INTEGRATED, "Chaussées, trottoirs, nids-de-poule."),
    ("eclairage-public", "Éclairage public", "commune", [], "Lampadaires, éclairage des rues."),
    ("proprete", "Propreté", "commune", [], "Dépôts sauvages, tags, nettoiement."),
    ("espaces-verts", "Espaces verts", "commune", [], "Parcs, jardins, arbres d'alignement."),
    ("dechets", "Déchets ménagers", "epci", ALL_EPCI, "Collecte et traitement des déchets."),
    ("eau-potable", "Eau potable", "commune", ["CA", *BY_LAW_INTEGRATED], "Réseau d'eau."),
    (
        "assainissement",
        "Assainissement",
        "commune",
        ["CA", *BY_LAW_INTEGRATED],
        "Eaux usées et pluviales.",
    ),
    ("mobilier-urbain", "Mobilier urbain", "commune", [], "Bancs, abris, potelets."),
    ("signalisation", "Signalisation", "commune", BY_LAW_INTEGRATED, "Feux, panneaux, marquage."),
    ("stationnement", "Stationnement", "commune", [], "Stationnement et fourrière."),
    ("restauration-scolaire", "Restauration scolaire", "commune", [], "Cantines des écoles."),
    ("periscolaire", "Périscolaire", "commune", [], "Accueil avant et après l'école."),
    ("etat-civil", "État civil", "commune", [], "Actes de naissance, mariage, décès."),
    ("urbanisme", "Urbanisme", "commune", BY_LAW_INTEGRATED, "Permis, PLU, autorisations."),
    ("colleges", "Collèges", "departement", [], "Bâtiments et restauration des collèges."),
    ("action-sociale", "Action sociale", "departement", [], "RSA, aide sociale à l'enfance."),
    ("lycees", "Lycées", "region", [], "Bâtiments des lycées."),
]
