"""« Appliquer » applies the plan that was read: the template version and the plan's hash it
posts must still match, else « relisez-le »."""

import pytest
from django.core.exceptions import ValidationError

from socle.demarches import configuration as conf
from socle.territoires.models import Competence

STALE = "Le modèle a changé depuis que vous avez lu ce plan : relisez-le."


def _edit(user, cible, operation, **arguments):
    return conf.formulaire_edit(acting_user=user, cible=cible, operation=operation, **arguments)


def _field(key):
    return {"cle": key, "type": "texte", "libelle": key.capitalize()}


@pytest.fixture
def setup(demo_members, operateur):
    """Pessac's copy of a template; the structure publishes version 2 (a new field)."""
    modele = conf.modele_create(
        acting_user=operateur,
        code="essai",
        titre="Essai",
        competence=Competence.objects.get(code="etat-civil"),
    )
    _edit(operateur, modele, "champ_add", page=0, champ=_field("nom"))
    conf.modele_publish(acting_user=operateur, modele=modele, note="v1")
    admin = demo_members.admin_pessac
    demarche = conf.modele_adopt(acting_user=admin, membre=demo_members.pessac, modele=modele)
    _edit(operateur, modele, "champ_add", page=0, champ=_field("prenom"))
    conf.modele_publish(acting_user=operateur, modele=modele, note="v2")
    demarche.refresh_from_db()
    return admin, demarche, modele


def test_a_plan_read_before_a_new_template_version_is_refused(setup, operateur):
    admin, demarche, modele = setup
    read = conf.modele_update_plan(demarche)
    assert read.vers_version == 2
    _edit(operateur, modele, "champ_add", page=0, champ=_field("telephone"))
    conf.modele_publish(acting_user=operateur, modele=modele, note="v3")
    with pytest.raises(ValidationError) as refused:
        conf.modele_update_apply(
            acting_user=admin,
            demarche=demarche,
            version=read.vers_version,
            empreinte=read.empreinte,
        )
    assert refused.value.message_dict == {"modele": [STALE]}
    demarche.refresh_from_db()
    assert demarche.modele_version == 1

    fresh = conf.modele_update_plan(demarche)
    conf.modele_update_apply(
        acting_user=admin, demarche=demarche, version=fresh.vers_version, empreinte=fresh.empreinte
    )
    demarche.refresh_from_db()
    assert demarche.modele_version == 3


def test_a_plan_whose_result_changed_since_is_refused(setup):
    """Same template version, but the procedure changed since the plan was read."""
    admin, demarche, _modele = setup
    read = conf.modele_update_plan(demarche)
    assert read.empreinte == conf.modele_update_plan(demarche).empreinte
    _edit(admin, demarche, "champ_add", page=0, champ=_field("commentaire"))
    with pytest.raises(ValidationError, match="relisez-le"):
        conf.modele_update_apply(
            acting_user=admin,
            demarche=demarche,
            version=read.vers_version,
            empreinte=read.empreinte,
        )
    with pytest.raises(ValidationError, match="relisez-le"):
        conf.modele_update_apply(acting_user=admin, demarche=demarche, version=2, empreinte="")
