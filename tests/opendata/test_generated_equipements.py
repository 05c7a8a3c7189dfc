"""The mairies of a member with open data, generated in the national équipements schema: every
row passes validata-table's validation, SIRET check included."""

import csv
import io

from socle.membres.services import membre_update
from socle.opendata.generators import siret_collectivite
from socle.opendata.models import Jeu
from socle.opendata.schemas import schema_load
from socle.opendata.services import opendata_generate
from socle.opendata.validation import table_validate


def _rows(version) -> list[dict[str, str]]:
    with version.fichier.open("rb") as handle:
        return list(csv.DictReader(io.StringIO(handle.read().decode("utf-8"))))


def test_it_publishes_the_mairies_of_the_metropole_communes_valid(demo_members):
    metropole = demo_members.metropole
    opendata_generate(membre=metropole)

    jeu = Jeu.objects.get(membre=metropole, generateur="equipements")
    assert (jeu.slug, jeu.schema, jeu.source, jeu.licence) == (
        "equipements",
        "scdl/equipements",
        Jeu.Source.GENERE,
        Jeu.Licence.LO,
    )
    assert jeu.geographique and jeu.modifie_le is not None
    version = jeu.versions.get()
    assert version.rapport["valide"] and version.nb_lignes == 28
    with version.fichier.open("rb") as handle:
        rapport = table_validate(handle.read().decode("utf-8"), schema_load("scdl/equipements"))
    assert rapport.valide, rapport.texte()

    pessac = next(row for row in _rows(version) if row["ADR_COMMUNE"] == "Pessac")
    assert pessac["COLL_NOM"] == "Bordeaux Métropole"
    # The Métropole's SIREN is its code; the seat's establishment completes it.
    assert pessac["COLL_SIRET"] == siret_collectivite(metropole.collectivite) == "24330031600011"
    assert pessac["EQUIP_UID"] == "33318-01010401-001"
    assert (pessac["EQUIP_THEME"], pessac["EQUIP_TYPE"]) == ("Equipement administratif", "Mairie")
    assert pessac["EQUIP_NOM"] == "Mairie de Pessac"
    assert (pessac["ADR_NUMERO"], pessac["ADR_NOMVOIE"], pessac["ADR_CODEPOSTAL"]) == (
        "99999",
        "Place de la Ve République",
        "33604",
    )
    assert pessac["EQUIP_OUVERTURE"] == "Mo 13:30-19:00; Tu-Fr 08:30-17:00; Sa 09:00-12:00"
    assert pessac["EQUIP_TEL"] == "+33 557936363"
    assert float(pessac["EQUIP_LAT"]) > 44 and float(pessac["EQUIP_LONG"]) < 0


def test_it_publishes_a_commune_its_own_mairie(demo_members):
    pessac = demo_members.pessac
    membre_update(
        acting_user=None,
        membre=pessac,
        couleur=pessac.couleur,
        modules=[*pessac.modules, "opendata"],
    )
    opendata_generate(membre=pessac)

    version = Jeu.objects.get(membre=pessac, generateur="equipements").versions.get()
    (row,) = _rows(version)
    assert row["COLL_NOM"] == "Pessac" and row["EQUIP_UID"].startswith("33318-")
    # A commune's SIREN from INSEE's numbering (21, département, 0, commune, key).
    assert row["COLL_SIRET"].startswith("213303183")
    assert version.rapport["valide"]
