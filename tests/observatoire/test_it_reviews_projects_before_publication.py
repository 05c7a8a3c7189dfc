"""A project drafted by a member's staff is public only once the structure has reviewed it, and
a later change of what its page says waits for the same review."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from socle.observatoire.models import Projet, Revision
from socle.observatoire.selectors import projets_publies
from socle.observatoire.services import (
    projet_create,
    projet_publish,
    projet_send_back,
    projet_submit,
    projet_update,
    revision_review,
)


def test_it_keeps_a_draft_off_the_public_pages(projet_pessac):
    assert projet_pessac.etat == Projet.Etat.BROUILLON
    assert not projets_publies().filter(pk=projet_pessac.pk).exists()
    assert projet_pessac.porteur.nom == "Pessac"
    assert projet_pessac.departement_code == "33"


def test_it_publishes_once_the_structure_accepts(projet_publie):
    assert projets_publies().filter(pk=projet_publie.pk).exists()
    actions = list(projet_publie.revisions.values_list("action", flat=True))
    assert actions[:2] == ["publication", "soumission"]


def test_it_refuses_publication_by_a_member(projet_pessac, agent_pessac, admin_pessac):
    projet_submit(acting_user=agent_pessac, projet=projet_pessac)
    with pytest.raises(PermissionDenied):
        projet_publish(acting_user=admin_pessac, projet=projet_pessac)


def test_it_refuses_edits_from_another_member(projet_pessac, agent_bordeaux):
    with pytest.raises(PermissionDenied):
        projet_update(acting_user=agent_bordeaux, projet=projet_pessac, titre="Piraté")


def test_it_asks_for_what_is_missing_before_submission(demo_members, agent_pessac):
    projet = projet_create(acting_user=agent_pessac, membre=demo_members.pessac, titre="Idée")
    with pytest.raises(ValidationError) as error:
        projet_submit(acting_user=agent_pessac, projet=projet)
    assert "résumé" in error.value.messages[0] and "thème" in error.value.messages[0]


def test_it_sends_back_with_a_reason(projet_pessac, agent_pessac, operateur):
    projet_submit(acting_user=agent_pessac, projet=projet_pessac)
    with pytest.raises(ValidationError):
        projet_send_back(acting_user=operateur, projet=projet_pessac, commentaire=" ")
    projet_send_back(acting_user=operateur, projet=projet_pessac, commentaire="Ajoutez le budget.")
    projet_pessac.refresh_from_db()
    assert projet_pessac.etat == Projet.Etat.A_CORRIGER
    assert projet_pessac.commentaire_relecture == "Ajoutez le budget."


def test_it_holds_a_published_pages_new_text_for_review(projet_publie, agent_pessac, operateur):
    revision = projet_update(
        acting_user=agent_pessac, projet=projet_publie, resume="Nouveau résumé", avancement=60
    )
    projet_publie.refresh_from_db()
    assert revision.etat == Revision.Etat.EN_ATTENTE
    assert projet_publie.resume != "Nouveau résumé"
    assert projet_publie.avancement == 60  # a progress fact applies at once
    revision_review(acting_user=operateur, revision=revision, accept=True)
    projet_publie.refresh_from_db()
    assert projet_publie.resume == "Nouveau résumé"


def test_it_checks_every_field_in_one_round(projet_pessac, agent_pessac):
    with pytest.raises(ValidationError) as error:
        projet_update(
            acting_user=agent_pessac,
            projet=projet_pessac,
            titre="",
            themes=["inconnu"],
            avancement=140,
            date_debut="2026-05-01",
            date_fin="2025-01-01",
            budget_investissement="beaucoup",
        )
    assert set(error.value.message_dict) == {
        "titre",
        "themes",
        "avancement",
        "date_fin",
        "budget_investissement",
    }
