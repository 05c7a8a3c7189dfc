"""The form builder: every operation leaves a valid schema, or changes nothing and says why."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from socle.demarches import configuration as conf
from socle.demarches import formulaire as fm
from socle.demarches.models import Demarche
from socle.membres.models import AuditEvent
from socle.territoires.models import Competence


@pytest.fixture
def demarche(demo_members):
    return conf.demarche_create(
        acting_user=demo_members.admin_pessac,
        membre=demo_members.pessac,
        titre="Prêt de salle municipale",
        competence=Competence.objects.get(code="etat-civil"),
    )


def _edit(demarche, user, operation, **arguments):
    return conf.formulaire_edit(acting_user=user, cible=demarche, operation=operation, **arguments)


def test_it_builds_pages_fields_and_blocks(demarche, demo_members):
    admin = demo_members.admin_pessac
    assert demarche.slug == "pret-de-salle-municipale"
    _edit(demarche, admin, "page_add", titre="Les personnes")
    _edit(
        demarche,
        admin,
        "champ_add",
        page=0,
        champ={
            "cle": "association",
            "type": "oui_non",
            "libelle": "Pour une association ?",
            "longueur_max": 12,
            "choix": [{"valeur": "x"}],
            "obligatoire": True,
        },
    )
    _edit(
        demarche,
        admin,
        "champ_add",
        page=0,
        champ={
            "cle": "siret",
            "type": "siret",
            "libelle": "SIRET",
            "condition": {"champ": "association", "valeur": "oui"},
        },
    )
    _edit(
        demarche,
        admin,
        "champ_add",
        page=1,
        champ={"cle": "invites", "type": "bloc", "libelle": "Invités", "libelle_element": "Invité"},
    )
    schema = _edit(
        demarche,
        admin,
        "champ_add",
        page=1,
        bloc="invites",
        champ={"cle": "nom", "type": "texte", "libelle": "Nom", "obligatoire": True},
    )
    # Only the keys a type uses are kept.
    assert schema["pages"][0]["champs"][0] == {
        "cle": "association",
        "type": "oui_non",
        "libelle": "Pour une association ?",
        "obligatoire": True,
    }
    assert [p for _n, p, _c in conf.walk(schema)] == [
        "association",
        "siret",
        "invites",
        "invites.nom",
    ]

    _edit(demarche, admin, "champ_move", page=1, chemin="invites", direction=-1)
    schema = _edit(demarche, admin, "page_move", page=1, direction=-1)
    assert [p["titre"] for p in schema["pages"]] == ["Les personnes", "Votre demande"]
    demarche.refresh_from_db()
    assert demarche.formulaire == fm.schema_check(schema)
    assert (
        AuditEvent.objects.filter(
            action="demarche.modification", membre=demo_members.pessac
        ).count()
        == 7
    )


def test_it_refuses_to_delete_or_rename_a_field_a_condition_reads(demarche, demo_members):
    admin = demo_members.admin_pessac
    _edit(
        demarche,
        admin,
        "champ_add",
        page=0,
        champ={"cle": "association", "type": "oui_non", "libelle": "Pour une association ?"},
    )
    _edit(
        demarche,
        admin,
        "champ_add",
        page=0,
        champ={
            "cle": "siret",
            "type": "siret",
            "libelle": "SIRET",
            "condition": {"champ": "association", "valeur": "oui"},
        },
    )
    before = Demarche.objects.get(pk=demarche.pk).formulaire
    with pytest.raises(ValidationError, match="la condition de « SIRET » porte sur ce champ"):
        _edit(demarche, admin, "champ_delete", page=0, chemin="association")
    with pytest.raises(ValidationError, match="la condition de « SIRET »"):
        _edit(
            demarche,
            admin,
            "champ_update",
            page=0,
            chemin="association",
            champ={"cle": "asso", "type": "oui_non", "libelle": "Pour une association ?"},
        )
    # Moving the condition's field above the field it reads breaks the schema: refused too.
    with pytest.raises(ValidationError, match="placé avant lui"):
        _edit(demarche, admin, "champ_move", page=0, chemin="siret", direction=-1)
    assert Demarche.objects.get(pk=demarche.pk).formulaire == before
    _edit(demarche, admin, "champ_delete", page=0, chemin="siret")
    _edit(demarche, admin, "champ_delete", page=0, chemin="association")


def test_it_lists_every_problem_in_one_round(demarche, demo_members):
    with pytest.raises(ValidationError) as caught:
        _edit(
            demarche,
            demo_members.admin_pessac,
            "champ_add",
            page=0,
            champ={"cle": "Ecole 1", "type": "liste", "libelle": "", "choix": []},
        )
    messages = caught.value.message_dict["formulaire"]
    assert len(messages) == 3, messages
    assert any("clé" in m for m in messages)
    assert any("libellé est obligatoire" in m for m in messages)
    assert any("au moins un choix" in m for m in messages)


def test_it_keeps_one_page_at_least(demarche, demo_members):
    with pytest.raises(ValidationError, match="au moins une page"):
        _edit(demarche, demo_members.admin_pessac, "page_delete", page=0)


def test_it_lets_only_the_members_administrators_build(demarche, demo_members):
    for user in (demo_members.agent_pessac, demo_members.elu_pessac):
        with pytest.raises(PermissionDenied):
            _edit(demarche, user, "page_add", titre="Non")
    assert len(Demarche.objects.get(pk=demarche.pk).formulaire["pages"]) == 1
