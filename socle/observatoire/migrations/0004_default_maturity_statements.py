"""The maturity questionnaire's default statements: three or four per theme of the national
baromètre, each placed by a collectivité from level 0 (« Rien n'est engagé ») to 5
(« Exemplaire »).

They are a starting point written for this platform, after the themes of the baromètre of
territorial digital maturity: the structure edits, adds or takes out statements in its back
office (/gestion/observatoire/maturite/). Reversing the migration removes only the statements
it added that no diagnostic answered.
"""

from django.db import migrations

# (theme, text, help): the help says what the higher levels look like.
STATEMENTS = [
    # Stratégie et gouvernance numériques
    (
        "strategie",
        "La collectivité a une stratégie numérique écrite, portée par les élus.",
        "Niveau élevé : une feuille de route adoptée par l’assemblée, avec des objectifs, "
        "un calendrier et un budget, revue chaque année.",
    ),
    (
        "strategie",
        "Le numérique a un pilote identifié (élu délégué et responsable dans les services).",
        "Niveau élevé : un élu délégué au numérique, un responsable (DSI, chargé de mission) "
        "et une instance de pilotage qui se réunit régulièrement.",
    ),
    (
        "strategie",
        "Les projets numériques sont décidés, suivis et évalués selon une méthode commune.",
        "Niveau élevé : chaque projet a une évaluation avant et après, des indicateurs suivis "
        "et un bilan présenté aux élus.",
    ),
    (
        "strategie",
        "Les agents sont formés au numérique et leurs compétences sont suivies.",
        "Niveau élevé : un plan de formation numérique pour tous les agents, des référents "
        "dans les services, un suivi des compétences.",
    ),
    # Services aux usagers
    (
        "services-usagers",
        "Les démarches les plus demandées se font en ligne, de bout en bout.",
        "Niveau élevé : état civil, inscriptions scolaires, urbanisme, signalements… en ligne, "
        "sans papier ni déplacement, avec le suivi de la demande.",
    ),
    (
        "services-usagers",
        "Le site de la collectivité est à jour, accessible (RGAA) et utilisable sur téléphone.",
        "Niveau élevé : une déclaration d’accessibilité conforme, un audit récent, des contenus "
        "mis à jour par les services eux-mêmes.",
    ),
    (
        "services-usagers",
        "Les usagers peuvent donner leur avis et suivre la réponse à leurs demandes.",
        "Niveau élevé : des retours mesurés (satisfaction, délais) et publiés, qui font "
        "évoluer les services.",
    ),
    # Administration numérique
    (
        "administration",
        "Les actes, délibérations et courriers circulent et sont signés électroniquement.",
        "Niveau élevé : parapheur électronique, télétransmission au contrôle de légalité, "
        "gestion électronique des courriers pour tous les services.",
    ),
    (
        "administration",
        "Les outils métier (finances, RH, état civil…) sont à jour et échangent leurs données.",
        "Niveau élevé : des logiciels maintenus, reliés entre eux, sans ressaisie.",
    ),
    (
        "administration",
        "Les agents disposent d’outils de travail collaboratif et de travail à distance.",
        "Niveau élevé : messagerie, agendas et documents partagés, visioconférence, accès "
        "sécurisé à distance, de préférence avec des solutions souveraines.",
    ),
    # Service public local de la donnée
    (
        "donnee",
        "La collectivité sait quelles données elle produit et qui en est responsable.",
        "Niveau élevé : un inventaire des données tenu à jour, un administrateur des données, "
        "des règles de qualité.",
    ),
    (
        "donnee",
        "Les données publiques sont ouvertes en open data selon les schémas nationaux.",
        "Niveau élevé : subventions, délibérations, marchés, équipements… publiés et mis à "
        "jour, référencés sur data.gouv.fr.",
    ),
    (
        "donnee",
        "Les données servent à décider et à piloter les politiques publiques.",
        "Niveau élevé : des tableaux de bord partagés avec les élus, des analyses qui "
        "éclairent les choix.",
    ),
    # Aménagement numérique
    (
        "amenagement",
        "Le territoire est couvert en très haut débit fixe (fibre) et en téléphonie mobile.",
        "Niveau élevé : les zones mal couvertes sont connues et suivies avec les opérateurs "
        "et le réseau d’initiative publique.",
    ),
    (
        "amenagement",
        "Les bâtiments et équipements publics sont raccordés et bien connectés.",
        "Niveau élevé : écoles, mairies, médiathèques raccordées au très haut débit, avec un "
        "accès sans fil public là où il est utile.",
    ),
    (
        "amenagement",
        "Le numérique est pris en compte dans l’urbanisme et les travaux de voirie.",
        "Niveau élevé : pose de fourreaux lors des travaux, données des réseaux tenues à jour, "
        "règles dans les documents d’urbanisme.",
    ),
    # Écosystème et économie numériques
    (
        "ecosysteme",
        "La collectivité soutient les entreprises et les acteurs locaux du numérique.",
        "Niveau élevé : tiers-lieux, accompagnement des commerces et des artisans, "
        "partenariats avec les écoles et les entreprises du territoire.",
    ),
    (
        "ecosysteme",
        "Les marchés publics du numérique sont ouverts aux acteurs locaux et aux logiciels libres.",
        "Niveau élevé : des clauses adaptées, le recours aux solutions libres et mutualisées, "
        "le code produit publié.",
    ),
    (
        "ecosysteme",
        "La collectivité participe aux réseaux et communautés du numérique public.",
        "Niveau élevé : présence dans les réseaux (structure de mutualisation, associations "
        "d’élus, communautés de logiciels libres), partage de ses retours d’expérience.",
    ),
    # Cybersécurité
    (
        "cybersecurite",
        "Les risques informatiques sont connus et un responsable de la sécurité est désigné.",
        "Niveau élevé : une analyse de risques, une politique de sécurité adoptée, un "
        "responsable de la sécurité des systèmes d’information.",
    ),
    (
        "cybersecurite",
        "Les sauvegardes sont faites, isolées et leur restauration est testée.",
        "Niveau élevé : des sauvegardes hors ligne, des tests de restauration réguliers, un "
        "plan de continuité d’activité.",
    ),
    (
        "cybersecurite",
        "Les agents et les élus sont sensibilisés aux risques (hameçonnage, mots de passe…).",
        "Niveau élevé : des sensibilisations régulières, des exercices, un réflexe de "
        "signalement des incidents.",
    ),
    (
        "cybersecurite",
        "La collectivité sait réagir à un incident de sécurité.",
        "Niveau élevé : une procédure écrite et exercée, les contacts utiles connus (CSIRT "
        "régional, ANSSI, cybermalveillance.gouv.fr), une assurance adaptée.",
    ),
    # Inclusion numérique
    (
        "inclusion",
        "La collectivité connaît les besoins de ses habitants éloignés du numérique.",
        "Niveau élevé : un diagnostic des publics et des lieux, partagé avec les partenaires "
        "(département, CCAS, associations).",
    ),
    (
        "inclusion",
        "Des lieux et des personnes accompagnent les habitants dans leurs démarches en ligne.",
        "Niveau élevé : conseillers numériques, espaces publics numériques, France services, "
        "aidants habilités (Aidants Connect), avec des horaires connus.",
    ),
    (
        "inclusion",
        "Un accueil sans numérique (guichet, téléphone) reste possible pour chaque démarche.",
        "Niveau élevé : aucune démarche uniquement en ligne, une aide pour ceux qui ne "
        "peuvent ou ne veulent pas utiliser le numérique.",
    ),
    # Numérique responsable
    (
        "numerique-responsable",
        "L’empreinte environnementale du numérique de la collectivité est mesurée.",
        "Niveau élevé : un inventaire des équipements et de leur consommation, une stratégie "
        "numérique responsable adoptée (loi REEN).",
    ),
    (
        "numerique-responsable",
        "Les équipements sont gardés longtemps, réemployés ou reconditionnés.",
        "Niveau élevé : durée d’usage allongée, achat de reconditionné, dons et réemploi, "
        "filière de recyclage.",
    ),
    (
        "numerique-responsable",
        "Les services numériques sont conçus sobres, accessibles et respectueux des données "
        "personnelles.",
        "Niveau élevé : écoconception des sites, registre des traitements RGPD tenu, délégué "
        "à la protection des données désigné et consulté.",
    ),
    # Coopération territoriale
    (
        "cooperation",
        "La collectivité mutualise des outils ou des compétences numériques avec d’autres.",
        "Niveau élevé : adhésion à une structure de mutualisation, services communs avec "
        "l’intercommunalité, achats groupés.",
    ),
    (
        "cooperation",
        "Sa feuille de route numérique est cohérente avec celles du territoire.",
        "Niveau élevé : la stratégie s’articule avec celles de l’intercommunalité, du "
        "département et de la région (schémas d’usages et de services).",
    ),
    (
        "cooperation",
        "Elle partage ses projets, ses outils et ses retours d’expérience avec d’autres "
        "collectivités.",
        "Niveau élevé : projets décrits dans l’observatoire, code et documents réutilisables "
        "publiés, accueil de collectivités qui veulent faire de même.",
    ),
]


