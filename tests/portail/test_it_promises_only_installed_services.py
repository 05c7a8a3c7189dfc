"""Public texts name only the online services this platform has installed."""

import pytest

from socle.core.modules import registered_modules

pytestmark = pytest.mark.django_db

# The shared-services catalogue of the product is not built yet.
NOT_INSTALLED = ["catalogue des services", "services mutualisés"]


def test_it_names_only_installed_modules_on_the_home_and_sign_up(client, gironde):
    installed = [str(module.label) for module in registered_modules() if module.switchable]
    # The platform's modules, and the test run's toy module « Jardins partagés ».
    assert installed == [
        "Signalements",
        "Démarches en ligne",
        "Données ouvertes",
        "Jardins partagés",
    ]
    for path in ("/", "/comptes/inscription/"):
        html = client.get(path).content.decode()
        for label in installed:
            assert label in html, (path, label)
        for promise in NOT_INSTALLED:
            assert promise not in html.lower(), (path, promise)
        assert "bientôt disponible" not in html
