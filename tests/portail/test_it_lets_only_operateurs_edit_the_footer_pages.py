"""The opérateurs edit the footer's pages in the back office (/gestion/pages/); every edit is
audited; nobody else reaches the screens or the service."""

import pytest
from django.core.exceptions import PermissionDenied

from socle.membres.models import AuditEvent
from socle.portail.models import PagePlateforme
from socle.portail.services import page_update
from tests.helpers.a11y import assert_accessible

pytestmark = pytest.mark.django_db


def test_it_lists_the_pages_for_an_operateur(client, operateur):
    client.force_login(operateur)
    response = client.get("/gestion/pages/")
    assert response.status_code == 200
    html = response.content.decode()
    for code in ("mentions-legales", "accessibilite", "donnees-personnelles", "contact"):
        assert f'href="/gestion/pages/{code}/"' in html
    assert_accessible(response)
    assert 'href="/gestion/pages/"' in client.get("/gestion/").content.decode()


def test_it_saves_an_edit_and_audits_it(client, operateur):
    client.force_login(operateur)
    form = client.get("/gestion/pages/accessibilite/")
    assert form.status_code == 200
    assert_accessible(form)
    response = client.post(
        "/gestion/pages/accessibilite/",
        {"titre": "Accessibilité", "contenu": "## Audit\n\nFait en 2026.", "conformite": "totale"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/gestion/pages/"
    page = PagePlateforme.objects.get(code="accessibilite")
    assert (page.titre, page.conformite, page.updated_by) == ("Accessibilité", "totale", operateur)
    event = AuditEvent.objects.get(action="page.update")
    assert event.membre is None
    assert event.actor == operateur
    assert event.details == {"code": "accessibilite", "champs": ["conformite", "contenu", "titre"]}
    assert "<h2>Audit</h2>" in client.get("/accessibilite/").content.decode()


def test_it_checks_every_field_in_one_round(client, operateur):
    client.force_login(operateur)
    response = client.post("/gestion/pages/accessibilite/", {"titre": "", "contenu": "x"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>Erreur : " in html
    assert 'href="#id_titre"' in html
    assert 'href="#id_conformite_0"' in html
    assert not AuditEvent.objects.filter(action="page.update").exists()


def test_it_asks_no_conformity_level_on_other_pages(client, operateur):
    client.force_login(operateur)
    assert "conformite" not in client.get("/gestion/pages/contact/").content.decode()
    response = client.post("/gestion/pages/contact/", {"titre": "Nous écrire", "contenu": "x"})
    assert response.status_code == 302
    assert PagePlateforme.objects.get(code="contact").conformite == ""


@pytest.mark.parametrize("who", ["citizen", "admin_pessac", "agent_pessac", "dpo_pessac"])
def test_it_refuses_everyone_else(client, request, demo_members, who):
    # demo_members first: the territory is imported outside the test's transaction.
    client.force_login(request.getfixturevalue(who))
    assert client.get("/gestion/pages/").status_code == 403
    assert client.get("/gestion/pages/contact/").status_code == 403
    response = client.post("/gestion/pages/contact/", {"titre": "Piraté", "contenu": "x"})
    assert response.status_code == 403
    assert PagePlateforme.objects.get(code="contact").titre == "Contact"


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get("/gestion/pages/contact/")
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/connexion/")


def test_it_refuses_the_service_to_an_administrator(admin_pessac):
    page = PagePlateforme.objects.get(code="contact")
    with pytest.raises(PermissionDenied):
        page_update(acting_user=admin_pessac, page=page, titre="Piraté", contenu="")
    assert not AuditEvent.objects.filter(action="page.update").exists()
