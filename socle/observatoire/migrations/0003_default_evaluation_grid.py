"""The default value-analysis grid and the observatory's settings row.

Five axes after MAREVA 2 (nécessité, maîtrise des risques, gains internes, gains externes,
rentabilité), each weighing 1; four or five closed questions on each axis scored from answers,
with three to four answers worth 0 to 4 points; the rentabilité axis is computed from the yearly
costs and gains (net present value). Horizon 5 years, discount rate 4.5 % (the rate the Quinet
report of 2013 set for public investments).

These are defaults, written for the observatory: MAREVA 2's own questionnaire and weights are
not published in a form that could be obtained, so the structure is expected to adjust them in
its back office (/gestion/observatoire/evaluation/). The data is frozen here on purpose: later
changes of the grid are the structure's, through its services, not migrations.
"""

from decimal import Decimal

from django.db import migrations

# (code, name, description, financial, [(question, help, [(answer, points)])])
GRID = [
    (
        "necessite",
        "Nécessité",
        "Le projet répond-il à un besoin réel : une obligation, une demande exprimée, un "
        "service qui ne pourrait plus être rendu sans lui ?",
        False,
        [
            (
                "Le projet répond-il à une obligation légale ou réglementaire ?",
                "Par exemple la saisine par voie électronique, la dématérialisation des marchés "
                "publics ou l’ouverture des données.",
                [
                    ("Oui, avec une échéance proche", 4),
                    ("Oui, sans échéance fixée", 3),
                    ("Il anticipe une obligation à venir", 2),
                    ("Non", 0),
                ],
            ),
            (
                "Le besoin est-il exprimé par les usagers, les agents ou les élus ?",
                "",
                [
                    ("Demande forte et documentée (enquête, réclamations, délibération)", 4),
                    ("Demande exprimée, mais pas mesurée", 2),
                    ("Besoin supposé, pas encore exprimé", 0),
                ],
            ),
            (
                "Que se passe-t-il si le projet n’est pas fait ?",
                "",
                [
                    ("Le service ne peut plus être rendu (fin de support, rupture)", 4),
                    ("Le service se dégrade nettement", 3),
                    ("Le service continue, sans amélioration", 1),
                    ("Rien de notable", 0),
                ],
            ),
            (
                "Le projet s’inscrit-il dans la feuille de route numérique ou un schéma "
                "territorial (SDTAN, SDAASP, schéma des usages) ?",
                "",
                [
                    ("Oui, il en est une action prioritaire", 4),
                    ("Oui, parmi d’autres actions", 2),
                    ("Non", 0),
                ],
            ),
        ],
    ),
    (
        "maitrise-des-risques",
        "Maîtrise des risques",
        "Le projet est-il à la portée de la collectivité : pilotage, compétences, maturité de "
        "la solution, dépendance à un fournisseur, sécurité et données personnelles ?",
        False,
        [
            (
                "Le pilotage du projet est-il organisé ?",
                "",
                [
                    ("Un chef de projet, un élu référent et un comité de pilotage", 4),
                    ("Un chef de projet désigné", 2),
                    ("Pas encore de responsable désigné", 0),
                ],
            ),
            (
                "La collectivité dispose-t-elle des compétences nécessaires ?",
                "En interne, ou auprès de la structure de mutualisation.",
                [
                    ("Oui, en interne ou par la structure de mutualisation", 4),
                    ("En partie, avec un appui extérieur prévu", 2),
                    ("Non, elles restent à trouver", 0),
                ],
            ),
            (
                "La solution est-elle éprouvée ?",
                "",
                [
                    ("Déjà en service dans des collectivités comparables", 4),
                    ("En service ailleurs, dans un autre contexte", 3),
                    ("Solution nouvelle ou développement spécifique", 1),
                    ("Expérimentation, sans référence", 0),
                ],
            ),
            (
                "La dépendance à un fournisseur est-elle maîtrisée ?",
                "",
                [
                    ("Logiciel libre ou formats ouverts, réversibilité prévue", 4),
                    ("Clause de réversibilité dans le marché", 2),
                    ("Solution fermée, sans réversibilité prévue", 0),
                ],
            ),
            (
                "La sécurité et les données personnelles sont-elles prises en compte ?",
                "Délégué à la protection des données, analyse d’impact, homologation de sécurité.",
                [
                    ("Analyse d’impact faite, DPO associé, homologation prévue", 4),
                    ("DPO associé, analyse à faire", 2),
                    ("Pas encore abordé", 0),
                ],
            ),
        ],
    ),
    (
        "gains-internes",
        "Gains internes",
        "Ce que le projet apporte aux agents et au fonctionnement du service public.",
        False,
        [
            (
                "Le projet fait-il gagner du temps aux agents ?",
                "",
                [
                    ("Beaucoup : des tâches entières disparaissent (ressaisies, envois papier)", 4),
                    ("Un peu, sur certaines tâches", 2),
                    ("Pas de gain de temps attendu", 0),
                ],
            ),
            (
                "Améliore-t-il la qualité ou la fiabilité du service rendu ?",
                "Moins d’erreurs, demandes suivies, décisions tracées.",
                [
                    ("Nettement", 4),
                    ("Un peu", 2),
                    ("Non", 0),
                ],
            ),
            (
                "Améliore-t-il les conditions de travail des agents ?",
                "",
                [
                    ("Oui, et les agents ont été associés à sa conception", 4),
                    ("Oui", 3),
                    ("Sans effet", 1),
                    ("Il ajoute des contraintes", 0),
                ],
            ),
            (
                "Favorise-t-il la mutualisation entre collectivités ?",
                "",
                [
                    ("Oui, l’outil ou les données sont partagés avec d’autres", 4),
                    ("Il pourra l’être ensuite", 2),
                    ("Non, il est propre à la collectivité", 0),
                ],
            ),
        ],
    ),
    (
        "gains-externes",
        "Gains externes",
        "Ce que le projet apporte aux usagers, aux entreprises, aux associations et au territoire.",
        False,
        [
            (
                "Simplifie-t-il les démarches des usagers ?",
                "",
                [
                    ("Démarche entièrement en ligne, sans pièce redemandée", 4),
                    ("Démarche en partie en ligne", 2),
                    ("Pas de changement pour les usagers", 0),
                ],
            ),
            (
                "Combien de personnes en bénéficient ?",
                "",
                [
                    ("Tous les habitants, ou presque", 4),
                    ("Un public important (familles, entreprises…)", 3),
                    ("Un public restreint", 1),
                ],
            ),
            (
                "Tient-il compte des personnes éloignées du numérique ?",
                "",
                [
                    ("Oui : accompagnement prévu, accueil ou téléphone maintenus", 4),
                    ("Un autre canal est maintenu", 2),
                    ("Non", 0),
                ],
            ),
            (
                "Le service sera-t-il accessible aux personnes handicapées (RGAA) ?",
                "",
                [
                    ("Oui, un audit de conformité est prévu", 4),
                    ("L’exigence figure dans le marché", 2),
                    ("Non traité", 0),
                ],
            ),
            (
                "Apporte-t-il quelque chose aux entreprises, aux associations ou au territoire ?",
                "Données ouvertes réutilisées, délais réduits, activité locale.",
                [
                    ("Oui, des effets directs", 4),
                    ("Des effets indirects", 2),
                    ("Non", 0),
                ],
            ),
        ],
    ),
    (
        "rentabilite",
        "Rentabilité",
        "Calculée à partir des coûts et des gains de chaque année : valeur actuelle nette et "
        "délai de retour sur investissement.",
        True,
        [],
    ),
]
HORIZON = 5
TAUX = Decimal("4.5")


