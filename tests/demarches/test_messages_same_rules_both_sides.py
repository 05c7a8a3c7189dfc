"""A message follows one set of rules whoever writes it, the citizen or the agent: its length,
five attachments at most, the same formats; every error in one round, nothing written."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from socle.demarches import depot, instruction
from socle.demarches.models import Message

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _pdf(name: str = "note.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _send(side, demo_members, citizen, dossier, texte, files):
    if side == "usager":
        return depot.dossier_message_from_usager(
            usager=citizen, dossier=dossier, texte=texte, files=files
        )
    return instruction.dossier_message_from_agent(
        acting_user=demo_members.agent_pessac, dossier=dossier, texte=texte, files=files
    )


@pytest.mark.parametrize("side", ["usager", "agent"])
def test_it_applies_the_same_limits_to_both_sides(side, demo_members, citizen, dossier_factory):
    dossier = dossier_factory(usager=citizen)
    with pytest.raises(ValidationError) as raised:
        _send(side, demo_members, citizen, dossier, "x" * 5001, [_pdf() for _ in range(6)])
    assert raised.value.message_dict == {
        "texte": ["5000 caractères au plus : vous en avez écrit 5001."],
        "fichiers": ["5 fichiers au plus par message."],
    }
    # A spreadsheet is not among a message's formats (PDF, JPEG, PNG, ODT, DOCX), either side.
    sheet = SimpleUploadedFile("budget.csv", b"a;b\n1;2\n", content_type="text/csv")
    with pytest.raises(ValidationError) as raised:
        _send(side, demo_members, citizen, dossier, "", [sheet])
    assert raised.value.message_dict["texte"] == ["Écrivez votre message."]
    assert raised.value.message_dict["fichiers"][0].startswith("« budget.csv » : ")
    assert not Message.objects.filter(dossier=dossier).exists()
    message = _send(side, demo_members, citizen, dossier, "  Bonjour\x00 ", [_pdf()] * 1)
    assert message.texte == "Bonjour" and message.pieces_jointes.count() == 1
