"""An opérateur onboards Mérignac; its administrator receives the invitation and accepts it."""

import pytest
from django.test import Client

from socle.comptes import totp
from socle.comptes.models import TOTPDevice, User
from socle.membres.models import Invitation, Membre, Role
from tests.helpers.a11y import assert_accessible
from tests.helpers.pages import invitation_path

pytestmark = pytest.mark.django_db

ADMIN_EMAIL = "maire-adjoint@merignac.example.fr"
NEW_PASSWORD = "Une-phrase-de-passe-solide-2026"


def _onboard(client, django_capture_on_commit_callbacks, **overrides):
    data = {
        "collectivite": "commune:33281",
        "slug": "merignac",
        "admin_email": ADMIN_EMAIL,
        "couleur": "#00695c",
        "modules": ["jardins"],
        "hostname": "",
        **overrides,
    }
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/gestion/membres/nouveau/", data)


def test_it_finds_the_collectivite_then_prefills_the_form(client, operateur, gironde):
    client.force_login(operateur)
    response = client.get("/gestion/membres/nouveau/", {"q": "33281"})
    assert response.status_code == 200
    assert "Mérignac" in response.content.decode()
    assert 'href="?collectivite=commune%3A33281"' in response.content.decode()
    assert_accessible(response)

    response = client.get("/gestion/membres/nouveau/", {"collectivite": "commune:33281"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="merignac"' in html
    assert 'type="color"' in html
    assert_accessible(response)


def test_it_finds_a_collectivite_by_its_siren(client, operateur, gironde):
    client.force_login(operateur)
    response = client.get("/gestion/membres/nouveau/", {"q": "243300316"})
    assert "Bordeaux Métropole" in response.content.decode()


def test_it_onboards_a_commune_and_emails_a_working_invitation(
    client, operateur, gironde, smtp_server, django_capture_on_commit_callbacks
):
    client.force_login(operateur)
    response = _onboard(client, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == "/gestion/merignac/"

    membre = Membre.objects.get(slug="merignac")
    assert membre.collectivite.nom == "Mérignac"
    assert membre.couleur == "#00695c"
    assert membre.modules == ["jardins"]

    [message] = smtp_server.wait_for(1)
    assert message["To"] == ADMIN_EMAIL
    assert "Mérignac" in message["Subject"]
    path = invitation_path(message)

    newcomer = Client()
    page = newcomer.get(path)
    assert page.status_code == 200
    assert "Rejoindre Mérignac" in page.content.decode()
    assert_accessible(page)

    response = newcomer.post(
        path,
        {
            "first_name": "Marie",
            "last_name": "Martin",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    # Administrators need a second factor: the newcomer enrols one before going further.
    assert response["Location"] == "/comptes/second-facteur/activer/"
    user = User.objects.get(email=ADMIN_EMAIL)
    assert user.get_full_name() == "Marie Martin"
    assert Role.objects.filter(
        user=user, membre=membre, kind=Role.Kind.ADMINISTRATEUR, ended_at__isnull=True
    ).exists()
    newcomer.get(response["Location"])
    secret = totp.secret_decrypt(TOTPDevice.objects.get(user=user).secret)
    response = newcomer.post(response["Location"], {"code": totp.code_at(secret)})
    assert response["Location"] == "/gestion/merignac/"

    # The new administrator is logged in and lands in the member's back office.
    back_office = newcomer.get("/gestion/merignac/")
    assert back_office.status_code == 200
    assert "Créer un service" in back_office.content.decode()

    # The link works once.
    again = Client().get(path)
    assert again.status_code == 410
    assert "plus valable" in again.content.decode()


def test_it_shows_the_new_member_with_its_pending_invitation(
    client, operateur, gironde, smtp_server, django_capture_on_commit_callbacks
):
    client.force_login(operateur)
    _onboard(client, django_capture_on_commit_callbacks)
    response = client.get("/gestion/merignac/")
    html = response.content.decode()
    assert "Invitations en attente" in html
    assert ADMIN_EMAIL in html
    assert Invitation.objects.filter(email=ADMIN_EMAIL, accepted_at__isnull=True).count() == 1


def test_it_lists_the_new_member_on_the_platform_home(
    client, operateur, gironde, smtp_server, django_capture_on_commit_callbacks
):
    client.force_login(operateur)
    _onboard(client, django_capture_on_commit_callbacks)
    html = Client().get("/").content.decode()
    assert 'href="/merignac/"' in html
    page = Client().get("/merignac/")
    assert page.status_code == 200
    assert "60 avenue du Maréchal-de-Lattre-de-Tassigny" in page.content.decode()
