"""A member's own host name serves its public home at the root."""

import pytest
from django.core.cache import cache

from tests.helpers.a11y import assert_accessible

pytestmark = pytest.mark.django_db


@pytest.fixture
def pessac_host(demo_members, settings):
    from socle.membres.services import membre_update

    pessac = demo_members.pessac
    membre_update(
        acting_user=None,
        membre=pessac,
        couleur=pessac.couleur,
        modules=pessac.modules,
        hostname="services.pessac.fr",
    )
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "services.pessac.fr"]
    cache.clear()
    yield "services.pessac.fr"
    cache.clear()


def test_it_serves_the_member_home_on_its_host_name(client, pessac_host):
    response = client.get("/", HTTP_HOST=pessac_host)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Pessac</h1>" in html
    assert "Place de la Ve République" in html
    assert "Trouver votre commune</h2>" not in html
    assert_accessible(response)


def test_it_keeps_the_platform_home_on_the_platform_host(client, pessac_host):
    html = client.get("/").content.decode()
    assert "Les collectivités membres" in html
