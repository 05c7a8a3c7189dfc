"""A project's follow-up on its public page: milestones, indicators planned and achieved, and
its evaluations — the ex ante radar, the ex post beside it on the same axes, grades, NPV."""

from decimal import Decimal

import pytest
from django.urls import reverse

from socle.observatoire.models import Evaluation, Indicateur, Jalon
from tests.helpers.a11y import assert_accessible

pytest_plugins = ["tests.observatoire.fixtures_public"]

pytestmark = pytest.mark.django_db

AXES = [
    ("necessite", "Nécessité", 80.0, "A"),
    ("risques", "Maîtrise des risques", 55.0, "C"),
    ("gains-internes", "Gains internes", 62.5, "B"),
    ("gains-externes", "Gains externes", None, None),
    ("rentabilite", "Rentabilité", 71.0, "B"),
]


def _evaluation(projet, kind, shift=0.0):
    return Evaluation.objects.create(
        projet=projet,
        kind=kind,
        horizon_annees=5,
        taux_actualisation=Decimal("4.5"),
        resultat={
            "axes": [
                {
                    "code": code,
                    "nom": nom,
                    "poids": "1",
                    "score": None if score is None else score + shift,
                    "note": note,
                }
                for code, nom, score, note in AXES
            ],
            "score": 67.1 + shift,
            "note": "B",
            "van": 12345.6,
            "delai_retour": 2.67,
        },
    )


def _page(client, projet):
    response = client.get(reverse("observatoire-site:projet", args=[projet.slug]))
    assert response.status_code == 200
    assert_accessible(response)
    return response.content.decode()


def test_it_draws_the_ex_ante_radar_with_its_table(client, observatoire):
    _evaluation(observatoire.voirie, Evaluation.Kind.EX_ANTE)
    page = _page(client, observatoire.voirie)
    assert "Analyse de la valeur du projet" in page
    assert 'role="img"' in page and "<svg" in page
    for name in ("Nécessité", "Maîtrise des risques", "Gains internes", "Rentabilité"):
        assert name in page
    assert "B — Favorable" in page
    assert "A — Très favorable (80 / 100)" in page
    assert "Gains externes</dt><dd>non renseigné" in page
    assert "12\xa0346 €" in page
    assert "2,7 ans" in page


def test_it_compares_ex_ante_and_ex_post(client, observatoire):
    _evaluation(observatoire.voirie, Evaluation.Kind.EX_ANTE)
    _evaluation(observatoire.voirie, Evaluation.Kind.EX_POST, shift=10)
    page = _page(client, observatoire.voirie)
    assert page.count("<figure") == 1  # one radar, two series
    assert "kit-chart-series-1" in page
    assert "Évaluation ex ante" in page and "Évaluation ex post" in page
    assert "kit-chart-legend" in page


def test_it_shows_milestones_and_indicators(client, observatoire):
    Jalon.objects.create(
        projet=observatoire.voirie,
        titre="Marché notifié",
        date_prevue="2024-04-01",
        date_reelle="2024-04-15",
    )
    Jalon.objects.create(
        projet=observatoire.voirie, titre="Ouverture au public", date_prevue="2024-09-01"
    )
    Indicateur.objects.create(
        projet=observatoire.voirie,
        nom="Signalements par mois",
        unite="signalements",
        cible=100,
        realise=120,
    )
    page = _page(client, observatoire.voirie)
    assert "Marché notifié" in page and "15 avril 2024" in page
    assert "Ouverture au public" in page and "pas encore" in page
    assert "Signalements par mois" in page and "120 signalements" in page


def test_it_shows_no_follow_up_section_without_data(client, observatoire):
    page = _page(client, observatoire.ecoles)
    assert "Analyse de la valeur" not in page and "Jalons" not in page
