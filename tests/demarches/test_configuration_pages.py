"""The configuration pages, as an administrator uses them (plain forms, in one round)."""

import re

import pytest

from socle.demarches.defaults import modeles_defaults_ensure
from socle.demarches.models import Demarche
from tests.helpers.a11y import assert_accessible


def _base(membre) -> str:
    return f"/gestion/{membre.slug}/demarches/"


@pytest.fixture
def admin_client(client, demo_members):
    client.force_login(demo_members.admin_pessac)
    return client


def test_it_builds_and_publishes_a_procedure(admin_client, demo_members):
    pessac = demo_members.pessac
    base = _base(pessac)
    response = admin_client.get(base)
    assert response.status_code == 200
    assert_accessible(response)

    # Every problem in one round.
    response = admin_client.post(base + "nouvelle/", {"titre": "", "competence": ""})
    assert response.status_code == 400
    assert response.content.decode().count('class="field-errors"') == 2

    competence = re.search(
        r'<option value="(\d+)">État civil</option>',
        admin_client.get(base + "nouvelle/").content.decode(),
    ).group(1)
    response = admin_client.post(
        base + "nouvelle/", {"titre": "Recensement citoyen", "competence": competence}
    )
    fiche = base + "configurer/recensement-citoyen/"
    assert response.status_code == 302
    assert response["Location"] == fiche + "formulaire/"
    assert_accessible(admin_client.get(fiche + "formulaire/"))

    champ = fiche + "formulaire/champ/"
    response = admin_client.get(champ, {"page": 0, "type": "liste"})
    assert response.status_code == 200
    assert_accessible(response)
    assert 'name="choix"' in response.content.decode()
    assert 'name="formats"' not in response.content.decode()
    response = admin_client.post(
        champ,
        {
            "page": 0,
            "type": "liste",
            "cle": "Bureau",
            "libelle": "",
            "choix": "",
            "max_repetitions": 10,
        },
    )
    assert response.status_code == 400
    assert response.content.decode().count('class="field-errors"') == 3
    response = admin_client.post(
        champ,
        {
            "page": 0,
            "type": "liste",
            "cle": "bureau",
            "libelle": "Bureau",
            "choix": "mairie | Mairie\nAnnexe nord",
            "obligatoire": "on",
        },
    )
    assert response.status_code == 302
    demarche = Demarche.objects.get(membre=pessac, slug="recensement-citoyen")
    assert demarche.formulaire["pages"][0]["champs"] == [
        {
            "cle": "bureau",
            "type": "liste",
            "libelle": "Bureau",
            "obligatoire": True,
            "choix": [
                {"valeur": "mairie", "libelle": "Mairie"},
                {"valeur": "annexe_nord", "libelle": "Annexe nord"},
            ],
        }
    ]
    response = admin_client.get(fiche + "apercu/")
    assert "Annexe nord" in response.content.decode()
    assert_accessible(response)
    response = admin_client.get(fiche + "circuit/")
    assert response.status_code == 200
    assert_accessible(response)
    response = admin_client.post(
        fiche + "circuit/", {"action": "statut_ajouter", "nouveau-libelle": "Convocation envoyée"}
    )
    assert response.status_code == 302

    response = admin_client.post(fiche + "publier/", follow=True)
    assert "Démarche publiée (version 1)" in response.content.decode()
    demarche.refresh_from_db()
    assert demarche.etat == Demarche.Etat.PUBLIEE
    assert_accessible(admin_client.get(fiche))


def test_it_says_why_a_procedure_cannot_be_published(admin_client, demo_members):
    pessac = demo_members.pessac
    modeles_defaults_ensure()
    base = _base(pessac)
    response = admin_client.get(base + "modeles/")
    assert_accessible(response)
    response = admin_client.post(base + "modeles/inscription-restauration-scolaire/adopter/")
    assert response.status_code == 302
    pessac.modules = [m for m in pessac.modules if m != "demarches"]
    pessac.save(update_fields=["modules"])
    response = admin_client.post(
        base + "configurer/inscription-restauration-scolaire/publier/", follow=True
    )
    assert "n’est pas activé pour Pessac" in response.content.decode()


def test_it_refuses_agents_and_other_members(client, demo_members):
    modeles_defaults_ensure()
    from socle.demarches import configuration as conf
    from socle.demarches.models import Modele

    bordeaux = demo_members.bordeaux
    demarche = conf.modele_adopt(
        acting_user=None, membre=bordeaux, modele=Modele.objects.get(code="acte-etat-civil")
    )
    client.force_login(demo_members.agent_pessac)
    assert client.get(_base(demo_members.pessac)).status_code == 403
    client.force_login(demo_members.admin_pessac)
    # Another member's procedure: through Pessac's pages it does not exist.
    path = f"{_base(demo_members.pessac)}configurer/{demarche.slug}/"
    assert client.get(path).status_code == 404
    assert client.get(f"{_base(bordeaux)}configurer/{demarche.slug}/").status_code == 403
    # A member's administrator does not edit the structure's templates.
    assert client.get("/gestion/modeles-demarches/").status_code == 403
    assert (
        client.post(
            "/gestion/modeles-demarches/acte-etat-civil/", {"formulaire": "publication"}
        ).status_code
        == 403
    )


def test_it_lets_the_structure_edit_a_template_with_the_same_builder(client, operateur):
    client.force_login(operateur)
    response = client.get("/gestion/modeles-demarches/")
    assert response.status_code == 200
    assert_accessible(response)
    client.post("/gestion/modeles-demarches/fournis/")
    base = "/gestion/modeles-demarches/inscription-restauration-scolaire/"
    for page in ("", "formulaire/", "circuit/", "apercu/"):
        response = client.get(base + page)
        assert response.status_code == 200, page
        assert_accessible(response)
    response = client.get(base + "formulaire/champ/", {"page": 1, "chemin": "enfants.ecole"})
    assert "ecole_exemple_1 | École exemple n° 1" in response.content.decode()
    response = client.post(
        base + "formulaire/", {"action": "champ_supprimer", "page": 0, "chemin": "nom"}
    )
    assert response.status_code == 302
    response = client.post(base, {"formulaire": "publication", "note": "Sans le nom."}, follow=True)
    assert "Version 2 publiée" in response.content.decode()
