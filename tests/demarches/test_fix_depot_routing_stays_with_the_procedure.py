"""Routing a filed dossier: the procedure's member keeps it unless an EPCI member holding the
competence in the citizen's commune has that member in its territory; the browser's point never
chooses the member."""

import pytest
from django.http import Http404

from socle.demarches import depot
from socle.demarches import selectors as sel
from socle.demarches.services import placement_for
from tests.demarches.test_depot_filing import PESSAC, SCHEMA

BORDEAUX = {
    "label": "Place Pey Berland, 33000 Bordeaux",
    "voie": "Place Pey Berland",
    "complement": "",
    "code_postal": "33000",
    "commune": "Bordeaux",
    "commune_code": "33063",
    "lat": 44.8378,
    "lon": -0.5792,
}


def _file(citizen, demarche, adresse):
    dossier = depot.dossier_start(usager=citizen, demarche=demarche)
    dossier.donnees = {"nom": "Martin", "adresse": adresse}
    dossier.save(update_fields=["donnees"])
    return depot.dossier_file(usager=citizen, reference=dossier.reference, jeton=depot.token_new())


def test_it_keeps_a_communal_procedure_filed_from_another_commune(
    demo_members, demarche_factory, citizen
):
    demarche = demarche_factory(demo_members.pessac, SCHEMA, competence="etat-civil")
    filed = _file(citizen, demarche, BORDEAUX)
    assert filed.membre == demo_members.pessac
    assert filed.service is not None and filed.service.membre == demo_members.pessac
    found = sel.get_dossier_for_agent(
        user=demo_members.admin_pessac, membre=demo_members.pessac, reference=filed.reference
    )
    assert found.pk == filed.pk


def test_it_ignores_a_point_outside_the_address_commune(demo_members, demarche_factory, citizen):
    # A Pessac water subscription: the address says Pessac, the point says Bordeaux.
    demarche = demarche_factory(demo_members.pessac, SCHEMA, competence="eau-potable")
    lying = {**PESSAC, "lat": BORDEAUX["lat"], "lon": BORDEAUX["lon"]}
    assert _file(citizen, demarche, lying).membre == demo_members.metropole
    # An address in Bordeaux with a point in Pessac: routed by Bordeaux's code, still the EPCI.
    placement = placement_for(demarche, commune_code="33063", lat=44.8072, lon=-0.6295)
    assert placement.membre == demo_members.metropole


def test_it_goes_to_the_epci_only_for_a_member_of_its_territory(demo_members, demarche_factory):
    pessac, metropole = demo_members.pessac, demo_members.metropole
    water = demarche_factory(pessac, SCHEMA, competence="eau-potable")
    assert placement_for(water, commune_code="33318").membre == metropole
    assert placement_for(water, commune_code="33063").membre == metropole
    # No commune (or an unknown one): the procedure's member.
    assert placement_for(water).membre == pessac
    assert placement_for(water, commune_code="99999", lat=44.8, lon=-0.6).membre == pessac
    # A commune outside the metropole (Libourne): the EPCI there is not Pessac's.
    assert placement_for(water, commune_code="33243").membre == pessac


@pytest.mark.parametrize("code", ["33063", "33318", ""])
def test_it_keeps_a_communal_competence_with_its_member(demo_members, demarche_factory, code):
    demarche = demarche_factory(demo_members.pessac, SCHEMA, competence="etat-civil")
    assert placement_for(demarche, commune_code=code).membre == demo_members.pessac


def test_it_no_longer_lets_bordeaux_see_a_pessac_dossier(demo_members, demarche_factory, citizen):
    demarche = demarche_factory(demo_members.pessac, SCHEMA, competence="etat-civil")
    filed = _file(citizen, demarche, BORDEAUX)
    with pytest.raises(Http404):
        sel.get_dossier_for_agent(
            user=demo_members.agent_bordeaux,
            membre=demo_members.bordeaux,
            reference=filed.reference,
        )


def test_it_uses_the_point_for_a_sector_only_when_it_lies_in_the_commune(
    demo_members, demarche_factory
):
    voirie = demarche_factory(demo_members.pessac, SCHEMA, competence="voirie")
    sud = {"lat": PESSAC["lat"], "lon": PESSAC["lon"]}
    # A point in Pessac, the address in Pessac: the south sector's service.
    placement = placement_for(voirie, commune_code="33318", **sud)
    assert placement.membre == demo_members.metropole
    assert placement.service.nom == "Pôle territorial Sud — voirie"
    # The same point with an address in Bordeaux: the point is dropped.
    placement = placement_for(voirie, commune_code="33063", **sud)
    assert placement.membre == demo_members.metropole
    assert placement.service.nom == "Direction de la voirie"
