"""A rule that moves work onto or away from another member is not applied on its own say-so."""

import pytest

from socle.routage import routing
from socle.territoires.models import Competence, CompetenceOverride, CompetenceTransfer
from tests.helpers.competences import preview, propose

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_router")]

PESSAC = (44.8067, -0.6311)
BORDEAUX = (44.8378, -0.5792)


def test_it_does_not_apply_an_epci_transfer_to_non_without_the_communes(
    client, demo_members, admin_metropole
):
    dechets = Competence.objects.get(code="dechets")
    client.force_login(admin_metropole)
    data = {"competence": dechets.pk, "state": "non"}

    # The form only shows the effect...
    shown = preview(client, "bordeaux-metropole", data)
    assert not CompetenceTransfer.objects.exists()
    assert shown.status_code == 200
    # ...and confirming it asks Bordeaux and Pessac, which would get the work.
    response = propose(client, "bordeaux-metropole", data)
    assert response.status_code == 302
    assert not CompetenceTransfer.objects.exists()
    assert routing.route(*PESSAC, "dechets").holder.nom == "Bordeaux Métropole"
    assert routing.route(*BORDEAUX, "dechets").holder.nom == "Bordeaux Métropole"


def test_it_does_not_let_a_commune_take_voirie_back_from_the_metropole(client, demo_members):
    voirie = Competence.objects.get(code="voirie")
    pessac = demo_members.pessac.collectivite
    client.force_login(demo_members.admin_pessac)
    data = {"competence": voirie.pk, "holder": pessac.pk}

    shown = preview(client, "pessac", data)
    assert not CompetenceOverride.objects.exists()
    assert shown.status_code == 200
    response = propose(client, "pessac", data)
    assert response.status_code == 302
    assert not CompetenceOverride.objects.exists()
    assert routing.route(*PESSAC, "voirie").holder.nom == "Bordeaux Métropole"


def test_it_applies_a_change_that_touches_no_other_member(client, demo_members):
    # Éclairage public is Pessac's already: an exception saying so moves nobody's work.
    eclairage = Competence.objects.get(code="eclairage-public")
    pessac = demo_members.pessac.collectivite
    client.force_login(demo_members.admin_pessac)
    response = propose(client, "pessac", {"competence": eclairage.pk, "holder": pessac.pk})
    assert response.status_code == 302
    assert CompetenceOverride.objects.get(commune=pessac, competence=eclairage).holder == pessac


def test_it_refuses_the_service_call_that_would_skip_the_agreement(demo_members, admin_metropole):
    from django.core.exceptions import ValidationError

    from socle.routage.services import competence_override_set, competence_transfer_set

    with pytest.raises(ValidationError):
        competence_transfer_set(
            acting_user=admin_metropole,
            membre=demo_members.metropole,
            competence=Competence.objects.get(code="dechets"),
            transferred=False,
        )
    with pytest.raises(ValidationError):
        competence_override_set(
            acting_user=demo_members.admin_pessac,
            membre=demo_members.pessac,
            competence=Competence.objects.get(code="voirie"),
            holder=demo_members.pessac.collectivite,
        )
    assert not CompetenceTransfer.objects.exists()
    assert not CompetenceOverride.objects.exists()
