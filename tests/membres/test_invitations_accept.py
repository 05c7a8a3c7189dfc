"""Accepting an invitation: once, before it expires, by the invited person only."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from socle.comptes.models import User
from socle.membres.models import Invitation, Role
from socle.membres.services import invitation_create
from tests.helpers.a11y import assert_accessible

pytestmark = pytest.mark.django_db

PASSWORD = "Une-phrase-de-passe-solide-2026"


@pytest.fixture
def invited(demo_members):
    """An invitation to be an agent of Pessac's Éducation service, and its link."""
    service = demo_members.pessac.services.get(nom="Éducation")
    invitation, token = invitation_create(
        email="ines.ecole@pessac.example.fr",
        kind=Role.Kind.AGENT,
        acting_user=demo_members.admin_pessac,
        membre=demo_members.pessac,
        service=service,
    )
    return invitation, f"/comptes/invitation/{token}/"


def _sign_up(client, path, **overrides):
    data = {"first_name": "Inès", "last_name": "École", "password1": PASSWORD}
    data["password2"] = data["password1"]
    data.update(overrides)
    return client.post(path, data)


def test_it_tells_who_invites_to_what(client, invited, demo_members):
    _invitation, path = invited
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rejoindre Pessac" in html
    assert "Test Persona vous invite avec le rôle « Agent »" in html
    assert "Éducation" in html
    assert_accessible(response)


def test_it_creates_the_account_and_grants_the_role(client, invited, demo_members):
    invitation, path = invited
    response = _sign_up(client, path)
    assert response.status_code == 302
    assert response["Location"] == "/gestion/pessac/"
    user = User.objects.get(email="ines.ecole@pessac.example.fr")
    role = Role.objects.get(user=user, membre=demo_members.pessac)
    assert role.kind == Role.Kind.AGENT
    assert role.service.nom == "Éducation"
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    # Logged in at once.
    assert client.get("/comptes/espace/").status_code == 200


def test_it_works_only_once(client, invited):
    _invitation, path = invited
    assert _sign_up(client, path).status_code == 302
    again = Client()
    assert again.get(path).status_code == 410
    assert _sign_up(again, path).status_code == 410
    assert User.objects.filter(email="ines.ecole@pessac.example.fr").count() == 1


def test_it_refuses_an_expired_invitation(client, invited):
    invitation, path = invited
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = client.get(path)
    assert response.status_code == 410
    assert "Cette invitation n’est plus valable" in response.content.decode()
    assert_accessible(response)
    assert _sign_up(client, path).status_code == 410
    assert not User.objects.filter(email="ines.ecole@pessac.example.fr").exists()


def test_it_refuses_an_unknown_or_revoked_token(client, invited):
    invitation, path = invited
    assert client.get("/comptes/invitation/n-importe-quoi/").status_code == 410
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
    assert client.get(path).status_code == 410


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"password2": "autre-chose-2026-xyz"}, "Les deux mots de passe ne sont pas identiques."),
        ({"password1": "court", "password2": "court"}, "trop court"),
        ({"password1": "123456789012345", "password2": "123456789012345"}, "entièrement"),
        ({"first_name": ""}, "Ce champ est obligatoire."),
    ],
    ids=["mismatch", "too short", "numeric", "no first name"],
)
def test_it_explains_a_refused_password(client, invited, change, message):
    _invitation, path = invited
    response = _sign_up(client, path, **change)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.filter(email="ines.ecole@pessac.example.fr").exists()
    assert_accessible(response)


def test_it_lets_a_logged_in_invitee_accept_with_a_button(client, invited, demo_members):
    invitation, path = invited
    user = User.objects.create_user(email="ines.ecole@pessac.example.fr", password=PASSWORD)
    client.force_login(user)
    page = client.get(path)
    assert "Accepter l’invitation" in page.content.decode()
    assert_accessible(page)
    response = client.post(path)
    assert response.status_code == 302
    assert Role.objects.filter(user=user, membre=demo_members.pessac).exists()


def test_it_refuses_someone_else_logged_in(client, invited, demo_members):
    _invitation, path = invited
    client.force_login(demo_members.agent_bordeaux)
    page = client.get(path)
    assert "n’est pas celle de l’invitation" in page.content.decode()
    response = client.post(path)
    assert response.status_code == 400
    assert "Cette invitation a été envoyée à une autre adresse." in response.content.decode()
    assert not Role.objects.filter(
        user=demo_members.agent_bordeaux, membre=demo_members.pessac
    ).exists()


def test_it_asks_an_existing_account_to_log_in(client, invited):
    _invitation, path = invited
    User.objects.create_user(email="ines.ecole@pessac.example.fr", password=PASSWORD)
    response = _sign_up(client, path)
    assert response.status_code == 400
    assert "Un compte existe déjà pour cette adresse" in response.content.decode()
    assert f"/comptes/connexion/?next={path}" in response.content.decode()
