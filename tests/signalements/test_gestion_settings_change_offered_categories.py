from django.urls import reverse

from socle.membres.models import AuditEvent
from socle.signalements.models import Categorie, ModeleReponse, Question, Reglages
from socle.signalements.selectors import categories_at
from socle.territoires.models import Competence
from tests.signalements.conftest import PESSAC


def _offered():
    return {item.code: item for item in categories_at(lat=PESSAC[0], lon=PESSAC[1])}


def test_it_switches_off_renames_and_adds_categories_offered_to_citizens(
    client, demo_members, admin_pessac
):
    pessac = demo_members.pessac
    url = reverse("gestion:signalements:reglages", args=[pessac.slug])
    client.force_login(admin_pessac)
    assert client.get(url).status_code == 200
    tag = Categorie.objects.get(code="tag", membre=None)
    salete = Categorie.objects.get(code="salete", membre=None)

    response = client.post(url, {"formulaire": "categorie", "categorie": tag.pk, "nom": ""})
    assert response.status_code == 302
    response = client.post(
        url,
        {"formulaire": "categorie", "categorie": salete.pk, "active": "on", "nom": "Rue sale"},
    )
    assert response.status_code == 302
    offered = _offered()
    assert "tag" not in offered
    assert offered["salete"].nom == "Rue sale"

    proprete = Competence.objects.get(code="proprete")
    response = client.post(
        url, {"formulaire": "propre", "nom": "Chewing-gums", "competence": proprete.pk}
    )
    assert response.status_code == 302
    assert _offered()["chewing-gums"].nom == "Chewing-gums"

    response = client.post(
        url,
        {
            "formulaire": "question",
            "categorie": salete.pk,
            "libelle": "Depuis quand ?",
            "kind": "singlevaluelist",
            "choix": "Aujourd’hui\nCette semaine",
            "obligatoire": "on",
        },
    )
    assert response.status_code == 302
    question = _offered()["salete"].questions[0]
    assert question.libelle == "Depuis quand ?" and question.obligatoire

    response = client.post(
        url, {"formulaire": "general", "moderation_prealable": "on", "retention_mois": "6"}
    )
    assert response.status_code == 302
    reglages = Reglages.objects.get(membre=pessac)
    assert reglages.moderation_prealable and reglages.retention_mois == 6

    response = client.post(url, {"formulaire": "modele", "titre": "Merci", "texte": "Merci !"})
    assert response.status_code == 302
    assert ModeleReponse.objects.filter(membre=pessac, titre="Merci").exists()
    assert AuditEvent.objects.filter(membre=pessac, action="signalement.reglages").count() == 6


def test_it_refuses_bad_settings_in_french_and_writes_nothing(client, demo_members, admin_pessac):
    pessac = demo_members.pessac
    url = reverse("gestion:signalements:reglages", args=[pessac.slug])
    client.force_login(admin_pessac)
    eau = Competence.objects.get(code="eau-potable")  # the Métropole's, not Pessac's
    response = client.post(url, {"formulaire": "propre", "nom": "Fuite", "competence": eau.pk})
    assert response.status_code == 400
    # Only the competences Pessac holds are offered: another one is not a valid choice.
    assert "Sélectionnez un choix valide" in response.content.decode()
    response = client.post(url, {"formulaire": "general", "retention_mois": "0"})
    assert response.status_code == 400
    salete = Categorie.objects.get(code="salete", membre=None)
    response = client.post(
        url,
        {
            "formulaire": "question",
            "categorie": salete.pk,
            "libelle": "Où ?",
            "kind": "singlevaluelist",
        },
    )
    assert response.status_code == 400
    assert "Donnez au moins deux réponses possibles" in response.content.decode()
    assert not Categorie.objects.filter(membre=pessac).exists()
    assert not Question.objects.filter(membre=pessac).exists()
    assert not Reglages.objects.filter(membre=pessac).exists()
    assert not AuditEvent.objects.filter(action="signalement.reglages").exists()


def test_it_keeps_settings_to_administrators(client, demo_members, agent_pessac):
    client.force_login(agent_pessac)
    url = reverse("gestion:signalements:reglages", args=[demo_members.pessac.slug])
    assert client.get(url).status_code == 403


def test_it_ties_a_members_category_only_to_a_competence_it_holds(demo_members, admin_pessac):
    import pytest
    from django.core.exceptions import ValidationError

    from socle.signalements.services import categorie_create

    eau = Competence.objects.get(code="eau-potable")
    with pytest.raises(ValidationError) as raised:
        categorie_create(
            acting_user=admin_pessac, membre=demo_members.pessac, nom="Fuite", competence=eau
        )
    assert raised.value.message_dict["competence"] == [
        "Choisissez une compétence que la collectivité exerce."
    ]
