"""Draft roadmaps are shared among neighbours: a member's staff compare the départements and
régions of their own région; the structure compares them all."""

from socle.observatoire.views_feuilles import _zones_for
from socle.territoires.models import Collectivite


def _zones():
    nouvelle_aquitaine = Collectivite.objects.get(kind="region", code="75")
    gironde = Collectivite.objects.get(kind="departement", code="33")
    idf, _ = Collectivite.objects.get_or_create(
        kind="region", code="11", defaults={"nom": "Île-de-France"}
    )
    paris, _ = Collectivite.objects.get_or_create(
        kind="departement", code="75", defaults={"nom": "Paris", "region": idf}
    )
    return {"departement": [gironde, paris], "region": [nouvelle_aquitaine, idf]}


def test_it_offers_a_members_staff_only_their_region(demo_members, agent_pessac):
    zones = _zones_for(agent_pessac, _zones())
    assert [d.code for d in zones["departement"]] == ["33"]
    assert [r.code for r in zones["region"]] == ["75"]


def test_it_offers_the_structure_every_zone(demo_members, operateur):
    zones = _zones_for(operateur, _zones())
    assert [d.code for d in zones["departement"]] == ["33", "75"]


def test_it_refuses_a_zone_outside_the_viewers_region(client, demo_members, agent_pessac):
    _zones()
    client.force_login(agent_pessac)
    answer = client.get("/gestion/observatoire/coherence/?zone=region-11")
    assert answer.status_code == 400
    assert "Île-de-France" not in answer.content.decode()
