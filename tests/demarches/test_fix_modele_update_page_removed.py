"""A template update that removes a middle page: the page goes with the fields the copy did not
change; a field the copy changed stays, on the page before, and the plan says so."""

import pytest

from socle.demarches import configuration as conf
from socle.demarches import formulaire as fm
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
    """Pessac adopts a three-page template; the structure then removes the middle page."""
    modele = _template(
        operateur, [("Vous", ["nom"]), ("Enfants", ["enfant", "ecole"]), ("Pièces", ["piece"])]
    )
    admin = demo_members.admin_pessac
    demarche = conf.modele_adopt(acting_user=admin, membre=demo_members.pessac, modele=modele)

    def publish_removal():
        _edit(operateur, modele, "page_delete", page=1)
        conf.modele_publish(acting_user=operateur, modele=modele, note="Sans les enfants.")
        demarche.refresh_from_db()
        return demarche

    return admin, demarche, publish_removal


def test_an_untouched_page_goes_with_its_fields(setup):
    admin, demarche, publish_removal = setup
    plan = conf.modele_update_plan(publish_removal())
    assert _layout(plan.resultat["formulaire"]) == [("Vous", ["nom"]), ("Pièces", ["piece"])]
    assert {(c.partie, c.action_label) for c in plan.changements} == {
        ("Page « Enfants »", "retirée"),
        ("Champ « Enfant » (enfant)", "retiré"),
        ("Champ « Ecole » (ecole)", "retiré"),
    }
    assert plan.conserves == []
    conf.modele_update_apply(acting_user=admin, demarche=demarche)
    demarche.refresh_from_db()
    assert _layout(fm.schema_check(demarche.formulaire)) == _layout(plan.resultat["formulaire"])


def test_a_field_the_copy_changed_stays_on_the_page_before(setup):
    admin, demarche, publish_removal = setup
    ecole = {"cle": "ecole", "type": "texte", "libelle": "École à Pessac"}
    _edit(admin, demarche, "champ_update", page=1, chemin="ecole", champ=ecole)
    plan = conf.modele_update_plan(publish_removal())
    assert _layout(plan.resultat["formulaire"]) == [
        ("Vous", ["nom", "ecole"]),
        ("Pièces", ["piece"]),
    ]
    changes = {(c.partie, c.action_label) for c in plan.changements}
    assert changes == {
        (
            "Page « Enfants »",
            "retirée ; les champs que vous y gardez passent sur la page « Vous »",
        ),
        ("Champ « Enfant » (enfant)", "retiré"),
    }
    assert [(c.partie, c.action_label) for c in plan.conserves] == [
        (
            "Champ « École à Pessac » (ecole)",
            "conservé (vous l’aviez modifié) et placé sur la page « Vous » : sa page "
            "« Enfants » est retirée par le modèle",
        )
    ]
    assert plan.erreurs == []


def test_a_page_the_copy_retitled_stays_while_it_keeps_fields(setup):
    admin, demarche, publish_removal = setup
    _edit(admin, demarche, "page_update", page=1, titre="Vos enfants")
    _edit(
        admin,
        demarche,
        "champ_add",
        page=1,
        champ={"cle": "age", "type": "nombre", "libelle": "Âge"},
    )
    plan = conf.modele_update_plan(publish_removal())
    assert _layout(plan.resultat["formulaire"]) == [
        ("Vous", ["nom"]),
        ("Vos enfants", ["age"]),
        ("Pièces", ["piece"]),
    ]
    assert (
        "Page « Vos enfants »",
        "conservée : le modèle l’a retirée, mais vous l’aviez modifiée",
    ) in {(c.partie, c.action_label) for c in plan.conserves}


def test_pages_without_a_key_are_not_duplicated_nor_emptied():
    """The reviewer's case: three pages without keys, the template drops the middle one."""

    def f(key):
        return {"cle": key, "type": "texte", "libelle": key.upper()}

    base = {
        "pages": [
            {"titre": "A", "texte": "", "champs": [f("a")]},
            {"titre": "B", "texte": "", "champs": [f("b")]},
            {"titre": "C", "texte": "", "champs": [f("c")]},
        ]
    }
    copie = {"pages": [dict(p, champs=list(p["champs"])) for p in base["pages"]]}
    copie["pages"][2]["titre"] = "Mon C"
    latest = {"pages": [base["pages"][0], base["pages"][2]]}
    plan = conf.Plan(de_version=1, vers_version=2, notes=[])
    result = conf._merge_form(base, copie, latest, plan)
    assert _layout(result) == [("A", ["a"]), ("Mon C", ["c"])]
    assert {(c.partie, c.action) for c in plan.changements} == {
        ("Page « B »", "retire"),
        ("Champ « B » (b)", "retire"),
    }
    assert plan.conserves == []
