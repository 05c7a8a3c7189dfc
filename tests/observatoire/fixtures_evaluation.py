"""Fixtures of the evaluation tests (a pytest plugin: `pytest_plugins = [...]` in each test
module); the data and helpers they share are in helpers_evaluation.py."""

import pytest

from socle.observatoire.evaluation import grille
from tests.observatoire.helpers_evaluation import default_grid_ensure


@pytest.fixture
def grid(db):
    """The active grid: the migration's default one."""
    default_grid_ensure()
    return grille()
