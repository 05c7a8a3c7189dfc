"""The national schemas shipped with the project (never fetched from the network)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

SCHEMAS_DIR = Path(__file__).resolve().parent / "schemas"

# Schema name (as schema.data.gouv.fr names it) → its Table Schema file, under SCHEMAS_DIR.
TABLE_SCHEMAS = {
    "scdl/subventions": "subventions/schema.json",
    "scdl/deliberations": "deliberations/schema.json",
    "scdl/budget": "budget/schema.json",
    "scdl/prenoms": "prenoms/schema.json",
    "scdl/equipements": "equipements/schema.json",
    "scdl/catalogue": "catalogue/schema.json",
    "etalab/schema-irve-statique": "irve/schema-statique.json",
    "etalab/schema-irve-dynamique": "irve/schema-dynamique.json",
    "lieux-mediation-numerique": "lieux-mediation-numerique/schema.json",
    "socle/signalements": "socle-signalements/schema.json",
}


@dataclass(frozen=True)
class Schema:
    """A Table Schema we validate against: its name, title, version and descriptor."""

    name: str
    title: str
    version: str
    descriptor: dict[str, Any]

    @property
    def fields(self) -> list[str]:
        """Return the names of its columns, in order."""
        return [field["name"] for field in self.descriptor.get("fields", [])]


@cache
def schema_load(name: str) -> Schema | None:
    """Return a shipped schema by name, or None when we do not ship it."""
    relative = TABLE_SCHEMAS.get(name)
    if relative is None:
        return None
    descriptor = json.loads((SCHEMAS_DIR / relative).read_text(encoding="utf-8"))
    return Schema(
        name=name,
        title=descriptor.get("title", name),
        version=str(descriptor.get("version", "")),
        descriptor=descriptor,
    )


def schema_choices() -> list[tuple[str, str]]:
    """Return (name, title) of every shipped schema, for forms."""
    return [(name, schema.title) for name in TABLE_SCHEMAS if (schema := schema_load(name))]
