"""The observatory's shipped configuration (evaluation grid, maturity questionnaire), written
by its data migrations; `defaults_ensure()` writes it again where it is missing (a database
emptied by a test's flush, one restored without it)."""

from __future__ import annotations

import importlib

from django.apps import apps
from django.db import transaction

_GRID = "socle.observatoire.migrations.0003_default_evaluation_grid"
_STATEMENTS = "socle.observatoire.migrations.0004_default_maturity_statements"


@transaction.atomic
def defaults_ensure() -> None:
    """Write the default evaluation grid and maturity statements where none exist."""
    # The migrations hold the defaults (a migration must not import code that changes later);
    # their functions take an app registry, the current one here.
    importlib.import_module(_GRID).install_default_grid(apps)
    importlib.import_module(_STATEMENTS).add_statements(apps, None)
