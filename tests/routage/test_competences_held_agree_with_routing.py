"""The back office's « competences the member holds » agrees with routing, rule for rule."""

import pytest

from socle.routage.routing import resolve_holders
from socle.territoires.holdings import competences_held_by
from socle.territoires.models import (
    Collectivite,
    Competence,
    CompetenceOverride,
    CompetenceTransfer,
)

pytestmark = pytest.mark.django_db


def _held_by_routing(collectivite: Collectivite) -> set[int]:
    """What routing gives `collectivite`, over the communes where it may hold something."""
    competences = list(Competence.objects.all())
    if collectivite.kind == Collectivite.Kind.COMMUNE:
        communes = [collectivite]
    else:
        communes = list(Collectivite.objects.filter(epci=collectivite, active=True))
    held = set()
    for commune in communes:
        for competence_id, holder in resolve_holders(commune, competences).items():
            if (holder.kind, holder.code) == (collectivite.kind, collectivite.code):
                held.add(competence_id)
    return held


def _assert_agree(members) -> None:
    for membre in (members.pessac, members.bordeaux, members.metropole):
        collectivite = membre.collectivite
        assert competences_held_by(collectivite) == _held_by_routing(collectivite), membre.slug


def test_it_agrees_with_routing_in_pessac_bordeaux_and_the_metropole(demo_members):
    _assert_agree(demo_members)
    # And the answer is not trivial: the Métropole holds voirie, Pessac does not, by law.
    voirie = Competence.objects.get(code="voirie").pk
    assert voirie in competences_held_by(demo_members.metropole.collectivite)
    assert voirie not in competences_held_by(demo_members.pessac.collectivite)
    assert Competence.objects.get(code="etat-civil").pk in competences_held_by(
        demo_members.pessac.collectivite
    )


def test_it_agrees_with_routing_after_transfers_and_exceptions(demo_members):
    metropole = demo_members.metropole.collectivite
    pessac = demo_members.pessac.collectivite
    CompetenceTransfer.objects.update_or_create(
        epci=metropole,
        competence=Competence.objects.get(code="dechets"),
        defaults={"transferred": False},
    )
    CompetenceTransfer.objects.update_or_create(
        epci=metropole,
        competence=Competence.objects.get(code="stationnement"),
        defaults={"transferred": True},
    )
    CompetenceOverride.objects.update_or_create(
        commune=pessac,
        competence=Competence.objects.get(code="voirie"),
        defaults={"holder": pessac},
    )
    CompetenceOverride.objects.update_or_create(
        commune=demo_members.bordeaux.collectivite,
        competence=Competence.objects.get(code="colleges"),
        defaults={"holder": metropole},
    )
    _assert_agree(demo_members)
    held = competences_held_by(pessac)
    assert Competence.objects.get(code="voirie").pk in held
    assert Competence.objects.get(code="dechets").pk in held
    assert Competence.objects.get(code="stationnement").pk not in held
