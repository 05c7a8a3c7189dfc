"""Only the structure sets a member's host name, and never the platform's own."""

from socle.membres.models import Membre


def _settings(client, hostname):
    return client.post(
        "/gestion/pessac/reglages/",
        {"couleur": "#1f5c8c", "modules": ["jardins"], "hostname": hostname},
    )


def test_it_ignores_a_host_name_sent_by_an_administrator(client, demo_members):
    client.force_login(demo_members.admin_pessac)
    response = _settings(client, "127.0.0.1.nip.example")
    assert response.status_code == 302
    assert Membre.objects.get(slug="pessac").hostname is None
    page = client.get("/gestion/pessac/").content.decode()
    assert 'name="hostname"' not in page


def test_it_refuses_the_platforms_own_host_name(client, demo_members, operateur, settings):
    settings.SITE_URL = "https://socle.example.org"
    client.force_login(operateur)
    response = _settings(client, "socle.example.org")
    assert response.status_code == 400
    assert "adresse de la plateforme" in response.content.decode()
    assert Membre.objects.get(slug="pessac").hostname is None


def test_it_lets_an_operateur_set_a_members_host_name(client, demo_members, operateur):
    client.force_login(operateur)
    assert _settings(client, "services.pessac.fr").status_code == 302
    assert Membre.objects.get(slug="pessac").hostname == "services.pessac.fr"
