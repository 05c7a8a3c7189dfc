"""Small files built for a shipped schema from its fields' `example` values (the schemas
without official examples), with a row's values changed to make it wrong."""

import csv
import io

from socle.opendata.schemas import schema_load

# A valid SIRET (its Luhn key right): the délibérations schema's own example.
SIRET = "21860194600013"

# Values for the fields without a usable `example` (budget and prénoms carry none; the
# délibérations' examples contradict its own checks: a quote before the Actes subject, a
# prefecture date before the deliberation's).
VALEURS = {
    "scdl/budget": {
        "BGT_NATDEC": "budget primitif",
        "BGT_ANNEE": "2024",
        "BGT_SIRET": SIRET,
        "BGT_NOM": "Budget principal",
        "BGT_CONTNAT": "011",
        "BGT_CONTNAT_LABEL": "Charges à caractère général",
        "BGT_NATURE": "6063",
        "BGT_NATURE_LABEL": "Fournitures d'entretien",
        "BGT_FONCTION": "020",
        "BGT_FONCTION_LABEL": "Administration générale",
        "BGT_SECTION": "fonctionnement",
        "BGT_OPBUDG": "réel",
        "BGT_CODRD": "dépense",
        "BGT_MTPREV": "12500.50",
        "BGT_ARTSPE": "non spécialisé",
    },
    "scdl/prenoms": {
        "COMMUNE_NOM": "Pessac",
        "COLL_INSEE": "33318",
        "ENFANT_SEXE": "F",
        "ENFANT_PRENOM": "Louise",
        "NOMBRE_OCCURRENCES": "12",
        "ANNEE": "2024",
    },
    "scdl/deliberations": {
        "DELIB_MATIERE_NOM": "Domaines de compétences par thèmes/Aménagement du territoire",
        "PREF_DATE": "2017-10-20",
    },
}


def exemple_row(schema_name: str) -> dict[str, str]:
    """Return a valid row of the schema: its fields' examples, or our values."""
    schema = schema_load(schema_name)
    assert schema is not None
    ours = VALEURS.get(schema_name, {})
    return {
        field["name"]: ours.get(field["name"], str(field.get("example", "")))
        for field in schema.descriptor["fields"]
    }


def exemple_csv(schema_name: str, *changes: dict[str, str]) -> str:
    """Return a CSV of the schema: one valid row, then one row per `changes` (a valid row
    with those values changed)."""
    base = exemple_row(schema_name)
    schema = schema_load(schema_name)
    assert schema is not None
    key = schema.descriptor.get("primaryKey") or []
    unique = [
        field["name"]
        for field in schema.descriptor["fields"]
        if field["name"] in key or field.get("constraints", {}).get("unique")
    ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(base))
    writer.writerow(list(base.values()))
    for number, change in enumerate(changes, start=2):
        # Identifiers stay unique, unless the change is about them.
        own = {name: f"{base[name]}-{number}" for name in unique}
        writer.writerow(list({**base, **own, **change}.values()))
    return out.getvalue()
