"""The default decision mail says a decision is available on the site, without the motif."""

from socle.core.models import OutboxMessage
from socle.demarches import instruction
from socle.demarches import workflow as wf
from socle.demarches.models import REFUSE
from socle.demarches.services import dossier_url


def test_it_mails_the_decision_without_the_motif(demo_members, citizen, dossier_factory):
    dossier = dossier_factory(usager=citizen)
    instruction.dossier_transition(
        acting_user=demo_members.agent_pessac,
        dossier=dossier,
        vers=REFUSE,
        motif="Quotient familial 2300 euros, hors barème",
    )
    (mail,) = [m.payload for m in OutboxMessage.objects.all()]
    assert mail["to"] == [citizen.email]
    assert "Quotient familial" not in mail["body"] and "Motif" not in mail["body"]
    assert "Une décision est disponible" in mail["body"] and dossier_url(dossier) in mail["body"]
    dossier.refresh_from_db()
    assert dossier.motif == "Quotient familial 2300 euros, hors barème"
    for transition in wf.transitions(wf.default_workflow()):
        assert "{motif}" not in transition.courriel_texte + transition.courriel_objet
