"""An opérateur applies a change that touches other members without waiting for them."""

import pytest

from socle.membres.models import AuditEvent
from socle.routage import routing
from socle.routage.models import CompetenceChangeRequest
from socle.territoires.models import Competence, CompetenceTransfer
from tests.helpers.competences import preview, propose

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_router")]

PESSAC = (44.8067, -0.6311)


def test_it_applies_an_operateurs_change_after_confirmation(client, demo_members, operateur):
    dechets = Competence.objects.get(code="dechets")
    client.force_login(operateur)
    data = {"competence": dechets.pk, "state": "non"}
    assert (
        "vous l’appliquez sans attendre leur accord"
        in preview(client, "bordeaux-metropole", data).content.decode()
    )
    assert not CompetenceTransfer.objects.exists()
    assert propose(client, "bordeaux-metropole", data).status_code == 302
    assert not CompetenceChangeRequest.objects.exists()
    assert CompetenceTransfer.objects.get(competence=dechets).transferred is False
    assert routing.route(*PESSAC, "dechets").holder.code == "33318"
    assert AuditEvent.objects.filter(
        membre=demo_members.pessac, action="competence.change_applied", actor=operateur
    ).exists()


def test_it_lets_an_operateur_decide_a_pending_request_alone(
    client, demo_members, admin_metropole, operateur
):
    dechets = Competence.objects.get(code="dechets")
    client.force_login(admin_metropole)
    propose(client, "bordeaux-metropole", {"competence": dechets.pk, "state": "non"})
    change = CompetenceChangeRequest.objects.get()

    client.force_login(operateur)
    response = client.post(
        f"/gestion/bordeaux-metropole/competences/demandes/{change.pk}/",
        {"decision": "approuver"},
    )
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == "applied" and change.decided_by == operateur
    assert routing.route(*PESSAC, "dechets").holder.code == "33318"
