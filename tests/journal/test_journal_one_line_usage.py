"""How a later module (reports, procedures, documents) journals an access: one line.

A view that shows a report's author to an agent calls `journal_record` next to the read, with
what was read, from which screen, and the case it belongs to. Nothing else is needed: the hash
chain, the lock and the IP address are the journal's business.
"""

import pytest
from django.test import RequestFactory

from socle.journal.selectors import citizen_accesses, get_journal_scope_for_user, journal_entries
from socle.journal.services import journal_record, journal_verify

pytestmark = pytest.mark.django_db


def test_it_records_an_access_in_one_line(agent_pessac, citizen, demo_members, dpo_pessac):
    request = RequestFactory().get("/gestion/pessac/signalements/42/")
    request.user = agent_pessac
    membre = demo_members.pessac

    # The one line a module writes where it shows the reporter's name and email to the agent:
    journal_record(
        agent=request.user,
        citizen=citizen,
        membre=membre,
        data="auteur du signalement",
        channel="back-office : signalements",
        purpose="signalement 2026-0042",
        request=request,
    )

    # The DPO of Pessac sees it, the citizen too, and the chain holds.
    scope = get_journal_scope_for_user(user=dpo_pessac, slug="pessac")
    assert [entry.purpose for entry in journal_entries(scope=scope)] == ["signalement 2026-0042"]
    assert [access.data for access in citizen_accesses(citizen=citizen)] == [
        "auteur du signalement"
    ]
    assert journal_verify().ok


def test_it_records_an_export_the_same_way(agent_pessac, citizen, demo_members):
    entry = journal_record(
        agent=agent_pessac,
        citizen=citizen,
        membre=demo_members.pessac,
        data="justificatif de domicile",
        channel="API REST : /api/v1/demarches/17/pieces/",
        purpose="démarche 2026-0017",
        action="export",
    )
    assert entry.get_action_display() == "Export"
