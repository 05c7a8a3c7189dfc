"""The footer's pages exist from the start, with default texts the opérateur then edits."""

from django.db import migrations

DEFAULT_PAGES = [
    {
        "code": "mentions-legales",
        "titre": "Mentions légales",
        "contenu": (
            "## Éditeur\n\n"
            "Cette plateforme est éditée par la structure de mutualisation qui la met à la "
            "disposition de ses collectivités membres.\n\n"
            "À compléter : dénomination, adresse du siège, numéro SIREN, directeur ou directrice "
            "de la publication.\n\n"
            "## Hébergement\n\n"
            "À compléter : nom, adresse et téléphone de l’hébergeur.\n\n"
            "## Contenus des collectivités\n\n"
            "Chaque collectivité membre est responsable des contenus qu’elle publie sur ses "
            "pages.\n\n"
            "## Logiciel\n\n"
            "La plateforme repose sur Socle, un logiciel libre publié sous licence "
            "AGPL-3.0-or-later."
        ),
        "conformite": "",
    },
    {
        "code": "accessibilite",
        "titre": "Déclaration d’accessibilité",
        "contenu": (
            "La structure de mutualisation s’engage à rendre ses services numériques accessibles, "
            "conformément à l’article 47 de la loi n° 2005-102 du 11 février 2005.\n\n"
            "## État de conformité\n\n"
            "Cette plateforme n’a pas encore fait l’objet d’un audit de conformité au référentiel "
            "général d’amélioration de l’accessibilité (RGAA) : elle est déclarée non conforme "
            "jusqu’à cet audit.\n\n"
            "## Retour d’information et contact\n\n"
            "Si vous n’arrivez pas à accéder à un contenu ou à un service, écrivez-nous (voir la "
            "page Contact) : nous vous indiquerons une autre façon d’y accéder.\n\n"
            "## Voies de recours\n\n"
            "Si vous nous avez signalé un défaut d’accessibilité sans obtenir de réponse "
            "satisfaisante, vous pouvez écrire au Défenseur des droits "
            "(https://formulaire.defenseurdesdroits.fr/) ou à son délégué dans votre région."
        ),
        "conformite": "non",
    },
    {
        "code": "donnees-personnelles",
        "titre": "Données personnelles",
        "contenu": (
            "## Qui traite vos données\n\n"
            "Chaque collectivité membre est responsable des traitements de données personnelles "
            "faits pour ses démarches ; la structure de mutualisation les héberge pour elle.\n\n"
            "## Qui les consulte\n\n"
            "Chaque consultation de vos données par un agent est inscrite dans un journal que "
            "vous lisez dans « Mon espace », rubrique « Qui a consulté mes données ».\n\n"
            "## Vos droits\n\n"
            "Vous pouvez accéder à vos données, les faire rectifier ou effacer, ou vous opposer à "
            "leur traitement, en écrivant au délégué à la protection des données (DPO) de la "
            "collectivité concernée. Si vous estimez que vos droits ne sont pas respectés, vous "
            "pouvez adresser une réclamation à la CNIL (https://www.cnil.fr/)."
        ),
        "conformite": "",
    },
    {
        "code": "contact",
        "titre": "Contact",
        "contenu": (
            "Pour une question sur une démarche, adressez-vous d’abord à votre commune : son "
            "adresse et ses horaires sont sur sa page.\n\n"
            "Pour une question sur la plateforme elle-même, écrivez à la structure de "
            "mutualisation.\n\n"
            "À compléter : adresse électronique, adresse postale et téléphone."
        ),
        "conformite": "",
    },
]


def create_default_pages(apps, schema_editor):
    PagePlateforme = apps.get_model("portail", "PagePlateforme")
    for page in DEFAULT_PAGES:
        PagePlateforme.objects.get_or_create(code=page["code"], defaults=page)


class Migration(migrations.Migration):
    dependencies = [("portail", "0001_initial")]

    operations = [migrations.RunPython(create_default_pages, migrations.RunPython.noop)]
