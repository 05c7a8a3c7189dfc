"""Fields' page placement is merged three-way: a field the copy moved stays where the copy put
it; a field the copy left on its page follows the template to another page."""

import pytest

from socle.demarches import configuration as conf
from socle.demarches.models import Modele
from socle.territoires.models import Competence


def _edit(user, cible, operation, **arguments):
    return conf.formulaire_edit(acting_user=user, cible=cible, operation=operation, **arguments)


def _template(operateur, pages) -> Modele:
    """A published template (version 1) with these pages: [(title, [field keys])]."""
    modele = conf.modele_create(
        acting_user=operateur,
        code="essai",
        titre="Essai",
        competence=Competence.objects.get(code="etat-civil"),
    )
    _edit(operateur, modele, "page_update", page=0, titre=pages[0][0])
    for titre, _keys in pages[1:]:
        _edit(operateur, modele, "page_add", titre=titre)
    for number, (_titre, keys) in enumerate(pages):
        for key in keys:
            champ = {"cle": key, "type": "texte", "libelle": key.capitalize()}
            _edit(operateur, modele, "champ_add", page=number, champ=champ)
    conf.modele_publish(acting_user=operateur, modele=modele, note="Première version.")
    return modele


def _layout(schema):
    return [(page["titre"], [c["cle"] for c in page["champs"]]) for page in schema["pages"]]


@pytest.fixture
def setup(demo_members, operateur):
    """Pessac adopts a three-page template and moves « prenom » down to the « Enfants » page."""
    modele = _template(
        operateur, [("Vous", ["nom", "prenom"]), ("Enfants", ["enfant"]), ("Pièces", ["piece"])]
    )
    admin = demo_members.admin_pessac
    demarche = conf.modele_adopt(acting_user=admin, membre=demo_members.pessac, modele=modele)
    _edit(admin, demarche, "champ_move", page=0, chemin="prenom", direction=1)
    assert _layout(demarche.formulaire)[1] == ("Enfants", ["prenom", "enfant"])
    return admin, demarche, modele


def _publish(operateur, modele, demarche):
    conf.modele_publish(acting_user=operateur, modele=modele, note="Réorganisation.")
    demarche.refresh_from_db()
    return conf.modele_update_plan(demarche)


def test_the_copys_move_stays_and_the_templates_move_follows(setup, operateur):
    admin, demarche, modele = setup
    # The structure moves « piece » up to « Enfants » and drops the page left empty.
    _edit(operateur, modele, "champ_move", page=2, chemin="piece", direction=-1)
    _edit(operateur, modele, "page_delete", page=2)
    plan = _publish(operateur, modele, demarche)
    assert _layout(plan.resultat["formulaire"]) == [
        ("Vous", ["nom"]),
        ("Enfants", ["prenom", "enfant", "piece"]),
    ]
    assert {(c.partie, c.action_label) for c in plan.changements} == {
        ("Champ « Piece » (piece)", "déplacé sur la page « Enfants »"),
        ("Page « Pièces »", "retirée"),
    }
    assert plan.conserves == [] and plan.erreurs == []
    conf.modele_update_apply(acting_user=admin, demarche=demarche)


def test_a_field_the_copy_moved_onto_a_removed_page_is_kept(setup, operateur):
    _admin, demarche, modele = setup
    _edit(operateur, modele, "page_delete", page=1)
    plan = _publish(operateur, modele, demarche)
    assert _layout(plan.resultat["formulaire"]) == [
        ("Vous", ["nom", "prenom"]),
        ("Pièces", ["piece"]),
    ]
    assert [(c.partie, c.action_label) for c in plan.conserves] == [
        (
            "Champ « Prenom » (prenom)",
            "conservé (vous l’y aviez déplacé) et placé sur la page « Vous » : sa page "
            "« Enfants » est retirée par le modèle",
        )
    ]


def test_both_moved_the_field_the_copys_place_is_kept(setup, operateur):
    _admin, demarche, modele = setup
    # The structure moves « prenom » down to « Pièces ».
    _edit(operateur, modele, "champ_move", page=0, chemin="prenom", direction=1)
    _edit(operateur, modele, "champ_move", page=1, chemin="prenom", direction=1)
    _edit(operateur, modele, "champ_move", page=1, chemin="prenom", direction=1)
    assert _layout(modele.formulaire)[2] == ("Pièces", ["prenom", "piece"])
    plan = _publish(operateur, modele, demarche)
    assert _layout(plan.resultat["formulaire"])[1] == ("Enfants", ["prenom", "enfant"])
    assert plan.changements == []
    assert [(c.partie, c.action_label) for c in plan.conserves] == [
        ("Champ « Prenom » (prenom)", "conservé sur la page où vous l’aviez placé")
    ]
