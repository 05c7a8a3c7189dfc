"""The effect of a change of rule is computed and shown before anything is saved."""

import pytest

from socle.routage.selectors import competence_change_impact
from socle.territoires.models import Collectivite, Competence, CompetenceTransfer
from tests.helpers.a11y import assert_accessible
from tests.helpers.competences import preview

pytestmark = pytest.mark.django_db


def test_it_lists_every_commune_and_service_an_epci_transfer_to_non_moves(demo_members):
    metropole = demo_members.metropole
    dechets = Competence.objects.get(code="dechets")
    impact = competence_change_impact(membre=metropole, competence=dechets, transferred=False)

    members = Collectivite.objects.filter(epci=metropole.collectivite, kind="commune")
    assert members.count() == 28
    assert {c["id"] for c in impact["communes"]} == set(members.values_list("pk", flat=True))
    # Each commune takes it back from the métropole, for itself.
    assert all(c["avant"] == metropole.collectivite.pk for c in impact["communes"])
    assert all(c["apres"] == c["id"] for c in impact["communes"])
    parties = {p["nom"]: p for p in impact["parties"]}
    assert parties["Bordeaux Métropole"]["services"] == ["Collecte des déchets"]
    assert len(parties["Bordeaux Métropole"]["losses"]) == 28
    assert parties["Pessac"]["membre_slug"] == "pessac"
    assert parties["Pessac"]["gains"] == ["Pessac"] and parties["Pessac"]["services"] == []
    assert parties["Mérignac"]["membre_id"] is None
    assert set(impact["members"]) == {
        demo_members.metropole.pk,
        demo_members.bordeaux.pk,
        demo_members.pessac.pk,
    }


def test_it_shows_the_effect_on_the_confirmation_step(client, demo_members, admin_metropole):
    dechets = Competence.objects.get(code="dechets")
    client.force_login(admin_metropole)
    response = preview(client, "bordeaux-metropole", {"competence": dechets.pk, "state": "non"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce changement confie la compétence Déchets ménagers à 28 communes" in html
    assert "Bordeaux Métropole — Collecte des déchets perd la compétence sur 28 communes" in html
    assert "Pessac n’a aucun service pour cette compétence" in html
    assert "Bordeaux n’a aucun service pour cette compétence" in html
    assert "26 communes qui la reçoivent ne sont pas membres" in html
    assert "la commune (non membre)" in html
    assert "Accord nécessaire" in html
    assert_accessible(response)
    assert not CompetenceTransfer.objects.exists()


def test_it_names_the_services_a_commune_taking_voirie_back_takes_it_from(client, demo_members):
    voirie = Competence.objects.get(code="voirie")
    pessac = demo_members.pessac.collectivite
    impact = competence_change_impact(membre=demo_members.pessac, competence=voirie, holder=pessac)
    assert [(c["nom"], c["apres"]) for c in impact["communes"]] == [("Pessac", pessac.pk)]

    client.force_login(demo_members.admin_pessac)
    html = preview(client, "pessac", {"competence": voirie.pk, "holder": pessac.pk}).content
    assert (
        "Bordeaux Métropole — Direction de la voirie, Pôle territorial Sud — voirie perd la "
        "compétence sur 1 commune : Pessac."
    ) in html.decode()


def test_it_says_when_a_change_moves_nothing(demo_members):
    eclairage = Competence.objects.get(code="eclairage-public")
    impact = competence_change_impact(
        membre=demo_members.pessac, competence=eclairage, holder=demo_members.pessac.collectivite
    )
    assert impact["communes"] == [] and impact["members"] == []
