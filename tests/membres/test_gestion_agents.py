"""An administrator invites agents by email and ends roles."""

import pytest
from django.test import Client

from socle.comptes.models import User
from socle.membres.models import Invitation, Role
from tests.helpers.a11y import assert_accessible
from tests.helpers.pages import invitation_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, demo_members):
    client.force_login(demo_members.admin_pessac)
    return client


def test_it_lists_agents_and_their_services(admin, demo_members):
    response = admin.get("/gestion/pessac/")
    html = response.content.decode()
    assert demo_members.agent_pessac.email in html
    assert "Propreté et espaces verts" in html
    assert "Inviter un agent" in html
    assert_accessible(response)


def test_it_invites_an_agent_of_a_service_by_email(
    admin, demo_members, smtp_server, django_capture_on_commit_callbacks
):
    service = demo_members.pessac.services.get(nom="Éclairage public")
    page = admin.get("/gestion/pessac/agents/inviter/")
    assert page.status_code == 200
    assert_accessible(page)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            "/gestion/pessac/agents/inviter/",
            {"email": "Lea.Lumiere@Pessac.example.fr", "kind": "agent", "service": service.pk},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="lea.lumiere@pessac.example.fr")
    assert invitation.kind == Role.Kind.AGENT
    assert invitation.service == service
    assert invitation.invited_by == demo_members.admin_pessac

    [message] = smtp_server.wait_for(1)
    assert message["To"] == "lea.lumiere@pessac.example.fr"
    assert "Service : Éclairage public." in message.get_content()
    path = invitation_path(message)
    page = Client().get(path)
    assert "Éclairage public" in page.content.decode()


def test_it_revokes_a_pending_invitation(admin, demo_members):
    admin.post("/gestion/pessac/agents/inviter/", {"email": "x@pessac.example.fr", "kind": "elu"})
    invitation = Invitation.objects.get(email="x@pessac.example.fr")
    response = admin.post(f"/gestion/pessac/invitations/{invitation.pk}/annuler/")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    html = admin.get("/gestion/pessac/").content.decode()
    assert "L’invitation envoyée à x@pessac.example.fr est annulée." in html
    assert "Invitations en attente" not in html


def test_it_ends_a_role_after_confirmation(admin, demo_members):
    role = Role.objects.get(user=demo_members.agent_pessac, membre=demo_members.pessac)
    page = admin.get(f"/gestion/pessac/roles/{role.pk}/retirer/")
    assert page.status_code == 200
    assert "Retirer ce rôle ?" in page.content.decode()
    assert_accessible(page)

    response = admin.post(f"/gestion/pessac/roles/{role.pk}/retirer/")
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.ended_at is not None
    assert User.objects.filter(pk=demo_members.agent_pessac.pk).exists()

    # The former agent no longer opens the back office.
    former = Client()
    former.force_login(demo_members.agent_pessac)
    assert former.get("/gestion/pessac/").status_code == 403
