"""Open reports of the same category nearby are offered before submitting; « moi aussi » makes
an account a follower at once, an address after its emailed link."""

import re

from socle.signalements.models import Abonnement, Signalement
from socle.signalements.services import signalement_create
from tests.helpers.mail import path_in
from tests.signalements.conftest import PESSAC


def _existing(auteur):
    return signalement_create(
        categorie_code="nid-de-poule",
        description="Déjà signalé.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=auteur,
    )


def test_it_offers_the_nearby_report_and_follows_it_for_an_account(
    client, demo_members, citizen, other_citizen
):
    existing = _existing(other_citizen)
    client.force_login(citizen)
    near = (PESSAC[0] + 0.0001, PESSAC[1])

    page = client.post(
        "/signaler/",
        {"etape": "suite", "lat": near[0], "lon": near[1], "categorie": "nid-de-poule"},
    )

    assert page.status_code == 200
    assert "Déjà signalé tout près" in page.text
    assert f'formaction="/signalements/{existing.reference}/moi-aussi/"' in page.text
    json = client.get(
        "/signalements/proches.json",
        {"lat": near[0], "lon": near[1], "categorie": "nid-de-poule"},
    ).json()
    assert json["nombre"] == 1 and existing.reference in json["html"]

    response = client.post(f"/signalements/{existing.reference}/moi-aussi/")

    assert response.status_code == 302
    follow = Abonnement.objects.get(signalement=existing, email=citizen.email)
    assert follow.confirme_le is not None
    assert Signalement.objects.count() == 1


def test_it_needs_the_emailed_link_for_an_anonymous_follower(
    client, demo_members, other_citizen, smtp_server
):
    existing = _existing(other_citizen)
    smtp_server.wait_for(2)
    smtp_server.clear()

    response = client.post(
        f"/signalements/{existing.reference}/moi-aussi/", {"email": "voisin@example.fr"}
    )

    assert response.status_code == 200
    assert "Confirmez avec le lien envoyé à voisin@example.fr" in response.text
    follow = Abonnement.objects.get(signalement=existing, email="voisin@example.fr")
    assert follow.confirme_le is None

    mail = smtp_server.wait_for(1)[0]
    link = path_in(mail, re.compile(r"https?://[^/\s]+(/signalements/suivre/[^\s]+/)"))
    # Opening the link (a mail scanner does too) only asks; the button confirms.
    assert client.get(link).status_code == 200
    follow.refresh_from_db()
    assert follow.confirme_le is None
    assert client.post(link).status_code == 302
    follow.refresh_from_db()
    assert follow.confirme_le is not None


def test_it_asks_an_anonymous_follower_for_a_valid_address(client, demo_members, other_citizen):
    existing = _existing(other_citizen)
    response = client.post(f"/signalements/{existing.reference}/moi-aussi/", {"email": "non"})
    assert response.status_code == 400
    assert "Cette adresse électronique n’est pas valide" in response.text
    assert not Abonnement.objects.filter(email="non").exists()
