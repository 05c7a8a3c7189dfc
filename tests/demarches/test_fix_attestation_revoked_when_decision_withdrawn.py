"""A decision withdrawn revokes its attestation at once; a later acceptance issues a new one."""

import copy

import pytest

from socle.demarches import instruction
from socle.demarches.models import ACCEPTE, REFUSE, Document, Evenement

pytestmark = pytest.mark.django_db


def _with_reversals(dossier) -> None:
    workflow = copy.deepcopy(dossier.version.workflow)
    for de, vers, document in ((ACCEPTE, REFUSE, ""), (REFUSE, ACCEPTE, "attestation")):
        workflow["transitions"].append(
            {
                "de": de,
                "vers": vers,
                "roles": ["administrateur"],
                "libelle": "Revenir sur la décision",
                "motif": "facultatif",
                "courriel": {},
                "document": document,
            }
        )
    dossier.version.workflow = workflow
    dossier.version.save(update_fields=["workflow"])


def test_it_revokes_the_attestation_and_issues_a_new_one(
    client, documents_env, dossier, demo_members, run_tasks
):
    _with_reversals(dossier)
    admin = demo_members.admin_pessac
    instruction.dossier_transition(acting_user=admin, dossier=dossier, vers=ACCEPTE)
    run_tasks()
    first = Document.objects.get(dossier=dossier, kind=Document.Kind.ATTESTATION)
    assert first.sha256 and first.revoque_le is None

    instruction.dossier_transition(
        acting_user=admin, dossier=dossier, vers=REFUSE, motif="Pièce fausse"
    )
    first.refresh_from_db()
    assert first.revoque_le is not None
    event = dossier.evenements.get(kind=Evenement.Kind.DOCUMENT_REVOQUE)
    assert event.visible_usager and event.details["document"] == first.pk
    html = client.get(f"/verifier/{first.code}/").content.decode()
    assert "Document révoqué" in html and "Document authentique" not in html
    # The revoked one's PDF is no longer the citizen's to download.
    assert not dossier.documents.filter(revoque_le=None).exists()

    instruction.dossier_transition(acting_user=admin, dossier=dossier, vers=ACCEPTE)
    run_tasks()
    second = Document.objects.get(dossier=dossier, kind=Document.Kind.ATTESTATION, revoque_le=None)
    assert second.pk != first.pk and second.code != first.code
    assert second.fichier_id and second.fichier_id != first.fichier_id
    assert second.sha256 and second.sha256 != first.sha256
    assert "Document authentique" in client.get(f"/verifier/{second.code}/").content.decode()
    first.refresh_from_db()
    assert first.revoque_le is not None


def test_it_leaves_the_receipt_and_other_moves_alone(dossier, demo_members):
    receipt = Document.objects.create(
        dossier=dossier, kind=Document.Kind.RECEPISSE, code="AAAA-BBBB-CCCC", intitule="R"
    )
    instruction.dossier_transition(
        acting_user=demo_members.admin_pessac, dossier=dossier, vers="en_instruction"
    )
    receipt.refresh_from_db()
    assert receipt.revoque_le is None
    assert not dossier.evenements.filter(kind=Evenement.Kind.DOCUMENT_REVOQUE).exists()
