"""A change that touches other members is applied once each of them agreed."""

import pytest

from socle.core.models import OutboxMessage
from socle.membres.models import AuditEvent
from socle.routage import routing
from socle.routage.models import CompetenceChangeRequest
from socle.territoires.models import Competence, CompetenceOverride, CompetenceTransfer
from tests.helpers.competences import propose

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_router")]

PESSAC = (44.8067, -0.6311)
BORDEAUX = (44.8378, -0.5792)


def _decide(client, slug, change, decision, motif=""):
    return client.post(
        f"/gestion/{slug}/competences/demandes/{change.pk}/",
        {"decision": decision, "motif": motif},
    )


def _actions(membre):
    return sorted(AuditEvent.objects.filter(membre=membre).values_list("action", flat=True))


def test_it_applies_an_epci_transfer_once_every_commune_agreed(
    client, demo_members, admin_metropole, admin_bordeaux
):
    dechets = Competence.objects.get(code="dechets")
    AuditEvent.objects.all().delete()
    client.force_login(admin_metropole)
    propose(client, "bordeaux-metropole", {"competence": dechets.pk, "state": "non"})
    change = CompetenceChangeRequest.objects.get()
    assert change.status == "pending" and change.requested_by == admin_metropole
    assert {m.slug for m in change.affected_members.all()} == {"bordeaux", "pessac"}
    asked = OutboxMessage.objects.get()
    assert {admin_bordeaux.email, demo_members.admin_pessac.email, admin_metropole.email} <= set(
        asked.payload["to"]
    )
    assert "Déchets ménagers" in asked.payload["subject"]

    # Pessac sees the request with its effect, and agrees: one more to go.
    client.force_login(demo_members.admin_pessac)
    page = client.get("/gestion/pessac/competences/").content.decode()
    assert "Changements en attente d’accord" in page
    assert "Pessac n’a aucun service pour cette compétence" in page
    assert _decide(client, "pessac", change, "approuver").status_code == 302
    assert not CompetenceTransfer.objects.exists()
    assert routing.route(*PESSAC, "dechets").holder.nom == "Bordeaux Métropole"

    client.force_login(admin_bordeaux)
    assert _decide(client, "bordeaux", change, "approuver").status_code == 302
    change.refresh_from_db()
    assert change.status == "applied" and change.decided_by == admin_bordeaux
    assert CompetenceTransfer.objects.get(competence=dechets).transferred is False
    assert routing.route(*PESSAC, "dechets").holder.code == "33318"
    assert routing.route(*BORDEAUX, "dechets").holder.code == "33063"

    assert _actions(demo_members.metropole) == [
        "competence.change_requested",
        "competence.transfer",
    ]
    for membre in (demo_members.pessac, demo_members.bordeaux):
        assert _actions(membre) == [
            "competence.change_applied",
            "competence.change_approved",
            "competence.change_requested",
        ]
    assert OutboxMessage.objects.filter(
        payload__subject__startswith="Changement de compétence appliqué"
    ).exists()


def test_it_applies_a_commune_taking_voirie_back_once_the_metropole_agreed(
    client, demo_members, admin_metropole
):
    voirie = Competence.objects.get(code="voirie")
    pessac = demo_members.pessac.collectivite
    client.force_login(demo_members.admin_pessac)
    propose(client, "pessac", {"competence": voirie.pk, "holder": pessac.pk})
    change = CompetenceChangeRequest.objects.get()
    # Pessac cannot agree in the métropole's stead.
    assert _decide(client, "pessac", change, "approuver").status_code == 403

    client.force_login(admin_metropole)
    page = client.get("/gestion/bordeaux-metropole/competences/").content.decode()
    assert "Direction de la voirie, Pôle territorial Sud — voirie perd" in page
    assert _decide(client, "bordeaux-metropole", change, "approuver").status_code == 302
    assert CompetenceOverride.objects.get(commune=pessac, competence=voirie).holder == pessac
    assert routing.route(*PESSAC, "voirie").holder.code == "33318"
