"""A member adopts a structure's template: a draft copy of its latest version."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from socle.demarches import configuration as conf
from socle.demarches.defaults import modeles_defaults_ensure
from socle.demarches.models import Demarche, Modele


@pytest.fixture
def cantine(db):
    modeles_defaults_ensure()
    return Modele.objects.get(code="inscription-restauration-scolaire")


def test_it_copies_the_latest_version_as_a_draft(cantine, demo_members):
    demarche = conf.modele_adopt(
        acting_user=demo_members.admin_pessac, membre=demo_members.pessac, modele=cantine
    )
    assert demarche.etat == Demarche.Etat.BROUILLON
    assert demarche.membre == demo_members.pessac
    assert (demarche.modele, demarche.modele_version) == (cantine, 1)
    assert demarche.slug == "inscription-restauration-scolaire"
    assert demarche.formulaire == cantine.versions.get(numero=1).formulaire
    assert demarche.workflow == cantine.workflow
    assert demarche.competence.code == "restauration-scolaire"
    assert demarche.version == 0
    assert not conf.modele_update_available(demarche)


def test_it_refuses_a_second_copy_until_the_first_is_closed(cantine, demo_members):
    admin, pessac = demo_members.admin_pessac, demo_members.pessac
    first = conf.modele_adopt(acting_user=admin, membre=pessac, modele=cantine)
    with pytest.raises(ValidationError, match="déjà adopté"):
        conf.modele_adopt(acting_user=admin, membre=pessac, modele=cantine)

    conf.demarche_publish(acting_user=admin, demarche=first)
    conf.demarche_close(acting_user=admin, demarche=first)
    second = conf.modele_adopt(acting_user=admin, membre=pessac, modele=cantine)
    assert second.slug == "inscription-restauration-scolaire-2"


def test_it_lets_only_the_members_administrators_adopt(cantine, demo_members):
    with pytest.raises(PermissionDenied):
        conf.modele_adopt(
            acting_user=demo_members.agent_pessac, membre=demo_members.pessac, modele=cantine
        )
    with pytest.raises(PermissionDenied):
        conf.modele_adopt(
            acting_user=demo_members.admin_pessac, membre=demo_members.bordeaux, modele=cantine
        )
    assert not Demarche.objects.exists()
