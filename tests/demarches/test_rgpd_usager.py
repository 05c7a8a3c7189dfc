"""A citizen's rights: everything exported; on leaving, drafts deleted, filed dossiers kept
for the collectivité but no longer linked to the account."""

import json

from socle.citoyen.models import FichierChiffre
from socle.demarches.models import BROUILLON, Dossier, Message
from socle.demarches.services import event_add, piece_jointe_add, usager_export, usager_forget
from tests.demarches.factories import PDF


def test_it_exports_a_citizen_s_dossiers_with_files(citizen, other_citizen, dossier_factory):
    dossier = dossier_factory(usager=citizen, nom="Camille Martin")
    dossier_factory(usager=other_citizen, nom="Quelqu’un d’autre")
    piece = piece_jointe_add(
        dossier=dossier, content=PDF, nom="avis.pdf", type_mime="application/pdf"
    )
    Message.objects.create(dossier=dossier, de_usager=False, texte="Bien reçu")
    event_add(dossier, "statut", visible_usager=True, statut_apres="depose")
    event_add(dossier, "assigne", texte="note interne")
    exported = usager_export(citizen)
    json.dumps(exported["dossiers"])
    (only,) = exported["dossiers"]
    assert only["reference"] == dossier.reference
    assert only["reponses"]["Nom"] == "Camille Martin"
    assert [m["texte"] for m in only["messages"]] == ["Bien reçu"]
    assert [h["statut"] for h in only["historique"]] == ["Déposé"]
    path = f"demarches/{dossier.reference}/piece-{piece.fichier_id}-avis.pdf"
    assert exported["fichiers"] == {path: PDF}


def test_it_forgets_drafts_and_unlinks_filed_dossiers(
    citizen, dossier_factory, django_capture_on_commit_callbacks
):
    draft = dossier_factory(usager=citizen, statut=BROUILLON)
    filed = dossier_factory(usager=citizen, nom="Camille Martin")
    piece_jointe_add(dossier=draft, content=PDF, nom="a.pdf", type_mime="application/pdf")
    kept = piece_jointe_add(dossier=filed, content=PDF, nom="b.pdf", type_mime="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        counts = usager_forget(citizen)
    assert counts == {"brouillons_supprimes": 1, "dossiers_anonymises": 0, "dossiers_detaches": 1}
    assert not Dossier.objects.filter(pk=draft.pk).exists()
    filed.refresh_from_db()
    assert filed.usager is None and filed.usager_nom == "Camille Martin"
    assert list(FichierChiffre.objects.values_list("pk", "proprietaire")) == [
        (kept.fichier_id, None)
    ]
