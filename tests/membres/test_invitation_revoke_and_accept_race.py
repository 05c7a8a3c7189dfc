"""An invitation revoked after it was read cannot be accepted; one accepted cannot be
« revoked » as if that ended the role."""

import pytest
from django.core.exceptions import ValidationError

from socle.membres.models import Invitation, Role
from socle.membres.services import invitation_accept, invitation_create, invitation_revoke

pytestmark = pytest.mark.django_db


def _invite(demo_members):
    return invitation_create(
        acting_user=demo_members.admin_pessac,
        email="ines.ecole@pessac.example.fr",
        kind=Role.Kind.AGENT,
        membre=demo_members.pessac,
    )


def test_it_refuses_an_acceptance_once_revoked(demo_members, monkeypatch):
    invitation, token = _invite(demo_members)
    # The acceptance read the invitation while it was pending; the revocation commits first.
    from socle.membres import services

    read = services.invitation_for_token(token)
    invitation_revoke(acting_user=demo_members.admin_pessac, invitation=invitation)
    monkeypatch.setattr(services, "invitation_for_token", lambda _token: read)
    with pytest.raises(ValidationError):
        invitation_accept(
            token=token, password="Un-mot-de-passe-solide-2026", first_name="I", last_name="E"
        )
    assert not Role.objects.filter(user__email="ines.ecole@pessac.example.fr").exists()


def test_it_does_not_revoke_an_accepted_invitation(demo_members):
    invitation, token = _invite(demo_members)
    stale = Invitation.objects.get(pk=invitation.pk)
    invitation_accept(
        token=token, password="Un-mot-de-passe-solide-2026", first_name="I", last_name="E"
    )
    with pytest.raises(ValidationError):
        invitation_revoke(acting_user=demo_members.admin_pessac, invitation=stale)
    stale.refresh_from_db()
    assert stale.revoked_at is None
