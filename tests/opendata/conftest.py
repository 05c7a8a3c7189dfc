"""Fixtures of the open data tests: Pessac with the module switched on, its subventions."""

import pytest

from socle.opendata.services import jeu_create


@pytest.fixture
def pessac(demo_members, settings, tmp_path):
    """Pessac, its open data module on, its files in a temporary directory."""
    settings.MEDIA_ROOT = tmp_path
    membre = demo_members.pessac
    membre.modules = [*membre.modules, "opendata"]
    membre.save(update_fields=["modules"])
    return membre


@pytest.fixture
def subventions(pessac, admin_pessac):
    """Pessac's dataset of subventions (scdl/subventions), not yet published."""
    return jeu_create(
        acting_user=admin_pessac,
        membre=pessac,
        titre="Subventions versées",
        schema="scdl/subventions",
    )
