from django.urls import reverse

from socle.signalements.models import Abonnement, Signalement
from socle.signalements.services import signalement_create, signalement_follow
from tests.helpers.personas import persona
from tests.signalements.conftest import PESSAC


def test_it_closes_a_duplicate_and_its_followers_follow_the_original(
    client, demo_members, citizen, agent_voirie_sud
):
    metropole = demo_members.metropole
    original = signalement_create(
        categorie_code="nid-de-poule",
        description="Trou.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=citizen,
    )
    neighbour = persona("voisin@example.fr")
    duplicate = signalement_create(
        categorie_code="nid-de-poule",
        description="Le même trou.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=neighbour,
    )
    follower = persona("passant@example.fr")
    signalement_follow(signalement=duplicate, user=follower)

    client.force_login(agent_voirie_sud)
    url = reverse(
        "gestion:signalements:action", args=[metropole.slug, duplicate.reference, "doublon"]
    )
    assert client.post(url, {"original": original.reference.lower()}).status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.statut == Signalement.Statut.DOUBLON
    assert duplicate.doublon_de == original
    followers = set(Abonnement.objects.filter(signalement=original).values_list("email", flat=True))
    assert {citizen.email, neighbour.email, follower.email} <= followers


def test_it_refuses_an_unknown_original(client, demo_members, citizen, agent_voirie_sud):
    metropole = demo_members.metropole
    report = signalement_create(
        categorie_code="nid-de-poule",
        description="Trou.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=citizen,
    )
    client.force_login(agent_voirie_sud)
    url = reverse("gestion:signalements:action", args=[metropole.slug, report.reference, "doublon"])
    response = client.post(url, {"original": "ZZZZZZZZ"})
    assert response.status_code == 400
    assert "Aucun signalement de la collectivité n’a cette référence." in response.content.decode()
    report.refresh_from_db()
    assert report.statut == Signalement.Statut.NOUVEAU
