"""Routing a filing by its commune does not depend on the commune's boundary: a commune the
router's memory lacks (its source gave no boundary) is answered from the database, so water in
Pessac still goes to Bordeaux Métropole."""

import pytest
from django.db.models import F

from socle.demarches.services import placement_for
from socle.routage import routing
from socle.territoires.models import CommuneGeometry, RoutingVersion
from tests.demarches.test_depot_filing import SCHEMA


@pytest.fixture
def router_rebuilt():
    """The process's router is built again from this test's data, and forgotten after it."""
    routing.reset_router()
    yield
    routing.reset_router()


@pytest.mark.usefixtures("router_rebuilt")
def test_it_routes_by_the_database_when_the_router_lacks_the_commune(
    demo_members, demarche_factory
):
    demarche = demarche_factory(demo_members.pessac, SCHEMA, competence="eau-potable")
    CommuneGeometry.objects.filter(commune__code="33318", commune__kind="commune").delete()
    RoutingVersion.objects.filter(pk=1).update(territory=F("territory") + 1)
    routing.get_router(refresh=True)
    assert routing.answer_in("33318", "eau-potable") is None
    placement = placement_for(demarche, commune_code="33318")
    assert placement.membre == demo_members.metropole
    assert placement.service is not None and placement.service.nom == "Direction de l'eau"
    # A commune that does not exist at all: the procedure's member keeps it.
    assert placement_for(demarche, commune_code="99999").membre == demo_members.pessac
