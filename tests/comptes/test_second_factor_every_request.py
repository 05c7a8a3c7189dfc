"""A session without the second factor loses its rights once the user's roles require one."""

from socle.comptes.models import SecurityEvent
from socle.comptes.security import SECOND_FACTOR_AT
from socle.membres.models import Role
from socle.membres.services import role_grant


def _without_second_factor(client, user):
    client.force_login(user)
    session = client.session
    session.pop(SECOND_FACTOR_AT, None)
    session.save()


def test_it_logs_out_an_older_session_when_a_privileged_role_is_granted(
    client, demo_members, citizen
):
    # The citizen's phone stays logged in while, elsewhere, he becomes an administrator.
    _without_second_factor(client, citizen)
    assert client.get("/comptes/espace/").status_code == 200
    role_grant(
        acting_user=None, user=citizen, kind=Role.Kind.ADMINISTRATEUR, membre=demo_members.pessac
    )

    response = client.get("/gestion/pessac/")
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/connexion/")
    assert "_auth_user_id" not in client.session
    assert (
        client.post(
            "/gestion/pessac/agents/inviter/", {"email": "x@example.fr", "kind": "administrateur"}
        ).status_code
        == 302
    )
    assert SecurityEvent.objects.filter(
        user=citizen, kind=SecurityEvent.Kind.LOGOUT, details__second_factor_missing=True
    ).exists()


def test_it_lets_agents_without_a_privileged_role_work_without_a_second_factor(
    client, demo_members
):
    _without_second_factor(client, demo_members.agent_pessac)
    assert client.get("/gestion/pessac/").status_code == 200


def test_it_keeps_a_session_that_passed_the_second_factor(client, demo_members):
    client.force_login(demo_members.admin_pessac)
    assert client.session.get(SECOND_FACTOR_AT)
    assert client.get("/gestion/pessac/").status_code == 200
