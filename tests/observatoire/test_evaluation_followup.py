"""A project's follow-up: milestones planned then reached, indicators planned vs achieved, each
change checked in one round and recorded; only the project's contributors (or the structure)
may."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from socle.membres.models import AuditEvent
from socle.observatoire.evaluation import (
    atteinte,
    indicateur_create,
    indicateur_delete,
    indicateur_update,
    jalon_create,
    jalon_delete,
    jalon_update,
)
from socle.observatoire.models import Indicateur, Jalon


def test_it_plans_then_reaches_a_milestone(projet_pessac, agent_pessac):
    jalon = jalon_create(
        acting_user=agent_pessac,
        projet=projet_pessac,
        titre="Mise en service",
        date_prevue="2026-03-01",
    )
    second = jalon_create(acting_user=agent_pessac, projet=projet_pessac, titre="Bilan")
    assert (jalon.ordre, second.ordre) == (1, 2)
    jalon_update(acting_user=agent_pessac, jalon=jalon, date_reelle="12/02/2026")
    jalon.refresh_from_db()
    assert jalon.date_reelle == datetime.date(2026, 2, 12)
    assert jalon.date_prevue == datetime.date(2026, 3, 1)
    event = AuditEvent.objects.filter(action="projet.modification").latest("pk")
    assert event.details == {
        "suivi": "jalon",
        "operation": "modification",
        "libelle": "Mise en service",
    }
    jalon_delete(acting_user=agent_pessac, jalon=second)
    assert list(projet_pessac.jalons.values_list("titre", flat=True)) == ["Mise en service"]


def test_it_refuses_a_wrong_milestone_in_one_round(projet_pessac, agent_pessac):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        jalon_create(
            acting_user=agent_pessac,
            projet=projet_pessac,
            titre=" ",
            date_prevue="31/02/2026",
            date_reelle=tomorrow.isoformat(),
        )
    assert error.value.message_dict == {
        "titre": ["Indiquez le titre du jalon."],
        "date_prevue": ["Saisissez une date valide (jj/mm/aaaa)."],
        "date_reelle": ["Un jalon est atteint à une date passée : laissez ce champ vide d’ici là."],
    }
    assert not Jalon.objects.exists()


def test_it_compares_an_indicator_with_its_target(projet_pessac, agent_pessac):
    indicateur = indicateur_create(
        acting_user=agent_pessac,
        projet=projet_pessac,
        nom="Signalements traités",
        unite="par mois",
        cible="1 200",
    )
    assert atteinte(indicateur) is None  # nothing achieved yet
    indicateur_update(acting_user=agent_pessac, indicateur=indicateur, realise="900,5")
    indicateur.refresh_from_db()
    # 100 × 900.5/1200 = 75.04 → 75.0 %
    assert indicateur.realise == Decimal("900.50")
    assert atteinte(indicateur) == Decimal("75.0")
    indicateur_delete(acting_user=agent_pessac, indicateur=indicateur)
    assert not Indicateur.objects.exists()


def test_it_refuses_a_wrong_indicator_in_one_round(projet_pessac, agent_pessac):
    with pytest.raises(ValidationError) as error:
        indicateur_create(
            acting_user=agent_pessac,
            projet=projet_pessac,
            nom="",
            unite="u" * 41,
            cible="-3",
            realise="beaucoup",
            date_mesure="hier",
        )
    assert error.value.message_dict == {
        "nom": ["Indiquez le nom de l’indicateur."],
        "unite": ["L’unité tient en 40 caractères au plus."],
        "cible": ["Un indicateur se mesure par une valeur positive ou nulle."],
        "realise": ["Saisissez un nombre (1 250 ou 12,5)."],
        "date_mesure": ["Saisissez une date valide (jj/mm/aaaa)."],
    }
    assert not Indicateur.objects.exists()


def test_it_keeps_another_member_out_of_the_follow_up(projet_pessac, agent_pessac, agent_bordeaux):
    jalon = jalon_create(acting_user=agent_pessac, projet=projet_pessac, titre="Lancement")
    indicateur = indicateur_create(acting_user=agent_pessac, projet=projet_pessac, nom="Usagers")
    for call in (
        lambda: jalon_create(acting_user=agent_bordeaux, projet=projet_pessac, titre="X"),
        lambda: jalon_update(acting_user=agent_bordeaux, jalon=jalon, titre="X"),
        lambda: jalon_delete(acting_user=agent_bordeaux, jalon=jalon),
        lambda: indicateur_create(acting_user=agent_bordeaux, projet=projet_pessac, nom="X"),
        lambda: indicateur_update(acting_user=agent_bordeaux, indicateur=indicateur, cible=3),
        lambda: indicateur_delete(acting_user=agent_bordeaux, indicateur=indicateur),
    ):
        with pytest.raises(PermissionDenied):
            call()
    jalon.refresh_from_db()
    indicateur.refresh_from_db()
    assert jalon.titre == "Lancement" and indicateur.cible is None
