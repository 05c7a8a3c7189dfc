"""The platform's taxonomy of reports, each tied to a competence of the catalogue."""

# code, name, competence, description
TAXONOMY = [
    (
        "nid-de-poule",
        "Nid-de-poule, chaussée abîmée",
        "voirie",
        "Trou, fissure, affaissement de la chaussée.",
    ),
    ("trottoir", "Trottoir abîmé", "voirie", "Trottoir défoncé, bordure cassée, obstacle."),
    (
        "eclairage",
        "Éclairage en panne",
        "eclairage-public",
        "Lampadaire éteint, allumé le jour ou qui clignote.",
    ),
    ("depot-sauvage", "Dépôt sauvage", "proprete", "Déchets, encombrants ou gravats abandonnés."),
    ("tag", "Tag, graffiti", "proprete", "Inscription ou affichage sur un mur ou du mobilier."),
    ("salete", "Saleté, déjections", "proprete", "Rue sale, déjections, corbeille qui déborde."),
    (
        "mobilier-casse",
        "Mobilier urbain cassé",
        "mobilier-urbain",
        "Banc, abri, potelet ou barrière cassé.",
    ),
    (
        "arbre-dangereux",
        "Arbre dangereux",
        "espaces-verts",
        "Branche cassée, arbre penché ou menaçant.",
    ),
    (
        "espace-vert",
        "Espace vert mal entretenu",
        "espaces-verts",
        "Herbe haute, massif ou aire de jeux abîmés.",
    ),
    (
        "fuite-eau",
        "Fuite d’eau",
        "eau-potable",
        "Eau qui coule de la chaussée, d’une borne ou d’un regard.",
    ),
    (
        "avaloir-bouche",
        "Avaloir bouché",
        "assainissement",
        "Grille d’égout bouchée, eau qui stagne, odeur.",
    ),
    (
        "signalisation",
        "Panneau ou feu endommagé",
        "signalisation",
        "Feu en panne, panneau tombé, marquage effacé.",
    ),
    (
        "collecte",
        "Bac non collecté, conteneur plein",
        "dechets",
        "Poubelles non ramassées, point d’apport saturé.",
    ),
    (
        "stationnement",
        "Stationnement gênant",
        "stationnement",
        "Véhicule ventouse ou qui bloque le passage.",
    ),
]


def taxonomy_sync(categorie_model, competence_model) -> int:
    """Create the platform's categories that are missing; return how many were created.

    Takes the models so that the data migration (historical models) and the service share it.
    A category an operator changed since (name, order) is left as it is.
    """
    competences = {c.code: c for c in competence_model.objects.all()}
    created = 0
    for position, (code, nom, competence, description) in enumerate(TAXONOMY):
        if competence not in competences:
            continue
        _row, was_created = categorie_model.objects.get_or_create(
            code=code,
            membre=None,
            defaults={
                "nom": nom,
                "competence": competences[competence],
                "description": description,
                "ordre": (position + 1) * 10,
            },
        )
        created += was_created
    return created
