"""The shipped templates pass the form and workflow checks, and are installed once."""

import pytest

from socle.citoyen.models import Piece
from socle.citoyen.selectors import PREFILL_SOURCES
from socle.core.fichiers import TYPES as FILE_TYPES
from socle.demarches import configuration as conf
from socle.demarches.defaults import modeles_defaults_ensure, seed_files, seed_load
from socle.demarches.models import Modele, ModeleVersion
from socle.territoires.models import Competence

SEEDS = seed_files()


def test_it_ships_the_templates_the_structure_offers():
    codes = {path.stem for path in SEEDS}
    assert {
        "inscription-restauration-scolaire",
        "inscription-accueil-loisirs",
        "abonnement-eau-potable",
        "resiliation-eau-potable",
        "controle-assainissement-non-collectif",
        "acte-etat-civil",
        "occupation-domaine-public",
    } <= codes


@pytest.mark.parametrize("path", SEEDS, ids=[p.stem for p in SEEDS])
def test_it_passes_the_checks(path):
    seed = seed_load(path)  # schema_check and workflow_check raise on a broken seed
    assert seed["code"] == path.stem
    for _page, chemin, champ in conf.walk(seed["formulaire"]):
        assert champ.get("prerempli", "usager.nom") in PREFILL_SOURCES, chemin
        assert champ.get("piece_type", "autre") in Piece.Type.values, chemin
        assert set(champ.get("formats") or []) <= set(FILE_TYPES), chemin
        for choice in champ.get("choix") or []:
            assert "€" not in choice["libelle"], chemin


@pytest.mark.django_db
def test_it_installs_them_once_and_keeps_what_the_structure_edited(operateur):
    done = modeles_defaults_ensure()
    assert set(done.values()) == {"cree"}
    cantine = Modele.objects.get(code="inscription-restauration-scolaire")
    assert cantine.version == 1
    assert cantine.competence == Competence.objects.get(code="restauration-scolaire")
    assert ModeleVersion.objects.filter(modele=cantine, numero=1).exists()

    assert set(modeles_defaults_ensure().values()) == {"inchange"}

    conf.formulaire_edit(
        acting_user=operateur,
        cible=cantine,
        operation="page_update",
        page=0,
        titre="Le parent",
        texte="",
    )
    assert modeles_defaults_ensure()["inscription-restauration-scolaire"] == "garde"
    cantine.refresh_from_db()
    assert cantine.formulaire["pages"][0]["titre"] == "Le parent"
    assert ModeleVersion.objects.count() == len(SEEDS)
