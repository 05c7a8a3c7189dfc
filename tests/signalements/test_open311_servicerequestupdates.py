"""mySociety's servicerequestupdates: the public updates of public reports (status changes,
public replies, re-routing), oldest first, in a date window and a jurisdiction; never a note."""

from datetime import timedelta

from django.utils import timezone

from socle.signalements.models import Evenement
from socle.signalements.services import (
    signalement_note,
    signalement_reply,
    signalement_reroute,
    signalement_status_set,
)
from tests.helpers.open311 import both, errors, get, report
from tests.signalements.conftest import PESSAC


def test_it_gives_the_public_updates_oldest_first(client, demo_members, citizen, agent_voirie_sud):
    filed = report(PESSAC, auteur=citizen)
    signalement_status_set(acting_user=agent_voirie_sud, signalement=filed, statut="programme")
    signalement_reply(acting_user=agent_voirie_sud, signalement=filed, texte="Intervention lundi.")
    signalement_note(acting_user=agent_voirie_sud, signalement=filed, texte="Note secrète")
    signalement_status_set(
        acting_user=agent_voirie_sud, signalement=filed, statut="resolu", texte="Rebouché."
    )
    updates, root = both(client, "servicerequestupdates")
    assert root == "service_requests_updates"
    assert [(u["status"], u["description"]) for u in updates] == [
        ("action_scheduled", "Statut : Programmé"),
        ("action_scheduled", "Intervention lundi."),
        ("fixed", "Rebouché."),
    ]
    events = Evenement.objects.filter(public=True, signalement=filed).order_by("cree_le", "pk")
    assert [u["update_id"] for u in updates] == [str(e.pk) for e in events]
    assert {u["service_request_id"] for u in updates} == {filed.reference}
    assert all(u["media_url"] is None for u in updates)
    assert all("+" in u["updated_datetime"][19:] for u in updates)


def test_it_gives_a_rerouting_and_narrows_to_a_jurisdiction(
    client, demo_members, citizen, agent_voirie_sud
):
    filed = report(PESSAC, auteur=citizen)
    signalement_reroute(
        acting_user=agent_voirie_sud,
        signalement=filed,
        service=demo_members.metropole.services.get(nom="Direction de l'eau"),
        motif="Fuite",
    )
    [update], _root = both(client, "servicerequestupdates", jurisdiction_id="243300316")
    assert update["status"] == "open"
    assert update["description"] == "Transmis à Bordeaux Métropole — Direction de l'eau."
    assert both(client, "servicerequestupdates", jurisdiction_id="33318")[0] == []


def test_it_keeps_to_its_date_window(client, demo_members, citizen, agent_voirie_sud):
    filed = report(PESSAC, auteur=citizen)
    signalement_reply(acting_user=agent_voirie_sud, signalement=filed, texte="Vu.")
    later = (timezone.now() + timedelta(minutes=5)).isoformat()
    assert both(client, "servicerequestupdates", start_date=later)[0] == []
    earlier = (timezone.now() - timedelta(minutes=5)).isoformat()
    assert len(both(client, "servicerequestupdates", start_date=earlier)[0]) == 1
    response, _data = get(client, "servicerequestupdates", "xml", start_date="demain")
    assert response.status_code == 400 and errors(response)[0]["code"] == 400
