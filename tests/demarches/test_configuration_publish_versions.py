"""Publishing a procedure: a new version each time it changed; filed dossiers keep theirs."""

import pytest
from django.core.exceptions import ValidationError

from socle.demarches import configuration as conf
from socle.demarches.models import Demarche, Dossier
from socle.territoires.models import Competence


@pytest.fixture
def demarche(demo_members):
    admin = demo_members.admin_pessac
    demarche = conf.demarche_create(
        acting_user=admin,
        membre=demo_members.pessac,
        titre="Inscription au repas des aînés",
        competence=Competence.objects.get(code="etat-civil"),
    )
    conf.formulaire_edit(
        acting_user=admin,
        cible=demarche,
        operation="champ_add",
        page=0,
        champ={"cle": "nom", "type": "texte", "libelle": "Nom"},
    )
    return demarche


def test_it_refuses_an_empty_form(demo_members):
    empty = conf.demarche_create(
        acting_user=demo_members.admin_pessac,
        membre=demo_members.pessac,
        titre="Vide",
        competence=Competence.objects.get(code="etat-civil"),
    )
    with pytest.raises(ValidationError, match="au moins un champ"):
        conf.demarche_publish(acting_user=demo_members.admin_pessac, demarche=empty)


def test_it_versions_and_filed_dossiers_keep_theirs(demarche, demo_members, citizen):
    admin = demo_members.admin_pessac
    v1 = conf.demarche_publish(acting_user=admin, demarche=demarche)
    demarche.refresh_from_db()
    assert (v1.numero, demarche.version, demarche.etat) == (1, 1, Demarche.Etat.PUBLIEE)
    # Publishing again without a change makes no new version.
    assert conf.demarche_publish(acting_user=admin, demarche=demarche) == v1
    dossier = Dossier.objects.create(
        reference="D-TEST-0001",
        demarche=demarche,
        version=v1,
        membre=demarche.membre,
        usager=citizen,
        statut="depose",
    )
    conf.formulaire_edit(
        acting_user=admin,
        cible=demarche,
        operation="champ_add",
        page=0,
        champ={"cle": "prenom", "type": "texte", "libelle": "Prénom"},
    )
    assert conf.demarche_unpublished_changes(demarche)
    v2 = conf.demarche_publish(acting_user=admin, demarche=demarche)
    assert v2.numero == 2
    assert [c["cle"] for c in v2.formulaire["pages"][0]["champs"]] == ["nom", "prenom"]
    dossier.refresh_from_db()
    assert dossier.version == v1
    assert [c["cle"] for c in dossier.version.formulaire["pages"][0]["champs"]] == ["nom"]

    conf.demarche_close(acting_user=admin, demarche=demarche)
    demarche.refresh_from_db()
    assert demarche.etat == Demarche.Etat.ARCHIVEE
    assert conf.demarche_publish(acting_user=admin, demarche=demarche) == v2


def test_it_refuses_to_publish_with_the_module_off(demarche, demo_members):
    pessac = demo_members.pessac
    pessac.modules = [m for m in pessac.modules if m != "demarches"]
    pessac.save(update_fields=["modules"])
    demarche.refresh_from_db()
    with pytest.raises(ValidationError, match="n’est pas activé pour Pessac"):
        conf.demarche_publish(acting_user=demo_members.admin_pessac, demarche=demarche)
    demarche.refresh_from_db()
    assert (demarche.version, demarche.etat) == (0, Demarche.Etat.BROUILLON)
