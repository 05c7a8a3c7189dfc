"""A report goes to the service that holds the competence at its place, or is kept for a
non-member with its mairie's contact; a point outside France or a disabled category is refused."""

import pytest
from django.core.exceptions import ValidationError

from socle.signalements.models import Categorie, CategorieReglage, Envoi, Signalement
from socle.signalements.services import signalement_create
from socle.territoires.models import Collectivite
from tests.signalements.conftest import BORDEAUX, PESSAC, SAINT_EMILION


def _report(citizen, code, point, **extra):
    return signalement_create(
        categorie_code=code,
        description="Un problème à regarder.",
        lat=point[0],
        lon=point[1],
        auteur=citizen,
        **extra,
    )


def test_it_sends_a_pothole_in_pessac_to_the_metropoles_southern_road_pole(demo_members, citizen):
    report = _report(citizen, "nid-de-poule", PESSAC)
    assert report.membre == demo_members.metropole
    assert report.service.nom == "Pôle territorial Sud — voirie"


def test_it_sends_a_pothole_in_bordeaux_to_the_direction_de_la_voirie(demo_members, citizen):
    report = _report(citizen, "nid-de-poule", BORDEAUX)
    assert report.membre == demo_members.metropole
    assert report.service.nom == "Direction de la voirie"
    assert report.commune_nom == "Bordeaux"


def test_it_sends_a_broken_light_in_pessac_to_pessacs_public_lighting(demo_members, citizen):
    report = _report(citizen, "eclairage", PESSAC)
    assert report.membre == demo_members.pessac
    assert report.service.nom == "Éclairage public"
    assert report.titulaire_nom == "Pessac"


def test_it_keeps_a_non_members_report_with_the_mairies_contact_and_no_forwarding(
    demo_members, citizen, settings
):
    settings.SIGNALEMENTS_TRANSFERT_MAIRIES = False
    report = _report(citizen, "nid-de-poule", SAINT_EMILION)
    assert report.pk and report.membre is None and report.service is None
    assert report.titulaire_nom == "Saint-Émilion"
    assert report.contact["telephone"]
    assert not report.envois.filter(destinataire=Envoi.Destinataire.MAIRIE).exists()


def test_it_forwards_a_non_members_report_to_the_mairie_when_the_setting_says_so(
    demo_members, citizen, settings, smtp_server
):
    settings.SIGNALEMENTS_TRANSFERT_MAIRIES = True
    mairie = Collectivite.objects.get(kind=Collectivite.Kind.COMMUNE, code="33394")
    if not mairie.email:
        mairie.email = "accueil@mairie-saint-emilion.example.fr"
        mairie.save(update_fields=["email"])
    report = _report(citizen, "nid-de-poule", SAINT_EMILION)
    [envoi] = report.envois.filter(destinataire=Envoi.Destinataire.MAIRIE)
    assert envoi.message.payload["to"] == [mairie.email]
    mails = smtp_server.wait_for(2)
    forwarded = [m for m in mails if mairie.email in str(m["To"])]
    assert len(forwarded) == 1
    assert report.reference in forwarded[0].get_content()
    assert citizen.email not in forwarded[0].get_content()


def test_it_refuses_a_point_outside_france(demo_members, citizen):
    with pytest.raises(ValidationError) as caught:
        _report(citizen, "nid-de-poule", (51.5007, -0.1246))  # London
    assert "position" in caught.value.message_dict
    assert not Signalement.objects.exists()


def test_it_refuses_a_category_the_competent_member_disabled_there(demo_members, citizen):
    eclairage = Categorie.objects.get(code="eclairage", membre__isnull=True)
    CategorieReglage.objects.create(membre=demo_members.pessac, categorie=eclairage, active=False)
    with pytest.raises(ValidationError) as caught:
        _report(citizen, "eclairage", PESSAC)
    assert "categorie" in caught.value.message_dict
    # Bordeaux still offers it.
    assert _report(citizen, "eclairage", BORDEAUX).membre == demo_members.bordeaux
    assert Signalement.objects.count() == 1
