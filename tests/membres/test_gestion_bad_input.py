"""Bad input in the back office: a French error on the form, status 400, nothing written."""

import html

import pytest

from socle.core.models import OutboxMessage
from socle.membres.models import Invitation, Membre, Service
from tests.helpers.a11y import assert_accessible

pytestmark = pytest.mark.django_db

GOOD_MEMBER = {
    "collectivite": "commune:33522",  # Talence
    "slug": "talence",
    "admin_email": "admin@talence.example.fr",
    "couleur": "#1f4e8c",
    "modules": ["jardins"],
    "hostname": "",
}


def _written():
    return (Membre.objects.count(), Invitation.objects.count(), OutboxMessage.objects.count())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"slug": ""}, "Ce champ est obligatoire."),
        ({"slug": "pessac"}, "Cette adresse est déjà utilisée."),
        ({"slug": "gestion"}, "Cette adresse est réservée."),
        ({"slug": "Talence Ville"}, "L'adresse ne peut contenir que a-z, 0-9 et des tirets."),
        ({"couleur": "bleu"}, "La couleur doit être au format #RRVVBB."),
        ({"admin_email": "pas-une-adresse"}, "Saisissez une adresse de courriel valide."),
        ({"hostname": "pas un nom d’hôte"}, "Nom d'hôte invalide."),
        ({"collectivite": "commune:33063"}, "Cette collectivité est déjà membre."),
        ({"collectivite": "commune:99999"}, "Choisissez d’abord une collectivité."),
        ({"modules": ["teleportation"]}, "teleportation n’en fait pas partie"),
    ],
    ids=[
        "empty slug",
        "duplicate slug",
        "reserved slug",
        "malformed slug",
        "invalid colour",
        "invalid email",
        "invalid host name",
        "already a member",
        "unknown collectivite",
        "unknown module",
    ],
)
def test_it_refuses_a_bad_onboarding(client, operateur, demo_members, change, message):
    client.force_login(operateur)
    before = _written()
    response = client.post("/gestion/membres/nouveau/", {**GOOD_MEMBER, **change})
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    assert "Le formulaire contient des erreurs" in response.content.decode()
    assert _written() == before
    assert_accessible(response)


GOOD_SERVICE = {"nom": "Voirie communale", "competences": [], "email": "", "telephone": ""}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"nom": ""}, "Ce champ est obligatoire."),
        ({"nom": "   "}, "Ce champ est obligatoire."),
        ({"nom": "Éducation"}, "Un service porte déjà ce nom."),
        ({"secteur_geojson": "{pas du json"}, "Secteur illisible : GeoJSON attendu."),
        (
            {"secteur_geojson": '{"type": "Point", "coordinates": [-0.63, 44.8]}'},
            "Le secteur doit être un polygone.",
        ),
        ({"email": "service@"}, "Saisissez une adresse de courriel valide."),
    ],
    ids=[
        "empty name",
        "blank name",
        "duplicate name",
        "malformed GeoJSON",
        "not a polygon",
        "invalid email",
    ],
)
def test_it_refuses_a_bad_service(client, demo_members, change, message):
    client.force_login(demo_members.admin_pessac)
    before = Service.objects.count()
    response = client.post("/gestion/pessac/services/nouveau/", {**GOOD_SERVICE, **change})
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert message in page
    assert 'aria-invalid="true"' in page
    assert Service.objects.count() == before
    assert_accessible(response)


def test_it_ties_the_error_to_its_field(client, demo_members):
    client.force_login(demo_members.admin_pessac)
    response = client.post(
        "/gestion/pessac/services/nouveau/", {**GOOD_SERVICE, "secteur_geojson": "{"}
    )
    page = response.content.decode()
    assert 'aria-describedby="id_secteur_geojson_helptext id_secteur_geojson_error"' in page
    assert 'id="id_secteur_geojson_error"' in page
    assert 'href="#id_secteur_geojson"' in page


def test_it_refuses_a_bad_colour_in_the_settings(client, demo_members):
    client.force_login(demo_members.admin_pessac)
    response = client.post(
        "/gestion/pessac/reglages/", {"couleur": "#12345", "modules": ["jardins"]}
    )
    assert response.status_code == 400
    assert "La couleur doit être au format #RRVVBB." in response.content.decode()
    demo_members.pessac.refresh_from_db()
    assert demo_members.pessac.couleur == "#1f5c8c"
    assert_accessible(response)


def test_it_refuses_an_invitation_to_a_bad_address(client, demo_members):
    client.force_login(demo_members.admin_pessac)
    before = Invitation.objects.count()
    response = client.post(
        "/gestion/pessac/agents/inviter/", {"email": "personne", "kind": "agent"}
    )
    assert response.status_code == 400
    assert "Saisissez une adresse de courriel valide." in html.unescape(response.content.decode())
    assert Invitation.objects.count() == before


def test_it_refuses_an_invitation_with_a_service_of_another_member(client, demo_members):
    client.force_login(demo_members.admin_pessac)
    other = demo_members.bordeaux.services.get(nom="Propreté urbaine")
    before = Invitation.objects.count()
    response = client.post(
        "/gestion/pessac/agents/inviter/",
        {"email": "x@pessac.example.fr", "kind": "agent", "service": other.pk},
    )
    assert response.status_code == 400
    assert Invitation.objects.count() == before
