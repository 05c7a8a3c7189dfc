"""`answer_in(commune_code, competence)` answers from memory what the database says: who holds
a competence in a commune, without a point (filing a procedure routes by the address's commune)."""

import pytest

from socle.routage import routing
from socle.territoires.models import Collectivite, Competence
from socle.territoires.services import competence_transfer_write

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_router")]

# Pessac and Bordeaux (members), Saint-Émilion (not a member, another EPCI).
COMMUNES = ("33318", "33063", "33394")


def _holder_key(holder) -> tuple:
    return (holder.kind, holder.code, holder.member, holder.slug)


def test_it_agrees_with_the_database_for_every_competence(demo_members):
    competences = list(Competence.objects.order_by("code"))
    for code in COMMUNES:
        commune = Collectivite.objects.get(kind="commune", code=code)
        held = routing.resolve_holders(commune, competences)
        for competence in competences:
            answer = routing.answer_in(code, competence.code)
            assert answer is not None and answer.commune.code == code
            assert _holder_key(answer.holder) == _holder_key(held[competence.pk]), (
                code,
                competence.code,
            )
    # Not trivial: water in Pessac is the Métropole's, civil status Pessac's own.
    assert routing.answer_in("33318", "eau-potable").holder.slug == "bordeaux-metropole"
    assert routing.answer_in("33318", "etat-civil").holder.slug == "pessac"


def test_it_follows_a_transfer_made_through_the_services(demo_members):
    metropole = demo_members.metropole.collectivite
    assert routing.answer_in("33318", "eau-potable").holder.kind == "epci"
    competence_transfer_write(
        epci=metropole,
        competence=Competence.objects.get(code="eau-potable"),
        transferred=False,
    )
    routing.get_router(refresh=True)
    assert routing.answer_in("33318", "eau-potable").holder.code == "33318"


def test_it_says_none_for_a_commune_it_does_not_have_and_refuses_an_unknown_competence(
    demo_members,
):
    assert routing.answer_in("99999", "etat-civil") is None
    assert routing.answer_in("", "etat-civil") is None
    with pytest.raises(routing.UnknownCompetence):
        routing.answer_in("33318", "teleportation")
