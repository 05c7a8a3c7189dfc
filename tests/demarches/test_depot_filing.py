"""Filing a draft: every page validated again, routed, dated, receipted and told, once."""

import pytest
from django.core.exceptions import ValidationError

from socle.citoyen.models import Adresse
from socle.core.models import OutboxMessage
from socle.demarches import depot
from socle.demarches.models import DEPOSE, Document, Dossier, Envoi, Evenement
from tests.conftest import run_tasks
from tests.helpers.concurrency import at_once

SCHEMA = {
    "pages": [
        {
            "titre": "Vous",
            "champs": [
                {"cle": "nom", "type": "texte", "libelle": "Nom", "obligatoire": True},
                {"cle": "naissance", "type": "date", "libelle": "Naissance", "max": "2030-01-01"},
            ],
        },
        {
            "titre": "Adresse",
            "champs": [{"cle": "adresse", "type": "adresse", "libelle": "Adresse"}],
        },
    ]
}
PESSAC = {
    "label": "1 Avenue Jean Jaurès, 33600 Pessac",
    "voie": "1 Avenue Jean Jaurès",
    "complement": "",
    "code_postal": "33600",
    "commune": "Pessac",
    "commune_code": "33318",
    "lat": 44.8072,
    "lon": -0.6295,
}


@pytest.fixture
def draft(demo_members, demarche_factory, citizen):
    demarche = demarche_factory(demo_members.pessac, SCHEMA, competence="etat-civil")
    dossier = depot.dossier_start(usager=citizen, demarche=demarche)
    dossier.donnees = {"nom": "Martin", "adresse": PESSAC}
    dossier.save(update_fields=["donnees"])
    return dossier


def test_it_files_once_with_its_receipt_mail_and_history(draft, citizen):
    jeton = depot.token_new()
    filed = depot.dossier_file(usager=citizen, reference=draft.reference, jeton=jeton)
    assert filed.statut == DEPOSE and filed.depose_le is not None and filed.jeton_depot == jeton
    assert filed.membre.slug == "pessac" and filed.service.nom == "État civil"
    # The receipt, the mails and the webhooks are the worker's, queued with the filing.
    assert not Document.objects.filter(dossier=filed).exists()
    assert run_tasks() >= 1
    filed.refresh_from_db()
    assert filed.depot_traite_le is not None
    assert Document.objects.filter(dossier=filed, kind="recepisse").count() == 1
    envoi = Envoi.objects.get(dossier=filed, destinataire=Envoi.Destinataire.USAGER)
    assert envoi.objet == f"Votre dossier {filed.reference} est déposé"
    assert OutboxMessage.objects.filter(pk=envoi.message_id).exists()
    assert Evenement.objects.get(dossier=filed, kind=Evenement.Kind.DEPOSE).visible_usager
    # The same token again, or another one (a second tab): the same dossier, nothing more.
    again = depot.dossier_file(usager=citizen, reference=draft.reference, jeton=jeton)
    other = depot.dossier_file(usager=citizen, reference=draft.reference, jeton=depot.token_new())
    assert again.pk == other.pk == filed.pk
    run_tasks()
    assert Document.objects.filter(dossier=filed).count() == 1
    # One mail to the citizen, one to the service's address.
    assert Envoi.objects.filter(dossier=filed).count() == 2
    assert Evenement.objects.filter(dossier=filed, kind=Evenement.Kind.DEPOSE).count() == 1


def test_it_refuses_a_draft_whose_saved_answers_are_no_longer_valid(draft, citizen):
    draft.donnees = {"adresse": PESSAC, "naissance": "2031-05-01", "_brouillon": {"nom": ""}}
    draft.save(update_fields=["donnees"])
    with pytest.raises(ValidationError) as raised:
        depot.dossier_file(usager=citizen, reference=draft.reference, jeton=depot.token_new())
    assert raised.value.message_dict == {
        "nom": ["Ce champ est obligatoire."],
        "naissance": ["La date doit être le 01/01/2030 ou avant."],
    }
    draft.refresh_from_db()
    assert draft.statut == "brouillon" and draft.depose_le is None
    # What was typed but did not validate is validated again too.
    draft.donnees = {"nom": "Martin", "_brouillon": {"naissance": "31/02/2020"}}
    draft.save(update_fields=["donnees"])
    with pytest.raises(ValidationError) as raised:
        depot.dossier_file(usager=citizen, reference=draft.reference, jeton=depot.token_new())
    assert list(raised.value.message_dict) == ["naissance"]


def test_it_routes_an_intercommunal_competence_to_the_epci_member(
    demo_members, demarche_factory, citizen
):
    metropole = demo_members.metropole
    demarche = demarche_factory(demo_members.pessac, SCHEMA, competence="eau-potable")
    dossier = depot.dossier_start(usager=citizen, demarche=demarche)
    dossier.donnees = {"nom": "Martin", "adresse": PESSAC}
    dossier.save(update_fields=["donnees"])
    # The metropole has not switched the module on: Pessac instructs it.
    metropole.modules = [code for code in metropole.modules if code != "demarches"]
    metropole.save(update_fields=["modules"])
    filed = depot.dossier_file(usager=citizen, reference=dossier.reference, jeton=depot.token_new())
    assert filed.membre == demo_members.pessac
    metropole.modules = [*metropole.modules, "demarches"]
    metropole.save(update_fields=["modules"])
    second = depot.dossier_start(usager=citizen, demarche=demarche)
    second.donnees = {"nom": "Martin"}
    second.save(update_fields=["donnees"])
    # No address in the form: the citizen's home, known by its commune only.
    Adresse.objects.create(
        usager=citizen,
        voie="1 Avenue Jean Jaurès",
        code_postal="33600",
        commune_nom="Pessac",
        commune_code="33318",
        principale=True,
    )
    filed = depot.dossier_file(usager=citizen, reference=second.reference, jeton=depot.token_new())
    assert filed.membre == metropole
    assert filed.service.nom == "Direction de l'eau"


def test_it_acts_only_on_the_citizens_own_dossier(draft, other_citizen):
    from django.http import Http404

    with pytest.raises(Http404):
        depot.dossier_file(usager=other_citizen, reference=draft.reference, jeton=depot.token_new())
    with pytest.raises(Http404):
        depot.dossier_draft_save(usager=other_citizen, dossier=draft, page=0, data={})


@pytest.mark.django_db(transaction=True)
def test_it_files_one_dossier_for_two_concurrent_clicks(gironde_transactional, demarche_factory):
    # PostgreSQL: the row lock; SQLite: transactions begin IMMEDIATE, so they run one by one.
    from socle.demo.setup import setup_members
    from tests.helpers.personas import persona

    pessac = setup_members().members["pessac"]
    citizen = persona("claude.concurrent@example.fr")
    demarche = demarche_factory(pessac, SCHEMA)
    dossier = depot.dossier_start(usager=citizen, demarche=demarche)
    Dossier.objects.filter(pk=dossier.pk).update(donnees={"nom": "Martin", "adresse": PESSAC})
    jeton = depot.token_new()
    results, failures = at_once(
        *[lambda: depot.dossier_file(usager=citizen, reference=dossier.reference, jeton=jeton).pk]
        * 2
    )
    assert failures == [] and results == [dossier.pk, dossier.pk]
    assert Evenement.objects.filter(dossier=dossier, kind=Evenement.Kind.DEPOSE).count() == 1
    run_tasks()
    assert Envoi.objects.filter(dossier=dossier).count() == 2
