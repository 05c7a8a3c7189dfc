"""Only the structure edits and publishes templates; each publication is a version."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from socle.demarches import configuration as conf
from socle.demarches.models import Modele
from socle.territoires.models import Competence


@pytest.fixture
def modele(operateur):
    return conf.modele_create(
        acting_user=operateur,
        code="",
        titre="Demande de composteur",
        competence=Competence.objects.get(code="dechets"),
    )


def test_it_publishes_versions_with_a_note(modele, operateur):
    assert modele.code == "demande-de-composteur"
    conf.formulaire_edit(
        acting_user=operateur,
        cible=modele,
        operation="champ_add",
        page=0,
        champ={"cle": "foyer", "type": "nombre", "libelle": "Personnes au foyer"},
    )
    v1 = conf.modele_publish(acting_user=operateur, modele=modele, note="Première version.")
    assert (v1.numero, v1.note) == (1, "Première version.")
    with pytest.raises(ValidationError, match="Rien n’a changé"):
        conf.modele_publish(acting_user=operateur, modele=modele, note="")
    conf.modele_update(
        acting_user=operateur,
        modele=modele,
        titre="Demande de composteur",
        resume="Un composteur pour le jardin.",
        description="",
        competence=modele.competence,
        retention_mois=24,
    )
    v2 = conf.modele_publish(acting_user=operateur, modele=modele, note="Résumé.")
    modele.refresh_from_db()
    assert (v2.numero, v2.retention_mois, modele.version) == (2, 24, 2)


def test_it_refuses_a_members_administrator(modele, demo_members):
    admin = demo_members.admin_pessac
    with pytest.raises(PermissionDenied):
        conf.modele_publish(acting_user=admin, modele=modele, note="")
    with pytest.raises(PermissionDenied):
        conf.formulaire_edit(acting_user=admin, cible=modele, operation="page_add", titre="X")
    assert Modele.objects.get(pk=modele.pk).version == 0
