"""The card never gives a way in without an email or a phone, and a commune always has a place."""

import html

from socle.routage.adresse import Place
from socle.routage.contact import commune_place, fiche, probleme_for_code
from tests.helpers.adresse import fake_adresse  # noqa: F401 - fixture

PESSAC = Place("1 Avenue Jean Jaurès 33600 Pessac", 44.8072, -0.6295, "33318")


def _metropole_voirie(demo_members):
    return demo_members.metropole.services.filter(nom__icontains="voirie")


def test_it_gives_the_service_when_it_has_an_email_or_a_phone(demo_members, fresh_router):
    from socle.routage import routing

    _metropole_voirie(demo_members).update(email="voirie@bordeaux-metropole.example.fr")
    routing.reset_router()
    card = fiche(PESSAC, probleme_for_code("nid-de-poule"))
    assert card.holder.nom == "Bordeaux Métropole"
    assert card.joindre.nom == card.service
    assert "voirie" in card.service
    assert card.joindre.email == "voirie@bordeaux-metropole.example.fr"


def test_it_falls_back_to_the_holder_then_to_the_mairie(demo_members, fresh_router):
    from socle.routage import routing

    _metropole_voirie(demo_members).update(email="", telephone="")
    metropole = demo_members.metropole.collectivite
    metropole.telephone = "05 56 99 84 84"
    metropole.save()
    routing.reset_router()
    card = fiche(PESSAC, probleme_for_code("nid-de-poule"))
    assert card.joindre.nom == "Bordeaux Métropole"
    assert card.joindre.telephone == "05 56 99 84 84"
    assert "n’a ni courriel ni téléphone public" in card.joindre.note

    metropole.telephone = metropole.email = ""
    metropole.save()
    card = fiche(PESSAC, probleme_for_code("nid-de-poule"))
    assert card.joindre.nom == "Mairie de Pessac"
    assert card.joindre.joignable
    assert "transmet à Bordeaux Métropole" in card.joindre.note


def test_it_places_a_commune_without_a_mairie_inside_its_boundary(db, gironde, fresh_router):
    from socle.routage.routing import commune_at
    from socle.territoires.models import Collectivite

    commune = Collectivite.objects.get(kind="commune", code="33394")
    commune.latitude = commune.longitude = None
    place = commune_place(commune)
    assert place is not None
    assert commune_at(place.lat, place.lon) == "33394"


def test_a_member_page_favours_its_addresses(client, demo_members, fake_adresse):  # noqa: F811
    client.post("/pessac/qui-contacter/", {"adresse": "avenue Jean Jaurès", "probleme": "tag"})
    query = fake_adresse.app.queries[-1]
    assert query["q"] == "avenue Jean Jaurès"
    assert query["limit"] == "5"
    assert round(float(query["lat"]), 1) == 44.8 and round(float(query["lon"]), 1) == -0.6


def test_it_shows_the_reason_in_words(client, demo_members, fresh_router):
    response = client.post(
        "/qui-contacter/", {"commune": "Saint-Émilion", "probleme": "lampadaire"}
    )
    text = html.unescape(response.content.decode())
    assert "« Éclairage public » : Niveau qui exerce cette compétence par défaut." in text
