"""Who may instruct which dossier: the workflow's roles, the member, the agent's services."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from socle.demarches import selectors as sel
from socle.demarches.instruction import dossier_transition
from socle.demarches.models import ACCEPTE, BROUILLON, EN_INSTRUCTION, REFUSE


def test_it_lets_an_agent_of_the_service_accept(demo_members, dossier_factory):
    dossier = dossier_factory()
    done = dossier_transition(acting_user=demo_members.agent_pessac, dossier=dossier, vers=ACCEPTE)
    assert done.statut == ACCEPTE


def test_it_refuses_an_elu(demo_members, dossier_factory):
    dossier = dossier_factory()
    with pytest.raises(PermissionDenied):
        dossier_transition(acting_user=demo_members.elu_pessac, dossier=dossier, vers=ACCEPTE)


def test_it_refuses_an_agent_of_another_member(client, demo_members, dossier_factory):
    dossier = dossier_factory()
    with pytest.raises(PermissionDenied):
        dossier_transition(acting_user=demo_members.agent_bordeaux, dossier=dossier, vers=ACCEPTE)
    client.force_login(demo_members.agent_bordeaux)
    # Through Bordeaux's own back office, Pessac's dossier does not exist.
    response = client.get(f"/gestion/bordeaux/demarches/dossiers/{dossier.reference}/")
    assert response.status_code == 404
    response = client.get(f"/gestion/pessac/demarches/dossiers/{dossier.reference}/")
    assert response.status_code in (403, 404)


def test_it_hides_another_service_s_dossier_from_a_service_agent(demo_members, dossier_factory):
    mine = dossier_factory()
    other = dossier_factory(service="État civil")
    agent, admin = demo_members.agent_pessac, demo_members.admin_pessac
    pessac = demo_members.pessac
    assert list(sel.dossiers_queue(user=agent, membre=pessac, statut="")) == [mine]
    assert set(sel.dossiers_queue(user=admin, membre=pessac, statut="")) == {mine, other}
    with pytest.raises(Http404):
        sel.get_dossier_for_agent(user=agent, membre=pessac, reference=other.reference)
    with pytest.raises(PermissionDenied):
        dossier_transition(acting_user=agent, dossier=other, vers=EN_INSTRUCTION)


def test_it_never_shows_drafts(demo_members, dossier_factory):
    draft = dossier_factory(statut=BROUILLON)
    admin, pessac = demo_members.admin_pessac, demo_members.pessac
    assert not sel.dossiers_queue(user=admin, membre=pessac, statut="").exists()
    with pytest.raises(Http404):
        sel.get_dossier_for_agent(user=admin, membre=pessac, reference=draft.reference)
    with pytest.raises(PermissionDenied):
        dossier_transition(acting_user=admin, dossier=draft, vers=EN_INSTRUCTION)


def test_it_refuses_a_move_the_workflow_does_not_have(demo_members, dossier_factory):
    dossier = dossier_factory(statut=ACCEPTE)
    with pytest.raises(ValidationError) as raised:
        dossier_transition(acting_user=demo_members.agent_pessac, dossier=dossier, vers=REFUSE)
    assert "ne peut pas passer de « Accepté » à « Refusé »" in str(raised.value)


def test_it_refuses_a_refusal_without_motif_in_french(demo_members, dossier_factory):
    dossier = dossier_factory()
    with pytest.raises(ValidationError) as raised:
        dossier_transition(
            acting_user=demo_members.agent_pessac, dossier=dossier, vers=REFUSE, motif="  "
        )
    assert raised.value.message_dict == {
        "motif": ["Motivez cette décision : le motif est envoyé à l’usager."]
    }
    dossier.refresh_from_db()
    assert dossier.statut != REFUSE
