"""The value analysis' arithmetic, checked by hand: net present value, payback period, axis
scores with weights, grades at their thresholds, and the overall score."""

from decimal import Decimal

from socle.observatoire.evaluation import (
    delai_retour,
    discount_factors,
    note,
    score_axe,
    score_financier,
    score_global,
    valeur_actuelle_couts,
    valeur_actuelle_nette,
)
from tests.observatoire.helpers_evaluation import FLUX

pytest_plugins = ["tests.observatoire.fixtures_evaluation"]


def test_it_discounts_from_the_second_year():
    # 1/1.1^0 = 1, 1/1.1 = 0.9090…, 1/1.21 = 0.8264…
    factors = discount_factors("10", 3)
    assert factors[0] == 1
    assert round(factors[1], 4) == Decimal("0.9091")
    assert round(factors[2], 4) == Decimal("0.8264")


def test_it_computes_the_npv_and_payback_of_the_briefs_example():
    # r = 0, nets −100, +60, +60: VAN = 20; S = −100, −40, +20 → payback 2 + 40/60 = 2.67.
    flux = [(100, 0), (0, 60), (0, 60)]
    assert valeur_actuelle_nette(flux, 0) == Decimal("20.00")
    assert delai_retour(flux, 0) == Decimal("2.67")
    # PV(costs) = 100; score = 50 + 50 × 20/100 = 60.
    assert valeur_actuelle_couts(flux, 0) == Decimal("100.00")
    assert score_financier(Decimal(20), Decimal(100)) == Decimal("60.0")


def test_it_discounts_at_ten_percent():
    # n = −100, 60/1.1 = 54.5455, 60/1.21 = 49.5868; VAN = 4.1322 → 4.13.
    # S = −100, −45.4545, +4.1322 → payback 2 + 45.4545/49.5868 = 2.9167 → 2.92.
    # Score = 50 + 50 × 4.1322/100 = 52.07 → 52.1.
    flux = [(100, 0), (0, 60), (0, 60)]
    van = valeur_actuelle_nette(flux, 10)
    assert van == Decimal("4.13")
    assert delai_retour(flux, 10) == Decimal("2.92")
    assert score_financier(van, valeur_actuelle_couts(flux, 10)) == Decimal("52.1")


def test_it_reads_the_stored_flows_at_the_default_rate():
    # r = 4.5 %: nets −1000, +500/1.045 = 478.4689, +500/1.092025 = 457.8650,
    # +500/1.141166 = 438.1483, +500/1.192519 = 419.2807; VAN = 793.7628 → 793.76.
    # PV(costs) = 1000 + 200 × (0.956938 + 0.915730 + 0.876297 + 0.838561) = 1717.51.
    # S = −1000, −521.53, −63.67, +374.48 → payback 3 + 63.6661/438.1483 = 3.1453 → 3.15.
    # Score = 50 + 50 × 793.7628/1717.5051 = 73.108 → 73.1.
    assert valeur_actuelle_nette(FLUX, "4.5") == Decimal("793.76")
    assert valeur_actuelle_couts(FLUX, "4.5") == Decimal("1717.51")
    assert delai_retour(FLUX, "4.5") == Decimal("3.15")
    assert score_financier(Decimal("793.7628"), Decimal("1717.5051")) == Decimal("73.1")


def test_it_says_when_a_project_never_pays_back():
    # r = 0, nets −1000, +100, +100: S never reaches 0. VAN = −800, PV(costs) = 1000:
    # score = 50 + 50 × (−800/1000) = 10.
    flux = [(1000, 0), (0, 100), (0, 100)]
    assert delai_retour(flux, 0) is None
    assert valeur_actuelle_nette(flux, 0) == Decimal("-800.00")
    assert score_financier(Decimal(-800), Decimal(1000)) == Decimal("10.0")


def test_it_pays_back_at_once_when_the_first_year_is_positive():
    # Year 0 net +50 ≥ 0: paid back at once, 0 years.
    assert delai_retour([(10, 60), (100, 0)], 4.5) == Decimal("0.00")


def test_it_counts_a_year_needed_in_full():
    # r = 0, nets −100, +100: S_1 = 0 → payback 1 + 100/100 = 2 years.
    assert delai_retour([(100, 0), (0, 100)], 0) == Decimal("2.00")


def test_it_clamps_the_financial_score_and_leaves_it_out_without_costs():
    # VAN = 3 × PV(costs): 50 + 150 = 200 → 100; VAN = −2 × PV(costs): 50 − 100 → 0.
    assert score_financier(300, 100) == Decimal("100.0")
    assert score_financier(-200, 100) == Decimal("0.0")
    # No flows, or no costs: no score (not 0).
    assert valeur_actuelle_nette([], 4.5) is None
    assert delai_retour([], 4.5) is None
    assert score_financier(None, None) is None
    assert score_financier(Decimal(50), Decimal(0)) is None


def test_it_weighs_the_answered_questions_of_an_axis():
    # (weight 2, 4 points) and (weight 1, 1 point): 100 × (8 + 1)/(8 + 4) = 75.
    assert score_axe([(2, 4), (1, 1)]) == Decimal("75.0")
    # Equal weights 1, 2, 2 points: 100 × 5/12 = 41.666… → 41.7.
    assert score_axe([(1, 1), (1, 2), (1, 2)]) == Decimal("41.7")
    # Decimal weights and points: (0.5, 2.5), (1.5, 4): 100 × (1.25 + 6)/(2 + 6) = 90.625 → 90.6.
    assert score_axe([("0.5", "2.5"), ("1.5", 4)]) == Decimal("90.6")


def test_it_gives_no_score_to_an_axis_nobody_answered():
    assert score_axe([]) is None
    assert score_axe([(0, 4)]) is None  # only weightless questions answered


def test_it_grades_at_the_thresholds():
    assert [note(s) for s in (100, 80, "79.9", 60, "59.9", 40, "39.9", 20, "19.9", 0)] == [
        "A",
        "A",
        "B",
        "B",
        "C",
        "C",
        "D",
        "D",
        "E",
        "E",
    ]
    assert note(None) is None


def test_it_averages_the_axes_that_have_a_score():
    # (1 × 80 + 2 × 50) / (1 + 2) = 60; the unanswered axis is left out, not counted as 0.
    overall = score_global([(1, 80), (2, 50), (1, None)])
    assert overall == Decimal("60.0")
    assert note(overall) == "B"
    # Counted as 0 it would have been (80 + 100 + 0)/4 = 45.
    assert score_global([(1, None), (2, None)]) is None
    assert score_global([(0, 90), (1, None)]) is None
