"""The queue: newest filed first, its filters, its tab counts, a capped count."""

from datetime import timedelta

from django.utils import timezone

from socle.demarches import selectors as sel
from socle.demarches.models import ACCEPTE, BROUILLON, EN_INSTRUCTION


def test_it_filters_and_counts_the_queue(demo_members, dossier_factory):
    admin, agent, pessac = demo_members.admin_pessac, demo_members.agent_pessac, demo_members.pessac
    now = timezone.now()
    old = dossier_factory(nom="Alice Durand", depose_le=now - timedelta(days=10))
    new = dossier_factory(
        nom="Bruno Petit", statut=EN_INSTRUCTION, depose_le=now - timedelta(days=1)
    )
    closed = dossier_factory(nom="Chloé Roux", statut=ACCEPTE, depose_le=now - timedelta(days=5))
    dossier_factory(statut=BROUILLON)
    new.assigne_a = agent
    new.save(update_fields=["assigne_a"])

    def refs(**filters):
        return [d.reference for d in sel.dossiers_queue(user=admin, membre=pessac, **filters)]

    assert refs() == [new.reference, closed.reference, old.reference]
    assert refs(statut=sel.A_TRAITER) == [new.reference, old.reference]
    assert refs(statut=ACCEPTE) == [closed.reference]
    assert refs(q=new.reference.lower().replace("-", "")) == [new.reference]
    assert refs(q="roux") == [closed.reference]
    assert refs(assigne="personne") == [closed.reference, old.reference]
    assert refs(assigne=str(agent.pk)) == [new.reference]
    assert [d.reference for d in sel.dossiers_queue(user=agent, membre=pessac, assigne="moi")] == [
        new.reference
    ]
    assert refs(
        depose_du=(now - timedelta(days=6)).date(), depose_au=(now - timedelta(days=2)).date()
    ) == [closed.reference]
    assert refs(demarche=dossier_factory.procedure().pk) == refs()
    assert sel.queue_counts(user=admin, membre=pessac) == {
        "depose": 1,
        "en_instruction": 1,
        "accepte": 1,
    }
    paginator = sel.QueuePaginator(sel.dossiers_queue(user=admin, membre=pessac), 1)
    paginator.cap = 2
    assert paginator.count == 2 and paginator.capped and paginator.num_pages == 2
