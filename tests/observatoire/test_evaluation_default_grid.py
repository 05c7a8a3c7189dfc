"""The migrations write the default grid: five axes weighing 1 (the last one financial), three
to five closed questions on each other axis with three to five answers worth 0 to 4 points, and
the settings row (5 years, 4.5 %)."""

from decimal import Decimal

from socle.observatoire.models import EvalAxe, EvalChoix, ReglagesObservatoire
from tests.observatoire.helpers_evaluation import default_grid_ensure

pytest_plugins = ["tests.observatoire.fixtures_evaluation"]


def test_it_writes_the_default_grid(grid):
    assert [(axe.code, axe.nom, axe.poids, axe.financier) for axe in grid] == [
        ("necessite", "Nécessité", Decimal(1), False),
        ("maitrise-des-risques", "Maîtrise des risques", Decimal(1), False),
        ("gains-internes", "Gains internes", Decimal(1), False),
        ("gains-externes", "Gains externes", Decimal(1), False),
        ("rentabilite", "Rentabilité", Decimal(1), True),
    ]
    for axe in grid:
        if axe.financier:
            assert axe.questions_grille == []
            continue
        assert 3 <= len(axe.questions_grille) <= 5
        for question in axe.questions_grille:
            points = [c.points for c in question.choix.all()]
            assert 3 <= len(points) <= 5
            assert max(points) == 4 and min(points) >= 0
    reglages = ReglagesObservatoire.objects.get()
    assert reglages.horizon_annees == 5 and reglages.taux_actualisation == Decimal("4.5")


def test_it_writes_the_defaults_only_once(grid):
    counts = (EvalAxe.objects.count(), EvalChoix.objects.count())
    default_grid_ensure()
    assert (EvalAxe.objects.count(), EvalChoix.objects.count()) == counts
    assert ReglagesObservatoire.objects.count() == 1
