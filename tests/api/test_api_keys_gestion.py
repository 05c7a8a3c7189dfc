"""An administrator lists, creates (the key shown once) and revokes the member's API keys."""

import re

import pytest

from socle.api.models import ApiKey
from socle.membres.models import AuditEvent
from tests.helpers.a11y import assert_accessible
from tests.helpers.api import make_key, parcelles_url, with_jardins

pytestmark = pytest.mark.django_db

URL = "/gestion/pessac/cles-api/"
FORM = {"name": "Portail citoyen", "application": "Prestataire X", "scopes": ["jardins.lire"]}


@pytest.fixture
def admin(client, demo_members):
    client.force_login(demo_members.admin_pessac)
    return client


def test_it_shows_the_keys_page_in_the_menu(admin):
    response = admin.get(URL)
    assert response.status_code == 200
    assert_accessible(response)
    html = response.content.decode()
    assert "Aucune clé d'API pour le moment." in html
    assert 'href="/gestion/pessac/cles-api/" aria-current="page"' in html


def test_it_shows_a_new_key_once_and_it_works(admin, client, demo_members):
    with_jardins(demo_members.pessac)
    response = admin.post(URL, {**FORM, "rate_per_minute": "30"})
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    html = response.content.decode()
    plaintext = re.search(r'data-testid="cle-api">([^<]+)<', html).group(1)
    key = ApiKey.objects.get(membre=demo_members.pessac)
    assert key.prefix in plaintext and key.rate_per_minute == 30
    assert plaintext not in key.secret_hash
    assert AuditEvent.objects.filter(action="cle_api.create", target_id=str(key.pk)).exists()

    listing = admin.get(URL).content.decode()
    assert "Portail citoyen" in listing and key.prefix in listing
    assert plaintext not in listing

    client.logout()
    api = client.get(parcelles_url(demo_members.pessac), HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert api.status_code == 200


def test_it_reports_a_form_without_scope(admin):
    response = admin.post(URL, {"name": "Sans portée", "rate_per_minute": "60"})
    assert response.status_code == 400
    assert "<title>Erreur" in response.content.decode()
    assert not ApiKey.objects.exists()


def test_it_revokes_a_key(admin, demo_members):
    key, _ = make_key(demo_members.pessac)
    response = admin.post(f"{URL}{key.pk}/revoquer/")
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert AuditEvent.objects.filter(action="cle_api.revoke", target_id=str(key.pk)).exists()
    assert "Révoquée le" in admin.get(URL).content.decode()


def test_it_does_not_revoke_another_members_key_through_its_own_page(admin, demo_members):
    key, _ = make_key(demo_members.bordeaux)
    assert admin.post(f"{URL}{key.pk}/revoquer/").status_code == 404
    key.refresh_from_db()
    assert key.revoked_at is None


@pytest.mark.parametrize("persona", ["agent_pessac", "agent_bordeaux"])
def test_it_refuses_who_may_not_manage_keys(client, demo_members, persona):
    key, _ = make_key(demo_members.pessac)
    client.force_login(getattr(demo_members, persona))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {**FORM, "rate_per_minute": "60"}).status_code == 403
    assert client.post(f"{URL}{key.pk}/revoquer/").status_code == 403
    assert ApiKey.objects.count() == 1
    key.refresh_from_db()
    assert key.revoked_at is None
