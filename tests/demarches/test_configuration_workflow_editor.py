"""The workflow editor: custom statuses and transitions, checked by workflow_check."""

import pytest
from django.core.exceptions import ValidationError

from socle.demarches import configuration as conf
from socle.demarches import workflow as wf
from socle.territoires.models import Competence


@pytest.fixture
def demarche(demo_members):
    return conf.demarche_create(
        acting_user=demo_members.admin_pessac,
        membre=demo_members.pessac,
        titre="Acte de naissance",
        competence=Competence.objects.get(code="etat-civil"),
    )


def _edit(demarche, user, operation, **arguments):
    return conf.workflow_edit(acting_user=user, cible=demarche, operation=operation, **arguments)


def test_it_adds_a_status_and_its_transitions(demarche, demo_members):
    admin = demo_members.admin_pessac
    workflow = _edit(demarche, admin, "statut_add", libelle="En attente de paiement")
    codes = [s["code"] for s in workflow["statuts"]]
    assert codes.index("en_attente_de_paiement") < codes.index("accepte")
    _edit(
        demarche,
        admin,
        "transition_set",
        de="en_instruction",
        vers="en_attente_de_paiement",
        roles=["agent", "administrateur"],
        libelle="Demander le paiement",
        motif="non",
        courriel_objet="Paiement attendu ({reference})",
        courriel_texte="Payez ici : {lien}",
        document="",
    )
    workflow = _edit(
        demarche,
        admin,
        "transition_set",
        de="en_attente_de_paiement",
        vers="accepte",
        roles=["agent"],
        libelle="Paiement reçu",
        motif="non",
        courriel_objet="",
        courriel_texte="",
        document="attestation",
    )
    move = wf.transition_find(workflow, "en_attente_de_paiement", "accepte")
    assert (move.roles, move.document, move.courriel_objet) == (("agent",), "attestation", "")
    _edit(demarche, admin, "statut_update", code="accepte", libelle="Acte envoyé", final=False)
    demarche.refresh_from_db()
    assert wf.status_label(demarche.workflow, "accepte") == "Acte envoyé"
    assert wf.is_final(demarche.workflow, "accepte")  # a base status stays final

    with pytest.raises(ValidationError, match="sert dans des transitions"):
        _edit(demarche, admin, "statut_delete", code="en_attente_de_paiement")
    with pytest.raises(ValidationError, match="ne peuvent pas être supprimés"):
        _edit(demarche, admin, "statut_delete", code="refuse")


def test_it_refuses_a_broken_transition_with_every_reason(demarche, demo_members):
    with pytest.raises(ValidationError) as caught:
        _edit(
            demarche,
            demo_members.admin_pessac,
            "transition_set",
            de="depose",
            vers="depose",
            roles=[],
            libelle="",
            courriel_objet="Objet",
            courriel_texte="",
        )
    assert set(caught.value.message_dict) == {"vers", "libelle", "courriel_texte"}
    with pytest.raises(ValidationError, match="ouverte aux agents"):
        _edit(
            demarche,
            demo_members.admin_pessac,
            "transition_set",
            de="depose",
            vers="accepte",
            roles=[],
            libelle="Accepter",
        )
