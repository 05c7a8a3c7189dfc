"""Deleting a service ends its agents' roles, journaled, and keeps them for history."""

from socle.comptes.models import SecurityEvent
from socle.membres.models import Role
from socle.membres.services import service_delete


def test_it_ends_the_roles_of_a_deleted_service_and_keeps_them(demo_members, operateur):
    agent = demo_members.agent_pessac
    service = demo_members.pessac.services.get(nom="Propreté et espaces verts")

    service_delete(acting_user=operateur, service=service)

    role = Role.objects.get(user=agent, kind=Role.Kind.AGENT)
    assert role.ended_at is not None
    assert role.service is None
    assert role.membre == demo_members.pessac
    assert SecurityEvent.objects.filter(
        user=agent, actor=operateur, kind=SecurityEvent.Kind.ROLE_ENDED
    ).exists()