def install_default_grid(apps, schema_editor=None) -> None:
    """Write the default grid and settings, unless a grid or settings already exist."""
    EvalAxe = apps.get_model("observatoire", "EvalAxe")
    EvalQuestion = apps.get_model("observatoire", "EvalQuestion")
    EvalChoix = apps.get_model("observatoire", "EvalChoix")
    Reglages = apps.get_model("observatoire", "ReglagesObservatoire")
    if not Reglages.objects.exists():
        Reglages.objects.create(horizon_annees=HORIZON, taux_actualisation=TAUX)
    if EvalAxe.objects.exists():
        return
    for axe_ordre, (code, nom, description, financier, questions) in enumerate(GRID, start=1):
        axe = EvalAxe.objects.create(
            code=code,
            nom=nom,
            description=description,
            poids=Decimal(1),
            financier=financier,
            ordre=axe_ordre,
        )
        for question_ordre, (texte, aide, choix) in enumerate(questions, start=1):
            question = EvalQuestion.objects.create(
                axe=axe, texte=texte, aide=aide, poids=Decimal(1), ordre=question_ordre
            )
            EvalChoix.objects.bulk_create(
                EvalChoix(question=question, libelle=libelle, points=Decimal(points), ordre=n)
                for n, (libelle, points) in enumerate(choix, start=1)
            )


def remove_default_grid(apps, schema_editor) -> None:
    EvalAxe = apps.get_model("observatoire", "EvalAxe")
    Reglages = apps.get_model("observatoire", "ReglagesObservatoire")
    EvalAxe.objects.filter(code__in=[code for code, *_rest in GRID]).delete()
    Reglages.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("observatoire", "0002_search_index"),
    ]

    operations = [
        migrations.RunPython(install_default_grid, remove_default_grid),
    ]
