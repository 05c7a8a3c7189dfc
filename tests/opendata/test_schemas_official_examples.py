"""The official examples shipped with the schemas: the valid ones pass, the invalid ones fail
with the errors they were written for, in French, cell by cell; and validating never touches
the network (every test of this file runs with outgoing connections refused)."""

import socket
import urllib.request
from pathlib import Path

import pytest

from socle.opendata.reading import table_read
from socle.opendata.schemas import schema_load
from socle.opendata.validation import table_validate

SCHEMAS = Path(__file__).resolve().parents[2] / "socle" / "opendata" / "schemas"
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


class NetworkUsed(AssertionError):
    pass


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Refuse any connection or name lookup beyond the loopback interface."""
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def connect(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if self.family != socket.AF_UNIX and host not in LOOPBACK:
            raise NetworkUsed(f"validation tried to connect to {address!r}")
        return real_connect(self, address)

    def getaddrinfo(host, *args, **kwargs):
        if host not in LOOPBACK:
            raise NetworkUsed(f"validation tried to look up {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def _validate(schema_name: str, path: str):
    contenu = (SCHEMAS / path).read_bytes()
    return table_validate(table_read(contenu, nom=path).csv_text, schema_load(schema_name))


def test_it_refuses_the_network_in_this_file():
    with pytest.raises(NetworkUsed):
        urllib.request.urlopen("https://schema.data.gouv.fr/", timeout=1)  # noqa: S310


@pytest.mark.parametrize(
    ("schema_name", "path", "rows"),
    [
        ("scdl/subventions", "subventions/exemple_valide.csv", 29),
        ("etalab/schema-irve-statique", "irve/exemple-valide-statique.csv", 2),
        ("etalab/schema-irve-dynamique", "irve/exemple-valide-dynamique.csv", 2),
        ("lieux-mediation-numerique", "lieux-mediation-numerique/exemple-valide.csv", 1),
    ],
)
def test_it_accepts_the_official_valid_examples(schema_name, path, rows):
    rapport = _validate(schema_name, path)
    assert rapport.valide, rapport.texte()
    assert rapport.erreurs == [] and rapport.lignes == rows


def test_it_refuses_the_official_example_with_wrong_cells_cell_by_cell():
    rapport = _validate("scdl/subventions", "subventions/exemple_invalide_erreurs_cellules.csv")
    assert not rapport.valide
    located = {(e.ligne, e.colonne, e.valeur, e.titre, e.message) for e in rapport.erreurs}
    assert (
        2,
        "pourcentageSubvention",
        "100",
        "Valeur trop grande",
        "La valeur doit être au plus égale à 1",
    ) in located
    assert (
        2,
        "idAttribuant",
        "21860194600000",
        "Format Invalide",
        "La valeur n'est pas conforme au format Siret.",
    ) in located
    # Every error is located: its row, and its column unless it is about the whole row.
    assert all(e.ligne for e in rapport.erreurs)
    assert (9, "", "Un Élement Requis") in {(e.ligne, e.colonne, e.titre) for e in rapport.erreurs}
    assert rapport.texte().splitlines()[0] == f"Fichier refusé : {rapport.nb_erreurs} erreurs."


def test_it_refuses_the_official_example_with_wrong_columns():
    rapport = _validate("scdl/subventions", "subventions/exemple_invalide_erreurs_colonnes.csv")
    assert not rapport.valide
    missing = [e for e in rapport.erreurs if e.titre == "Colonne manquante"]
    assert missing and missing[0].colonne == "nomBeneficiaire" and missing[0].ligne is None
    assert "La colonne obligatoire `nomBeneficiaire` est manquante" in rapport.texte()
    assert any("NOM_Beneficiaire" in a for a in rapport.avertissements)


def test_it_keeps_warnings_for_who_uploads_and_drops_those_for_schema_authors():
    rapport = _validate("scdl/subventions", "subventions/exemple_valide.csv")
    assert not any("déprécié" in a for a in rapport.avertissements)
