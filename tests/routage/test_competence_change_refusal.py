"""A member refuses a change that would touch it: nothing changes, and everyone is told."""

import pytest

from socle.core.models import OutboxMessage
from socle.membres.models import AuditEvent
from socle.routage import routing
from socle.routage.models import CompetenceChangeRequest
from socle.territoires.models import Competence, CompetenceOverride
from tests.helpers.competences import propose

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_router")]

PESSAC = (44.8067, -0.6311)


def test_it_leaves_routing_unchanged_when_the_metropole_refuses(
    client, demo_members, admin_metropole
):
    voirie = Competence.objects.get(code="voirie")
    client.force_login(demo_members.admin_pessac)
    propose(
        client, "pessac", {"competence": voirie.pk, "holder": demo_members.pessac.collectivite.pk}
    )
    change = CompetenceChangeRequest.objects.get()

    client.force_login(admin_metropole)
    response = client.post(
        f"/gestion/bordeaux-metropole/competences/demandes/{change.pk}/",
        {"decision": "refuser", "motif": "Le pôle Sud garde la voirie."},
    )
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == "refused" and change.decided_by == admin_metropole
    assert change.reason == "Le pôle Sud garde la voirie."
    assert not CompetenceOverride.objects.exists()
    assert routing.route(*PESSAC, "voirie").holder.nom == "Bordeaux Métropole"
    for membre in (demo_members.pessac, demo_members.metropole):
        assert AuditEvent.objects.filter(membre=membre, action="competence.change_refused").exists()
    refused = OutboxMessage.objects.get(
        payload__subject__startswith="Changement de compétence refusé"
    )
    assert demo_members.admin_pessac.email in refused.payload["to"]
    assert "Le pôle Sud garde la voirie." in refused.payload["body"]
    # Decided: no longer listed, and a second decision is refused.
    assert (
        "Changements en attente"
        not in client.get("/gestion/bordeaux-metropole/competences/").content.decode()
    )
