"""Two pending changes of a published page: accepting the older after the newer would undo the
newer one; it is refused with a French explanation, and each author hears the decision."""

import pytest
from django.core.exceptions import ValidationError

from socle.core.models import OutboxMessage
from socle.observatoire.models import Revision
from socle.observatoire.services import projet_update, revision_review


def test_it_refuses_to_apply_a_change_made_stale_by_another(projet_publie, agent_pessac, operateur):
    first = projet_update(acting_user=agent_pessac, projet=projet_publie, resume="Premier résumé")
    second = projet_update(acting_user=agent_pessac, projet=projet_publie, resume="Second résumé")
    revision_review(acting_user=operateur, revision=second, accept=True)
    with pytest.raises(ValidationError) as error:
        revision_review(acting_user=operateur, revision=first, accept=True)
    assert "a changé depuis" in error.value.messages[0]
    projet_publie.refresh_from_db()
    assert projet_publie.resume == "Second résumé"
    first.refresh_from_db()
    assert first.etat == Revision.Etat.EN_ATTENTE  # still to refuse, nothing half-applied


def test_it_tells_the_author_the_decision(projet_publie, agent_pessac, operateur):
    revision = projet_update(acting_user=agent_pessac, projet=projet_publie, resume="Autre")
    revision_review(acting_user=operateur, revision=revision, accept=False, commentaire="Non.")
    sent = [m.payload for m in OutboxMessage.objects.all()]
    assert any(
        p["to"] == [agent_pessac.email] and "refusée" in p["subject"] and "Non." in p["body"]
        for p in sent
    )


def test_it_reads_amounts_written_the_french_way(projet_pessac, agent_pessac):
    projet_update(
        acting_user=agent_pessac,
        projet=projet_pessac,
        budget_investissement="12\u202f500,50\u00a0€",
    )
    projet_pessac.refresh_from_db()
    assert str(projet_pessac.budget_investissement) == "12500.50"


def test_it_takes_the_same_themes_in_another_order_as_no_change(projet_pessac, agent_pessac):
    projet_update(
        acting_user=agent_pessac,
        projet=projet_pessac,
        themes=["inclusion", "services-usagers"],
        description="Ligne un\nLigne deux",
    )
    projet_pessac.refresh_from_db()
    again = projet_update(
        acting_user=agent_pessac,
        projet=projet_pessac,
        themes=["services-usagers", "inclusion"],
        description="Ligne un\r\nLigne deux",
    )
    assert again is None
