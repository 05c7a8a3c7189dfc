"""Published datasets for the serving tests (portal pages, files, API, DCAT): real services."""

from __future__ import annotations

from pathlib import Path

import pytest

from socle.membres.models import Membre
from socle.opendata.models import Jeu, Version
from socle.opendata.services import jeu_create, version_publish

SUBVENTIONS = (
    Path(__file__).resolve().parents[2]
    / "socle"
    / "opendata"
    / "schemas"
    / "subventions"
    / "exemple_valide.csv"
)

# Two good points, one without coordinates, one out of range, one unreadable.
LIEUX_CSV = (
    "nom,lat,long,type\n"
    "Médiathèque,44.806,-0.631,culture\n"
    "Piscine,44.799,-0.645,sport\n"
    "Sans adresse,,,autre\n"
    "Ailleurs,144.8,-0.6,autre\n"
    "Illisible,quarante-quatre,-0.6,autre\n"
)


@pytest.fixture(autouse=True)
def opendata_media(settings, tmp_path):
    """Stored version files go to the test's own folder (import this fixture to use it)."""
    settings.MEDIA_ROOT = tmp_path / "media"


def with_opendata(membre: Membre) -> Membre:
    """Switch the open data module on for a member."""
    if "opendata" not in membre.modules:
        membre.modules = [*membre.modules, "opendata"]
        membre.save(update_fields=["modules"])
    return membre


def without_opendata(membre: Membre) -> Membre:
    """Switch the open data module off for a member."""
    membre.modules = [code for code in membre.modules if code != "opendata"]
    membre.save(update_fields=["modules"])
    return membre


def subventions(membre: Membre | None, user, *, titre: str = "Subventions versées") -> Jeu:
    """The official subventions example, published once (version 1)."""
    jeu = jeu_create(
        acting_user=user,
        membre=membre,
        titre=titre,
        description="Les subventions versées aux associations.",
        schema="scdl/subventions",
        frequence=Jeu.Frequence.ANNUELLE,
    )
    version_publish(
        acting_user=user, jeu=jeu, contenu=SUBVENTIONS.read_bytes(), nom="exemple_valide.csv"
    )
    return Jeu.objects.get(pk=jeu.pk)


def lieux(membre: Membre | None, user, contenu: str = LIEUX_CSV) -> Jeu:
    """A small geographic dataset without schema (latitude/longitude columns)."""
    jeu = jeu_create(
        acting_user=user,
        membre=membre,
        titre="Lieux publics",
        geographique=True,
        licence=Jeu.Licence.ODBL,
        frequence=Jeu.Frequence.MENSUELLE,
    )
    version_publish(acting_user=user, jeu=jeu, contenu=contenu.encode(), nom="lieux.csv")
    return Jeu.objects.get(pk=jeu.pk)


def subventions_head(rows: int) -> str:
    """The header and the first rows of the official subventions example."""
    lines = SUBVENTIONS.read_text(encoding="utf-8").splitlines()
    return "\n".join(lines[: rows + 1]) + "\n"


def publish(jeu: Jeu, user, contenu: str) -> Version:
    """Publish a new version of a dataset."""
    return version_publish(acting_user=user, jeu=jeu, contenu=contenu.encode(), nom="v.csv")