def add_statements(apps, schema_editor):
    MaturiteEnonce = apps.get_model("observatoire", "MaturiteEnonce")
    if MaturiteEnonce.objects.exists():
        return  # the structure already has its questionnaire
    order: dict[str, int] = {}
    rows = []
    for theme, texte, aide in STATEMENTS:
        rows.append(MaturiteEnonce(theme=theme, texte=texte, aide=aide, ordre=order.get(theme, 0)))
        order[theme] = order.get(theme, 0) + 1
    MaturiteEnonce.objects.bulk_create(rows)


def remove_statements(apps, schema_editor):
    MaturiteEnonce = apps.get_model("observatoire", "MaturiteEnonce")
    Diagnostic = apps.get_model("observatoire", "Diagnostic")
    answered: set[str] = set()
    for reponses in Diagnostic.objects.values_list("reponses", flat=True):
        answered.update(str(key) for key in (reponses or {}))
    for enonce in MaturiteEnonce.objects.filter(texte__in=[texte for _t, texte, _a in STATEMENTS]):
        if str(enonce.pk) not in answered:
            enonce.delete()


class Migration(migrations.Migration):
    dependencies = [("observatoire", "0003_default_evaluation_grid")]

    operations = [migrations.RunPython(add_statements, remove_statements)]
