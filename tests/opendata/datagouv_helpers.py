"""What the data.gouv.fr tests share: the fake's organisations, Pessac's account and dataset, and
published versions (through the real services)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from socle.opendata.datagouv import datagouv_account_set
from socle.opendata.models import Jeu, PublicationDataGouv, Version
from socle.opendata.services import jeu_create, version_publish

ORG = "5f0c8b1e2a9d4c3b2a1f0e9d"
KEY = "cle-pessac-0123456789abcdefWXYZ"
OTHER_ORG = "60a1b2c3d4e5f60718293a4b"
OTHER_KEY = "cle-autre-organisation-0000AAAA"
ORGANISATIONS = {ORG: KEY, OTHER_ORG: OTHER_KEY}
EXAMPLE = (
    Path(__file__).resolve().parents[2]
    / "socle"
    / "opendata"
    / "schemas"
    / "subventions"
    / "exemple_valide.csv"
)


def opendata_on(membre) -> None:
    """Switch the open data module on for the member."""
    if "opendata" not in membre.modules:
        membre.modules = [*membre.modules, "opendata"]
        membre.save(update_fields=["modules"])


def account(admin, membre, *, organisation: str = ORG, cle: str = KEY):
    """The member's data.gouv.fr account, set as its administrator sets it."""
    return datagouv_account_set(
        acting_user=admin, membre=membre, organisation=organisation, cle=cle
    )


def subventions(admin, membre) -> Jeu:
    return jeu_create(
        acting_user=admin,
        membre=membre,
        titre="Subventions versées",
        description="Les subventions versées par la ville.",
        schema="scdl/subventions",
        frequence=Jeu.Frequence.ANNUELLE,
    )


def example_rows(count: int | None = None) -> bytes:
    """The official valid subventions example, its first `count` rows only if given."""
    text = EXAMPLE.read_text(encoding="utf-8")
    if count is None:
        return text.encode()
    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows[: count + 1])
    return out.getvalue().encode()


def publish(admin, jeu: Jeu, contenu: bytes) -> tuple[Version, PublicationDataGouv | None]:
    """Publish a version; version_publish queues its publication on data.gouv.fr with it."""
    version = version_publish(acting_user=admin, jeu=jeu, contenu=contenu, nom="subventions.csv")
    return version, version.publications.first()
