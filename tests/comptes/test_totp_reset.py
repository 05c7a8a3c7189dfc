"""An opérateur resets someone's lost second factor: POST only, journaled, the person told."""

import pytest
from django.core.exceptions import PermissionDenied

from socle.comptes.models import SecurityEvent, TOTPDevice
from socle.comptes.services import totp_device_reset
from socle.membres.models import Role
from tests.helpers.a11y import assert_accessible
from tests.helpers.comptes import enrol_totp, log_in
from tests.helpers.personas import persona

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(operateur):
    """A second opérateur who lost the phone with the authenticator."""
    user = persona("oscar.operateur@socle.localhost", kind=Role.Kind.OPERATEUR)
    enrol_totp(user)
    return user


def test_it_resets_another_users_second_factor(
    client, operateur, colleague, password, smtp_server, django_capture_on_commit_callbacks
):
    client.force_login(operateur)
    page = client.get("/comptes/second-facteur/reinitialiser/")
    assert page.status_code == 200
    assert_accessible(page)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/comptes/second-facteur/reinitialiser/",
            {"email": colleague.email.upper(), "next": "/gestion/"},
        )
    assert response.status_code == 302
    assert response["Location"] == "/gestion/"
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    event = SecurityEvent.objects.get(kind="totp_reset", user=colleague)
    assert event.actor == operateur
    assert event.ip == "127.0.0.1"
    assert event.details == {"had_device": True}
    [message] = smtp_server.wait_for(1)
    assert message["To"] == colleague.email
    assert "réinitialisé" in message["Subject"]
    # At the next login the colleague enrols a new device.
    client.logout()
    login = log_in(client, colleague, password)
    assert login["Location"] == "/comptes/second-facteur/activer/"


def test_it_refuses_anyone_but_an_operateur(client, colleague, citizen):
    client.force_login(citizen)
    assert client.get("/comptes/second-facteur/reinitialiser/").status_code == 403
    response = client.post("/comptes/second-facteur/reinitialiser/", {"email": colleague.email})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=colleague).exists()
    with pytest.raises(PermissionDenied):
        totp_device_reset(acting_user=citizen, user=colleague)
    client.logout()
    anonymous = client.post("/comptes/second-facteur/reinitialiser/", {"email": colleague.email})
    assert anonymous["Location"].startswith("/comptes/connexion/")
    assert TOTPDevice.objects.filter(user=colleague).exists()


def test_it_is_post_only(client, operateur, colleague):
    client.force_login(operateur)
    client.get(f"/comptes/second-facteur/reinitialiser/?email={colleague.email}")
    assert TOTPDevice.objects.filter(user=colleague).exists()


def test_it_explains_what_it_cannot_do(client, operateur):
    client.force_login(operateur)
    unknown = client.post("/comptes/second-facteur/reinitialiser/", {"email": "x@example.fr"})
    assert unknown.status_code == 400
    assert "Aucun compte n’a cette adresse." in unknown.content.decode()
    assert_accessible(unknown)
    own = client.post("/comptes/second-facteur/reinitialiser/", {"email": operateur.email})
    assert own.status_code == 400
    assert "Un autre opérateur" in own.content.decode()
