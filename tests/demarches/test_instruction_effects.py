"""What an agent's action does: decisions, assignment, messages, requests for documents."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from socle.citoyen.chiffrement import fichier_read
from socle.core.models import OutboxMessage
from socle.demarches import instruction
from socle.demarches import selectors as sel
from socle.demarches.models import ACCEPTE, Document, Evenement, Message, PieceJointe
from socle.demarches.services import piece_jointe_add
from socle.membres.models import AuditEvent
from tests.demarches.factories import PDF


def _mails_to(address):
    return [m.payload for m in OutboxMessage.objects.all() if address in m.payload.get("to", [])]


def test_it_accepts_with_mail_attestation_and_retention(demo_members, citizen, dossier_factory):
    dossier = dossier_factory(usager=citizen)
    instruction.dossier_transition(
        acting_user=demo_members.agent_pessac,
        dossier=dossier,
        vers=ACCEPTE,
        motif="Quotient vérifié",
    )
    dossier.refresh_from_db()
    assert dossier.statut == ACCEPTE and dossier.decide_le is not None
    assert dossier.conserver_jusqu_au > timezone.localdate()
    (mail,) = _mails_to(citizen.email)
    assert dossier.reference in mail["subject"]
    # The motif is read on the site, not sent by mail.
    assert "Quotient vérifié" not in mail["body"] and dossier.reference in mail["body"]
    assert Document.objects.filter(dossier=dossier, kind=Document.Kind.ATTESTATION).exists()
    assert AuditEvent.objects.filter(action="dossier.statut", target_id=str(dossier.pk)).exists()


def test_it_assigns_only_to_the_member_s_agents(demo_members, dossier_factory):
    dossier = dossier_factory()
    admin = demo_members.admin_pessac
    instruction.dossier_assign(acting_user=admin, dossier=dossier, agent=demo_members.agent_pessac)
    dossier.refresh_from_db()
    assert dossier.assigne_a == demo_members.agent_pessac
    assert dossier.evenements.filter(kind=Evenement.Kind.ASSIGNE).exists()
    with pytest.raises(ValidationError):
        instruction.dossier_assign(
            acting_user=admin, dossier=dossier, agent=demo_members.agent_bordeaux
        )
    other = dossier_factory(service="État civil")
    # Anne handles « Propreté et espaces verts » only: she would not see it.
    with pytest.raises(ValidationError):
        instruction.dossier_assign(
            acting_user=admin, dossier=other, agent=demo_members.agent_pessac
        )


def test_it_threads_messages_both_ways_and_mails_without_the_text(
    demo_members, citizen, dossier_factory
):
    dossier = dossier_factory(usager=citizen)
    Message.objects.create(dossier=dossier, auteur=citizen, de_usager=True, texte="Bonjour ?")
    upload = SimpleUploadedFile("courrier.pdf", PDF, content_type="application/pdf")
    message = instruction.dossier_message_from_agent(
        acting_user=demo_members.agent_pessac,
        dossier=dossier,
        texte="Votre dossier est complet, secret 1234.",
        files=[upload],
    )
    thread = list(sel.dossier_messages(dossier))
    assert [m.de_usager for m in thread] == [True, False]
    (piece,) = thread[1].pieces_jointes.all()
    assert fichier_read(piece.fichier) == PDF and piece.message == message
    (mail,) = _mails_to(citizen.email)
    assert "secret 1234" not in mail["body"] and dossier.reference in mail["body"]


def test_it_checks_every_attachment_and_the_text_at_once(demo_members, dossier_factory):
    dossier = dossier_factory()
    bad = SimpleUploadedFile("vide.pdf", b"", content_type="application/pdf")
    with pytest.raises(ValidationError) as raised:
        instruction.dossier_message_from_agent(
            acting_user=demo_members.agent_pessac, dossier=dossier, texte="", files=[bad]
        )
    assert set(raised.value.message_dict) == {"texte", "fichiers"}
    assert not Message.objects.filter(dossier=dossier).exists()


def test_it_runs_the_missing_document_cycle(demo_members, citizen, dossier_factory):
    dossier = dossier_factory(usager=citizen)
    agent = demo_members.agent_pessac
    demande = instruction.demande_piece_create(
        acting_user=agent, dossier=dossier, libelle="Justificatif de domicile", explication="Récent"
    )
    assert demande.en_attente
    (mail,) = _mails_to(citizen.email)
    assert "Justificatif de domicile" in mail["body"]
    event = dossier.evenements.get(kind=Evenement.Kind.DEMANDE_PIECE)
    assert event.visible_usager
    # The citizen provides it (the filing part's service does this; here, directly).
    piece_jointe_add(
        dossier=dossier,
        content=PDF,
        nom="domicile.pdf",
        type_mime="application/pdf",
        demande=demande,
    )
    demande.fournie_le = timezone.now()
    demande.save(update_fields=["fournie_le"])
    (shown,) = sel.dossier_demandes(dossier)
    assert not shown.en_attente and [p.fichier.nom for p in shown.pieces_jointes.all()] == [
        "domicile.pdf"
    ]
    with pytest.raises(ValidationError):
        instruction.demande_piece_cancel(acting_user=agent, demande=shown)
    other = instruction.demande_piece_create(acting_user=agent, dossier=dossier, libelle="RIB")
    instruction.demande_piece_cancel(acting_user=agent, demande=other)
    other.refresh_from_db()
    assert other.annulee_le is not None
    assert PieceJointe.objects.filter(dossier=dossier).count() == 1
