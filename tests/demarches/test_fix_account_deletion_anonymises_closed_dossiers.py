"""Deleting an account erases its closed dossiers at once; its open ones keep what their
instruction needs until they close, then the retention erases them."""

from django.utils import timezone

from socle.core.models import OutboxMessage
from socle.demarches import instruction
from socle.demarches.models import ACCEPTE, REFUSE, Dossier, Envoi, Message
from socle.demarches.services import piece_jointe_add, usager_forget
from tests.demarches.factories import PDF


def _citizen_mails(dossier):
    ids = Envoi.objects.filter(dossier=dossier, destinataire="usager").values("message")
    return [m.payload for m in OutboxMessage.objects.filter(pk__in=ids)]


def test_it_erases_closed_dossiers_and_keeps_open_ones_until_closed(
    demo_members, citizen, dossier_factory, django_capture_on_commit_callbacks
):
    agent = demo_members.agent_pessac
    closed = dossier_factory(usager=citizen, nom="Camille Martin")
    opened = dossier_factory(usager=citizen, nom="Camille Martin")
    piece_jointe_add(dossier=closed, content=PDF, nom="a.pdf", type_mime="application/pdf")
    kept = piece_jointe_add(dossier=opened, content=PDF, nom="b.pdf", type_mime="application/pdf")
    Message.objects.create(dossier=closed, de_usager=True, texte="Mon RIB est…")
    instruction.dossier_transition(
        acting_user=agent, dossier=closed, vers=REFUSE, motif="Revenus trop élevés"
    )
    instruction.dossier_transition(acting_user=agent, dossier=opened, vers="en_instruction")
    OutboxMessage.objects.update(delivered_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        counts = usager_forget(citizen)

    assert counts == {"brouillons_supprimes": 0, "dossiers_anonymises": 1, "dossiers_detaches": 1}
    closed.refresh_from_db()
    assert closed.anonymise_le is not None and closed.usager is None
    assert (closed.donnees, closed.usager_nom, closed.motif) == ({}, "", "")
    assert list(closed.messages.values_list("texte", flat=True)) == [""]
    assert not closed.pieces_jointes.exists()
    assert [m["to"] for m in _citizen_mails(closed)] == [[]]
    opened.refresh_from_db()
    assert opened.anonymise_le is None and opened.usager is None
    assert opened.usager_nom == "Camille Martin" and opened.donnees["nom"] == "Camille Martin"
    assert list(opened.pieces_jointes.values_list("pk", flat=True)) == [kept.pk]
    assert [m["to"] for m in _citizen_mails(opened)] == [[]]

    # Still open: the retention keeps it.
    assert instruction.dossiers_retention_apply()["anonymises"] == 0
    instruction.dossier_transition(acting_user=agent, dossier=opened, vers=ACCEPTE)
    # No account: no mail.
    assert len(_citizen_mails(opened)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert instruction.dossiers_retention_apply()["anonymises"] == 1
    opened.refresh_from_db()
    assert opened.anonymise_le is not None and opened.usager_nom == ""
    assert not opened.pieces_jointes.exists()
    assert not Dossier.objects.filter(anonymise_le=None).exists()
