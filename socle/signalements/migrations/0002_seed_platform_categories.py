"""The platform's taxonomy of reports, each tied to a competence of the catalogue."""

from django.db import migrations

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


def seed(apps, schema_editor):
    Categorie = apps.get_model("signalements", "Categorie")
    Competence = apps.get_model("territoires", "Competence")
    competences = {c.code: c for c in Competence.objects.all()}
    for position, (code, nom, competence, description) in enumerate(TAXONOMY):
        if (
            competence not in competences
            or Categorie.objects.filter(code=code, membre=None).exists()
        ):
            continue
        Categorie.objects.create(
            code=code,
            nom=nom,
            competence=competences[competence],
            description=description,
            ordre=(position + 1) * 10,
        )


def unseed(apps, schema_editor):
    Categorie = apps.get_model("signalements", "Categorie")
    Categorie.objects.filter(membre=None, code__in=[row[0] for row in TAXONOMY]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("signalements", "0001_reports_categories_photos_history"),
        ("territoires", "0002_seed_competence_catalogue"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
