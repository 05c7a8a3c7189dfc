"""Taking in a template's new version: what the member did not change follows the template,
what it changed is kept and listed."""

import pytest
from django.core.exceptions import ValidationError

from socle.demarches import configuration as conf
from socle.demarches.defaults import modeles_defaults_ensure
from socle.demarches.models import Modele
from socle.membres.models import AuditEvent as Audit

ECOLES_PESSAC = [
    {"valeur": "aristide_briand", "libelle": "École Aristide-Briand"},
    {"valeur": "jules_ferry", "libelle": "École Jules-Ferry"},
]


def _field(schema, chemin):
    return next(champ for _n, path, champ in conf.walk(schema) if path == chemin)


def _edit(user, cible, operation, **arguments):
    return conf.formulaire_edit(acting_user=user, cible=cible, operation=operation, **arguments)


@pytest.fixture
def scenario(demo_members, operateur):
    """Pessac adopts the canteen template and changes its school list; the structure then
    changes another field's help, adds a field, removes an untouched one, changes the school
    list too, and publishes version 2."""
    modeles_defaults_ensure()
    cantine = Modele.objects.get(code="inscription-restauration-scolaire")
    admin = demo_members.admin_pessac
    demarche = conf.modele_adopt(acting_user=admin, membre=demo_members.pessac, modele=cantine)
    ecole = _field(demarche.formulaire, "enfants.ecole")
    _edit(
        admin,
        demarche,
        "champ_update",
        page=1,
        chemin="enfants.ecole",
        champ={**ecole, "choix": ECOLES_PESSAC},
    )

    regime = _field(cantine.formulaire, "enfants.regime")
    _edit(
        operateur,
        cantine,
        "champ_update",
        page=1,
        chemin="enfants.regime",
        champ={**regime, "aide": "Le menu végétarien est servi à tous une fois par semaine."},
    )
    _edit(
        operateur,
        cantine,
        "champ_add",
        page=2,
        champ={
            "cle": "facture_email",
            "type": "oui_non",
            "libelle": "Recevoir les factures par courriel ?",
        },
    )
    _edit(operateur, cantine, "champ_delete", page=0, chemin="telephone")
    ecole_modele = _field(cantine.formulaire, "enfants.ecole")
    _edit(
        operateur,
        cantine,
        "champ_update",
        page=1,
        chemin="enfants.ecole",
        champ={
            **ecole_modele,
            "choix": [*ecole_modele["choix"], {"valeur": "ecole_exemple_4", "libelle": "École 4"}],
        },
    )
    conf.modele_publish(acting_user=operateur, modele=cantine, note="Factures par courriel.")
    demarche.refresh_from_db()
    return demarche


def test_it_plans_what_follows_and_what_is_kept(scenario):
    assert conf.modele_update_available(scenario)
    plan = conf.modele_update_plan(scenario)
    assert (plan.de_version, plan.vers_version) == (1, 2)
    assert plan.notes == [(2, "Factures par courriel.")]
    changes = {(c.partie, c.action) for c in plan.changements}
    assert ("Champ « Régime alimentaire » (enfants.regime)", "modifie") in changes
    assert ("Champ « Recevoir les factures par courriel ? » (facture_email)", "ajoute") in changes
    assert ("Champ « Téléphone » (telephone)", "retire") in changes
    assert len(changes) == 3
    assert [(c.partie, c.action_label) for c in plan.conserves] == [
        ("Champ « École » (enfants.ecole)", "conservé : vous l’aviez modifié")
    ]
    assert plan.erreurs == []


def test_it_applies_the_plan_and_records_the_version(scenario, demo_members):
    conf.modele_update_apply(acting_user=demo_members.admin_pessac, demarche=scenario)
    scenario.refresh_from_db()
    schema = scenario.formulaire
    assert scenario.modele_version == 2
    assert _field(schema, "enfants.ecole")["choix"] == ECOLES_PESSAC
    assert _field(schema, "enfants.regime")["aide"].startswith("Le menu végétarien")
    paths = [path for _n, path, _c in conf.walk(schema)]
    assert "telephone" not in paths
    # The new field comes where the template put it: after the fields before it there.
    assert paths.index("facture_email") == paths.index("justificatif_domicile") + 1
    assert not conf.modele_update_available(scenario)
    assert Audit.objects.filter(action="demarche.mise_a_jour_modele").count() == 1
    with pytest.raises(ValidationError, match="déjà la dernière version"):
        conf.modele_update_apply(acting_user=demo_members.admin_pessac, demarche=scenario)


def test_it_leaves_a_published_procedure_as_citizens_see_it(scenario, demo_members):
    admin = demo_members.admin_pessac
    published = conf.demarche_publish(acting_user=admin, demarche=scenario)
    conf.modele_update_apply(acting_user=admin, demarche=scenario)
    scenario.refresh_from_db()
    assert scenario.version == published.numero == 1
    assert conf.demarche_unpublished_changes(scenario)
    assert "telephone" in [p for _n, p, _c in conf.walk(published.formulaire)]


def test_it_shows_the_plan_and_applies_it_from_the_page(scenario, demo_members, client):
    from tests.helpers.a11y import assert_accessible

    client.force_login(demo_members.admin_pessac)
    base = f"/gestion/{demo_members.pessac.slug}/demarches/"
    listing = client.get(base).content.decode()
    assert "Mise à jour du modèle disponible" in listing
    path = f"{base}configurer/{scenario.slug}/mise-a-jour/"
    response = client.get(path)
    assert_accessible(response)
    page = response.content.decode()
    assert "Factures par courriel." in page
    assert "École » (enfants.ecole) — conservé : vous l’aviez modifié" in page
    # « Appliquer » posts the plan it showed (its template version and hash); without: refused.
    assert "relisez-le" in client.post(path, follow=True).content.decode()
    shown = response.context["form"].initial
    assert client.post(path, shown).status_code == 302
    scenario.refresh_from_db()
    assert scenario.modele_version == 2
