"""A module that lives in its own folder (tests/toy_module) is registered, scoped and audited.

Nothing outside its folder names it but the test settings' INSTALLED_APPS: its back-office
page, its public page and its API are mounted from its registry entry; its menu entry appears
where its permission allows; its permissions join the table; its code is a reserved address.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from socle.core.modules import module_codes, module_for_code, reserved_slugs
from socle.membres.models import AuditEvent
from socle.membres.permissions import PERMISSIONS, grants_for
from socle.membres.services import membre_update
from tests.helpers.api import make_key, parcelles_url
from tests.toy_module.services import parcelle_create


def _switch_on(membre):
    membre_update(acting_user=None, membre=membre, couleur=membre.couleur, modules=["jardins"])


def test_it_registers_the_module_from_its_app_config():
    assert module_for_code("jardins") is not None
    assert "jardins" in module_codes()
    assert "jardins" in reserved_slugs()
    assert {"jardins.voir", "jardins.gerer"} <= set(PERMISSIONS)


def test_it_mounts_the_back_office_page_and_audits_the_write(client, demo_members):
    pessac = demo_members.pessac
    _switch_on(pessac)
    client.force_login(demo_members.admin_pessac)
    page = client.get("/gestion/pessac/")
    assert 'href="/gestion/pessac/jardins/"' in page.content.decode()

    response = client.post("/gestion/pessac/jardins/", {"nom": "Parcelle des Échoppes"})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="parcelle.create")
    assert (event.membre, event.actor, event.target_label) == (
        pessac,
        demo_members.admin_pessac,
        "Parcelle des Échoppes",
    )
    history = client.get("/gestion/pessac/historique/").content.decode()
    assert "Parcelle créée" in history


def test_it_hides_the_menu_entry_of_a_module_switched_off(client, demo_members):
    client.force_login(demo_members.admin_pessac)
    assert "/gestion/pessac/jardins/" not in client.get("/gestion/pessac/").content.decode()


def test_it_checks_the_modules_permission_in_its_service(demo_members):
    with pytest.raises(PermissionDenied):
        parcelle_create(acting_user=demo_members.agent_pessac, membre=demo_members.pessac, nom="X")
    with pytest.raises(PermissionDenied):
        parcelle_create(
            acting_user=demo_members.admin_pessac, membre=demo_members.bordeaux, nom="X"
        )
    with pytest.raises(ValidationError):
        parcelle_create(acting_user=demo_members.admin_pessac, membre=demo_members.pessac, nom=" ")
    assert not AuditEvent.objects.filter(action="parcelle.create").exists()


def test_it_serves_the_public_page_and_the_api_only_when_switched_on(client, demo_members):
    pessac = demo_members.pessac
    assert client.get("/pessac/jardins/").status_code == 404
    _switch_on(pessac)
    parcelle_create(acting_user=None, membre=pessac, nom="Parcelle du Bourgailh")
    assert "Parcelle du Bourgailh" in client.get("/pessac/jardins/").content.decode()
    _key, plaintext = make_key(pessac)
    response = client.get(parcelles_url(pessac), HTTP_AUTHORIZATION=f"Bearer {plaintext}")
    assert [item["nom"] for item in response.json()["results"]] == ["Parcelle du Bourgailh"]


def test_it_refuses_the_modules_code_as_a_members_address(client, operateur, gironde):
    client.force_login(operateur)
    response = client.post(
        "/gestion/membres/nouveau/",
        {
            "collectivite": "commune:33281",
            "slug": "jardins",
            "admin_email": "admin@merignac.example.fr",
            "couleur": "#1f4e8c",
        },
    )
    assert response.status_code == 400
    assert "Cette adresse est réservée." in response.content.decode()


def test_it_reads_a_users_roles_once_per_request(demo_members, django_assert_num_queries):
    admin = demo_members.admin_pessac
    with django_assert_num_queries(1):
        grants = grants_for(admin)
        assert grants.has("services.gerer", demo_members.pessac)
        assert not grants.has("services.gerer", demo_members.bordeaux)
        assert grants_for(admin).has("audit.lire", demo_members.pessac)
