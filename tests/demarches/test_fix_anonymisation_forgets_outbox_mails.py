"""Erasing a dossier erases its mails in the outbox: bodies (motif, links) and the citizen's
address; a service's address stays."""

from datetime import timedelta

from django.utils import timezone

from socle.core.models import OutboxMessage
from socle.core.outbox import MAX_ATTEMPTS
from socle.demarches import instruction
from socle.demarches.models import REFUSE, Dossier, Envoi
from socle.demarches.services import mail_send


def _payloads(dossier, destinataire):
    ids = Envoi.objects.filter(dossier=dossier, destinataire=destinataire).values("message")
    return [m.payload for m in OutboxMessage.objects.filter(pk__in=ids)]


def test_it_forgets_the_dossier_s_mails_at_retention(
    demo_members, citizen, dossier_factory, demarche_factory
):
    # Kept a year after closing; 400 days later it is due.
    procedure = demarche_factory(demo_members.pessac, retention_mois=12)
    dossier = dossier_factory(procedure, usager=citizen)
    mail_send(
        dossier,
        to=["etat-civil@pessac.example.fr"],
        destinataire=Envoi.Destinataire.SERVICE,
        subject="Nouveau dossier",
        body="Camille Martin a déposé un dossier.",
    )
    instruction.dossier_transition(
        acting_user=demo_members.agent_pessac,
        dossier=dossier,
        vers=REFUSE,
        motif="Quotient familial 2300 euros, hors barème",
    )
    OutboxMessage.objects.update(delivered_at=timezone.now())
    # Another dossier's mail (failed for good: it keeps its body) is not touched.
    other = dossier_factory(procedure, usager=citizen)
    mail_send(other, to=[citizen.email], destinataire="usager", subject="S", body="Corps")
    OutboxMessage.objects.filter(delivered_at=None).update(attempts=MAX_ATTEMPTS)
    later = timezone.now() + timedelta(days=400)
    Dossier.objects.filter(pk=other.pk).update(modifie_le=later - timedelta(days=1))

    counts = instruction.dossiers_retention_apply(now=later)

    assert counts["anonymises"] == 1
    (to_citizen,) = _payloads(dossier, Envoi.Destinataire.USAGER)
    assert to_citizen == {"to": [], "subject": to_citizen["subject"]}
    assert dossier.reference in to_citizen["subject"]
    (to_service,) = _payloads(dossier, Envoi.Destinataire.SERVICE)
    assert to_service == {"to": ["etat-civil@pessac.example.fr"], "subject": "Nouveau dossier"}
    assert _payloads(other, Envoi.Destinataire.USAGER)[0]["body"] == "Corps"


def test_it_leaves_a_mail_still_to_send_to_its_delivery(citizen, dossier_factory):
    dossier = dossier_factory(usager=citizen)
    mail_send(dossier, to=[citizen.email], destinataire="usager", subject="S", body="Corps")
    instruction.dossier_anonymise(dossier)
    (pending,) = _payloads(dossier, Envoi.Destinataire.USAGER)
    assert pending["body"] == "Corps"
