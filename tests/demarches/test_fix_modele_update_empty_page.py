"""A procedure or a template with an empty page cannot be published; pages carry a stable key
the builder gives and the schema check validates."""

import pytest
from django.core.exceptions import ValidationError

from socle.demarches import configuration as conf
from socle.demarches import formulaire as fm
from socle.territoires.models import Competence

EMPTY = (
    "La page « Plus tard » n’a aucun champ : ajoutez-en un ou supprimez la page avant de publier."
)


def _edit(user, cible, operation, **arguments):
    return conf.formulaire_edit(acting_user=user, cible=cible, operation=operation, **arguments)


def _with_an_empty_page(user, cible):
    _edit(user, cible, "champ_add", page=0, champ={"cle": "nom", "type": "texte", "libelle": "Nom"})
    _edit(user, cible, "page_add", titre="Plus tard")


def test_a_procedure_with_an_empty_page_is_not_published(demo_members):
    admin = demo_members.admin_pessac
    demarche = conf.demarche_create(
        acting_user=admin,
        membre=demo_members.pessac,
        titre="Repas des aînés",
        competence=Competence.objects.get(code="etat-civil"),
    )
    _with_an_empty_page(admin, demarche)
    with pytest.raises(ValidationError) as refused:
        conf.demarche_publish(acting_user=admin, demarche=demarche)
    assert refused.value.message_dict == {"formulaire": [EMPTY]}
    _edit(admin, demarche, "page_delete", page=1)
    assert conf.demarche_publish(acting_user=admin, demarche=demarche).numero == 1


def test_a_template_with_an_empty_page_is_not_published(operateur):
    modele = conf.modele_create(
        acting_user=operateur,
        code="essai",
        titre="Essai",
        competence=Competence.objects.get(code="etat-civil"),
    )
    _with_an_empty_page(operateur, modele)
    with pytest.raises(ValidationError) as refused:
        conf.modele_publish(acting_user=operateur, modele=modele, note="")
    assert refused.value.message_dict == {"formulaire": [EMPTY]}


def test_page_keys_are_given_once_and_checked():
    schema = conf.blank_formulaire()
    schema = conf.page_add(schema, titre="Les enfants")
    schema = conf.page_add(schema, titre="Les enfants")
    schema = conf.page_update(schema, page=1, titre="Vos enfants")
    assert [p["cle"] for p in schema["pages"]] == ["votre_demande", "les_enfants", "les_enfants_2"]
    # Older schemas have no page key.
    fm.schema_check({"pages": [{"titre": "Vous", "champs": []}]})
    for pages in (
        [{"cle": "a", "champs": []}, {"cle": "a", "champs": []}],
        [{"cle": "Pas une clé", "champs": []}],
    ):
        with pytest.raises(ValidationError, match="clé de page est invalide ou en double"):
            fm.schema_check({"pages": pages})
