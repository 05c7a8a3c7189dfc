"""The retention erases closed dossiers' personal data (files too) and old drafts."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from socle.citoyen.chiffrement import fichier_store
from socle.demarches.instruction import dossier_transition, dossiers_retention_apply
from socle.demarches.models import ACCEPTE, BROUILLON, Document, Dossier, Evenement, Message
from socle.demarches.services import piece_jointe_add
from tests.demarches.factories import PDF


def test_it_anonymises_closed_dossiers_past_their_date(
    demo_members,
    citizen,
    demarche_factory,
    dossier_factory,
    files_on_disk,
    django_capture_on_commit_callbacks,
):
    demarche = demarche_factory(demo_members.pessac, retention_mois=12)
    dossier = dossier_factory(demarche, usager=citizen)
    kept = dossier_factory(demarche, usager=citizen)
    dossier_transition(
        acting_user=demo_members.agent_pessac, dossier=dossier, vers=ACCEPTE, motif="Complet"
    )
    piece = piece_jointe_add(dossier=dossier, content=PDF, nom="a.pdf", type_mime="application/pdf")
    Message.objects.create(dossier=dossier, de_usager=True, texte="Mon adresse est…")
    document = Document.objects.get(dossier=dossier)
    document.fichier = fichier_store(
        content=PDF, nom="attestation.pdf", type_mime="application/pdf", proprietaire=citizen
    )
    document.save(update_fields=["fichier"])
    assert len(files_on_disk()) == 2
    dossier.refresh_from_db()
    later = timezone.now() + timedelta(days=400)
    # Open, and touched within its procedure's retention: kept.
    Dossier.objects.filter(pk=kept.pk).update(modifie_le=later - timedelta(days=30))

    with django_capture_on_commit_callbacks(execute=True):
        counts = dossiers_retention_apply(now=later)

    assert counts == {"anonymises": 1, "brouillons_supprimes": 0}
    dossier.refresh_from_db()
    assert dossier.anonymise_le is not None and dossier.usager is None
    assert dossier.donnees == {} and dossier.usager_nom == "" and dossier.motif == ""
    assert (dossier.reference, dossier.statut) == (dossier.reference, ACCEPTE)
    assert dossier.depose_le is not None and dossier.decide_le is not None
    assert list(dossier.messages.values_list("texte", flat=True)) == [""]
    assert not dossier.pieces_jointes.exists() and piece.fichier_id
    assert Document.objects.get(pk=document.pk).fichier is None
    assert files_on_disk() == []
    assert dossier.evenements.filter(kind=Evenement.Kind.ANONYMISE).exists()
    kept.refresh_from_db()
    assert kept.anonymise_le is None and kept.usager == citizen
    # Twice is harmless.
    assert dossiers_retention_apply(now=later)["anonymises"] == 0


def test_it_deletes_drafts_untouched_for_six_months(
    citizen, dossier_factory, files_on_disk, django_capture_on_commit_callbacks, capsys
):
    old = dossier_factory(usager=citizen, statut=BROUILLON)
    recent = dossier_factory(usager=citizen, statut=BROUILLON)
    piece_jointe_add(dossier=old, content=PDF, nom="a.pdf", type_mime="application/pdf")
    Dossier.objects.filter(pk=old.pk).update(modifie_le=timezone.now() - timedelta(days=200))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demarches", "retention")
    assert "Brouillons abandonnés supprimés : 1" in capsys.readouterr().out
    assert list(Dossier.objects.values_list("pk", flat=True)) == [recent.pk]
    assert files_on_disk() == []


@pytest.fixture
def files_on_disk(citoyen_files_dir):
    """`files_on_disk()`: the encrypted files of this test's own folder."""

    def found() -> list[Path]:
        root = citoyen_files_dir
        return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []

    return found
