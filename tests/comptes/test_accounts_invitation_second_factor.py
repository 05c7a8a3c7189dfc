"""Accepting an invitation to a role that needs a second factor goes through one first."""

import time

import pytest

from socle.comptes import totp
from socle.comptes.models import TOTPDevice, User
from socle.comptes.security import SECOND_FACTOR_AT
from socle.membres.models import Role
from socle.membres.services import invitation_create
from tests.helpers.comptes import log_in

pytestmark = pytest.mark.django_db

PASSWORD = "Une-phrase-de-passe-solide-2026"


def _invite(demo_members, email, kind):
    _invitation, token = invitation_create(
        email=email, kind=kind, acting_user=demo_members.admin_pessac, membre=demo_members.pessac
    )
    return f"/comptes/invitation/{token}/"


def _accept(client, path):
    return client.post(
        path,
        {"first_name": "Iris", "last_name": "Admin", "password1": PASSWORD, "password2": PASSWORD},
    )


def test_it_enrols_a_new_administrator_before_opening_the_back_office(client, demo_members):
    path = _invite(demo_members, "iris.admin@pessac.example.fr", Role.Kind.ADMINISTRATEUR)
    response = _accept(client, path)
    assert response.status_code == 302
    assert response["Location"] == "/comptes/second-facteur/activer/"
    user = User.objects.get(email="iris.admin@pessac.example.fr")
    # The invitation proved the address.
    assert user.email_verified_at is not None
    assert "_auth_user_id" not in client.session
    assert client.get("/gestion/pessac/").status_code == 302
    client.get("/comptes/second-facteur/activer/")
    secret = totp.secret_decrypt(TOTPDevice.objects.get(user=user).secret)
    done = client.post("/comptes/second-facteur/activer/", {"code": totp.code_at(secret)})
    assert done["Location"] == "/gestion/pessac/"
    assert client.get("/gestion/pessac/").status_code == 200


def test_it_logs_a_new_agent_in_at_once(client, demo_members):
    path = _invite(demo_members, "aline.agent@pessac.example.fr", Role.Kind.AGENT)
    response = _accept(client, path)
    assert response["Location"] == "/gestion/pessac/"
    assert client.get("/gestion/pessac/").status_code == 200


def test_it_asks_a_logged_in_agent_for_a_second_factor_before_a_new_admin_role(
    client, demo_members
):
    agent = demo_members.agent_pessac
    path = _invite(demo_members, agent.email, Role.Kind.ADMINISTRATEUR)
    client.force_login(agent)
    # A plain agent's session: it never passed a second factor.
    session = client.session
    session.pop(SECOND_FACTOR_AT, None)
    session.save()
    response = client.post(path)
    assert response["Location"] == "/comptes/second-facteur/activer/"
    assert "_auth_user_id" not in client.session
    assert Role.objects.filter(user=agent, kind=Role.Kind.ADMINISTRATEUR).exists()


def test_it_keeps_a_session_that_passed_a_second_factor(client, demo_members, password):
    admin = demo_members.admin_pessac
    secret = totp.new_secret()
    TOTPDevice.objects.create(
        user=admin,
        secret=totp.secret_encrypt(secret),
        confirmed_at="2026-01-01T00:00:00Z",
        last_step=totp.current_step(time.time() - 60),
    )
    log_in(client, admin, password)
    client.post("/comptes/second-facteur/", {"code": totp.code_at(secret)})
    path = _invite(demo_members, admin.email, Role.Kind.DPO)
    response = client.post(path)
    assert response["Location"] == "/gestion/pessac/"
    assert client.session["_auth_user_id"] == str(admin.pk)
