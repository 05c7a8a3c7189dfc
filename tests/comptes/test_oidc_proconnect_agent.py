"""An agent logs in with ProConnect, same relying party, provider « proconnect ».

First login: matched only through the email that ProConnect verified, and only to an agent
who holds an active role or a pending invitation. Afterwards: through the linked identity.
"""

import pytest

from socle.comptes.models import Identity, SecurityEvent, User
from socle.membres.models import Invitation, Role
from socle.membres.services import invitation_create
from tests.helpers.oidc import (
    assert_rejected,
    logged_in_user,
    login_through,
    query,
    start_login,
)

pytest_plugins = ["tests.helpers.oidc"]
pytestmark = pytest.mark.django_db
SIRET = "21330318800015"


def _agent_identity(fake_pc, key, email, given, usual):
    fake_pc.add_identity(key, email=email, given_name=given, usual_name=usual, siret=SIRET)


def test_it_asks_proconnect_for_the_agent_claims(client, fake_pc):
    params = query(start_login(client, "proconnect"))
    assert params["scope"].split() == ["openid", "email", "given_name", "usual_name", "siret"]
    assert "acr_values" not in params


def test_it_logs_in_an_agent_who_holds_a_role(client, fake_pc, agent_pessac):
    _agent_identity(fake_pc, "anne", agent_pessac.email, "Anne", "Agent")

    response = login_through(client, "anne", "proconnect")

    assert response.status_code == 302
    assert response["Location"] == "/comptes/apres-connexion/"
    assert logged_in_user(client).pk == agent_pessac.pk
    identity = Identity.objects.get(user=agent_pessac, provider="proconnect")
    assert identity.siret == SIRET
    assert identity.family_name == "Agent"
    linked = SecurityEvent.objects.get(kind=SecurityEvent.Kind.IDENTITY_LINKED)
    assert linked.details == {"provider": "proconnect", "via": "verified_email"}
    login = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN, user=agent_pessac)
    assert login.details["method"] == "proconnect"

    # Next time, the linked identity opens the account even if the email changed.
    client.logout()
    fake_pc.identities["anne"].claims["email"] = "anne.nouvelle-adresse@pessac.example.fr"
    login_through(client, "anne", "proconnect")
    assert logged_in_user(client).pk == agent_pessac.pk


def test_it_accepts_the_pending_invitation_of_a_new_agent(client, fake_pc, demo_members):
    pessac = demo_members.pessac
    invitation, _token = invitation_create(
        email="nouvel.agent@pessac.example.fr",
        kind=Role.Kind.AGENT,
        acting_user=demo_members.admin_pessac,
        membre=pessac,
    )
    _agent_identity(fake_pc, "nouvel", "Nouvel.Agent@pessac.example.fr", "Noé", "Vel")

    response = login_through(client, "nouvel", "proconnect")

    assert response.status_code == 302
    user = logged_in_user(client)
    assert user.email == "nouvel.agent@pessac.example.fr"
    assert user.email_verified_at is not None  # verified by the agent's organisation
    assert user.get_full_name() == "Noé Vel"
    assert Role.objects.filter(user=user, kind=Role.Kind.AGENT, membre=pessac).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by_id == user.pk


def test_it_refuses_an_agent_without_a_role_nor_an_invitation(client, fake_pc, citizen):
    # Even with an existing account at that address: no role, no invitation, no access.
    _agent_identity(fake_pc, "camille", citizen.email, "Camille", "Citoyenne")

    response = login_through(client, "camille", "proconnect")

    assert_rejected(response, "proconnect_no_access", status=403)
    assert "demandez à l’administrateur" in response.content.decode().lower()
    assert not logged_in_user(client).is_authenticated
    assert not Identity.objects.exists()
    assert User.objects.count() == 1


def test_it_still_asks_an_administrator_for_the_second_factor(client, fake_pc, admin_pessac):
    _agent_identity(fake_pc, "paul", admin_pessac.email, "Paul", "Admin")

    response = login_through(client, "paul", "proconnect")

    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/second-facteur/")
    assert not logged_in_user(client).is_authenticated
    assert not Invitation.objects.exists()


def test_it_takes_an_unverified_squatters_password_away_from_the_invited_agents_account(
    client, fake_pc, demo_members
):
    from django.test import Client

    from socle.comptes.services import user_create

    # Someone registered the agent's address before the agent arrived, and never proved it.
    squatter = user_create(email="nouvel.agent@pessac.example.fr", password="S0cle-squat-2026!")
    assert squatter.email_verified_at is None
    invitation_create(
        email="nouvel.agent@pessac.example.fr",
        kind=Role.Kind.AGENT,
        acting_user=demo_members.admin_pessac,
        membre=demo_members.pessac,
    )
    _agent_identity(fake_pc, "nouvel", "nouvel.agent@pessac.example.fr", "Noé", "Vel")

    login_through(client, "nouvel", "proconnect")

    agent = logged_in_user(client)
    assert agent.pk == squatter.pk
    assert agent.email_verified_at is not None
    assert not agent.has_usable_password()
    # The squatter's password opens nothing any more.
    assert not Client().login(email="nouvel.agent@pessac.example.fr", password="S0cle-squat-2026!")
