"""On a published page, a contributor's change of carrier, partners or software waits for the
structure like a change of its text; the carrier is never another member."""

import pytest
from django.core.exceptions import ValidationError

from socle.observatoire.models import Revision
from socle.observatoire.selectors_public import logiciels_publics
from socle.observatoire.services import (
    acteur_create,
    acteur_ensure_membre,
    contact_create,
    logiciel_ensure,
    projet_contact_add,
    projet_logiciels_set,
    projet_participations_set,
    projet_porteur_set,
    revision_review,
)


def test_it_holds_new_software_and_partners_until_reviewed(projet_publie, agent_pessac, operateur):
    casino = logiciel_ensure(acting_user=agent_pessac, nom="Casino en ligne")
    projet_logiciels_set(acting_user=agent_pessac, projet=projet_publie, logiciels=[casino])
    spam = acteur_create(acting_user=operateur, kind="entreprise", nom="Spam Corp")
    projet_participations_set(
        acting_user=agent_pessac, projet=projet_publie, participations=[(spam, "partenaire_prive")]
    )
    assert list(projet_publie.logiciels.values_list("nom", flat=True)) == ["Publik"]
    assert not projet_publie.participations.exists()
    assert not logiciels_publics().filter(nom="Casino en ligne").exists()
    pending = Revision.objects.filter(projet=projet_publie, etat=Revision.Etat.EN_ATTENTE)
    assert sorted(pending.values_list("action", flat=True)) == ["logiciels", "participations"]
    revision_review(acting_user=operateur, revision=pending.get(action="logiciels"), accept=True)
    assert list(projet_publie.logiciels.values_list("nom", flat=True)) == ["Casino en ligne"]


def test_it_refuses_another_member_as_carrier(projet_pessac, agent_pessac, demo_members):
    bordeaux = acteur_ensure_membre(membre=demo_members.bordeaux)
    with pytest.raises(ValidationError):
        projet_porteur_set(acting_user=agent_pessac, projet=projet_pessac, porteur=bordeaux)


def test_it_refuses_a_contact_of_another_member(
    projet_pessac, agent_pessac, agent_bordeaux, demo_members
):
    bordeaux = acteur_ensure_membre(membre=demo_members.bordeaux)
    contact = contact_create(
        acting_user=agent_bordeaux,
        acteur=bordeaux,
        nom=agent_bordeaux.get_full_name() or "B",
        email=agent_bordeaux.email,
        consent_now=True,
    )
    with pytest.raises(ValidationError):
        projet_contact_add(acting_user=agent_pessac, projet=projet_pessac, contact=contact)
