"""A template update that inserts a page puts it at its place, with its fields; the copy's pages
are known by their key (or, older schemas without one, by the fields they hold), not by their
position."""

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
def copie(demo_members, operateur):
    """Pessac's copy of a three-page template, one field renamed; the structure then inserts a
    « Paiement » page, with its field, between the first two pages."""
    modele = _template(
        operateur, [("Vous", ["nom", "prenom"]), ("Enfants", ["enfant"]), ("Pièces", ["piece"])]
    )
    admin = demo_members.admin_pessac
    demarche = conf.modele_adopt(acting_user=admin, membre=demo_members.pessac, modele=modele)
    champ = {"cle": "enfant", "type": "texte", "libelle": "Prénom de l’enfant"}
    _edit(admin, demarche, "champ_update", page=1, chemin="enfant", champ=champ)

    _edit(operateur, modele, "page_add", titre="Paiement")
    _edit(operateur, modele, "page_move", page=3, direction=-1)
    _edit(operateur, modele, "page_move", page=2, direction=-1)
    iban = {"cle": "iban", "type": "iban", "libelle": "IBAN"}
    _edit(operateur, modele, "champ_add", page=1, champ=iban)
    conf.modele_publish(acting_user=operateur, modele=modele, note="Paiement par prélèvement.")
    demarche.refresh_from_db()
    return demarche


def test_the_builder_gives_each_page_a_stable_key(copie):
    keys = [page.get("cle") for page in copie.modele.formulaire["pages"]]
    assert keys == ["votre_demande", "paiement", "enfants", "pieces"]


def test_the_new_page_comes_at_its_place_with_its_fields(copie, demo_members):
    plan = conf.modele_update_plan(copie)
    assert _layout(plan.resultat["formulaire"]) == [
        ("Vous", ["nom", "prenom"]),
        ("Paiement", ["iban"]),
        ("Enfants", ["enfant"]),
        ("Pièces", ["piece"]),
    ]
    labels = {(c.partie, c.action_label) for c in plan.changements}
    assert labels == {
        ("Page « Paiement »", "ajoutée à sa place dans le modèle"),
        ("Champ « IBAN » (iban)", "ajouté sur la page « Paiement »"),
    }
    assert plan.conserves == [] and plan.erreurs == []

    conf.modele_update_apply(acting_user=demo_members.admin_pessac, demarche=copie)
    copie.refresh_from_db()
    schema = fm.schema_check(copie.formulaire)
    assert _layout(schema)[1] == ("Paiement", ["iban"])
    assert schema["pages"][2]["champs"][0]["libelle"] == "Prénom de l’enfant"
    # The copy's pages now carry the template's keys: the next update knows them by key.
    assert [p["cle"] for p in schema["pages"]] == ["votre_demande", "paiement", "enfants", "pieces"]


def test_pages_without_a_key_are_known_by_their_fields():
    """Older schemas: no page key; a page inserted before the last one does not take its
    fields."""

    def f(key):
        return {"cle": key, "type": "texte", "libelle": key.upper()}

    base = {
        "pages": [
            {"titre": "Vous", "texte": "", "champs": [f("a")]},
            {"titre": "Enfants", "texte": "", "champs": [f("b"), f("c")]},
        ]
    }
    copie = {
        "pages": [
            {"titre": "Vous", "texte": "", "champs": [f("a")]},
            {"titre": "Vos enfants", "texte": "", "champs": [f("b"), f("c"), f("mien")]},
        ]
    }
    latest = {
        "pages": [
            {"titre": "Vous", "texte": "", "champs": [f("a")]},
            {"titre": "Paiement", "texte": "", "champs": [f("iban")]},
            {"titre": "Enfants", "texte": "Un par enfant.", "champs": [f("b"), f("c")]},
        ]
    }
    plan = conf.Plan(de_version=1, vers_version=2, notes=[])
    result = conf._merge_form(base, copie, latest, plan)
    assert _layout(result) == [
        ("Vous", ["a"]),
        ("Paiement", ["iban"]),
        ("Vos enfants", ["b", "c", "mien"]),
    ]
    assert result["pages"][2]["texte"] == "Un par enfant."
    assert ("Page « Vos enfants » : texte", "modifie") in {
        (c.partie, c.action) for c in plan.changements
    }


def test_a_version_that_only_gives_pages_their_keys_changes_nothing_visible():
    """A shipped template's pages gain keys (seeds of older installs had none): the copy takes
    them, and the plan lists nothing."""

    def f(key):
        return {"cle": key, "type": "texte", "libelle": key.upper()}

    base = {
        "pages": [
            {"titre": "Vous", "texte": "", "champs": [f("a")]},
            {"titre": "Enfants", "texte": "", "champs": [f("b")]},
        ]
    }
    latest = {
        "pages": [
            dict(page, cle=key)
            for page, key in zip(base["pages"], ["vous", "enfants"], strict=True)
        ]
    }
    plan = conf.Plan(de_version=1, vers_version=2, notes=[])
    result = conf._merge_form(base, base, latest, plan)
    assert result == latest
    assert plan.changements == [] and plan.conserves == []
