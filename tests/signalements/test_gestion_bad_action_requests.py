from django.urls import reverse

from socle.signalements.models import Evenement, Signalement
from socle.signalements.services import signalement_create
from tests.signalements.conftest import PESSAC


def _report(citizen):
    return signalement_create(
        categorie_code="nid-de-poule",
        description="Trou.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=citizen,
    )


def test_it_answers_404_to_an_unknown_action_and_405_to_a_get(
    client, demo_members, citizen, agent_voirie_sud
):
    report = _report(citizen)
    slug = demo_members.metropole.slug
    client.force_login(agent_voirie_sud)
    unknown = reverse("gestion:signalements:action", args=[slug, report.reference, "supprimer"])
    assert client.post(unknown).status_code == 404
    statut = reverse("gestion:signalements:action", args=[slug, report.reference, "statut"])
    assert client.get(statut).status_code == 405
    assert (
        client.get(reverse("gestion:signalements:detail", args=[slug, "ZZZZZZZZ"])).status_code
        == 404
    )


def test_it_answers_400_in_french_to_bad_inputs_and_writes_nothing(
    client, demo_members, citizen, agent_voirie_sud
):
    report = _report(citizen)
    slug = demo_members.metropole.slug
    events = Evenement.objects.filter(signalement=report).count()
    client.force_login(agent_voirie_sud)

    def post(action, data):
        url = reverse("gestion:signalements:action", args=[slug, report.reference, action])
        return client.post(url, data)

    cases = [
        ("statut", {"statut": "doublon"}, "Sélectionnez un choix valide"),
        ("repondre", {"texte": " "}, "Ce champ est obligatoire"),
        ("note", {"note": ""}, "Ce champ est obligatoire"),
        ("priorite", {"priorite": "9"}, "Sélectionnez un choix valide"),
        ("position", {"lat": "abc", "lon": "-0.63"}, "Saisissez un nombre"),
        ("position", {"lat": "48.85", "lon": "2.35"}, ""),
        ("attribuer", {"agent": "999999"}, "Sélectionnez un choix valide"),
        ("expurger", {"description": ""}, "Ce champ est obligatoire"),
        ("doublon", {"original": report.reference}, "son propre doublon"),
    ]
    for action, data, message in cases:
        response = post(action, data)
        assert response.status_code == 400, (action, data)
        html = response.content.decode()
        assert "Le formulaire contient des erreurs" in html, action
        assert message in html, (action, message)
        assert "<title>Erreur :" in html
    report.refresh_from_db()
    assert report.statut == Signalement.Statut.NOUVEAU
    assert (report.lat, report.lon) == PESSAC
    assert Evenement.objects.filter(signalement=report).count() == events
