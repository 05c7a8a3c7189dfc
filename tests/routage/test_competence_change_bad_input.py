"""Stale, unknown or tampered competence changes are refused and change nothing."""

import pytest

from socle.routage import routing
from socle.routage.models import CompetenceChangeRequest
from socle.territoires.models import Competence, CompetenceOverride, CompetenceTransfer
from socle.territoires.services import competence_transfer_write
from tests.helpers.competences import fingerprint_of, preview, propose

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_router")]

PESSAC = (44.8067, -0.6311)


@pytest.fixture
def voirie_request(client, demo_members):
    """Pessac asks to take voirie back from the métropole."""
    voirie = Competence.objects.get(code="voirie")
    client.force_login(demo_members.admin_pessac)
    propose(
        client, "pessac", {"competence": voirie.pk, "holder": demo_members.pessac.collectivite.pk}
    )
    return CompetenceChangeRequest.objects.get()


def test_it_does_not_apply_a_request_made_stale_by_another_change(
    client, demo_members, admin_metropole, voirie_request
):
    # Meanwhile the métropole's voirie rule changed: the effect asked for is no longer the same.
    competence_transfer_write(
        epci=demo_members.metropole.collectivite,
        competence=voirie_request.competence,
        transferred=False,
    )
    client.force_login(admin_metropole)
    response = client.post(
        f"/gestion/bordeaux-metropole/competences/demandes/{voirie_request.pk}/",
        {"decision": "approuver"},
    )
    assert response.status_code == 302
    voirie_request.refresh_from_db()
    assert voirie_request.status == "stale"
    assert not CompetenceOverride.objects.exists()


def test_it_does_not_confirm_an_effect_that_changed_since_it_was_shown(
    client, demo_members, admin_metropole
):
    dechets = Competence.objects.get(code="dechets")
    client.force_login(admin_metropole)
    data = {"competence": dechets.pk, "state": "non"}
    shown = preview(client, "bordeaux-metropole", data)
    # Another change in between: Pessac now takes déchets itself already.
    CompetenceOverride.objects.create(
        commune=demo_members.pessac.collectivite,
        competence=dechets,
        holder=demo_members.pessac.collectivite,
    )
    response = client.post(
        "/gestion/bordeaux-metropole/competences/",
        {**data, "confirmer": "1", "empreinte": fingerprint_of(shown)},
    )
    assert response.status_code == 400
    assert "La situation a changé depuis l’aperçu" in response.content.decode()
    assert not CompetenceTransfer.objects.exists()
    assert not CompetenceChangeRequest.objects.exists()


def test_it_refuses_an_unknown_competence(client, demo_members, admin_metropole):
    client.force_login(admin_metropole)
    response = preview(client, "bordeaux-metropole", {"competence": 999999, "state": "non"})
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert response.content.decode().count("<title>Erreur : ") == 1
    assert not CompetenceChangeRequest.objects.exists()


def test_it_hides_another_members_request_behind_a_tampered_url(
    client, demo_members, admin_bordeaux, voirie_request
):
    # Bordeaux is not asked: through its own address, Pessac's request does not exist.
    client.force_login(admin_bordeaux)
    path = f"/gestion/bordeaux/competences/demandes/{voirie_request.pk}/"
    assert client.post(path, {"decision": "approuver"}).status_code == 404
    # Through Pessac's address, Bordeaux's administrator has no right at all.
    path = f"/gestion/pessac/competences/demandes/{voirie_request.pk}/"
    assert client.post(path, {"decision": "refuser"}).status_code == 403
    assert client.get(path).status_code == 405
    voirie_request.refresh_from_db()
    assert voirie_request.status == "pending"
    assert routing.route(*PESSAC, "voirie").holder.nom == "Bordeaux Métropole"


def test_it_refuses_a_decision_on_a_request_already_decided(
    client, demo_members, admin_metropole, voirie_request
):
    client.force_login(admin_metropole)
    path = f"/gestion/bordeaux-metropole/competences/demandes/{voirie_request.pk}/"
    client.post(path, {"decision": "refuser"})
    response = client.post(path, {"decision": "approuver"}, follow=True)
    assert "Cette demande a déjà été traitée." in response.content.decode()
    voirie_request.refresh_from_db()
    assert voirie_request.status == "refused"
    assert not CompetenceOverride.objects.exists()
    # Neither approve nor refuse: nothing happens.
    assert client.post(path, {"decision": "peut-etre"}).status_code == 302
