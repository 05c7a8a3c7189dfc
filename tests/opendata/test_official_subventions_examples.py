"""The official examples of the subventions schema: the valid one is published, the invalid
ones are refused with their errors, and nothing of them is written."""

from pathlib import Path

import pytest

from socle.opendata.models import Jeu, Ligne, Version
from socle.opendata.services import PublicationRefusee, jeu_create, version_publish

EXAMPLES = Path(__file__).resolve().parents[2] / "socle" / "opendata" / "schemas" / "subventions"


@pytest.fixture
def jeu(demo_members, admin_pessac):
    return jeu_create(
        acting_user=admin_pessac,
        membre=demo_members.pessac,
        titre="Subventions versées",
        schema="scdl/subventions",
    )


def test_it_publishes_the_official_valid_example(jeu, admin_pessac):
    version = version_publish(
        acting_user=admin_pessac,
        jeu=jeu,
        contenu=(EXAMPLES / "exemple_valide.csv").read_bytes(),
        nom="exemple_valide.csv",
    )
    assert version.numero == 1 and version.nb_lignes == 29
    assert Ligne.objects.filter(version=version).count() == 29
    assert Jeu.objects.get(pk=jeu.pk).modifie_le == version.publie_le


@pytest.mark.parametrize(
    ("example", "expected"),
    [
        ("exemple_invalide_erreurs_cellules.csv", "Valeur trop grande"),
        ("exemple_invalide_erreurs_colonnes.csv", "Colonne manquante"),
    ],
)
def test_it_refuses_the_official_invalid_examples(jeu, admin_pessac, example, expected):
    with pytest.raises(PublicationRefusee) as refused:
        version_publish(
            acting_user=admin_pessac,
            jeu=jeu,
            contenu=(EXAMPLES / example).read_bytes(),
            nom=example,
        )
    assert not refused.value.rapport.valide
    assert expected in refused.value.rapport.texte()
    assert not Version.objects.exists() and not Ligne.objects.exists()
