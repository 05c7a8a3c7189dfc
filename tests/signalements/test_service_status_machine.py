"""Agents move a report through its statuses: the first response is dated once, closing dates
it, reopening clears it, a rejection needs its reason; only the report's service acts on it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from socle.membres.models import Role
from socle.signalements.models import Evenement, Signalement
from socle.signalements.selectors import signalements_for_user
from socle.signalements.services import (
    signalement_acknowledge,
    signalement_create,
    signalement_merge,
    signalement_reply,
    signalement_status_set,
)
from tests.helpers.personas import persona
from tests.signalements.conftest import PESSAC

S = Signalement.Statut


@pytest.fixture
def report(demo_members, citizen):
    return signalement_create(
        categorie_code="nid-de-poule",
        description="Un trou dans la chaussée.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=citizen,
    )


def _set(agent, report, statut, texte=""):
    return signalement_status_set(acting_user=agent, signalement=report, statut=statut, texte=texte)


def test_it_dates_the_first_response_once(report, agent_voirie_sud):
    assert report.premiere_reponse_le is None
    first = signalement_acknowledge(acting_user=agent_voirie_sud, signalement=report)
    assert first.statut == S.PRIS_EN_COMPTE
    answered_at = first.premiere_reponse_le
    assert answered_at is not None
    signalement_reply(acting_user=agent_voirie_sud, signalement=report, texte="On s’en occupe.")
    later = _set(agent_voirie_sud, report, S.PROGRAMME)
    assert later.premiere_reponse_le == answered_at


def test_it_dates_the_resolution_and_the_closure(report, agent_voirie_sud):
    resolved = _set(agent_voirie_sud, report, S.RESOLU, "Rebouché.")
    assert resolved.resolu_le is not None and resolved.clos_le is not None
    assert not resolved.ouvert
    event = resolved.evenements.get(kind=Evenement.Kind.STATUT)
    assert event.public and event.texte == "Rebouché." and event.statut == S.RESOLU


def test_it_clears_the_closure_when_reopened(report, agent_voirie_sud):
    _set(agent_voirie_sud, report, S.RESOLU)
    reopened = _set(agent_voirie_sud, report, S.EN_COURS)
    assert reopened.resolu_le is None and reopened.clos_le is None and reopened.ouvert


def test_it_forgets_the_resolution_when_a_resolved_report_is_rejected(report, agent_voirie_sud):
    _set(agent_voirie_sud, report, S.RESOLU)
    rejected = _set(agent_voirie_sud, report, S.REJETE, "Domaine privé.")
    assert rejected.clos_le is not None
    assert rejected.resolu_le is None


def test_it_forgets_the_original_when_a_duplicate_is_reopened(report, agent_voirie_sud, citizen):
    other = signalement_create(
        categorie_code="nid-de-poule",
        description="Le même trou.",
        lat=PESSAC[0],
        lon=PESSAC[1],
        auteur=citizen,
    )
    signalement_merge(acting_user=agent_voirie_sud, signalement=other, original=report)
    reopened = _set(agent_voirie_sud, other, S.NOUVEAU)
    assert reopened.doublon_de is None and reopened.clos_le is None


def test_it_refuses_a_rejection_without_a_reason_and_an_unknown_status(report, agent_voirie_sud):
    with pytest.raises(ValidationError) as caught:
        _set(agent_voirie_sud, report, S.REJETE, "   ")
    assert "texte" in caught.value.message_dict
    with pytest.raises(ValidationError):
        _set(agent_voirie_sud, report, S.DOUBLON)
    with pytest.raises(ValidationError):
        _set(agent_voirie_sud, report, "archive")
    report.refresh_from_db()
    assert report.statut == S.NOUVEAU and report.premiere_reponse_le is None


def test_it_refuses_an_agent_of_another_service_of_the_same_member(report, agent_voirie_nord):
    with pytest.raises(PermissionDenied):
        _set(agent_voirie_nord, report, S.EN_COURS)
    with pytest.raises(PermissionDenied):
        signalement_reply(acting_user=agent_voirie_nord, signalement=report, texte="Bonjour")


def test_it_refuses_an_agent_of_another_member(report, agent_pessac, agent_bordeaux):
    for agent in (agent_pessac, agent_bordeaux):
        with pytest.raises(PermissionDenied):
            _set(agent, report, S.EN_COURS)


def test_it_lets_an_elu_see_but_not_act(report, demo_members):
    elu = persona(
        "eliane.elue@bordeaux-metropole.example.fr",
        kind=Role.Kind.ELU,
        membre=demo_members.metropole,
    )
    assert report in signalements_for_user(user=elu, membre=demo_members.metropole)
    with pytest.raises(PermissionDenied):
        _set(elu, report, S.EN_COURS)
    report.refresh_from_db()
    assert report.statut == S.NOUVEAU
